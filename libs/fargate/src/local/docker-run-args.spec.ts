import { buildDockerRunArgs, LOCAL_ENVIRONMENT_LABEL, LOCAL_LABEL } from './docker-run-args';
import { LocalError, type LocalTaskSpec } from './task-spec';

const spec: LocalTaskSpec = {
  containerName: 'hello-world',
  imageRepository: 'hello-world-ecr-ecs-fargate',
  containerPort: 49000,
  cpuUnits: 256,
  memoryMiB: 512,
  user: '1000:1000',
  readonlyRootFilesystem: true,
  environment: [{ name: 'GREETING', value: "it's fine" }],
  secrets: [],
  healthCheck: {
    command: ['CMD', 'node', '/app/healthcheck.js'],
    intervalSeconds: 5,
    timeoutSeconds: 3,
    retries: 3,
    startPeriodSeconds: 10,
  },
  stopTimeoutSeconds: 10,
  initProcessEnabled: true,
  dropCapabilities: ['ALL'],
  addCapabilities: [],
};
const options = {
  image: 'hello-world-ecr-ecs-fargate:sha-1a2b3c4-ecr-ecs-fargate',
  containerName: 'hello-world-ecr-ecs-fargate-local',
  hostPort: 49000,
  hostAddress: '127.0.0.1',
  // The image's HEALTHCHECK, as `docker image inspect` reports the Dockerfile's exec form.
  imageHealthcheck: ['CMD', 'node', '/app/healthcheck.js'],
};

