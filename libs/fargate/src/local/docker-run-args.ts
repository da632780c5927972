import { LocalError, type LocalHealthCheck, type LocalTaskSpec } from './task-spec';

/** Label on every container the local target starts, so status/logs/destroy touch only those. */
export const LOCAL_LABEL = 'hello-world.local-target';

/**
 * Label with the environment whose task settings a container runs: a port held by another
 * environment's container is named with it, and never taken over.
 */
export const LOCAL_ENVIRONMENT_LABEL = `${LOCAL_LABEL}.environment`;

export interface LocalRunOptions {
  image: string;
  containerName: string;
  hostPort: number;
  /** Only this machine: the task's security group is the real gate; here it is the loopback. */
  hostAddress: string;
  /** The image's own HEALTHCHECK command (`docker image inspect` .Config.Healthcheck.Test). */
  imageHealthcheck?: string[];
  /** The service whose docker-build target builds the image (default hello-world). */
  service?: string;
  /** The environment whose task definition this is (`default`, `staging`), as a label. */
  environment?: string;
  /**
   * A user-defined network to join instead of publishing a host port: a replica behind the local
   * proxy (local-replicas.ts) is reached there, never from the host.
   */
  network?: string;
  /** More labels (a replica's role). */
  labels?: Record<string, string>;
}

function sameCommand(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((part, i) => part === b[i]);
}

function healthArgs(health: LocalHealthCheck, options: LocalRunOptions): string[] {
  const [kind, ...rest] = health.command;
  if (kind === 'NONE') return ['--no-healthcheck'];
  const args: string[] = [];
  if (kind === 'CMD-SHELL' && rest.length === 1) args.push('--health-cmd', rest[0] ?? '');
  else if (kind === 'CMD' && rest.length > 0) {
    // `docker run --health-cmd` only sets the shell form (it needs /bin/sh; the task's exec form
    // does not). Leaving it out keeps the image's own HEALTHCHECK command, with the timings below
    // on top: exactly the task's exec form when the image's is the same, which is checked here.
    if (!sameCommand(options.imageHealthcheck, health.command)) {
      const has = options.imageHealthcheck?.length
        ? JSON.stringify(options.imageHealthcheck)
        : 'no HEALTHCHECK';
      throw new LocalError(
        `the task definition's health check is ${JSON.stringify(health.command)}, which docker run can only take from the image, and image ${options.image} has ${has}: run an image built by \`npx nx run ${options.service ?? 'hello-world'}:docker-build\``,
      );
    }
  } else throw new LocalError(`unsupported health check command ${JSON.stringify(health.command)}`);
  if (health.intervalSeconds !== undefined)
    args.push('--health-interval', `${health.intervalSeconds}s`);
  if (health.timeoutSeconds !== undefined)
    args.push('--health-timeout', `${health.timeoutSeconds}s`);
  if (health.retries !== undefined) args.push('--health-retries', String(health.retries));
  if (health.startPeriodSeconds !== undefined) {
    args.push('--health-start-period', `${health.startPeriodSeconds}s`);
  }
  return args;
}

/**
 * `docker run` arguments that run the container as the task definition says: port, CPU and
 * memory limits (no swap, as on Fargate), user, read-only root filesystem, init process, Linux
 * capabilities dropped and added, environment, secrets (by name), health check and stop timeout.
 * Detached; the caller waits for health.
 */
export function buildDockerRunArgs(spec: LocalTaskSpec, options: LocalRunOptions): string[] {
  const args = [
    'run',
    '--detach',
    '--name',
    options.containerName,
    '--label',
    `${LOCAL_LABEL}=${spec.containerName}`,
    ...(options.environment
      ? ['--label', `${LOCAL_ENVIRONMENT_LABEL}=${options.environment}`]
      : []),
    ...Object.entries(options.labels ?? {}).flatMap(([key, value]) => [
      '--label',
      `${key}=${value}`,
    ]),
    ...(options.network
      ? ['--network', options.network]
      : ['--publish', `${options.hostAddress}:${options.hostPort}:${spec.containerPort}`]),
  ];
  if (spec.cpuUnits !== undefined) args.push('--cpus', String(spec.cpuUnits / 1024));
  if (spec.memoryMiB !== undefined) {
    args.push('--memory', `${spec.memoryMiB}m`, '--memory-swap', `${spec.memoryMiB}m`);
  }
  if (spec.user !== undefined) args.push('--user', spec.user);
  if (spec.readonlyRootFilesystem) args.push('--read-only');
  if (spec.initProcessEnabled) args.push('--init');
  // Docker applies --cap-drop before --cap-add, as ECS does with Drop and Add.
  for (const capability of spec.dropCapabilities) args.push(`--cap-drop=${capability}`);
  for (const capability of spec.addCapabilities) args.push(`--cap-add=${capability}`);
  if (spec.stopTimeoutSeconds !== undefined) {
    args.push('--stop-timeout', String(spec.stopTimeoutSeconds));
  }
  for (const { name, value } of spec.environment) args.push('--env', `${name}=${value}`);
  // A secret by name only: docker takes its value from its own environment (the caller passes
  // the secrets file's values there), so no value is in the arguments, `ps` or --json's output.
  for (const name of spec.secrets) args.push('--env', name);
  if (spec.healthCheck) args.push(...healthArgs(spec.healthCheck, options));
  args.push(options.image);
  return args;
}
