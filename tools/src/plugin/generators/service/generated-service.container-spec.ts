// A generated service's image on a real engine: `nx g @hello-world/tools:service greeter
// --port=49010` in a throwaway copy of this workspace, committed there, then the plugin's
// greeter:docker-build builds the image, which runs the way the Fargate task runs it and answers
// on a real socket; and greeter:container-test, the suite the plugin infers for it, passes. Fails,
// never skips, without an engine. Set BASE_IMAGE where Docker Hub is out of reach.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONTAINER_USER } from '@hello-world/shared';
import { FARGATE_LIKE_RUN_FLAGS, parseBuiltImage } from '@hello-world/image';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTempWorkspace, type TempWorkspace } from '../../../affected/temp-workspace';
import { docker, requireEngine, waitFor } from '@hello-world/image/testing';

const SERVICE = 'greeter';
const PORT = 49010;
/** Generate, build (esbuild, then the image) in the copy: minutes on a loaded machine. */
const SETUP_TIMEOUT_MS = 600_000;

const WORKSPACE = join(__dirname, '..', '..', '..', '..', '..');

let ws: TempWorkspace | undefined;
let image = '';
let container = '';
let baseUrl = '';

beforeAll(() => {
  // GIVEN a reachable engine (a missing one is a failure with the next step, not a skip)
  requireEngine();
  // AND a copy of this workspace in which the generator ran, committed as a change would be, so
  // the image gets the tag of a commit
  ws = createTempWorkspace(WORKSPACE);
  ws.nx('g', '@hello-world/tools:service', SERVICE, `--port=${PORT}`, '--no-interactive');
  ws.git('add', '--all');
  ws.git('commit', '--quiet', '--message', `feat(${SERVICE}): generated`);
  // AND the image built by the target the plugin infers from the generated Dockerfile (after
  // greeter:build, its dependency); BASE_IMAGE and DOCKER_HOST come from this environment
  const build = ws.nxResult('run', `${SERVICE}:docker-build`, '--output-style=stream');
  // Without colour codes (an outer Nx run forces colour on), so the `image: <ref>` line matches
  // eslint-disable-next-line no-control-regex
  image = parseBuiltImage(build.output.replace(/\u001b\[[0-9;]*m/g, '')) ?? '';
  if (build.status !== 0 || !image)
    throw new Error(`${SERVICE}:docker-build failed:\n${build.output.slice(-3000)}`);
  // AND a container run as the Fargate task runs it; a short health interval so the test need not
  // wait out the image's 10 s default
  container = docker(
    'run',
    '--detach',
    ...FARGATE_LIKE_RUN_FLAGS,
    '--health-interval',
    '1s',
    '--publish',
    `127.0.0.1::${PORT}`,
    image,
  );
  baseUrl = `http://${docker('port', container, String(PORT)).split('\n')[0]}`;
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  if (container) spawnSync('docker', ['rm', '--force', container]);
  // The tag names a commit of the throwaway copy: nothing else will ever use it.
  if (image) spawnSync('docker', ['image', 'rm', image]);
  ws?.remove();
});

describe(`the image of a generated service (${SERVICE}, port ${PORT}) run like the Fargate task`, () => {
  it("is tagged as the service's own image, from the copy's commit", () => {
    const head = ws?.git('rev-parse', '--short', 'HEAD').trim();
    expect(image).toBe(`${SERVICE}-ecr-ecs-fargate:sha-${head}-ecr-ecs-fargate`);
  });

  it('declares its own name and port, and the unprivileged container user', () => {
    const config = JSON.parse(
      docker('image', 'inspect', '--format', '{{json .Config}}', image),
    ) as {
      User: string;
      ExposedPorts: Record<string, unknown>;
      Labels: Record<string, string>;
    };
    expect({
      user: config.User,
      ports: Object.keys(config.ExposedPorts),
      title: config.Labels['org.opencontainers.image.title'],
    }).toEqual({ user: CONTAINER_USER, ports: [`${PORT}/tcp`], title: SERVICE });
  });

  it(`answers GET / with ${SERVICE}`, async () => {
    // WHEN / is requested on the published port THEN the body is the service's name as text/plain
    const response = await waitFor('GET / to answer', () =>
      fetch(`${baseUrl}/`).catch(() => undefined),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(SERVICE);
  });

  it('answers GET /health with its status', async () => {
    const response = await waitFor('GET /health to answer', () =>
      fetch(`${baseUrl}/health`).catch(() => undefined),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expect.objectContaining({ status: 'ok' }));
  });

  it("becomes healthy in Docker's health check", async () => {
    // WHEN Docker runs the image's HEALTHCHECK (the bundled healthcheck.js on the service's port)
    // THEN the status settles on healthy
    const status = await waitFor('a settled health status', () => {
      const s = docker('inspect', '--format', '{{.State.Health.Status}}', container);
      return s === 'starting' ? undefined : s;
    });
    expect(status).toBe('healthy');
  });

  it('passes its own container-test, as the plugin infers it', () => {
    // WHEN the inferred target runs in the copy (it builds greeter's image again, from the cache)
    const run = ws?.nxResult('run', `${SERVICE}:container-test`, '--output-style=stream');
    // THEN it succeeds, having tested greeter's image, not hello-world's
    // eslint-disable-next-line no-control-regex
    const output = (run?.output ?? '').replace(/\u001b\[[0-9;]*m/g, '');
    expect({ status: run?.status, tail: run?.status === 0 ? '' : output.slice(-3000) }).toEqual({
      status: 0,
      tail: '',
    });
    expect(output).toContain(`the image of ${SERVICE}, run like the Fargate task`);
  }, 600_000);

  it('exits 0 on SIGTERM, before docker stop would kill it', () => {
    // WHEN docker stop sends SIGTERM (SIGKILL only after 10 s, which would exit 137)
    docker('stop', '--time', '10', container);
    // THEN node drained and exited by itself, with 0
    expect(docker('inspect', '--format', '{{.State.ExitCode}}', container)).toBe('0');
  });
});
