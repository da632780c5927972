// Any service's image on a real engine, run the way the Fargate task runs it: the container-test
// the plugin infers for a generated service (CONTAINER_TEST_PROJECT=<app project>), and for
// hello-world too, which keeps this suite honest against the reference image. Fails, never skips,
// without an engine. Set BASE_IMAGE where Docker Hub is out of reach.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_NAME, CONTAINER_USER } from '@hello-world/shared';
import { spawnSync } from 'node:child_process';
import { FARGATE_LIKE_RUN_FLAGS } from './docker';
import { parseBuiltImage, runNxTarget } from './nx-run';
import { docker, requireEngine, waitFor } from './testing';

/** The app project whose image is tested: the one container-test runs for. */
const PROJECT = process.env['CONTAINER_TEST_PROJECT'] || APP_NAME;

interface ImageConfig {
  User: string;
  ExposedPorts?: Record<string, unknown>;
  Labels?: Record<string, string>;
}

let image = '';
let config: ImageConfig;
let port = 0;
let container = '';
let baseUrl = '';

beforeAll(() => {
  // GIVEN a reachable engine (a missing one is a failure with the next step, not a skip)
  requireEngine();
  // AND the project's image, built by its own docker-build target (--allow-dirty: a work tree
  // with edits still tests)
  const build = runNxTarget(`${PROJECT}:docker-build`, ['--allow-dirty']);
  image = parseBuiltImage(build.output) ?? '';
  if (build.status !== 0 || !image)
    throw new Error(`${PROJECT}:docker-build failed:\n${build.output.slice(-3000)}`);
  config = JSON.parse(docker('image', 'inspect', '--format', '{{json .Config}}', image));
  // AND the one port it declares, which the container is run and reached on
  const ports = Object.keys(config.ExposedPorts ?? {});
  port = Number.parseInt(ports[0] ?? '', 10);
  if (ports.length !== 1 || !Number.isInteger(port)) {
    throw new Error(`${image} must EXPOSE exactly one TCP port, not [${ports.join(', ')}]`);
  }
  // AND a container run as the Fargate task runs it; a short health interval so the test need not
  // wait out the image's default
  container = docker(
    'run',
    '--detach',
    ...FARGATE_LIKE_RUN_FLAGS,
    '--health-interval',
    '1s',
    '--publish',
    `127.0.0.1::${port}`,
    image,
  );
  baseUrl = `http://${docker('port', container, String(port)).split('\n')[0]}`;
}, 600_000);

afterAll(() => {
  if (container) spawnSync('docker', ['rm', '--force', container]);
});

describe(`the image of ${PROJECT}, run like the Fargate task`, () => {
  it("is the service's own image, under its deployment's name", () => {
    // THEN the local name is <project>-ecr-ecs-fargate with a sha tag of the image's inputs
    expect(image).toMatch(
      new RegExp(`^${PROJECT}-ecr-ecs-fargate:sha-[0-9a-f]+(-dirty-[0-9a-f]+)?-ecr-ecs-fargate$`),
    );
  });

  it('runs as the unprivileged container user and names the service', () => {
    expect({ user: config.User, title: config.Labels?.['org.opencontainers.image.title'] }).toEqual(
      {
        user: CONTAINER_USER,
        title: PROJECT,
      },
    );
  });

  it('answers GET / with 200 on its declared port', async () => {
    const response = await waitFor('GET / to answer', () =>
      fetch(`${baseUrl}/`).catch(() => undefined),
    );
    expect(response.status).toBe(200);
  });

  it('answers GET /health with status ok', async () => {
    const response = await waitFor('GET /health to answer', () =>
      fetch(`${baseUrl}/health`).catch(() => undefined),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expect.objectContaining({ status: 'ok' }));
  });

  it("becomes healthy in Docker's health check", async () => {
    const status = await waitFor('a settled health status', () => {
      const s = docker('inspect', '--format', '{{.State.Health.Status}}', container);
      return s === 'starting' ? undefined : s;
    });
    expect(status).toBe('healthy');
  });

  it('exits 0 on SIGTERM, before docker stop would kill it', () => {
    // WHEN docker stop sends SIGTERM (SIGKILL only after 10 s, which would exit 137)
    docker('stop', '--time', '10', container);
    // THEN it drained and exited by itself, with 0
    expect(docker('inspect', '--format', '{{.State.ExitCode}}', container)).toBe('0');
  });
});