/** The value after a flag, so assertions read as `flag → value`. */
function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('buildDockerRunArgs', () => {
  const args = buildDockerRunArgs(spec, options);

  it('applies the task definition limits: 0.25 vCPU, 512 MiB without swap', () => {
    // GIVEN 256 CPU units and 512 MiB WHEN translated THEN docker gets the same limits
    expect([
      valueOf(args, '--cpus'),
      valueOf(args, '--memory'),
      valueOf(args, '--memory-swap'),
    ]).toEqual(['0.25', '512m', '512m']);
  });

  it('runs as the task user on a read-only root filesystem with an init process', () => {
    expect(valueOf(args, '--user')).toBe('1000:1000');
    expect(args).toEqual(expect.arrayContaining(['--read-only', '--init']));
  });

  it('drops every Linux capability the task definition drops', () => {
    // GIVEN Capabilities.Drop ALL WHEN translated THEN docker drops all of them too
    expect(args).toContain('--cap-drop=ALL');
    expect(args.filter((a) => a.startsWith('--cap-add'))).toEqual([]);
  });

  it('adds back the capabilities the task definition adds, after dropping', () => {
    // GIVEN Drop ALL and Add NET_BIND_SERVICE WHEN translated THEN both, drop first
    const added = buildDockerRunArgs({ ...spec, addCapabilities: ['NET_BIND_SERVICE'] }, options);
    const capabilities = added.filter((a) => a.startsWith('--cap-'));
    expect(capabilities).toEqual(['--cap-drop=ALL', '--cap-add=NET_BIND_SERVICE']);
  });

  it('publishes the container port on the chosen loopback port only', () => {
    expect(valueOf(args, '--publish')).toBe('127.0.0.1:49000:49000');
    expect(valueOf(buildDockerRunArgs(spec, { ...options, hostPort: 49123 }), '--publish')).toBe(
      '127.0.0.1:49123:49000',
    );
  });

  it('GIVEN the exec-form health check WHEN translated THEN no shell-form --health-cmd', () => {
    // The image's identical exec form stays in force: docker run can only set the shell form.
    expect(args.some((a) => a.startsWith('--health-cmd'))).toBe(false);
  });

  it('carries the health check timings and the stop timeout', () => {
    expect([
      valueOf(args, '--health-interval'),
      valueOf(args, '--health-timeout'),
      valueOf(args, '--health-retries'),
      valueOf(args, '--health-start-period'),
      valueOf(args, '--stop-timeout'),
    ]).toEqual(['5s', '3s', '3', '10s', '10']);
  });

  it('passes environment values as single arguments, quotes and all', () => {
    expect(valueOf(args, '--env')).toBe("GREETING=it's fine");
  });

  it('GIVEN secrets THEN each is passed by name only: docker reads its value from its own environment', () => {
    const withSecrets = buildDockerRunArgs(
      { ...spec, secrets: ['API_KEY', 'DB_PASSWORD'] },
      options,
    );
    const envs = withSecrets.flatMap((a, i) => (a === '--env' ? [withSecrets[i + 1]] : []));
    expect(envs).toEqual(["GREETING=it's fine", 'API_KEY', 'DB_PASSWORD']);
  });

  it('labels the container and ends with the image', () => {
    expect(valueOf(args, '--label')).toBe(`${LOCAL_LABEL}=hello-world`);
    expect(args.at(-1)).toBe(options.image);
  });

  it('GIVEN an environment WHEN translated THEN the container is labelled with it too', () => {
    // GIVEN staging's task definition  WHEN translated
    const staging = buildDockerRunArgs(spec, { ...options, environment: 'staging' });
    // THEN the local target's label and the environment's
    const labels = staging.flatMap((arg, i) => (staging[i - 1] === '--label' ? [arg] : []));
    expect(labels).toEqual([`${LOCAL_LABEL}=hello-world`, `${LOCAL_ENVIRONMENT_LABEL}=staging`]);
  });

  it('GIVEN no environment WHEN translated THEN only the local target label', () => {
    expect(args.filter((arg) => arg === '--label')).toHaveLength(1);
  });

  it.each([
    ['a different command', ['CMD', 'node', '/app/other.js']],
    ['the shell form of the same command', ['CMD-SHELL', 'node /app/healthcheck.js']],
    ['no HEALTHCHECK', undefined],
  ])('GIVEN an image with %s WHEN translated THEN refuses in one line', (_, imageHealthcheck) => {
    // GIVEN the task's exec form, which docker run can only take from the image
    const run = () => buildDockerRunArgs(spec, { ...options, imageHealthcheck });
    // THEN it names the next step rather than running a different check
    expect(run).toThrow(LocalError);
    expect(run).toThrow(
      /^the task definition's health check is \["CMD","node","\/app\/healthcheck.js"\].*: run an image built by `npx nx run hello-world:docker-build`$/,
    );
  });

  it('keeps the shell form as is, and turns NONE off', () => {
    const shell = buildDockerRunArgs(
      { ...spec, healthCheck: { command: ['CMD-SHELL', 'curl -f localhost || exit 1'] } },
      options,
    );
    expect(valueOf(shell, '--health-cmd')).toBe('curl -f localhost || exit 1');
    expect(buildDockerRunArgs({ ...spec, healthCheck: { command: ['NONE'] } }, options)).toContain(
      '--no-healthcheck',
    );
  });

  it('rejects a health check command it cannot express', () => {
    expect(() =>
      buildDockerRunArgs({ ...spec, healthCheck: { command: ['CMD'] } }, options),
    ).toThrow(LocalError);
  });

  it('leaves out what the task definition does not set', () => {
    // GIVEN a bare container WHEN translated THEN no limit, user or health flags appear
    const bare = buildDockerRunArgs(
      {
        containerName: 'x',
        imageRepository: 'x',
        containerPort: 80,
        readonlyRootFilesystem: false,
        environment: [],
        secrets: [],
        initProcessEnabled: false,
        dropCapabilities: [],
        addCapabilities: [],
      },
      options,
    );
    expect(bare.filter((a) => a.startsWith('--'))).toEqual([
      '--detach',
      '--name',
      '--label',
      '--publish',
    ]);
  });
});

describe('buildDockerRunArgs for a replica behind the local proxy', () => {
  const args = buildDockerRunArgs(spec, {
    ...options,
    containerName: 'hello-world-ecr-ecs-fargate-local-2',
    network: 'hello-world-ecr-ecs-fargate-local',
    labels: { [`${LOCAL_LABEL}.role`]: 'replica' },
  });

  it('GIVEN a network THEN joins it and publishes no host port', () => {
    expect(valueOf(args, '--network')).toBe('hello-world-ecr-ecs-fargate-local');
    expect(args).not.toContain('--publish');
  });

  it('GIVEN extra labels THEN adds them beside the target label', () => {
    expect(args).toContain(`${LOCAL_LABEL}.role=replica`);
    expect(args).toContain(`${LOCAL_LABEL}=hello-world`);
  });

  it('THEN keeps every other task setting (user, read-only root, no capabilities)', () => {
    expect(valueOf(args, '--user')).toBe('1000:1000');
    expect(args).toContain('--read-only');
    expect(args).toContain('--cap-drop=ALL');
  });
});
