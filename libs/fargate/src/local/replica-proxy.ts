// The local reverse proxy in front of `deploy:local --replicas=N`. Node's own modules only, and
// erasable TypeScript only: the proxy container (the app's base image) runs this very file with
// `node` (type stripping), mounted read-only, so there is no build and no new dependency.
//
// The pool is a JSON file ({ "replicas": [{ "name", "address" }] }) on the proxy's tmpfs that
// deploy:local rewrites (docker exec) around each step of a rolling replacement; the proxy
// re-reads it every POOL_POLL_MS. Addresses, not names: a replica keeps its address when it is
// renamed, so the pool never depends on the engine's DNS catching up.
import { readFileSync } from 'node:fs';
import { request, createServer, type IncomingMessage, type Server } from 'node:http';

export interface Replica {
  name: string;
  /** host:port on the replicas' network. */
  address: string;
}

/** How often the pool file is read again, and each replica's health checked. */
export const POOL_POLL_MS = 200;
export const HEALTH_POLL_MS = 1000;

/**
 * The next replica, round-robin from `cursor`, among those in the pool not known unhealthy and not
 * in `exclude` (the one a retry already tried). Undefined when none is left (pure).
 */
export function pickReplica(
  pool: readonly Replica[],
  unhealthy: ReadonlySet<string>,
  cursor: number,
  exclude?: string,
): { replica: Replica; cursor: number } | undefined {
  for (let i = 0; i < pool.length; i++) {
    const index = (cursor + i) % pool.length;
    const replica = pool[index];
    if (replica && !unhealthy.has(replica.address) && replica.address !== exclude) {
      return { replica, cursor: index + 1 };
    }
  }
  return undefined;
}

/**
 * Whether a failed forward may be tried once more on another replica (pure): only an idempotent
 * request without a body (GET, HEAD), only when the replica refused or reset the connection
 * before sending a byte of its answer (so it did not act on it, or acting again is harmless).
 */
export function isRetryable(
  method: string | undefined,
  code: string | undefined,
  answered: boolean,
) {
  return (
    !answered &&
    (method === 'GET' || method === 'HEAD') &&
    (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE')
  );
}

/** The pool file's replicas; an unreadable or half-written file keeps the previous pool (pure). */
export function parsePool(text: string | undefined, previous: readonly Replica[]): Replica[] {
  if (text === undefined) return [...previous];
  try {
    const parsed = JSON.parse(text) as { replicas?: unknown };
    if (!Array.isArray(parsed.replicas)) return [...previous];
    return parsed.replicas.filter(
      (r): r is Replica =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as Replica).name === 'string' &&
        typeof (r as Replica).address === 'string',
    );
  } catch {
    return [...previous];
  }
}

export interface ReplicaProxyOptions {
  /** Where the pool is read from; or the pool itself, for tests. */
  readPool: () => string | undefined;
  /** The app's health path, checked on each replica. */
  healthPath: string;
  pollMs?: number;
  healthMs?: number;
}

function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/**
 * An HTTP server forwarding each request to one healthy replica, round-robin; the replica's
 * status and headers pass unchanged. 502 only when no replica can answer.
 */
export function createReplicaProxy(options: ReplicaProxyOptions): Server {
  let pool: Replica[] = [];
  const unhealthy = new Set<string>();
  let cursor = 0;
  const reload = () => {
    let text: string | undefined;
    try {
      text = options.readPool();
    } catch {
      text = undefined;
    }
    pool = parsePool(text, pool);
  };
  const checkHealth = () => {
    for (const { address } of pool) {
      const { host, port } = splitAddress(address);
      const req = request({ host, port, path: options.healthPath, agent: false, timeout: 2000 });
      req.on('response', (res) => {
        res.resume();
        if ((res.statusCode ?? 500) < 400) unhealthy.delete(address);
        else unhealthy.add(address);
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => unhealthy.add(address));
      req.end();
    }
  };
  reload();
  const timers = [
    setInterval(reload, options.pollMs ?? POOL_POLL_MS),
    setInterval(checkHealth, options.healthMs ?? HEALTH_POLL_MS),
  ];
  for (const timer of timers) timer.unref();

  const server = createServer((req, res) => {
    const forward = (exclude: string | undefined, retried: boolean) => {
      const picked = pickReplica(pool, unhealthy, cursor, exclude);
      if (!picked) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('no healthy replica\n');
        return;
      }
      cursor = picked.cursor;
      const { host, port } = splitAddress(picked.replica.address);
      // A fresh connection per request: a pooled one to a replica that is draining would be
      // closed under the next request.
      const upstream = request({
        host,
        port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      });
      let answered = false;
      upstream.on('response', (answer: IncomingMessage) => {
        answered = true;
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') unhealthy.add(picked.replica.address);
        if (!retried && isRetryable(req.method, error.code, answered)) {
          forward(picked.replica.address, true);
        } else if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`replica ${picked.replica.name} failed: ${error.code ?? error.message}\n`);
        } else res.destroy();
      });
      // A retried request (GET, HEAD) has no body left to read: end it as it is.
      if (req.readableEnded) upstream.end();
      else req.pipe(upstream);
    };
    forward(undefined, false);
  });
  server.on('close', () => timers.forEach(clearInterval));
  return server;
}

// In the proxy container: `node replica-proxy.ts` with its settings in the environment.
const listenPort = process.env['REPLICA_PROXY_PORT'];
const poolFile = process.env['REPLICA_PROXY_POOL'];
if (listenPort && poolFile) {
  const server = createReplicaProxy({
    readPool: () => readFileSync(poolFile, 'utf8'),
    healthPath: process.env['REPLICA_PROXY_HEALTH_PATH'] ?? '/health',
  });
  server.listen(Number(listenPort), '0.0.0.0');
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
