// `deploy:local --replicas=N`: N containers of the task definition behind a local reverse proxy
// (replica-proxy.ts), so N tasks visibly share traffic and a rolling replacement loses nothing.
// The proxy takes the environment's container name and host port (status, logs and destroy keep
// finding the entry point); the replicas, `<name>-1..N`, publish nothing and join the network
// `<name>`.
import { CONTAINER_USER, DEFAULT_ENVIRONMENT, HEALTH_PATH } from '@hello-world/shared';
import { buildDockerRunArgs, LOCAL_ENVIRONMENT_LABEL, LOCAL_LABEL } from './docker-run-args';
import type { LocalOptions } from './local-args';
import {
  describeState,
  dockerOk,
  engineError,
  findContainer,
  summarizeContainer,
  waitHealthy,
  type LocalContainer,
  type LocalDeps,
} from './local-target';
import { POOL_POLL_MS, type Replica } from './replica-proxy';
import { LocalError, type LocalTaskSpec } from './task-spec';

/** `proxy` or `replica`, on the containers of a replicated local deployment. */
export const LOCAL_ROLE_LABEL = `${LOCAL_LABEL}.role`;

/** Where the proxy reads its pool: its own tmpfs, written with `docker exec`. */
const POOL_DIR = '/run/replica-pool';
const POOL_FILE = `${POOL_DIR}/pool.json`;
/** Where the proxy script is mounted (read-only); .mts: node strips its types as an ES module. */
const PROXY_SCRIPT = '/opt/replica-proxy/replica-proxy.mts';

export const replicaName = (base: string, index: number) => `${base}-${index}`;

/** One step of a deploy with replicas: replica `index` is started as `next`, replacing `old`. */
export interface ReplicaStep {
  index: number;
  name: string;
  next: string;
  /** The running replica it replaces (rolling), if any. */
  old?: string;
}

export interface ReplicaPlan {
  steps: ReplicaStep[];
  /** Replicas beyond N (a scale-in), retired after the steps. */
  retire: string[];
  /** `-next` containers an interrupted deploy left: removed before anything starts. */
  leftovers: string[];
}

/**
 * What a deploy with N replicas does, from the names of the replica containers there (pure):
 * each index 1..N is started beside its predecessor and takes its name once the old one is out of
 * the pool; replicas above N are retired; leftovers of an interrupted deploy are removed.
 */
export function planReplicas(base: string, replicas: number, existing: readonly string[]) {
  const leftovers = existing.filter((name) => name.endsWith('-next'));
  const indexOf = (name: string) => {
    const match = new RegExp(`^${base.replace(/[.]/g, '\\.')}-(\\d+)$`).exec(name);
    return match ? Number(match[1]) : undefined;
  };
  const running = new Set(existing.filter((name) => indexOf(name) !== undefined));
  const steps: ReplicaStep[] = [];
  for (let index = 1; index <= replicas; index++) {
    const name = replicaName(base, index);
    steps.push({
      index,
      name,
      next: `${name}-next`,
      ...(running.has(name) ? { old: name } : {}),
    });
  }
  const retire = [...running]
    .filter((name) => (indexOf(name) ?? 0) > replicas)
    .sort((a, b) => (indexOf(a) ?? 0) - (indexOf(b) ?? 0));
  return { steps, retire, leftovers } satisfies ReplicaPlan;
}

/** The pool with `added` in place of `removed` (pure): the proxy's view after one step. */
export function replacePoolMember(
  pool: readonly Replica[],
  removed: string | undefined,
  added: Replica | undefined,
): Replica[] {
  const kept = pool.filter((r) => r.name !== removed);
  return added ? [...kept.filter((r) => r.name !== added.name), added] : kept;
}

/** The replica's address on the deployment's network, from `docker inspect` (pure). */
export function addressOn(inspect: unknown, network: string, port: number): string | undefined {
  const entry = (inspect ?? {}) as {
    NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> };
  };
  const ip = entry.NetworkSettings?.Networks?.[network]?.IPAddress;
  return ip ? `${ip}:${port}` : undefined;
}

