import { buildDockerRunArgs, LOCAL_LABEL } from './docker-run-args';
import { LOCAL_USAGE, type LocalOptions } from './local-args';
import { LocalError, readTaskSpec } from './task-spec';

export interface DockerResult {
  status: number;
  stdout: string;
  stderr: string;
  /** Set when `docker` itself could not be started (ENOENT: no docker on PATH). */
  spawnError?: string;
}

/** The engine and the rest of the machine, injected so the commands stay testable. */
export interface LocalDeps {
  /** Runs `docker ARGS` and captures its output. */
  docker: (args: string[]) => DockerResult;
  /** Runs `docker ARGS` with its output shown (logs --follow). Resolves to the exit status. */
  dockerShown: (args: string[]) => Promise<number>;
  /** Builds the image the way hello-world:docker-build does; returns its reference. */
  buildImage: () => Promise<string>;
  /** The synthesized service stack template. */
  readTemplate: () => unknown;
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
  user?: string;
  readOnlyRootFilesystem: boolean;
  cpus?: number;
  memoryMiB?: number;
  managed: boolean;
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
  if (c.State?.Health?.Status) summary.health = c.State.Health.Status;
  if (c.State?.StartedAt) summary.startedAt = c.State.StartedAt;
  if (c.State?.Status === 'exited' && c.State.ExitCode !== undefined)
    summary.exitCode = c.State.ExitCode;
  if (binding?.HostPort) summary.url = `http://localhost:${binding.HostPort}`;
  if (c.Config?.User) summary.user = c.Config.User;
  if (c.HostConfig?.NanoCpus) summary.cpus = c.HostConfig.NanoCpus / 1e9;
  if (c.HostConfig?.Memory) summary.memoryMiB = c.HostConfig.Memory / 1024 / 1024;
  return summary;
}

function findContainer(deps: LocalDeps, name: string): LocalContainer | undefined {
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

function portTaken(port: number): LocalError {
  return new LocalError(`port ${port} is taken on this machine: pass --port=N (or set LOCAL_PORT)`);
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
    `Container ${c.name}: ${c.state}${c.health ? ` (${c.health})` : ''}${c.exitCode !== undefined ? ` exit ${c.exitCode}` : ''}`,
    `  image       ${c.image}`,
    `  URL         ${c.url ?? '-'}`,
    `  started     ${c.startedAt ?? '-'}`,
    `  user        ${c.user ?? '(image default)'}`,
    `  limits      ${c.cpus ?? '-'} vCPU, ${c.memoryMiB ?? '-'} MiB, root filesystem ${c.readOnlyRootFilesystem ? 'read-only' : 'writable'}`,
  ].join('\n');
}

async function waitHealthy(
  deps: LocalDeps,
  name: string,
  timeoutMs: number,
): Promise<LocalContainer> {
  const deadline = deps.now() + timeoutMs;
  let last = '';
  for (;;) {
    const c = findContainer(deps, name);
    if (!c) throw new LocalError(`container ${name} disappeared while starting`, 1);
    const state = `${c.state}${c.health ? ` (${c.health})` : ''}`;
    if (state !== last) deps.err(`  ${name}: ${state}`);
    last = state;
    // No health check in the task definition: running is as good as it gets.
    if (c.state === 'running' && (c.health === undefined || c.health === 'healthy')) return c;
    if (c.state === 'exited' || c.state === 'dead' || c.health === 'unhealthy') {
      const logs = deps.docker(['logs', '--tail', '20', name]);
      for (const line of `${logs.stdout}${logs.stderr}`.trim().split('\n')) deps.err(`  | ${line}`);
      throw new LocalError(
        `container ${name} is ${state}; its last log lines are above (it is kept for \`npx nx run infra:logs:local\`): fix the cause, then run \`npx nx run infra:deploy:local\` again`,
        1,
      );
    }
    if (deps.now() >= deadline) {
      throw new LocalError(
        `container ${name} still ${state} after ${Math.round(timeoutMs / 1000)} s: see \`npx nx run infra:logs:local\``,
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
}

async function deploy(deps: LocalDeps, options: LocalOptions): Promise<LocalDeployResult> {
  const spec = readTaskSpec(deps.readTemplate());
  // Engine and name first: a missing engine or a foreign container should not cost a build.
  const existing = requireOwn(findContainer(deps, options.containerName), options.containerName);
  // A port held by something else should not cost a build either. Our own container may hold it:
  // it is replaced below, so then docker run is the judge.
  if (!existing && !(await deps.isPortFree(options.hostPort))) throw portTaken(options.hostPort);
  const image = options.image ?? (await deps.buildImage());
  // Replace, not stack up: one local deployment at a time, as one service in AWS.
  deps.docker(['rm', '--force', options.containerName]);
  const args = buildDockerRunArgs(spec, {
    image,
    containerName: options.containerName,
    hostPort: options.hostPort,
    hostAddress: '127.0.0.1',
  });
  const run = deps.docker(args);
  if (run.status !== 0) {
    deps.docker(['rm', '--force', options.containerName]);
    if (/port is already allocated|address already in use/i.test(run.stderr)) {
      throw portTaken(options.hostPort);
    }
    throw engineError(run);
  }
  const container = await waitHealthy(deps, options.containerName, options.timeoutMs);
  const url = `http://localhost:${options.hostPort}`;
  // 127.0.0.1, not localhost: the port is published on IPv4 loopback only.
  const probe = await deps.probe(`http://127.0.0.1:${options.hostPort}/`);
  if (!probe.ok) {
    throw new LocalError(
      `container ${options.containerName} is healthy but ${url} does not answer (${probe.status ?? probe.error ?? 'no answer'}): see \`npx nx run infra:logs:local\``,
      1,
    );
  }
  return { url, image, container, dockerRunArgs: args };
}

/**
 * The local target: `deploy` runs the synthesized task definition on the local engine, `status`,
 * `logs` and `destroy` mirror the AWS ones. Returns the exit code: 0 ok, 1 failed, 2 bad input.
 */
export async function runLocal(options: LocalOptions, deps: LocalDeps): Promise<number> {
  switch (options.command) {
    case 'help':
      deps.out(LOCAL_USAGE);
      return 0;
    case 'deploy': {
      const result = await deploy(deps, options);
      if (options.json) deps.out(JSON.stringify(result, null, 2));
      else {
        deps.out(formatContainer(result.container));
        deps.out(`hello-world is serving on ${result.url}`);
        deps.out(result.url);
      }
      return 0;
    }
    case 'status': {
      const container = requireOwn(
        findContainer(deps, options.containerName),
        options.containerName,
      );
      if (!container) {
        deps.err(
          `no local container ${options.containerName}: run \`npx nx run infra:deploy:local\``,
        );
        return 1;
      }
      deps.out(options.json ? JSON.stringify(container, null, 2) : formatContainer(container));
      return container.state === 'running' ? 0 : 1;
    }
    case 'logs': {
      if (!findContainer(deps, options.containerName)) {
        deps.err(
          `no local container ${options.containerName}: run \`npx nx run infra:deploy:local\``,
        );
        return 1;
      }
      const args = ['logs', '--timestamps'];
      if (options.follow) args.push('--follow');
      if (options.since) args.push('--since', options.since);
      if (options.tail) args.push('--tail', options.tail);
      return deps.dockerShown([...args, options.containerName]);
    }
    case 'destroy': {
      const container = requireOwn(
        findContainer(deps, options.containerName),
        options.containerName,
      );
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
