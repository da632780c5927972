import { DEFAULT_ENVIRONMENT } from '@hello-world/shared';
import { buildDockerRunArgs, LOCAL_ENVIRONMENT_LABEL, LOCAL_LABEL } from './docker-run-args';
import { localUsage, type LocalOptions } from './local-args';
import { nxRunStep } from './next-step';
import { selectLocalSecrets } from './local-secrets';
import {
  deployReplicas,
  destroyReplicas,
  LOCAL_ROLE_LABEL,
  replicaLogTargets,
  statusReplicas,
} from './local-replicas';
import type { Replica } from './replica-proxy';
import { LocalError, readTaskSpec, type LocalTaskSpec } from './task-spec';

export interface DockerResult {
  status: number;
  stdout: string;
  stderr: string;
  /** Set when `docker` itself could not be started (ENOENT: no docker on PATH). */
  spawnError?: string;
}

/** The engine and the rest of the machine, injected so the commands stay testable. */
export interface LocalDeps {
  /**
   * Runs `docker ARGS` and captures its output; `env` is added to the docker CLI's environment
   * (the secrets' values, which `docker run --env NAME` reads from there).
   */
  docker: (args: string[], env?: Record<string, string>) => DockerResult;
  /** Runs `docker ARGS` with its output shown (logs --follow). Resolves to the exit status. */
  dockerShown: (args: string[]) => Promise<number>;
  /** Builds the image the way the service's docker-build does; returns its reference. */
  buildImage: () => Promise<string>;
  /** The synthesized service stack template. */
  readTemplate: () => unknown;
  /**
   * The environment's local secrets file (`apps/<project>/.secrets/<environment>.env`): its path
   * as messages name it, and its text (undefined when there is none). Read only when the task
   * definition has secrets.
   */
  secretsFile?: { path: string; read: () => string | undefined };
  /** The service's container in its task definition (the deployment's service name). */
  containerName: string;
  /**
   * The deployment project (`infra`, `greeter-infra`), whose targets the messages name; default
   * hello-world's `infra`.
   */
  project?: string;
  /**
   * The environment whose task definition runs (default `default`): its containers are labelled
   * with it, and the next steps the messages name carry it (`-- --env=staging`).
   */
  environment?: string;
  /**
   * For --replicas: the base image the app image builds FROM (the proxy runs there), and the
   * proxy script's path on the engine's machine (mounted read-only).
   */
  replicaProxy?: { baseImage: () => string; script: string };
  /** Whether 127.0.0.1:port can be bound right now, i.e. nothing else listens there. */
  isPortFree: (port: number) => Promise<boolean>;
  /** GET url; ok when it answers below 500. */
  probe: (url: string) => Promise<{ ok: boolean; status?: number; error?: string }>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The container as `docker inspect` describes it, reduced to what the commands report. */
export interface LocalContainer {
  name: string;
  image: string;
  state: string;
  health?: string;
  startedAt?: string;
  exitCode?: number;
  url?: string;
  /** The host port its container port is published on, while it holds one. */
  hostPort?: number;
  user?: string;
  readOnlyRootFilesystem: boolean;
  cpus?: number;
  memoryMiB?: number;
  managed: boolean;
  /** The environment whose task settings it runs, from its label (none on older containers). */
  environment?: string;
  /** `proxy` or `replica` in a deployment with --replicas (none on a single container). */
  role?: string;
}

/** One `docker inspect` entry → LocalContainer (pure). */
export function summarizeContainer(inspect: unknown): LocalContainer {
  const c = (inspect ?? {}) as {
    Name?: string;
    State?: {
      Status?: string;
      Health?: { Status?: string };
      StartedAt?: string;
      ExitCode?: number;
    };
    Config?: { Image?: string; User?: string; Labels?: Record<string, string> | null };
    HostConfig?: { ReadonlyRootfs?: boolean; NanoCpus?: number; Memory?: number };
    NetworkSettings?: { Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> };
  };
  const binding = Object.values(c.NetworkSettings?.Ports ?? {}).flatMap((b) => b ?? [])[0];
  const summary: LocalContainer = {
    name: (c.Name ?? '').replace(/^\//, ''),
    image: c.Config?.Image ?? '',
    state: c.State?.Status ?? 'unknown',
    readOnlyRootFilesystem: c.HostConfig?.ReadonlyRootfs ?? false,
    managed: Boolean(c.Config?.Labels?.[LOCAL_LABEL]),
  };
  const environment = c.Config?.Labels?.[LOCAL_ENVIRONMENT_LABEL];
  if (environment) summary.environment = environment;
  const role = c.Config?.Labels?.[LOCAL_ROLE_LABEL];
  if (role) summary.role = role;
  if (c.State?.Health?.Status) summary.health = c.State.Health.Status;
  if (c.State?.StartedAt) summary.startedAt = c.State.StartedAt;
  if (c.State?.Status === 'exited' && c.State.ExitCode !== undefined)
    summary.exitCode = c.State.ExitCode;
  if (binding?.HostPort) {
    summary.url = `http://localhost:${binding.HostPort}`;
    summary.hostPort = Number(binding.HostPort);
  }
  if (c.Config?.User) summary.user = c.Config.User;
  if (c.HostConfig?.NanoCpus) summary.cpus = c.HostConfig.NanoCpus / 1e9;
  if (c.HostConfig?.Memory) summary.memoryMiB = c.HostConfig.Memory / 1024 / 1024;
  return summary;
}

/**
 * The container's state in words (pure): `exited with code N` for one that stopped (Docker keeps
 * the last health status of a stopped container, which says nothing about why it stopped),
 * `running (healthy)` and the like while it runs.
 */
export function describeState(c: LocalContainer): string {
  if (c.state === 'exited') return `exited with code ${c.exitCode ?? '?'}`;
  return `${c.state}${c.health ? ` (${c.health})` : ''}`;
}

export function findContainer(deps: LocalDeps, name: string): LocalContainer | undefined {
  const result = deps.docker(['container', 'inspect', name]);
  if (result.status !== 0) {
    if (/no such (container|object)/i.test(result.stderr)) return undefined;
    throw engineError(result);
  }
  const [entry] = JSON.parse(result.stdout) as unknown[];
  return summarizeContainer(entry);
}

/**
 * What the docker CLI prints when it reaches no engine: none running, DOCKER_HOST unusable
 * (bogus://x, an ssh host that refuses), or a socket that is not there. Worded by several CLI
 * versions (20.10 to 27), so matched loosely.
 */
const NO_ENGINE =
  /cannot connect to the docker daemon|is the docker daemon running|^failed to initialize:|unable to resolve docker endpoint|error during connect|connection refused|no such file or directory.*sock/i;
/** The engine answered: a refused connection in its reply is its own (a registry's, say). */
const ENGINE_REPLY = /error response from daemon/i;

const START_ENGINE = 'start Docker, or point DOCKER_HOST at a running engine';

/** A failed docker call as one line with the next step (pure, exported for its spec). */
export function engineError(result: DockerResult): LocalError {
  if (result.spawnError === 'ENOENT') {
    return new LocalError(`no docker command on PATH: install Docker, then ${START_ENGINE}`);
  }
  if (result.spawnError) {
    return new LocalError(`cannot run docker (${result.spawnError}): ${START_ENGINE}`);
  }
  const engineLine = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .find((line) => NO_ENGINE.test(line) && !ENGINE_REPLY.test(line));
  if (engineLine) {
    return new LocalError(`no container engine answers (${engineLine}): ${START_ENGINE}`);
  }
  const line = lastLine(result.stderr) || lastLine(result.stdout) || `exit ${result.status}`;
  // `docker run` prefixes its own "docker: "; one is enough.
  return new LocalError(`docker: ${line.replace(/^docker: /, '')}`, 1);
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/**
 * The port is taken: by another environment's local container (named, with the option that runs
 * this one beside it; it is never stopped for this one), else by some other program.
 */
function portTaken(port: number, holder?: LocalContainer, environment?: string): LocalError {
  if (!holder) {
    return new LocalError(
      `port ${port} is taken on this machine: pass --port=N (or set LOCAL_PORT)`,
    );
  }
  const whose = holder.environment
    ? `the ${holder.environment} environment's local container`
    : 'a local container';
  return new LocalError(
    `port ${port} is taken by ${holder.name} (${whose}): pass --port=N (or set LOCAL_PORT) to run ${environment ?? DEFAULT_ENVIRONMENT} beside it`,
  );
}

/**
 * The local target's running container, other than `except` (this environment's and its
 * `-next`), that publishes `port`; undefined when none does (the port is some other program's).
 */
function findPortHolder(
  deps: LocalDeps,
  port: number,
  except: readonly string[],
): LocalContainer | undefined {
  const ids = deps.docker(['ps', '--quiet', '--filter', `label=${LOCAL_LABEL}`]);
  // Naming the holder is a courtesy: an engine that cannot list falls back to the plain message.
  if (ids.status !== 0) return undefined;
  const list = ids.stdout
    .split('\n')
    .map((id) => id.trim())
    .filter(Boolean);
  if (list.length === 0) return undefined;
  const found = deps.docker(['container', 'inspect', ...list]);
  if (found.status !== 0) return undefined;
  return (JSON.parse(found.stdout) as unknown[])
    .map(summarizeContainer)
    .find((c) => holdsPort(c) && c.hostPort === port && !except.includes(c.name));
}

/** The port is taken: named with its holder when that is another local container. */
function portTakenError(deps: LocalDeps, port: number, name: string): LocalError {
  return portTaken(port, findPortHolder(deps, port, [name, `${name}-next`]), deps.environment);
}

function requireOwn(
  container: LocalContainer | undefined,
  name: string,
): LocalContainer | undefined {
  if (container && !container.managed) {
    throw new LocalError(
      `a container named ${name} exists but was not started by the local target: remove it yourself or pass --name=OTHER`,
    );
  }
  return container;
}

function formatContainer(c: LocalContainer): string {
  return [
    `Container ${c.name}: ${describeState(c)}`,
    `  environment ${c.environment ?? '-'}`,
    `  image       ${c.image}`,
    `  URL         ${c.url ?? '-'}`,
    `  started     ${c.startedAt ?? '-'}`,
    `  user        ${c.user ?? '(image default)'}`,
    `  limits      ${c.cpus ?? '-'} vCPU, ${c.memoryMiB ?? '-'} MiB, root filesystem ${c.readOnlyRootFilesystem ? 'read-only' : 'writable'}`,
  ].join('\n');
}

/** Runs a docker command that must succeed. */
export function dockerOk(deps: LocalDeps, args: string[]): DockerResult {
  const result = deps.docker(args);
  if (result.status !== 0) throw engineError(result);
  return result;
}

/** The deployment project whose local targets the messages name. */
const projectOf = (deps: Pick<LocalDeps, 'project'>) => deps.project ?? 'infra';

/** `npx nx run infra:<target>`, in the environment deps run (`-- --env=staging`). */
const step = (deps: Pick<LocalDeps, 'project' | 'environment'>, target: string) =>
  nxRunStep(projectOf(deps), target, deps.environment);

const deployAgain = (deps: Pick<LocalDeps, 'project' | 'environment'>) =>
  `fix the cause, then run \`${step(deps, 'deploy:local')}\` again`;

/**
 * Waits until the container is healthy (or running, without a health check). On failure prints
 * its last log lines and throws; `kept` says whether the container stays for logs:local.
 */
export async function waitHealthy(
  deps: LocalDeps,
  name: string,
  timeoutMs: number,
  kept: boolean,
): Promise<LocalContainer> {
  const deadline = deps.now() + timeoutMs;
  let last = '';
  const showLogs = () => {
    const logs = deps.docker(['logs', '--tail', '20', name]);
    for (const line of `${logs.stdout}${logs.stderr}`.trim().split('\n')) deps.err(`  | ${line}`);
  };
  const keptNote = kept ? ` (it is kept for \`${step(deps, 'logs:local')}\`)` : '';
  const DEPLOY_AGAIN = deployAgain(deps);
  for (;;) {
    const c = findContainer(deps, name);
    if (!c) throw new LocalError(`container ${name} disappeared while starting`, 1);
    const state = describeState(c);
    if (state !== last) deps.err(`  ${name}: ${state}`);
    last = state;
    // No health check in the task definition: running is as good as it gets.
    if (c.state === 'running' && (c.health === undefined || c.health === 'healthy')) return c;
    if (c.state === 'exited' || c.state === 'dead' || c.health === 'unhealthy') {
      showLogs();
      throw new LocalError(
        `container ${name} is ${state}; its last log lines are above${keptNote}: ${DEPLOY_AGAIN}`,
        1,
      );
    }
    if (deps.now() >= deadline) {
      showLogs();
      throw new LocalError(
        `container ${name} still ${state} after ${Math.round(timeoutMs / 1000)} s; its last log lines are above${keptNote}: ${DEPLOY_AGAIN}`,
        1,
      );
    }
    await deps.sleep(500);
  }
}

export interface LocalDeployResult {
  url: string;
  image: string;
  container: LocalContainer;
  dockerRunArgs: string[];
  /** With --replicas: the replicas behind the proxy (`container`), by name and address. */
  replicas?: Replica[];
}

/** A container holds its published host port while it runs (or is paused), not once it exited. */
function holdsPort(c: Pick<LocalContainer, 'state'>): boolean {
  return c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
}

/**
 * How the new container replaces the deployed one, chosen so that a failed deploy leaves the
 * previous deployment serving:
 * - `fresh`: nothing of ours there. Run under the final name; a failure keeps it for logs:local.
 * - `replace-stopped`: ours, but not running: nothing serves, so nothing to protect. Remove it and
 *   run as in `fresh`.
 * - `beside`: ours, running on another host port. Start the new one beside it as `<name>-next`;
 *   once healthy and answering, stop and remove the old one and rename the new one. On failure
 *   the new one is removed and the old one was never touched.
 * - `stop-then-start`: ours, running on this very port. Two containers cannot publish one host
 *   port, so stop (not remove) the old one, start the new one as `<name>-next`; once healthy,
 *   remove the old one and rename the new one. On failure remove the new one and start the old
 *   one again (the port goes unserved while the new one starts: the price of keeping the port).
 */
export type DeployStrategy = 'fresh' | 'replace-stopped' | 'beside' | 'stop-then-start';

export interface DeployPlan {
  /**
   * Whether the requested port must be free before anything is built or stopped: always, unless
   * our own running container holds that very port (it steps aside for the new one).
   */
  checkPort: boolean;
  /**
   * A `<name>-next` container left by an interrupted deploy: `adopt` it when it runs and no
   * `<name>` exists (the swap stopped between removing the old one and renaming the new one, so
   * it is the deployment), else `remove` it.
   */
  leftover: 'none' | 'adopt' | 'remove';
  strategy: DeployStrategy;
}

type PlanInput = Pick<LocalContainer, 'state' | 'hostPort'>;

/** The local deploy's decisions from what the engine has (pure; the cases are on DeployStrategy). */
export function planDeploy(
  current: PlanInput | undefined,
  leftover: PlanInput | undefined,
  hostPort: number,
): DeployPlan {
  const adopt = leftover !== undefined && current === undefined && holdsPort(leftover);
  const deployed = adopt ? leftover : current;
  const base = { leftover: leftover === undefined ? 'none' : adopt ? 'adopt' : 'remove' } as const;
  if (!deployed) return { ...base, checkPort: true, strategy: 'fresh' };
  if (!holdsPort(deployed)) return { ...base, checkPort: true, strategy: 'replace-stopped' };
  if (deployed.hostPort === hostPort) {
    return { ...base, checkPort: false, strategy: 'stop-then-start' };
  }
  return { ...base, checkPort: true, strategy: 'beside' };
}

/** The image's own HEALTHCHECK command; the exec form can only come from there. */
function readImageHealthcheck(deps: LocalDeps, image: string): string[] | undefined {
  const result = deps.docker([
    'image',
    'inspect',
    '--format',
    '{{json .Config.Healthcheck}}',
    image,
  ]);
  if (result.status !== 0 && /no such (image|object)/i.test(result.stderr)) {
    throw new LocalError(
      `no image ${image} on this engine: build it with \`npx nx run ${deps.containerName}:docker-build\` or pull it first`,
    );
  }
  if (result.status !== 0) throw engineError(result);
  const health = JSON.parse(result.stdout.trim() || 'null') as { Test?: string[] } | null;
  return health?.Test ?? undefined;
}

/** The secrets file's text, read only when the task definition has secrets. */
function readSecrets(
  names: readonly string[],
  file: { read: () => string | undefined },
): string | undefined {
  return names.length > 0 ? file.read() : undefined;
}

/** docker run, then wait healthy, then GET / on the host port. Throws LocalError on failure. */
async function startContainer(
  deps: LocalDeps,
  args: string[],
  name: string,
  options: LocalOptions,
  kept: boolean,
  secretValues: Record<string, string>,
): Promise<LocalContainer> {
  const run = deps.docker(args, secretValues);
  if (run.status !== 0) {
    deps.docker(['rm', '--force', name]);
    if (/port is already allocated|address already in use/i.test(run.stderr)) {
      throw portTakenError(deps, options.hostPort, options.containerName);
    }
    throw engineError(run);
  }
  const container = await waitHealthy(deps, name, options.timeoutMs, kept);
  const url = `http://localhost:${options.hostPort}`;
  // 127.0.0.1, not localhost: the port is published on IPv4 loopback only.
  const probe = await deps.probe(`http://127.0.0.1:${options.hostPort}/`);
  if (!probe.ok) {
    throw new LocalError(
      `container ${name} is healthy but ${url} does not answer (${probe.status ?? probe.error ?? 'no answer'})${kept ? `: see \`${step(deps, 'logs:local')}\`` : `: ${deployAgain(deps)}`}`,
      1,
    );
  }
  return container;
}

async function deployWithReplicas(
  deps: LocalDeps,
  options: LocalOptions,
  spec: LocalTaskSpec,
  secretValues: Record<string, string>,
): Promise<LocalDeployResult> {
  if (!deps.replicaProxy) throw new LocalError('--replicas is not available here');
  // The base image first: a missing one should not cost a build.
  const baseImage = deps.replicaProxy.baseImage();
  const image = options.image ?? (await deps.buildImage());
  const imageHealthcheck = readImageHealthcheck(deps, image);
  const result = await deployReplicas(deps, options, {
    spec,
    image,
    ...(imageHealthcheck ? { imageHealthcheck } : {}),
    secretValues,
    baseImage,
    proxyScript: deps.replicaProxy.script,
  });
  return {
    url: result.url,
    image,
    container: result.proxy,
    dockerRunArgs: [],
    replicas: result.replicas,
  };
}

async function deploy(deps: LocalDeps, options: LocalOptions): Promise<LocalDeployResult> {
  const spec = readTaskSpec(
    deps.readTemplate(),
    deps.containerName,
    projectOf(deps),
    deps.environment,
  );
  // Before the engine and the build: a secret without a value costs nothing.
  const secretsFile = deps.secretsFile ?? { path: '.secrets', read: () => undefined };
  const secrets = selectLocalSecrets(
    spec.secrets,
    readSecrets(spec.secrets, secretsFile),
    secretsFile.path,
  );
  for (const unused of secrets.unused) {
    deps.err(`  ${secretsFile.path}: ${unused} is no secret of the task definition, not passed`);
  }
  const name = options.containerName;
  if (options.replicas > 1) return deployWithReplicas(deps, options, spec, secrets.values);
  const nextName = `${name}-next`;
  // Engine and names first: a missing engine or a foreign container should not cost a build.
  let current = requireOwn(findContainer(deps, name), name);
  if (current?.role === 'proxy') {
    throw new LocalError(
      `${name} runs replicas behind a proxy: pass --replicas=N to roll them, or run \`${step(deps, 'destroy:local')}\` first`,
    );
  }
  const leftover = requireOwn(findContainer(deps, nextName), nextName);
  const plan = planDeploy(current, leftover, options.hostPort);
  if (plan.leftover === 'adopt') {
    deps.err(`  ${nextName}: left serving by an interrupted deploy, renamed ${name}`);
    dockerOk(deps, ['rename', nextName, name]);
    current = findContainer(deps, name);
  } else if (plan.leftover === 'remove') {
    dockerOk(deps, ['rm', '--force', nextName]);
  }
  // A port held by something else should not cost a build, nor stop the running deployment.
  // Another environment's container there is named, and left serving.
  if (plan.checkPort && !(await deps.isPortFree(options.hostPort))) {
    throw portTakenError(deps, options.hostPort, name);
  }
  const image = options.image ?? (await deps.buildImage());
  const swap = plan.strategy === 'beside' || plan.strategy === 'stop-then-start';
  const runName = swap ? nextName : name;
  // Translated before anything is stopped: a task definition it cannot run stops nothing.
  const args = buildDockerRunArgs(spec, {
    image,
    containerName: runName,
    hostPort: options.hostPort,
    hostAddress: '127.0.0.1',
    imageHealthcheck: readImageHealthcheck(deps, image),
    service: deps.containerName,
    environment: deps.environment ?? DEFAULT_ENVIRONMENT,
  });
  const url = `http://localhost:${options.hostPort}`;
  if (!swap || !current) {
    // One local deployment at a time, as one service in AWS; this one was not serving.
    if (current) dockerOk(deps, ['rm', '--force', name]);
    const container = await startContainer(deps, args, name, options, true, secrets.values);
    return { url, image, container, dockerRunArgs: args };
  }
  const previous = current;
  // docker stop honours the container's --stop-timeout: SIGTERM, the app drains, then exits.
  if (plan.strategy === 'stop-then-start') dockerOk(deps, ['stop', name]);
  try {
    await startContainer(deps, args, nextName, options, false, secrets.values);
  } catch (error) {
    deps.docker(['rm', '--force', nextName]);
    if (plan.strategy === 'beside') {
      deps.err(`kept the previous deployment: ${name} still serves on ${previous.url ?? '-'}`);
    } else {
      try {
        dockerOk(deps, ['start', name]);
        await waitHealthy(deps, name, options.timeoutMs, true);
        // Docker may still show the health from before the stop: wait until it answers again.
        const deadline = deps.now() + options.timeoutMs;
        while (!(await deps.probe(`http://127.0.0.1:${options.hostPort}/`)).ok) {
          if (deps.now() >= deadline) throw new LocalError(`${url} does not answer`, 1);
          await deps.sleep(500);
        }
        deps.err(`kept the previous deployment: ${name} serves on ${previous.url ?? '-'} again`);
      } catch (restartError) {
        deps.err(
          `could not restart the previous deployment ${name}: ${(restartError as Error).message}`,
        );
      }
    }
    throw error;
  }
  // The new one is healthy and answers: retire the old one, then the new one takes its name.
  if (plan.strategy === 'beside') dockerOk(deps, ['stop', name]);
  dockerOk(deps, ['rm', name]);
  dockerOk(deps, ['rename', nextName, name]);
  const container = findContainer(deps, name);
  if (!container) throw new LocalError(`container ${name} disappeared after the swap`, 1);
  return { url, image, container, dockerRunArgs: args };
}

/**
 * The local target: `deploy` runs the synthesized task definition on the local engine, `status`,
 * `logs` and `destroy` mirror the AWS ones. Returns the exit code: 0 ok, 1 failed, 2 bad input.
 */
export async function runLocal(options: LocalOptions, deps: LocalDeps): Promise<number> {
  switch (options.command) {
    case 'help':
      if (options.missingCommand) {
        deps.err(localUsage(projectOf(deps), options.hostPort, options.containerName));
        return 2;
      }
      deps.out(localUsage(projectOf(deps), options.hostPort, options.containerName));
      return 0;
    case 'deploy': {
      const result = await deploy(deps, options);
      if (options.json) deps.out(JSON.stringify(result, null, 2));
      else {
        // stdout is the URL alone, for scripts (`url=$(… deploy)`); the details are for people.
        deps.err(formatContainer(result.container));
        deps.err(`${deps.containerName} is serving on ${result.url}`);
        deps.out(result.url);
      }
      return 0;
    }
    case 'status': {
      const container = requireOwn(
        findContainer(deps, options.containerName),
        options.containerName,
      );
      if (container?.role === 'proxy') return statusReplicas(deps, options, container);
      if (!container) {
        deps.err(
          `no local container ${options.containerName}: run \`${step(deps, 'deploy:local')}\``,
        );
        return 1;
      }
      deps.out(options.json ? JSON.stringify(container, null, 2) : formatContainer(container));
      return container.state === 'running' ? 0 : 1;
    }
    case 'logs': {
      const container = findContainer(deps, options.containerName);
      if (!container) {
        deps.err(
          `no local container ${options.containerName}: run \`${step(deps, 'deploy:local')}\``,
        );
        return 1;
      }
      const args = ['logs', '--timestamps'];
      if (options.follow) args.push('--follow');
      if (options.since) args.push('--since', options.since);
      if (options.tail) args.push('--tail', options.tail);
      if (container.role === 'proxy') {
        // Every replica's output at once (each line carries its time), or replica K's alone.
        const targets = replicaLogTargets(deps, options);
        const codes = await Promise.all(targets.map((name) => deps.dockerShown([...args, name])));
        return codes.find((code) => code !== 0) ?? 0;
      }
      if (options.replica !== undefined) {
        throw new LocalError(
          `${options.containerName} runs no replicas: leave out --replica, or deploy with --replicas=N`,
        );
      }
      return deps.dockerShown([...args, options.containerName]);
    }
    case 'destroy': {
      const container = requireOwn(
        findContainer(deps, options.containerName),
        options.containerName,
      );
      if (container?.role === 'proxy') return destroyReplicas(deps, options);
      if (!container) {
        deps.out(`no local container ${options.containerName}: nothing to remove`);
        return 0;
      }
      // docker stop honours the container's --stop-timeout: SIGTERM, the app drains, then exits.
      for (const args of [
        ['stop', options.containerName],
        ['rm', options.containerName],
      ]) {
        const result = deps.docker(args);
        if (result.status !== 0) throw engineError(result);
      }
      deps.out(`removed container ${options.containerName} (image ${container.image} kept)`);
      return 0;
    }
  }
}