/**
 * `docker run` arguments of the proxy (pure): the base image's node running our script, mounted
 * read-only; unprivileged, read-only root, no capabilities; publishes the host port on the
 * loopback and reaches the replicas on their network.
 */
export function buildProxyRunArgs(options: {
  name: string;
  network: string;
  hostPort: number;
  containerPort: number;
  baseImage: string;
  scriptPath: string;
  service: string;
  environment: string;
}): string[] {
  return [
    'run',
    '--detach',
    '--name',
    options.name,
    '--label',
    `${LOCAL_LABEL}=${options.service}`,
    '--label',
    `${LOCAL_ENVIRONMENT_LABEL}=${options.environment}`,
    '--label',
    `${LOCAL_ROLE_LABEL}=proxy`,
    '--network',
    options.network,
    '--publish',
    `127.0.0.1:${options.hostPort}:${options.containerPort}`,
    '--user',
    CONTAINER_USER,
    '--read-only',
    '--cap-drop=ALL',
    '--security-opt',
    'no-new-privileges',
    '--tmpfs',
    `${POOL_DIR}:uid=${CONTAINER_USER.split(':')[0]},gid=${CONTAINER_USER.split(':')[1]},mode=0700`,
    '--mount',
    `type=bind,source=${options.scriptPath},target=${PROXY_SCRIPT},readonly`,
    '--env',
    `REPLICA_PROXY_PORT=${options.containerPort}`,
    '--env',
    `REPLICA_PROXY_POOL=${POOL_FILE}`,
    '--env',
    `REPLICA_PROXY_HEALTH_PATH=${HEALTH_PATH}`,
    '--stop-timeout',
    '10',
    '--entrypoint',
    'node',
    options.baseImage,
    PROXY_SCRIPT,
  ];
}

/** What deploy:local with replicas needs beyond the single-container deploy's inputs. */
export interface ReplicaDeployInput {
  spec: LocalTaskSpec;
  image: string;
  imageHealthcheck?: string[];
  secretValues: Record<string, string>;
  /** The base image the app image builds FROM: the proxy runs there. */
  baseImage: string;
  /** The proxy script on the engine's machine, mounted read-only. */
  proxyScript: string;
}

