// The image on a real engine, run the way the Fargate task runs it, and docker-push against a real
// registry: $LOCAL_REGISTRY (host:port) if set, else a throwaway registry container. Fails, never
// skips, without an engine. Set BASE_IMAGE where Docker Hub is out of reach.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_PORT, CONTAINER_USER, DEPLOYMENT_NAME } from '@hello-world/shared';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IMAGE_APP } from './build-context';
import { parseBuiltImage, runNxTarget } from './nx-run';
import { workspaceRoot } from './workspace';
import { FARGATE_LIKE_RUN_FLAGS } from './docker';
import { docker, provideRegistry, requireEngine, waitFor } from './testing';

/** The output of a run that must succeed; a failure shows the end of its output. */
function succeeded({ status, output }: { status: number | null; output: string }): string {
  if (status !== 0) throw new Error(`exit ${status}:\n${output.slice(-3000)}`);
  return output;
}

let image = '';
let container = '';
let baseUrl = '';

beforeAll(() => {
  // GIVEN a reachable engine (a missing one is a failure with the next step, not a skip)
  requireEngine();
  // AND the image built by the real target (--allow-dirty: a work tree with edits still tests)
  const build = runNxTarget('hello-world:docker-build', ['--allow-dirty']);
  image = parseBuiltImage(build.output) ?? '';
  if (build.status !== 0 || !image)
    throw new Error(`docker-build failed:\n${build.output.slice(-3000)}`);
  // AND a container run as the Fargate task runs it; a short health interval so the test need not
  // wait out the image's 10 s default
  container = docker(
    'run',
    '--detach',
    ...FARGATE_LIKE_RUN_FLAGS,
    '--health-interval',
    '1s',
    '--publish',
    `127.0.0.1::${APP_PORT}`,
    image,
  );
  baseUrl = `http://${docker('port', container, String(APP_PORT)).split('\n')[0]}`;
});

afterAll(() => {
  if (container) spawnSync('docker', ['rm', '--force', container]);
});

