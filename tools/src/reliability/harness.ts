// The shell shared by the reliability scripts: the app as a child process with its output in a
// file, raw sockets on loopback, the machine's state, and the record in docs/reliability.md.
import { type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, loadavg, platform, release, uptime } from 'node:os';
import { join } from 'node:path';
import {
  APP_MAIN,
  LOOPBACK,
  WORKSPACE_ROOT,
  hasTaskset,
  serverCore,
  spawnServer,
  untilServing,
} from '../benchmark/server-process';
import { writeDocSection } from '@hello-world/cli';
import { findStackTraces, responseStatuses } from './checks';
import type { LoopDelay } from './verdicts';

export const DOC = join(WORKSPACE_ROOT, 'docs', 'reliability.md');
const LOG_DIR = join(WORKSPACE_ROOT, 'tmp', 'reliability');

/**
 * The service's own limits (defaults in apps/hello-world/src/server.ts), which the scripts check
 * it keeps. Restated here because the app exports no module for tools to import.
 */
export const SERVER_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  /** How often Node enforces the two timeouts above (createHttpServer sets it). */
  checkIntervalMs: 1_000,
} as const;

const PROBE_PRELOAD = join(__dirname, 'probe-preload.cjs');

export interface MemoryMiB {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** What tools/src/reliability/probe-preload.cjs reports from inside the server. */
export interface ProbeReport {
  loopDelay: LoopDelay;
  memoryMiB: MemoryMiB;
  /** Only when the app runs with --expose-gc. */
  memoryAfterGcMiB?: MemoryMiB;
}

export interface RunningApp {
  child: ChildProcess;
  pid: number;
  port: number;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  /** Everything the app wrote to stdout and stderr so far. */
  log(): string;
  /** Asks the probe preload for its report (started with `probe`); opens a new delay window. */
  probe(): Promise<ProbeReport>;
}

/** A port that was free a moment ago (the OS picks it). */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

/** Starts the built app on a free loopback port, its stdout and stderr going to one file. */
export async function startApp(
  name: string,
  options: { env?: Record<string, string>; probe?: 'plain' | 'with-gc'; nodeFlags?: string[] } = {},
): Promise<RunningApp> {
  if (!existsSync(APP_MAIN)) {
    throw new Error(
      'dist/apps/hello-world/main.js is missing; run `npx nx run hello-world:build` first',
    );
  }
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const port = await findFreePort();
  const probeFile = join(LOG_DIR, `${name}.probe.json`);
  const nodeArgs = [
    ...(options.nodeFlags ?? []),
    ...(options.probe === 'with-gc' ? ['--expose-gc'] : []),
    ...(options.probe === undefined ? [] : ['--require', PROBE_PRELOAD]),
  ];
  const child = spawnServer(APP_MAIN, {
    port,
    nodeArgs,
    env: { ...options.env, ...(options.probe ? { PROBE_FILE: probeFile } : {}) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  // Nothing outlives the script, even when it fails half-way.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>(
    (resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, atMs: performance.now() })),
  );
  await untilServing(port);
  return {
    child,
    pid: child.pid as number,
    port,
    logFile,
    exited,
    log: () => readFileSync(logFile, 'utf8'),
    probe: async () => {
      rmSync(probeFile, { force: true });
      child.kill('SIGUSR2');
      if (!(await waitFor(() => existsSync(probeFile), 5_000, 20)))
        throw new Error('the probe preload did not report within 5 s');
      return JSON.parse(readFileSync(probeFile, 'utf8')) as ProbeReport;
    },
  };
}

/** Waits for the app's exit, killing it (and reporting the kill) after `timeoutMs`. */
export async function exitWithin(
  app: RunningApp,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const exit = await Promise.race([app.exited, late]);
  clearTimeout(timer);
  if (exit) return exit;
  app.child.kill('SIGKILL');
  return app.exited;
}

/** Stack-trace lines in the app's output (stdout and stderr). */
export function stackTracesIn(app: RunningApp): string[] {
  return findStackTraces(app.log());
}

export type RawOutcome = 'closed' | 'reset' | 'client-timeout' | 'error';

export interface RawResult {
  statuses: number[];
  outcome: RawOutcome;
  /** The socket error's code, e.g. ECONNREFUSED, when there was one. */
  errorCode?: string;
  /** When the server closed the connection, ms after connecting. */
  closedAfterMs: number;
}

/**
 * One connection: writes `payload`, half-closes when `end`, reads until the server closes or the
 * client's deadline passes (then the client gives up and destroys it).
 */
export function exchangeRaw(
  port: number,
  payload: Buffer | string,
  options: { end: boolean; deadlineMs: number },
): Promise<RawResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, LOOPBACK);
    const chunks: Buffer[] = [];
    let outcome: RawOutcome = 'closed';
    let errorCode: string | undefined;
    const deadline = setTimeout(() => {
      outcome = 'client-timeout';
      socket.destroy();
    }, options.deadlineMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      errorCode ??= error.code;
      if (outcome === 'closed')
        outcome = error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'error';
    });
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve({
        statuses: responseStatuses(Buffer.concat(chunks).toString('latin1')),
        outcome,
        errorCode,
        closedAfterMs: performance.now() - started,
      });
    });
    if (options.end) socket.end(payload);
    else socket.write(payload);
  });
}

