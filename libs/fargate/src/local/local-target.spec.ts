import { deploymentNames } from '@hello-world/shared';
import { LOCAL_ENVIRONMENT_LABEL, LOCAL_LABEL } from './docker-run-args';
import { LOCAL_USAGE, parseLocalArgs } from './local-args';
import {
  describeState,
  engineError,
  planDeploy,
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

const NAME = 'hello-world-ecr-ecs-fargate-local';
const NEXT = `${NAME}-next`;

/** `docker inspect` output for a container in the given state, shaped as Docker 20.10 prints it. */
function inspect(
  state: string,
  health?: string,
  managed = true,
  { port = 49000, exitCode = 1, name = NAME } = {},
): string {
  return JSON.stringify([
    {
      Name: `/${name}`,
      State: {
        Status: state,
        ExitCode: state === 'exited' ? exitCode : 0,
        StartedAt: '2026-11-25T19:00:00Z',
        ...(health ? { Health: { Status: health } } : {}),
      },
      Config: {
        Image: IMAGE,
        User: '1000:1000',
        Labels: managed ? { [LOCAL_LABEL]: 'hello-world' } : {},
      },
      HostConfig: { ReadonlyRootfs: true, NanoCpus: 250_000_000, Memory: 536_870_912 },
      // Docker lists no bindings for a container that is not running.
      NetworkSettings: {
        Ports:
          state === 'running'
            ? { '49000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] }
            : {},
      },
    },
  ]);
}

const ok = (stdout = ''): DockerResult => ({ status: 0, stdout, stderr: '' });
const missing: DockerResult = {
  status: 1,
  stdout: '[]',
  stderr: 'Error: No such container: hello-world-ecr-ecs-fargate-local',
};

/**
 * A scripted engine: `inspects` are the answers to successive `container inspect` calls of the
 * default container, `next` those of `<name>-next`; `runs` the answers to successive `docker run`s.
 */
function fakeEngine(
  inspects: DockerResult[],
  run: DockerResult = ok('c0ffee'),
  next: DockerResult[] = [],
) {
  const calls: string[][] = [];
  const out: string[] = [];
  const err: string[] = [];
  /** The environment each `docker run` was given for the CLI (the secrets' values). */
  const runEnvs: (Record<string, string> | undefined)[] = [];
  let now = 0;
  const deps: LocalDeps = {
    docker: (args, env) => {
      calls.push(args);
      if (args[0] === 'run') runEnvs.push(env);
      if (args[0] === 'container' && args[1] === 'inspect') {
        return (args[2] === NEXT ? next.shift() : inspects.shift()) ?? missing;
      }
      if (args[0] === 'image' && args[1] === 'inspect') {
        // The Dockerfile's HEALTHCHECK, the same exec form as the task definition's.
        return ok(JSON.stringify({ Test: ['CMD', 'node', '/app/healthcheck.js'], Interval: 1e10 }));
      }
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
    containerName: 'hello-world',
    isPortFree: async () => true,
    probe: async () => ({ ok: true, status: 200 }),
    sleep: async (ms) => {
      now += ms;
    },
    now: () => now,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  return { deps, calls, out, err, runEnvs };
}

describe('runLocal deploy: secrets from the local secrets file', () => {
  const PATH = 'apps/infra/.secrets/default.env';
  /** TEMPLATE's container with a secret, as the CDK app writes it (an SSM ARN with Refs). */
  const withSecret = () => {
    const copy = structuredClone(TEMPLATE) as typeof TEMPLATE;
    const container = copy.Resources.TaskDef.Properties.ContainerDefinitions[0] as Record<
      string,
      unknown
    >;
    container['Secrets'] = [
      {
        Name: 'API_KEY',
        ValueFrom: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ssm:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              ':parameter/hello-world-ecr-ecs-fargate/default/API_KEY',
            ],
          ],
        },
      },
    ];
    return copy;
  };

  it('GIVEN the secret in the file THEN docker run names it and gets its value in its own environment, not its arguments', async () => {
    const engine = fakeEngine([missing, ok(inspect('running', 'healthy'))]);
    engine.deps.readTemplate = withSecret;
    engine.deps.secretsFile = { path: PATH, read: () => 'API_KEY=s3cr3t-value\n' };
    expect(await runLocal(parseLocalArgs(['deploy', '--json'], {}), engine.deps)).toBe(0);
    const run = engine.calls.find((c) => c[0] === 'run') ?? [];
    expect(run).toEqual(expect.arrayContaining(['--env', 'API_KEY']));
    expect(engine.runEnvs).toEqual([{ API_KEY: 's3cr3t-value' }]);
    expect(JSON.stringify([engine.calls, engine.out, engine.err])).not.toContain('s3cr3t-value');
  });

  it('GIVEN the secret missing from the file THEN exit 2 naming the file and the line, before the engine or a build', async () => {
    const engine = fakeEngine([missing]);
    engine.deps.readTemplate = withSecret;
    engine.deps.secretsFile = { path: PATH, read: () => 'OTHER=x\n' };
    const buildImage = jest.fn(engine.deps.buildImage);
    engine.deps.buildImage = buildImage;
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toMatchObject({
      message: `secret API_KEY has no value in ${PATH}: add a line API_KEY=VALUE`,
      exitCode: 2,
    });
    expect(engine.calls).toEqual([]);
    expect(buildImage).not.toHaveBeenCalled();
  });

  it('GIVEN no secrets in the task definition THEN the file is not read', async () => {
    const engine = fakeEngine([missing, ok(inspect('running', 'healthy'))]);
    const read = jest.fn(() => 'not a valid line');
    engine.deps.secretsFile = { path: PATH, read };
    expect(await runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).toBe(0);
    expect(read).not.toHaveBeenCalled();
    expect(engine.runEnvs).toEqual([{}]);
  });
});

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

  it('GIVEN a successful deploy WHEN printed THEN stdout is the URL alone, details go to stderr', async () => {
    // GIVEN no container yet, then one that starts and turns healthy
    const engine = fakeEngine([missing, ok(inspect('running', 'healthy'))]);
    // WHEN deploying locally
    await runLocal(parseLocalArgs(['deploy'], {}), engine.deps);
    // THEN a script reading stdout gets exactly one line, and a person still sees the details
    expect(engine.out).toEqual(['http://localhost:49000']);
    expect(engine.err.join('\n')).toContain('hello-world is serving on http://localhost:49000');
    expect(engine.err.join('\n')).toMatch(/^Container hello-world-ecr-ecs-fargate/m);
  });

  it('GIVEN ours running on this port WHEN the new one is healthy THEN stops, starts beside, swaps', async () => {
    const engine = fakeEngine(
      [ok(inspect('running', 'healthy')), ok(inspect('running', 'healthy'))],
      ok('c0ffee'),
      [missing, ok(inspect('running', 'healthy', true, { name: NEXT }))],
    );
    await runLocal(parseLocalArgs(['deploy', '--image', IMAGE], {}), engine.deps);
    const steps = engine.calls
      .filter((c) => ['stop', 'run', 'rm', 'rename'].includes(c[0] ?? ''))
      .map((c) => (c[0] === 'run' ? `run ${c[c.indexOf('--name') + 1]}` : c.join(' ')));
    expect(steps).toEqual([`stop ${NAME}`, `run ${NEXT}`, `rm ${NAME}`, `rename ${NEXT} ${NAME}`]);
  });

  it('GIVEN ours running on this port WHEN the new one fails THEN the old one is started again, never removed', async () => {
    // GIVEN our healthy container on 49000, and a new one that exits at once
    const engine = fakeEngine(
      [ok(inspect('running', 'healthy')), ok(inspect('running', 'healthy'))],
      ok('c0ffee'),
      [missing, ok(inspect('exited', 'unhealthy', true, { name: NEXT, exitCode: 0 }))],
    );
    // WHEN deploying on the same port
    await expect(
      runLocal(parseLocalArgs(['deploy', '--image', IMAGE], {}), engine.deps),
    ).rejects.toThrow(LocalError);
    // THEN the old one was stopped, then started again; only the new one was removed
    const touched = engine.calls.filter((c) => ['stop', 'start', 'rm'].includes(c[0] ?? ''));
    expect(touched).toEqual([
      ['stop', NAME],
      ['rm', '--force', NEXT],
      ['start', NAME],
    ]);
    expect(engine.err.at(-1)).toBe(
      `kept the previous deployment: ${NAME} serves on http://localhost:49000 again`,
    );
  });

  it('GIVEN ours running on another port WHEN the new one fails THEN the old one is left running', async () => {
    const engine = fakeEngine([ok(inspect('running', 'healthy', true, { port: 49001 }))], ok(), [
      missing,
      ok(inspect('running', 'unhealthy', true, { name: NEXT })),
    ]);
    await expect(
      runLocal(parseLocalArgs(['deploy', '--image', IMAGE], {}), engine.deps),
    ).rejects.toThrow(/is running \(unhealthy\)/);
    expect(engine.calls.filter((c) => c.includes(NAME) && c[0] !== 'container')).toEqual([]);
    expect(engine.err.at(-1)).toBe(
      `kept the previous deployment: ${NAME} still serves on http://localhost:49001`,
    );
  });

  it('GIVEN ours running on another port and this one held by another program THEN says so and touches nothing', async () => {
    // GIVEN our container healthy on 49001 and another program on 49000
    const engine = fakeEngine([ok(inspect('running', 'healthy', true, { port: 49001 }))]);
    engine.deps.isPortFree = async (port) => port !== 49000;
    let built = false;
    engine.deps.buildImage = async () => {
      built = true;
      return IMAGE;
    };
    // WHEN deploying on 49000 THEN the port is named before building, stopping or removing
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toThrow(
      'port 49000 is taken on this machine: pass --port=N (or set LOCAL_PORT)',
    );
    expect(built).toBe(false);
    // Only reads: inspecting its containers, listing the local target's to name the port's holder
    expect(engine.calls.filter((c) => c[0] !== 'container' && c[0] !== 'ps')).toEqual([]);
  });

  it('GIVEN a failed new container that exited 0 WHEN reported THEN says exited with code 0, not unhealthy', async () => {
    const engine = fakeEngine([missing, ok(inspect('exited', 'unhealthy', true, { exitCode: 0 }))]);
    await expect(runLocal(parseLocalArgs(['deploy'], {}), engine.deps)).rejects.toThrow(
      /^container hello-world-ecr-ecs-fargate-local is exited with code 0; its last log lines are above/,
    );
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

describe('planDeploy', () => {
  const running = (hostPort: number) => ({ state: 'running', hostPort });
  const exited = { state: 'exited' };

  it.each([
    ['nothing there', undefined, { checkPort: true, strategy: 'fresh' }],
    ['ours, exited', exited, { checkPort: true, strategy: 'replace-stopped' }],
    ['ours, running on another port', running(49001), { checkPort: true, strategy: 'beside' }],
    [
      'ours, running on this port',
      running(49000),
      { checkPort: false, strategy: 'stop-then-start' },
    ],
  ] as const)('GIVEN %s WHEN deploying on 49000 THEN %j', (_, current, expected) => {
    expect(planDeploy(current, undefined, 49000)).toEqual({ ...expected, leftover: 'none' });
  });

  it('GIVEN only a running <name>-next (a swap cut short) THEN adopts it as the deployment', () => {
    expect(planDeploy(undefined, running(49000), 49000)).toEqual({
      leftover: 'adopt',
      checkPort: false,
      strategy: 'stop-then-start',
    });
  });

  it('GIVEN a <name>-next beside the deployment THEN removes it and keeps the deployment', () => {
    expect(planDeploy(running(49001), running(49000), 49000)).toEqual({
      leftover: 'remove',
      checkPort: true,
      strategy: 'beside',
    });
  });
});

describe('describeState', () => {
  it('GIVEN an exited container Docker still marks unhealthy THEN names its exit code only', () => {
    const c = summarizeContainer(
      JSON.parse(inspect('exited', 'unhealthy', true, { exitCode: 0 }))[0],
    );
    expect(describeState(c)).toBe('exited with code 0');
  });

  it('GIVEN a running container THEN gives its health', () => {
    expect(describeState(summarizeContainer(JSON.parse(inspect('running', 'unhealthy'))[0]))).toBe(
      'running (unhealthy)',
    );
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
      managed: true,
    });
  });

  it('gives the URL and host port of a running container', () => {
    expect(summarizeContainer(JSON.parse(inspect('running', 'healthy'))[0])).toMatchObject({
      url: 'http://localhost:49000',
      hostPort: 49000,
    });
  });
});

describe('runLocal help', () => {
  it('GIVEN no command WHEN run THEN the usage goes to stderr and the exit is 2', async () => {
    const engine = fakeEngine([]);
    expect(await runLocal(parseLocalArgs([], {}), engine.deps)).toBe(2);
    expect(engine.err).toEqual([LOCAL_USAGE]);
    expect(engine.out).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  it('GIVEN --help WHEN run THEN the usage goes to stdout and the exit is 0', async () => {
    const engine = fakeEngine([]);
    expect(await runLocal(parseLocalArgs(['--help'], {}), engine.deps)).toBe(0);
    expect(engine.out).toEqual([LOCAL_USAGE]);
    expect(engine.err).toEqual([]);
  });
});

describe("runLocal for another deployment (greeter's, in apps/greeter-infra)", () => {
  const GREETER_TEMPLATE = JSON.parse(
    JSON.stringify(TEMPLATE).replace('"Name":"hello-world"', '"Name":"greeter"'),
  ) as unknown;
  /** hello-world's fake engine, running greeter's deployment project and container. */
  function greeterEngine(inspects: DockerResult[]) {
    const engine = fakeEngine(inspects);
    engine.deps.containerName = 'greeter';
    engine.deps.project = 'greeter-infra';
    engine.deps.readTemplate = () => GREETER_TEMPLATE;
    return engine;
  }
  const args = (argv: string[]) =>
    parseLocalArgs(argv, {}, Date.now(), { port: 49000, localContainer: NAME });

  it('GIVEN a successful deploy THEN says greeter is serving', async () => {
    const engine = greeterEngine([missing, ok(inspect('running', 'healthy'))]);
    await runLocal(args(['deploy']), engine.deps);
    expect(engine.err.join('\n')).toContain('greeter is serving on http://localhost:49000');
  });

  it('GIVEN a container that turns unhealthy THEN the next step is greeter-infra:deploy:local', async () => {
    const engine = greeterEngine([missing, ok(inspect('running', 'unhealthy'))]);
    await expect(runLocal(args(['deploy']), engine.deps)).rejects.toThrow(
      'then run `npx nx run greeter-infra:deploy:local` again',
    );
  });

  it('GIVEN a missing image THEN it is built with greeter:docker-build', async () => {
    const engine = greeterEngine([missing]);
    const docker = engine.deps.docker;
    engine.deps.docker = (argv) =>
      argv[0] === 'image'
        ? { status: 1, stdout: '', stderr: 'Error: No such image: greeter:latest' }
        : docker(argv);
    await expect(runLocal(args(['deploy', '--image=greeter:latest']), engine.deps)).rejects.toThrow(
      'build it with `npx nx run greeter:docker-build` or pull it first',
    );
  });

  it('GIVEN a template without the container THEN says to run greeter-infra:synth', async () => {
    const engine = greeterEngine([missing]);
    engine.deps.readTemplate = () => TEMPLATE;
    await expect(runLocal(args(['deploy']), engine.deps)).rejects.toThrow(
      "no container greeter in the synthesized template's task definitions: run `npx nx run greeter-infra:synth`",
    );
  });

  it('GIVEN status with nothing running THEN the next step is greeter-infra:deploy:local', async () => {
    const engine = greeterEngine([missing]);
    expect(await runLocal(args(['status']), engine.deps)).toBe(1);
    expect(engine.err[0]).toMatch(/run `npx nx run greeter-infra:deploy:local`/);
  });

  it('GIVEN --help THEN the usage names greeter-infra', async () => {
    const engine = greeterEngine([]);
    expect(await runLocal(args(['--help']), engine.deps)).toBe(0);
    expect(engine.out[0]).toMatch(
      /^Usage: npx nx run greeter-infra:<deploy\|status\|logs\|destroy>:local/,
    );
  });
});

/** A fixed clock for the environment specs' argument parsing. */
const NOW_FOR_ENV = Date.parse('2026-11-25T20:00:00Z');

describe('runLocal in another environment (staging, beside the default)', () => {
  const STAGING = deploymentNames('hello-world', 'staging').localContainer;
  const args = (argv: string[]) =>
    parseLocalArgs(argv, {}, NOW_FOR_ENV, { port: 49000, localContainer: STAGING });

  /** A `docker inspect` entry of a running local container, with its environment label. */
  function runningEntry(name: string, port: number, environment?: string): unknown {
    const [entry] = JSON.parse(inspect('running', 'healthy', true, { port, name })) as [
      { Config: { Labels: Record<string, string> } },
    ];
    if (environment) entry.Config.Labels[LOCAL_ENVIRONMENT_LABEL] = environment;
    return entry;
  }

  /**
   * hello-world's fake engine in staging: `own` answers the inspects of staging's container,
   * `listed` are the local target's running containers `docker ps` finds (other environments').
   */
  function stagingEngine(
    own: DockerResult[],
    listed: unknown[] = [],
    run?: DockerResult,
    next: DockerResult[] = [],
  ) {
    const engine = fakeEngine(own, run);
    engine.deps.environment = 'staging';
    const docker = engine.deps.docker;
    engine.deps.docker = (argv) => {
      if (argv[0] === 'ps') {
        engine.calls.push(argv);
        return ok(listed.map((_, i) => `id${i}`).join('\n'));
      }
      if (argv[0] === 'container' && argv[1] === 'inspect' && argv[2]?.startsWith('id')) {
        engine.calls.push(argv);
        return ok(JSON.stringify(argv.slice(2).map((id) => listed[Number(id.slice(2))])));
      }
      if (argv[0] === 'container' && argv[2] === `${STAGING}-next`) {
        engine.calls.push(argv);
        return next.shift() ?? missing;
      }
      return docker(argv);
    };
    return engine;
  }

  it("GIVEN staging WHEN deployed THEN runs in staging's own container, labelled with its environment", async () => {
    const engine = stagingEngine([
      missing,
      ok(inspect('running', 'healthy', true, { name: STAGING })),
    ]);
    expect(await runLocal(args(['deploy']), engine.deps)).toBe(0);
    const run = engine.calls.find((c) => c[0] === 'run') ?? [];
    expect(run.slice(0, 4)).toEqual(['run', '--detach', '--name', STAGING]);
    expect(run).toContain(`${LOCAL_ENVIRONMENT_LABEL}=staging`);
  });

  it("GIVEN the default environment's container on the port WHEN staging deploys there THEN names it and --port, exit 2, touching nothing", async () => {
    // GIVEN the default's container serving on 49000, nothing of staging's yet
    const engine = stagingEngine(
      [missing],
      [runningEntry('hello-world-ecr-ecs-fargate-local', 49000, 'default')],
    );
    engine.deps.isPortFree = async (port) => port !== 49000;
    let built = false;
    engine.deps.buildImage = async () => {
      built = true;
      return IMAGE;
    };
    // WHEN staging deploys on 49000
    const deployed = runLocal(args(['deploy']), engine.deps);
    // THEN one line names the other environment's container and the option, exit 2
    await expect(deployed).rejects.toThrow(
      "port 49000 is taken by hello-world-ecr-ecs-fargate-local (the default environment's local container): pass --port=N (or set LOCAL_PORT) to run staging beside it",
    );
    await expect(deployed).rejects.toMatchObject({ exitCode: 2 });
    // AND nothing was built, stopped, removed or run
    expect(built).toBe(false);
    expect(engine.calls.filter((c) => !['container', 'ps'].includes(c[0] ?? ''))).toEqual([]);
  });

  it('GIVEN docker run loses the port to another environment WHEN reported THEN names that container', async () => {
    // GIVEN the port free when checked, then allocated by the default's container
    const engine = stagingEngine(
      [missing],
      [runningEntry('hello-world-ecr-ecs-fargate-local', 49000, 'default')],
      {
        status: 125,
        stdout: '',
        stderr:
          'docker: Error response from daemon: driver failed programming external connectivity: Bind for 127.0.0.1:49000 failed: port is already allocated.',
      },
    );
    // WHEN staging deploys THEN the holder is named
    await expect(runLocal(args(['deploy']), engine.deps)).rejects.toThrow(
      /^port 49000 is taken by hello-world-ecr-ecs-fargate-local \(the default environment's local container\)/,
    );
  });

  it('GIVEN a local container without an environment label on the port THEN names it as a local container', async () => {
    const engine = stagingEngine([missing], [runningEntry('hello-world-local-old', 49000)]);
    engine.deps.isPortFree = async () => false;
    await expect(runLocal(args(['deploy']), engine.deps)).rejects.toThrow(
      'port 49000 is taken by hello-world-local-old (a local container): pass --port=N (or set LOCAL_PORT) to run staging beside it',
    );
  });

  it("GIVEN local containers on other ports only THEN the port is said to be some other program's", async () => {
    const engine = stagingEngine(
      [missing],
      [runningEntry('hello-world-ecr-ecs-fargate-local', 49001, 'default')],
    );
    engine.deps.isPortFree = async () => false;
    await expect(runLocal(args(['deploy']), engine.deps)).rejects.toThrow(
      'port 49000 is taken on this machine: pass --port=N (or set LOCAL_PORT)',
    );
  });

  it('GIVEN an engine that cannot list containers THEN the plain port message', async () => {
    const engine = stagingEngine([missing]);
    const docker = engine.deps.docker;
    engine.deps.docker = (argv) =>
      argv[0] === 'ps'
        ? { status: 1, stdout: '', stderr: 'Error: permission denied' }
        : docker(argv);
    engine.deps.isPortFree = async () => false;
    await expect(runLocal(args(['deploy']), engine.deps)).rejects.toThrow(
      'port 49000 is taken on this machine: pass --port=N (or set LOCAL_PORT)',
    );
  });

  it("GIVEN staging's own container on the port WHEN redeployed there THEN it steps aside (stop-then-start), not refused", async () => {
    // GIVEN staging's container serving on 49000
    const own = ok(inspect('running', 'healthy', true, { name: STAGING }));
    const engine = stagingEngine([own, own], [runningEntry(STAGING, 49000, 'staging')], undefined, [
      missing,
      ok(inspect('running', 'healthy', true, { name: `${STAGING}-next` })),
    ]);
    engine.deps.isPortFree = async () => false;
    // WHEN redeployed on 49000 THEN replaced as today (stop, start beside, swap)
    expect(await runLocal(args(['deploy']), engine.deps)).toBe(0);
    expect(engine.calls).toContainEqual(['stop', STAGING]);
    expect(engine.calls).toContainEqual(['rename', `${STAGING}-next`, STAGING]);
  });

  it("GIVEN staging WHEN destroyed THEN only staging's container is stopped and removed", async () => {
    const engine = stagingEngine([ok(inspect('running', 'healthy', true, { name: STAGING }))]);
    expect(await runLocal(args(['destroy']), engine.deps)).toBe(0);
    expect(engine.calls.filter((c) => c[0] === 'stop' || c[0] === 'rm')).toEqual([
      ['stop', STAGING],
      ['rm', STAGING],
    ]);
  });

  it("GIVEN staging WHEN logs THEN docker logs reads staging's container only", async () => {
    const engine = stagingEngine([ok(inspect('running', 'healthy', true, { name: STAGING }))]);
    expect(await runLocal(args(['logs', '--tail=5']), engine.deps)).toBe(0);
    expect(engine.calls.at(-1)).toEqual(['logs', '--timestamps', '--tail', '5', STAGING]);
  });

  it('GIVEN staging with nothing running WHEN status THEN the next step deploys staging', async () => {
    const engine = stagingEngine([missing]);
    expect(await runLocal(args(['status']), engine.deps)).toBe(1);
    expect(engine.err[0]).toBe(
      `no local container ${STAGING}: run \`npx nx run infra:deploy:local -- --env=staging\``,
    );
  });

  it("GIVEN a template without the container THEN says to synthesize staging's", async () => {
    const engine = stagingEngine([missing]);
    engine.deps.readTemplate = () => ({ Resources: {} });
    await expect(runLocal(args(['deploy']), engine.deps)).rejects.toThrow(
      'run `npx nx run infra:synth -- --env=staging`',
    );
  });

  it('GIVEN a staging container that turns unhealthy THEN the next steps name staging', async () => {
    const engine = stagingEngine([
      missing,
      ok(inspect('running', 'unhealthy', true, { name: STAGING })),
    ]);
    await expect(runLocal(args(['deploy']), engine.deps)).rejects.toThrow(
      '(it is kept for `npx nx run infra:logs:local -- --env=staging`): fix the cause, then run `npx nx run infra:deploy:local -- --env=staging` again',
    );
  });

  it('GIVEN a labelled container WHEN status --json THEN gives its environment', async () => {
    const engine = stagingEngine([ok(JSON.stringify([runningEntry(STAGING, 49001, 'staging')]))]);
    expect(await runLocal(args(['status', '--json']), engine.deps)).toBe(0);
    expect(JSON.parse(engine.out[0] ?? '{}')).toMatchObject({
      name: STAGING,
      environment: 'staging',
      hostPort: 49001,
    });
  });

  it('GIVEN a labelled container WHEN status THEN a line names its environment', async () => {
    const engine = stagingEngine([ok(JSON.stringify([runningEntry(STAGING, 49001, 'staging')]))]);
    expect(await runLocal(args(['status']), engine.deps)).toBe(0);
    expect(engine.out.join('\n')).toContain('\n  environment staging\n');
  });
});
