// The local target on a real engine, run the way the README says: `nx run infra:deploy:local`,
// then status, then destroy. Needs a container engine (Docker, or DOCKER_HOST); set BASE_IMAGE
// where Docker Hub is out of reach. Fails, never skips, without an engine.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONTAINER_HEALTHCHECK_COMMAND, CONTAINER_USER } from '@hello-world/shared';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { docker, freePort, runLocalTarget, type NxRun } from './local-engine-for-test';

const container = `hello-world-local-spec-${process.pid}`;
let port = 0;
let deployed: NxRun;

/** `nx run infra:<target>:local` as a user types it, with this test's port and container name. */
function runLocal(target: string, ...args: string[]): NxRun {
  return runLocalTarget(target, [`--name=${container}`, ...args]);
}

beforeAll(async () => {
  // GIVEN a reachable engine (a missing one is a failure with the next step, not a skip)
  const engine = docker('version', '--format', '{{.Server.Version}}');
  if (engine.status !== 0) {
    throw new Error(
      `no container engine (DOCKER_HOST=${process.env['DOCKER_HOST'] ?? 'unset'}): start Docker, or point DOCKER_HOST at a running engine`,
    );
  }
  port = await freePort();
  // WHEN the local target deploys on a free port
  deployed = runLocal('deploy', `--port=${port}`);
});

afterAll(() => {
  docker('rm', '--force', container, `${container}-next`);
  docker('image', 'rm', '--force', exitsImage);
});

/** The image the container runs, so a redeploy can skip the build. */
function runningImage(): string {
  return docker('inspect', '--format', '{{.Config.Image}}', container).stdout;
}

/** GET / on the port on a fresh connection (no pooled socket to a container since stopped). */
function answer(on: number): Promise<number | string> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port: on, path: '/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** An image of the same app whose process exits 0 at once (a broken build that starts "fine"). */
const exitsImage = `hello-world-local-spec-exits:${process.pid}`;

describe('nx run infra:deploy:local', () => {
  it('ends by printing the URL on localhost', () => {
    expect({ status: deployed.status, tail: deployed.output.slice(-2000) }).toMatchObject({
      status: 0,
    });
    // Its own last line (behind Nx's `infra: ` prefix in stream output).
    expect(deployed.output).toMatch(new RegExp(`^(?:infra: )?http://localhost:${port}$`, 'm'));
  });

  it('serves hello-world there', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello-world');
  });

  it('runs as the non-root task user on a read-only root filesystem with a 512 MiB limit', () => {
    const inspect = docker(
      'inspect',
      '--format',
      '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.Memory}} {{.State.Health.Status}}',
      container,
    ).stdout;
    expect(inspect).toBe(`${CONTAINER_USER} true ${512 * 1024 * 1024} healthy`);
    // The process itself is not root, and cannot write to /.
    expect(docker('exec', container, 'id', '-u').stdout).toBe(CONTAINER_USER.split(':')[0]);
    expect(docker('exec', container, 'sh', '-c', 'echo x > /probe').status).not.toBe(0);
  });

  it('runs with every Linux capability dropped, as the task definition says', () => {
    // GIVEN the task definition drops ALL  THEN so does the engine, and the bounding set is empty
    expect(docker('inspect', '--format', '{{json .HostConfig.CapDrop}}', container).stdout).toBe(
      '["ALL"]',
    );
    const status = docker('exec', container, 'sh', '-c', 'grep CapBnd /proc/self/status').stdout;
    expect(status).toMatch(/^CapBnd:\s+0+$/);
  });

  it("runs the task definition's exec-form health check, not a shell form of it", () => {
    // GIVEN the task's ["CMD", "node", "/app/healthcheck.js"]  THEN the engine runs that argv
    expect(
      docker('inspect', '--format', '{{json .Config.Healthcheck.Test}}', container).stdout,
    ).toBe(JSON.stringify(['CMD', ...CONTAINER_HEALTHCHECK_COMMAND]));
  });
});

describe('nx run infra:deploy:local over a working deployment', () => {
  it('GIVEN another program on the requested port THEN says so and the deployment keeps serving', async () => {
    // GIVEN our container healthy on `port` and another program listening on `taken`
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    // WHEN deploying on `taken`
    const result = runLocal('deploy', `--port=${taken}`, `--image=${runningImage()}`);
    blocker.close();
    // THEN it names the port, fails (Nx turns the command's exit 2 into 1), and the previous
    // deployment still answers
    expect(result.output).toMatch(new RegExp(`port ${taken} is taken on this machine`));
    expect(result.status).not.toBe(0);
    expect(await answer(port)).toBe(200);
  });

  it('GIVEN a new container that exits 0 on the same port THEN reports that and restarts the previous one', async () => {
    // GIVEN an image whose process exits 0 at once
    const image = runningImage();
    expect(
      docker('commit', '--change', 'CMD ["node", "-e", "process.exit(0)"]', container, exitsImage)
        .status,
    ).toBe(0);
    // WHEN deploying it on the port the healthy container holds
    const result = runLocal('deploy', `--port=${port}`, `--image=${exitsImage}`);
    // THEN the failure names the real state, and the previous container serves again
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/is exited with code 0; its last log lines are above/);
    expect(await answer(port)).toBe(200);
    expect(runningImage()).toBe(image);
  });

  it('GIVEN a healthy redeploy on the same port THEN the new container takes the name', () => {
    const before = docker('inspect', '--format', '{{.Id}}', container).stdout;
    const result = runLocal('deploy', `--port=${port}`, `--image=${runningImage()}`);
    expect(result.status).toBe(0);
    expect(docker('inspect', '--format', '{{.Id}}', container).stdout).not.toBe(before);
    expect(docker('container', 'inspect', `${container}-next`).status).not.toBe(0);
  });

  it('GIVEN a redeploy on another free port THEN serves there and frees the old port', async () => {
    const other = await freePort();
    const result = runLocal('deploy', `--port=${other}`, `--image=${runningImage()}`);
    expect(result.status).toBe(0);
    expect(await answer(other)).toBe(200);
    expect(await answer(port)).toBe('ECONNREFUSED');
  });
});

describe('nx run infra:status:local and destroy:local', () => {
  it('reports it running with status:local', () => {
    const status = runLocal('status');
    expect(status.status).toBe(0);
    expect(status.output).toMatch(/running \(healthy\)/);
  });

  it('removes it with destroy:local', () => {
    const destroyed = runLocal('destroy');
    expect(destroyed.status).toBe(0);
    expect(docker('container', 'inspect', container).status).not.toBe(0);
  });
});