/** Median latency of `count` sequential `GET /` on fresh connections, ms; throws on a non-200. */
export async function medianLatencyMs(port: number, count: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const { statuses } = await exchangeRaw(
      port,
      'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      { end: false, deadlineMs: 5_000 },
    );
    if (statuses[0] !== 200) throw new Error(`valid GET / answered ${statuses[0] ?? 'nothing'}`);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every `everyMs` until true or `timeoutMs` passed; returns whether it held. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (condition()) return true;
    await sleep(everyMs);
  }
  return condition();
}

/** One line on the machine and its load, for the record (other work shares these cores). */
export function describeMachine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  return [
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${platform()} ${release()},`,
    `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version},`,
    `up ${Math.round(uptime() / 60)} min, load average ${load} (1, 5, 15 min) at the start;`,
    hasTaskset ? `server pinned to core ${serverCore} with taskset.` : 'server unpinned.',
  ].join(' ');
}

/** Writes one run's section into docs/reliability.md, formatted as the repository's Prettier does. */
export async function recordSection(name: string, content: string): Promise<void> {
  await writeDocSection(DOC, name, content, '# Reliability\n');
  console.log(`recorded in ${DOC}`);
}

export interface HeldConnection {
  /** The server closed it (rather than the client giving up at its deadline). */
  closedByServer: boolean;
  /** ms after connecting: when the client last wrote, first read a byte, and saw the close. */
  lastWriteAtMs: number;
  firstReadAtMs: number | undefined;
  closedAtMs: number;
  statuses: number[];
}

/**
 * A connection a slow client holds: writes `initial` (if any), then one byte of `dribble` every
 * `everyMs` (if given), never finishing; resolves when the server closes it or at `deadlineMs`.
 */
export function holdConnection(
  port: number,
  options: { initial?: string; dribble?: { text: string; everyMs: number }; deadlineMs: number },
): Promise<HeldConnection> {
  return new Promise((resolve) => {
    let connectedAt = performance.now();
    let lastWriteAt = connectedAt;
    let firstReadAt: number | undefined;
    let closedByServer = true;
    let raw = '';
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(port, LOOPBACK, () => {
      connectedAt = performance.now();
      lastWriteAt = connectedAt;
      if (options.initial) socket.write(options.initial);
      const dribble = options.dribble;
      if (dribble) {
        let i = 0;
        timer = setInterval(() => {
          if (socket.destroyed || socket.writableEnded) return;
          socket.write(dribble.text[i++ % dribble.text.length]);
          lastWriteAt = performance.now();
        }, dribble.everyMs);
      }
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      firstReadAt ??= performance.now();
      raw += chunk;
    });
    socket.on('error', () => undefined);
    const deadline = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, options.deadlineMs);
    socket.on('close', () => {
      clearTimeout(deadline);
      clearInterval(timer);
      resolve({
        closedByServer,
        lastWriteAtMs: lastWriteAt - connectedAt,
        firstReadAtMs: firstReadAt === undefined ? undefined : firstReadAt - connectedAt,
        closedAtMs: performance.now() - connectedAt,
        statuses: responseStatuses(raw),
      });
    });
  });
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function forEachLimited<T>(
  items: Iterable<T>,
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await task(next.value);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
