import { LOCAL_LABEL } from './docker-run-args';
import { parseLocalArgs } from './local-args';
import {
  engineError,
  runLocal,
  summarizeContainer,
  type DockerResult,
  type LocalDeps,
} from './local-target';
import { LocalError } from './task-spec';

const IMAGE = 'hello-world-ecr-ecs-fargate:sha-1a2b3c4-ecr-ecs-fargate';
const TEMPLATE = {
  Resources: {
    TaskDef: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Cpu: '256',
        Memory: '512',
        ContainerDefinitions: [
          {
            Name: 'hello-world',
            Image: {
              'Fn::Join': [
                '',
                [
                  { Ref: 'AWS::AccountId' },
                  '.dkr.ecr.eu-west-1.',
                  { Ref: 'AWS::URLSuffix' },
                  '/hello-world-ecr-ecs-fargate:',
                  { Ref: 'ImageTag' },
                ],
              ],
            },
            PortMappings: [{ ContainerPort: 49000, Protocol: 'tcp' }],
            ReadonlyRootFilesystem: true,
            User: '1000:1000',
            HealthCheck: {
              Command: ['CMD', 'node', '/app/healthcheck.js'],
              Interval: 5,
              Retries: 3,
              StartPeriod: 10,
              Timeout: 3,
            },
          },
        ],
      },
    },
  },
};

/** `docker inspect` output for a container in the given state, shaped as Docker 20.10 prints it. */
function inspect(state: string, health?: string, managed = true): string {
  return JSON.stringify([
    {
      Name: '/hello-world-ecr-ecs-fargate-local',
      State: {
        Status: state,
        ExitCode: state === 'exited' ? 1 : 0,
        StartedAt: '2026-11-25T19:00:00Z',
        ...(health ? { Health: { Status: health } } : {}),
      },
      Config: {
        Image: IMAGE,
        User: '1000:1000',
        Labels: managed ? { [LOCAL_LABEL]: 'hello-world' } : {},
      },
      HostConfig: { ReadonlyRootfs: true, NanoCpus: 250_000_000, Memory: 536_870_912 },
      NetworkSettings: { Ports: { '49000/tcp': [{ HostIp: '127.0.0.1', HostPort: '49000' }] } },
    },
  ]);
}

const ok = (stdout = ''): DockerResult => ({ status: 0, stdout, stderr: '' });
const missing: DockerResult = {
  status: 1,
  stdout: '[]',
  stderr: 'Error: No such container: hello-world-ecr-ecs-fargate-local',
};