describe('the hello-world image run like the Fargate task', () => {
  it('runs as the unprivileged container user by default', () => {
    // WHEN the image's config is read THEN its user is the shared CONTAINER_USER, not root
    expect(docker('image', 'inspect', '--format', '{{.Config.User}}', image)).toBe(CONTAINER_USER);
  });

  it('answers GET / with hello-world', async () => {
    // WHEN / is requested on the published port THEN the body is hello-world as text/plain
    const response = await waitFor('GET / to answer', () =>
      fetch(`${baseUrl}/`).catch(() => undefined),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('hello-world');
  });

  it("becomes healthy in Docker's health check", async () => {
    // WHEN Docker runs the image's HEALTHCHECK THEN the status settles on healthy
    const status = await waitFor('a settled health status', () => {
      const s = docker('inspect', '--format', '{{.State.Health.Status}}', container);
      return s === 'starting' ? undefined : s;
    });
    expect(status).toBe('healthy');
  });

  it('runs node as PID 1 under a non-root uid', () => {
    // WHEN PID 1's status is read inside the container THEN it is node with uid 1000, not 0
    const cmdline = docker(
      'exec',
      container,
      'node',
      '-p',
      "require('fs').readFileSync('/proc/1/cmdline','utf8').split('\\0').join(' ')",
    );
    const status = docker(
      'exec',
      container,
      'node',
      '-p',
      "require('fs').readFileSync('/proc/1/status','utf8')",
    );
    expect(cmdline).toBe('node /app/main.js');
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(CONTAINER_USER.split(':')[0]);
  });

  it('has a read-only root filesystem', () => {
    // WHEN the user writes to /tmp, writable in the image itself, THEN the filesystem refuses
    const write = spawnSync(
      'docker',
      ['exec', container, 'node', '-e', "require('fs').writeFileSync('/tmp/probe', 'x')"],
      {
        encoding: 'utf8',
      },
    );
    expect(write.status).not.toBe(0);
    expect(write.stderr).toContain('EROFS');
  });

  it('exits 0 within 3 s of SIGTERM', () => {
    // WHEN docker stop sends SIGTERM (SIGKILL only after 10 s)
    const started = Date.now();
    docker('stop', '--time', '10', container);
    const elapsed = Date.now() - started;
    // THEN node drained and exited by itself, with 0, well before the kill
    expect(docker('inspect', '--format', '{{.State.ExitCode}}', container)).toBe('0');
    expect(elapsed).toBeLessThan(3_000);
  });
});

/** dist/apps/hello-world/image-push.json, which docker-push writes for infra:deploy. */
function pushReport(): Record<string, unknown> {
  return JSON.parse(
    readFileSync(join(workspaceRoot, DEFAULT_IMAGE_APP.pushReport), 'utf8'),
  ) as Record<string, unknown>;
}

describe('docker-push with the registry override', () => {
  let registry: { address: string; stop: () => void } = { address: '', stop: () => undefined };
  // A namespace of its own, so the first push is a real one on a registry that outlives runs.
  const namespace = `container-test-${process.pid}-${Date.now()}`;
  let repository = '';
  const push = () =>
    runNxTarget('hello-world:docker-push', ['--allow-dirty'], {
      ...process.env,
      IMAGE_REGISTRY: `${registry.address}/${namespace}`,
    });
  // What the first push reports; the later tests build on it. (Taken from the push, not the
  // build above: with --allow-dirty, edits made meanwhile would change the dirty tag.)
  let tag = '';
  let digest = '';

  beforeAll(async () => {
    registry = await provideRegistry();
    repository = `${registry.address}/${namespace}/${DEPLOYMENT_NAME}`;
  });

  afterAll(() => {
    // Only what the test pushed and pulled; the locally built image stays.
    if (tag) spawnSync('docker', ['rmi', `${repository}:${tag}`]);
    if (digest) spawnSync('docker', ['rmi', `${repository}@${digest}`]);
    registry.stop();
  });

  it('pushes the sha tag to the registry', () => {
    // WHEN pushed to an empty namespace THEN the sha tag is pushed and its digest reported
    const output = succeeded(push());
    const pushed = new RegExp(
      `^(?:\\S+: )?pushed: ${repository.replace(/[.]/g, '\\.')}:(sha-[0-9a-f]+(?:-dirty-[0-9a-f]{7})?-ecr-ecs-fargate) \\((sha256:[0-9a-f]{64})\\)$`,
      'm',
    ).exec(output);
    expect(pushed).not.toBeNull();
    tag = pushed?.[1] ?? '';
    digest = pushed?.[2] ?? '';
    // AND infra:deploy, the next task of the chain, finds the same in docker-push's report
    expect(pushReport()).toMatchObject({ repository, tag, digest, pushed: true });
  });

  it('skips the build and push when the tag is already there', () => {
    // WHEN pushed again THEN it says so and pushes nothing
    const { status, output } = push();
    expect(status).toBe(0);
    expect(output).toContain(
      `skipped: ${repository}:${tag} is already in the registry (${digest})`,
    );
    expect(output).not.toContain('pushed:');
    // AND its report says the tag was already there, with the digest deploy rolls out
    expect(pushReport()).toMatchObject({ repository, tag, digest, pushed: false });
    expect(pushReport().durationMs).toBeGreaterThanOrEqual(0);
  });

  it('pulls back by digest as the image that was pushed', () => {
    // GIVEN the pushed image's id, and no local copy left under the registry's name
    const pushedId = docker('image', 'inspect', '--format', '{{.Id}}', `${repository}:${tag}`);
    docker('rmi', `${repository}:${tag}`);
    spawnSync('docker', ['rmi', `${repository}@${digest}`]);
    // WHEN pulled by the pushed digest THEN the registry serves it and it is that very image
    expect(docker('pull', `${repository}@${digest}`)).toContain(`Digest: ${digest}`);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', `${repository}@${digest}`)).toBe(
      pushedId,
    );
  });
});
