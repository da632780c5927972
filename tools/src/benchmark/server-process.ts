// Spawning the built app (or a baseline server) as a child process on loopback, pinned to one
// core when taskset exists, and reading what it costs from /proc. Shared by the app benchmark and
// the reliability scripts (tools/src/reliability).
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';

export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');
export const APP_MAIN = join(WORKSPACE_ROOT, 'dist', 'apps', 'hello-world', 'main.js');
export const LOOPBACK = '127.0.0.1';

export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
/** The core a server is pinned to; the load generator keeps the other one. */
export const serverCore = cpus().length > 1 ? '1' : '0';

export interface ServerSpawnOptions {
  port: number;
  /** Added to the child's environment (which drops this machine's extra CA bundle). */
  env?: Record<string, string>;
  /** Node flags before the script, e.g. `--require preload.cjs`. */
  nodeArgs?: string[];
  /** @default 'ignore' */
  stdio?: StdioOptions;
}

/** Starts `node file -b 127.0.0.1 -p PORT`, pinned to serverCore when possible. */
export function spawnServer(file: string, options: ServerSpawnOptions): ChildProcess {
  // Node start-up is measured without this machine's extra CA bundle, which adds ~40 ms to any start.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...options.env };
  delete env['NODE_EXTRA_CA_CERTS'];
  const args = [...(options.nodeArgs ?? []), file, '-b', LOOPBACK, '-p', String(options.port)];
  // taskset execs node, so the child's pid is node's own (for /proc and signals).
  const [command, argv] = hasTaskset
    ? ['taskset', ['-c', serverCore, process.execPath, ...args]]
    : [process.execPath, args];
  return spawn(command, argv as string[], { env, stdio: options.stdio ?? 'ignore' });
}

/** Status of one `GET path` on a fresh connection, 0 when it fails. */
export function getStatus(port: number, path = '/'): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: LOOPBACK, port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Waits for the first 200 and returns how long it took, ms; throws after timeoutMs. */
export async function untilServing(port: number, timeoutMs = 10_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if ((await getStatus(port)) === 200) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(`server did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Sends SIGTERM and waits for the exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resident set size of a process, MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/** Open file descriptors of a process (sockets included). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