/** A scripted engine: `inspects` are the answers to successive `container inspect` calls. */
function fakeEngine(inspects: DockerResult[], run: DockerResult = ok('c0ffee')) {
  const calls: string[][] = [];
  const out: string[] = [];
  const err: string[] = [];
  let now = 0;
  const deps: LocalDeps = {
    docker: (args) => {
      calls.push(args);
      if (args[0] === 'container' && args[1] === 'inspect') return inspects.shift() ?? missing;
      if (args[0] === 'run') return run;
      if (args[0] === 'logs') return ok('listening on 0.0.0.0:49000\nboom');
      return ok();
    },
    dockerShown: async (args) => {
      calls.push(args);
      return 0;
    },
    buildImage: async () => IMAGE,
    readTemplate: () => TEMPLATE,
    isPortFree: async () => true,
    probe: async () => ({ ok: true, status: 200 }),
    sleep: async (ms) => {
      now += ms;
    },
    now: () => now,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  return { deps, calls, out, err };
}

describe('runLocal deploy', () => {
  it('runs the built image with the task definition flags, waits healthy and prints the URL', async () => {
    // GIVEN no container yet, then one that starts and turns healthy
    const engine = fakeEngine([
      missing,
      ok(inspect('running', 'starting')),
      ok(inspect('running', 'healthy')),
    ]);
    // WHEN deploying locally
    const code = await runLocal(parseLocalArgs(['deploy'], {}), engine.deps);
    // THEN the run used the template's limits and the URL is printed last
    expect(code).toBe(0);
    const run = engine.calls.find((c) => c[0] === 'run') ?? [];
    expect(run).toEqual(
      expect.arrayContaining([
        '--read-only',
        '--user',
        '1000:1000',
        '--memory',
        '512m',
        '--cpus',
        '0.25',
      ]),
    );
    expect(run.at(-1)).toBe(IMAGE);
    expect(engine.out.at(-1)).toBe('http://localhost:49000');
  });

  it('replaces a container it started before', async () => {
    const engine = fakeEngine([
      ok(inspect('running', 'healthy')),
      ok(inspect('running', 'healthy')),
    ]);
    await runLocal(parseLocalArgs(['deploy', '--image', IMAGE], {}), engine.deps);
    const verbs = engine.calls.map((c) => c.slice(0, 2).join(' '));
    expect(verbs.indexOf('rm --force')).toBeLessThan(verbs.indexOf(`run --detach`));
  });

  it('leaves alone a container of the same name it did not start', async () => {
    const engine = fakeEngine([ok(inspect('running', undefined, false))]);
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toThrow(
      /not started by the local target/,
    );
    expect(engine.calls.some((c) => c[0] === 'rm' || c[0] === 'run')).toBe(false);
  });

  it('GIVEN the port is held by another program THEN says so before building anything', async () => {
    const engine = fakeEngine([missing]);
    let built = false;
    engine.deps.isPortFree = async (port) => port !== 49000;
    engine.deps.buildImage = async () => {
      built = true;
      return IMAGE;
    };
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toThrow(
      'port 49000 is taken on this machine: pass --port=N (or set LOCAL_PORT)',
    );
    expect(built).toBe(false);
    expect(engine.calls.some((c) => c[0] === 'run')).toBe(false);
  });

  it('names the option to use when the port is taken', async () => {
    const engine = fakeEngine([missing], {
      status: 125,
      stdout: '',
      stderr:
        'docker: Error response from daemon: driver failed programming external connectivity: Bind for 127.0.0.1:49000 failed: port is already allocated.',
    });
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toThrow(
      'port 49000 is taken on this machine: pass --port=N (or set LOCAL_PORT)',
    );
  });

  it('fails with the container log tail when it turns unhealthy', async () => {
    const engine = fakeEngine([missing, ok(inspect('running', 'unhealthy'))]);
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toThrow(
      /is running \(unhealthy\); its last log lines are above/,
    );
    expect(engine.err).toContain('  | boom');
  });

  it('gives up after --timeout when it never turns healthy', async () => {
    const engine = fakeEngine([
      missing,
      ...Array.from({ length: 50 }, () => ok(inspect('running', 'starting'))),
    ]);
    await expect(
      runLocal(parseLocalArgs(['deploy', '--timeout=10'], {}), engine.deps),
    ).rejects.toThrow(/still running \(starting\) after 10 s/);
  });

  it('fails when the container is healthy but the URL does not answer', async () => {
    const engine = fakeEngine([missing, ok(inspect('running', 'healthy'))]);
    engine.deps.probe = async () => ({ ok: false, error: 'ECONNREFUSED' });
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toThrow(LocalError);
  });
});

describe('runLocal status, logs and destroy', () => {
  it('status reports state, limits and URL, exit 0 while running', async () => {
    const engine = fakeEngine([ok(inspect('running', 'healthy'))]);
    expect(await runLocal(parseLocalArgs(['status'], {}), engine.deps)).toBe(0);
    expect(engine.out.join('\n')).toMatch(
      /running \(healthy\)[\s\S]*http:\/\/localhost:49000[\s\S]*0\.25 vCPU, 512 MiB, root filesystem read-only/,
    );
  });

  it('status exits 1 with the next step when nothing runs', async () => {
    const engine = fakeEngine([missing]);
    expect(await runLocal(parseLocalArgs(['status'], {}), engine.deps)).toBe(1);
    expect(engine.err[0]).toMatch(/run `npx nx run infra:deploy:local`/);
  });

  it('logs passes --follow, --since (as epoch seconds) and --tail to docker logs', async () => {
    const now = Date.parse('2026-11-25T20:00:00Z');
    const engine = fakeEngine([ok(inspect('running', 'healthy'))]);
    await runLocal(
      parseLocalArgs(['logs', '--follow', '--since=5m', '--tail=20'], {}, now),
      engine.deps,
    );
    expect(engine.calls.at(-1)).toEqual([
      'logs',
      '--timestamps',
      '--follow',
      '--since',
      String(now / 1000 - 300),
      '--tail',
      '20',
      'hello-world-ecr-ecs-fargate-local',
    ]);
  });

  it('destroy stops (letting the app drain) and removes the container, keeping the image', async () => {
    const engine = fakeEngine([ok(inspect('running', 'healthy'))]);
    expect(await runLocal(parseLocalArgs(['destroy'], {}), engine.deps)).toBe(0);
    expect(engine.calls.slice(-2)).toEqual([
      ['stop', 'hello-world-ecr-ecs-fargate-local'],
      ['rm', 'hello-world-ecr-ecs-fargate-local'],
    ]);
    expect(engine.out[0]).toMatch(/image .* kept/);
  });

  it('destroy with nothing there is not an error', async () => {
    const engine = fakeEngine([missing]);
    expect(await runLocal(parseLocalArgs(['destroy'], {}), engine.deps)).toBe(0);
    expect(engine.out[0]).toMatch(/nothing to remove/);
  });

  it('says how to start an engine when none answers', async () => {
    const engine = fakeEngine([
      {
        status: 1,
        stdout: '',
        stderr:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      },
    ]);
    await expect(runLocal(parseLocalArgs(['status'], {}), engine.deps)).rejects.toThrow(
      /^no container engine answers \(Cannot connect .*\): start Docker, or point DOCKER_HOST at a running engine$/,
    );
  });
});

describe('runLocal exit codes and order', () => {
  it('checks the engine before spending a build on deploy', async () => {
    // GIVEN no engine answers WHEN deploying THEN it fails at once, without building
    const engine = fakeEngine([
      {
        status: 1,
        stdout: '',
        stderr:
          'Cannot connect to the Docker daemon at unix:///nope.sock. Is the docker daemon running?',
      },
    ]);
    let built = false;
    engine.deps.buildImage = async () => {
      built = true;
      return IMAGE;
    };
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toThrow(
      /^no container engine answers/,
    );
    expect(built).toBe(false);
  });

  it('marks a container that turns unhealthy as a failed operation (exit 1), not bad input', async () => {
    const engine = fakeEngine([missing, ok(inspect('running', 'unhealthy'))]);
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toMatchObject({
      exitCode: 1,
    });
  });
});

describe('engineError', () => {
  const START = 'start Docker, or point DOCKER_HOST at a running engine';
  const failed = (stderr: string): DockerResult => ({ status: 1, stdout: '[]', stderr });

  it.each([
    // docker 20.10 with DOCKER_HOST=bogus://x
    'unable to resolve docker endpoint: Invalid bind address format: bogus://x',
    // docker 25+ with DOCKER_HOST=bogus://x
    'Failed to initialize: unable to resolve docker endpoint: Invalid bind address format: bogus://x',
    // an ssh:// DOCKER_HOST that does not answer
    'error during connect: Get "http://docker.example.com/v1.24/containers/x/json": command [ssh -l u -p 1 -- 127.0.0.1 docker system dial-stdio] has exited with exit status 255',
  ])('turns %j into the next step', (stderr) => {
    // GIVEN the CLI could not reach an engine WHEN reported THEN one line ending with the fix
    const error = engineError(failed(stderr));
    expect(error.message).toBe(`no container engine answers (${stderr}): ${START}`);
    expect(error.exitCode).toBe(2);
  });

  it('says to install Docker when there is no docker command', () => {
    expect(engineError({ status: 1, stdout: '', stderr: '', spawnError: 'ENOENT' }).message).toBe(
      `no docker command on PATH: install Docker, then ${START}`,
    );
  });

  it('finds the engine line even when more follows it', () => {
    const stderr = 'error during connect: Get "http://x/v1.24/info": EOF\n\nsee docker --help';
    expect(engineError(failed(stderr)).message).toMatch(
      /^no container engine answers \(error during connect/,
    );
  });

  it('does not blame the engine for a refusal the engine itself reports', () => {
    // GIVEN the daemon answered, but a registry it dialled refused  WHEN reported  THEN as is
    const stderr =
      'docker: Error response from daemon: Get "https://127.0.0.1:5050/v2/": dial tcp 127.0.0.1:5050: connect: connection refused.';
    expect(engineError(failed(stderr)).message).toBe(stderr);
  });

  it('passes any other docker failure on as a failed operation (exit 1)', () => {
    const error = engineError(failed('Error response from daemon: conflict: unable to remove'));
    expect({ message: error.message, exitCode: error.exitCode }).toEqual({
      message: 'docker: Error response from daemon: conflict: unable to remove',
      exitCode: 1,
    });
  });
});

describe('summarizeContainer', () => {
  it('reduces docker inspect to what status prints', () => {
    expect(summarizeContainer(JSON.parse(inspect('exited'))[0])).toMatchObject({
      name: 'hello-world-ecr-ecs-fargate-local',
      state: 'exited',
      exitCode: 1,
      cpus: 0.25,
      memoryMiB: 512,
      url: 'http://localhost:49000',
      managed: true,
    });
  });
});
