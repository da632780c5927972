// `nx run infra:deploy:local -- --replicas=3` on a real engine: three replicas share the traffic
// behind the local proxy, a redeploy replaces every one of them under load without a failed
// request, and destroy:local leaves nothing behind. Needs a container engine (Docker, or
// DOCKER_HOST) and BASE_IMAGE where Docker Hub is out of reach. Fails, never skips, without one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  docker,
  freePort,
  runLocalTarget,
  workspaceRoot,
  type NxRun,
} from './local-engine-for-test';

const container = `hello-world-replicas-spec-${process.pid}`;
const replicas = [1, 2, 3].map((k) => `${container}-${k}`);
let port = 0;
let deployed: NxRun;

function runLocal(target: string, ...args: string[]): NxRun {
  return runLocalTarget(target, [`--name=${container}`, ...args]);
}

/**
 * `nx run infra:deploy:local` in a child process without blocking this one, so the load it is
 * measured under keeps running meanwhile.
 */
function deployInBackground(...args: string[]): Promise<NxRun> {
  const packageJson = require.resolve('nx/package.json');
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: { nx: string } };
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('NX_')),
  ) as Record<string, string>;
  const child = spawn(
    process.execPath,
    [
      join(dirname(packageJson), bin.nx),
      'run',
      'infra:deploy:local',
      '--output-style=stream',
      `--name=${container}`,
      ...args,
    ],
    { cwd: workspaceRoot, env: { ...env, NX_DAEMON: 'false', FORCE_COLOR: '0' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
}

/** Each replica's container id: a replaced replica has a new one under the same name. */
function replicaIds(): string[] {
  return replicas.map((name) => docker('inspect', '--format', '{{.Id}}', name).stdout);
}

beforeAll(async () => {
  const engine = docker('version', '--format', '{{.Server.Version}}');
  if (engine.status !== 0) {
    throw new Error(
      `no container engine (DOCKER_HOST=${process.env['DOCKER_HOST'] ?? 'unset'}): start Docker, or point DOCKER_HOST at a running engine`,
    );
  }
  port = await freePort();
  // WHEN the local target deploys three replicas on a free port
  deployed = runLocal('deploy', `--port=${port}`, '--replicas=3');
}, 240_000);

afterAll(() => {
  docker('rm', '--force', container, ...replicas, ...replicas.map((name) => `${name}-next`));
  docker('network', 'rm', container);
});

describe('nx run infra:deploy:local -- --replicas=3', () => {
  it('serves through the proxy, which alone publishes the port', async () => {
    expect({ status: deployed.status, tail: deployed.output.slice(-3000) }).toMatchObject({
      status: 0,
    });
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello-world');
    for (const name of replicas) {
      expect(docker('port', name).stdout).toBe('');
    }
  });

  it('spreads requests over more than one replica', async () => {
    // GIVEN requests each carrying its own request id, which the app logs
    const tag = `spread-${process.pid}`;
    for (let i = 0; i < 30; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { 'x-request-id': `${tag}-${i}` },
      });
      expect(response.status).toBe(200);
    }
    // THEN more than one replica logged some of them (the app flushes its log every 500 ms)
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const served = replicas.filter((name) => {
      const logs = docker('logs', name);
      return logs.stdout.includes(tag);
    });
    expect(served.length).toBeGreaterThan(1);
  });

  it('lists the replicas and their health with status:local', () => {
    const status = runLocal('status');
    expect(status.status).toBe(0);
    for (const name of replicas) {
      expect(status.output).toMatch(new RegExp(`replica ${name}: running \\(healthy\\)`));
    }
  });

  it('replaces every replica under load without a failed request', async () => {
    // GIVEN the running replicas and their image
    const before = replicaIds();
    const image = docker('inspect', '--format', '{{.Config.Image}}', replicas[0] ?? '').stdout;
    // WHEN a steady load runs from before until after a redeploy that replaces every replica
    let instance: autocannon.Instance | undefined;
    const finished = new Promise<autocannon.Result>((resolve, reject) => {
      instance = autocannon(
        { url: `http://127.0.0.1:${port}/`, connections: 8, overallRate: 150, duration: 140 },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const redeployed = await deployInBackground(
      `--port=${port}`,
      '--replicas=3',
      `--image=${image}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    instance?.stop();
    const result = await finished;
    // THEN every replica is new, and no request failed
    expect({ status: redeployed.status, tail: redeployed.output.slice(-3000) }).toMatchObject({
      status: 0,
    });
    const after = replicaIds();
    after.forEach((id, i) => expect(id).not.toBe(before[i]));
    expect(result?.requests.total).toBeGreaterThan(2000);
    expect({
      non2xx: result?.non2xx,
      errors: result?.errors,
      timeouts: result?.timeouts,
    }).toEqual({ non2xx: 0, errors: 0, timeouts: 0 });
  }, 150_000);

  it('removes proxy, replicas and network with destroy:local', () => {
    const destroyed = runLocal('destroy');
    expect(destroyed.status).toBe(0);
    for (const name of [container, ...replicas]) {
      expect(docker('container', 'inspect', name).status).not.toBe(0);
    }
    expect(docker('network', 'inspect', container).status).not.toBe(0);
  });
});