function listReplicas(deps: LocalDeps, base: string): LocalContainer[] {
  const ids = dockerOk(deps, [
    'ps',
    '--all',
    '--quiet',
    '--filter',
    `label=${LOCAL_ROLE_LABEL}=replica`,
    '--filter',
    `name=^${base}-`,
  ]);
  const list = ids.stdout
    .split('\n')
    .map((id) => id.trim())
    .filter(Boolean);
  if (list.length === 0) return [];
  const found = dockerOk(deps, ['container', 'inspect', ...list]);
  return (JSON.parse(found.stdout) as unknown[])
    .map(summarizeContainer)
    .filter((summary) => new RegExp(`^${base}-\\d+(-next)?$`).test(summary.name))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

function writePool(deps: LocalDeps, proxy: string, pool: readonly Replica[]) {
  // Written beside, then renamed: the proxy never reads half a file.
  dockerOk(deps, [
    'exec',
    proxy,
    'node',
    '-e',
    `const fs = require('node:fs'); fs.writeFileSync('${POOL_FILE}.tmp', process.argv[1]); fs.renameSync('${POOL_FILE}.tmp', '${POOL_FILE}');`,
    JSON.stringify({ replicas: pool }),
  ]);
}

function ensureNetwork(deps: LocalDeps, network: string, service: string) {
  if (deps.docker(['network', 'inspect', network]).status === 0) return;
  dockerOk(deps, ['network', 'create', '--label', `${LOCAL_LABEL}=${service}`, network]);
}

async function startReplica(
  deps: LocalDeps,
  input: ReplicaDeployInput,
  options: LocalOptions,
  name: string,
  network: string,
): Promise<Replica> {
  const args = buildDockerRunArgs(input.spec, {
    image: input.image,
    containerName: name,
    hostPort: 0,
    hostAddress: '127.0.0.1',
    ...(input.imageHealthcheck ? { imageHealthcheck: input.imageHealthcheck } : {}),
    service: deps.containerName,
    environment: deps.environment ?? DEFAULT_ENVIRONMENT,
    network,
    labels: { [LOCAL_ROLE_LABEL]: 'replica' },
  });
  const run = deps.docker(args, input.secretValues);
  if (run.status !== 0) {
    deps.docker(['rm', '--force', name]);
    throw engineError(run);
  }
  try {
    await waitHealthy(deps, name, options.timeoutMs, false);
  } catch (error) {
    deps.docker(['rm', '--force', name]);
    throw error;
  }
  const inspect = dockerOk(deps, ['container', 'inspect', name]);
  const [entry] = JSON.parse(inspect.stdout) as unknown[];
  const address = addressOn(entry, network, input.spec.containerPort);
  if (!address) throw new LocalError(`replica ${name} has no address on network ${network}`, 1);
  return { name, address };
}

export interface ReplicaDeployResult {
  url: string;
  image: string;
  proxy: LocalContainer;
  replicas: Replica[];
}

/**
 * Deploys N replicas behind the proxy. With a proxy already serving on this port, a rolling
 * replacement: for each replica, start the new one, wait healthy, put it in the pool in place of
 * the old one, give the proxy time to read the pool, then stop the old one (SIGTERM: it drains
 * in-flight requests within its stop timeout) and let the new one take its name.
 */
export async function deployReplicas(
  deps: LocalDeps,
  options: LocalOptions,
  input: ReplicaDeployInput,
): Promise<ReplicaDeployResult> {
  const base = options.containerName;
  const network = base;
  const url = `http://localhost:${options.hostPort}`;
  const current = findContainer(deps, base);
  if (current && !current.managed) {
    throw new LocalError(
      `a container named ${base} exists but was not started by the local target: remove it yourself or pass --name=OTHER`,
    );
  }
  const proxyServes =
    current !== undefined &&
    current.state === 'running' &&
    current.hostPort === options.hostPort &&
    current.role === 'proxy';
  if (!proxyServes && current?.hostPort !== options.hostPort) {
    if (!(await deps.isPortFree(options.hostPort))) {
      throw new LocalError(
        `port ${options.hostPort} is taken on this machine: pass --port=N (or set LOCAL_PORT)`,
      );
    }
  }
  ensureNetwork(deps, network, deps.containerName);
  const plan = planReplicas(
    base,
    options.replicas,
    listReplicas(deps, base).map((c) => c.name),
  );
  for (const leftover of plan.leftovers) dockerOk(deps, ['rm', '--force', leftover]);
  let pool: Replica[] = [];
  if (proxyServes) {
    for (const name of listReplicas(deps, base).map((c) => c.name)) {
      const inspect = dockerOk(deps, ['container', 'inspect', name]);
      const address = addressOn(
        (JSON.parse(inspect.stdout) as unknown[])[0],
        network,
        input.spec.containerPort,
      );
      if (address) pool.push({ name, address });
    }
  }
  const settle = () => deps.sleep(POOL_POLL_MS * 5);
  for (const step of plan.steps) {
    const started = await startReplica(deps, input, options, step.next, network);
    deps.err(`  ${step.next}: healthy at ${started.address}`);
    if (proxyServes) {
      // In before out: the pool is never without the healthy replicas it had.
      pool = replacePoolMember(pool, step.old, started);
      writePool(deps, base, pool);
      await settle();
    }
    if (step.old) {
      // docker stop honours the container's --stop-timeout: SIGTERM, the app drains, then exits.
      dockerOk(deps, ['stop', step.old]);
      dockerOk(deps, ['rm', step.old]);
      deps.err(`  ${step.old}: stopped and removed`);
    }
    dockerOk(deps, ['rename', step.next, step.name]);
    pool = replacePoolMember(pool, step.next, { name: step.name, address: started.address });
    if (proxyServes) writePool(deps, base, pool);
  }
  for (const name of plan.retire) {
    pool = replacePoolMember(pool, name, undefined);
    if (proxyServes) {
      writePool(deps, base, pool);
      await settle();
    }
    dockerOk(deps, ['stop', name]);
    dockerOk(deps, ['rm', name]);
    deps.err(`  ${name}: retired`);
  }
  if (!proxyServes) {
    // A single container (or a stopped proxy) held the name: the proxy takes its place.
    if (current) dockerOk(deps, ['rm', '--force', base]);
    const run = deps.docker(
      buildProxyRunArgs({
        name: base,
        network,
        hostPort: options.hostPort,
        containerPort: input.spec.containerPort,
        baseImage: input.baseImage,
        scriptPath: input.proxyScript,
        service: deps.containerName,
        environment: deps.environment ?? DEFAULT_ENVIRONMENT,
      }),
    );
    if (run.status !== 0) {
      deps.docker(['rm', '--force', base]);
      throw engineError(run);
    }
    await waitHealthy(deps, base, options.timeoutMs, true);
    writePool(deps, base, pool);
    await settle();
  }
  const deadline = deps.now() + options.timeoutMs;
  for (;;) {
    const probe = await deps.probe(`http://127.0.0.1:${options.hostPort}/`);
    if (probe.ok) break;
    if (deps.now() >= deadline) {
      throw new LocalError(
        `the proxy ${base} runs but ${url} does not answer (${probe.status ?? probe.error ?? 'no answer'})`,
        1,
      );
    }
    await deps.sleep(500);
  }
  const proxy = findContainer(deps, base);
  if (!proxy) throw new LocalError(`container ${base} disappeared after the deploy`, 1);
  return { url, image: input.image, proxy, replicas: pool };
}

/** status:local of a replicated deployment: the proxy, then each replica and its health. */
export function statusReplicas(
  deps: LocalDeps,
  options: LocalOptions,
  proxy: LocalContainer,
): number {
  const replicas = listReplicas(deps, options.containerName);
  if (options.json) {
    deps.out(JSON.stringify({ proxy, replicas }, null, 2));
  } else {
    deps.out(`Proxy ${options.containerName}: ${describeState(proxy)} on ${proxy.url ?? '-'}`);
    for (const replica of replicas)
      deps.out(`  replica ${replica.name}: ${describeState(replica)}`);
  }
  const healthy = replicas.filter((r) => r.state === 'running' && r.health !== 'unhealthy');
  return proxy.state === 'running' && healthy.length > 0 ? 0 : 1;
}

/** The containers logs:local reads: replica K, or all the replicas (interleaved by time). */
export function replicaLogTargets(deps: LocalDeps, options: LocalOptions): string[] {
  const replicas = listReplicas(deps, options.containerName).map((c) => c.name);
  if (options.replica === undefined) return replicas;
  const name = replicaName(options.containerName, options.replica);
  if (!replicas.includes(name)) {
    throw new LocalError(
      `no replica ${options.replica} (${name}); there are ${replicas.length}: pass --replica=1..${replicas.length}`,
    );
  }
  return [name];
}

/** destroy:local of a replicated deployment: proxy, replicas, then their network. */
export function destroyReplicas(deps: LocalDeps, options: LocalOptions): number {
  const base = options.containerName;
  const replicas = listReplicas(deps, base).map((c) => c.name);
  dockerOk(deps, ['stop', base]);
  dockerOk(deps, ['rm', base]);
  for (const name of replicas) {
    dockerOk(deps, ['stop', name]);
    dockerOk(deps, ['rm', name]);
  }
  const network = deps.docker(['network', 'rm', base]);
  if (network.status !== 0 && !/not found|no such network/i.test(network.stderr)) {
    throw engineError(network);
  }
  deps.out(`removed proxy ${base}, ${replicas.length} replicas and network ${base}`);
  return 0;
}
