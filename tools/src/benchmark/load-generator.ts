// The load generator of the app benchmark, run as its own process (wrk when installed, else
// autocannon's CLI) and pinned with taskset to a core the server does not use, so the load and the
// server never compete for one core (autocannon inside the benchmark's own process did).
import { spawn } from 'node:child_process';
import type { Verdict } from './compare';

export type LoadTool = 'wrk' | 'autocannon';

/** What one load run measured. */
export interface LoadResult {
  /** Requests completed. */
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
}

export interface LoadTarget {
  url: string;
  connections: number;
  durationS: number;
  /** The core to pin the load generator to; unpinned when undefined. */
  core?: string;
}

/** A core other than the server's, or undefined when the machine has only one. */
export function loadCore(serverCore: string, cores: number): string | undefined {
  if (cores < 2) return undefined;
  return serverCore === '0' ? '1' : '0';
}

/** The command line of one load run. */
export function loadCommand(
  tool: LoadTool,
  target: LoadTarget,
): { command: string; args: string[] } {
  const { url, connections, durationS, core } = target;
  const argv =
    tool === 'wrk'
      ? ['wrk', '-t1', `-c${connections}`, `-d${durationS}s`, '--latency', url]
      : [
          process.execPath,
          require.resolve('autocannon/autocannon.js'),
          '-j',
          '-c',
          String(connections),
          '-d',
          String(durationS),
          '-p',
          '1',
          url,
        ];
  const pinned = core === undefined ? argv : ['taskset', '-c', core, ...argv];
  return { command: pinned[0], args: pinned.slice(1) };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function wrkLatencyMs(stdout: string, percentile: string): number {
  const match = new RegExp(`^\\s+${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(stdout);
  if (!match) throw new Error(`wrk printed no ${percentile}% latency (was it run with --latency?)`);
  return Number((Number(match[1]) * UNIT_MS[match[2]]).toFixed(3));
}

function answered(result: LoadResult): LoadResult {
  if (!(result.requests > 0)) throw new Error('no request was answered during the load');
  return result;
}

/** Reads wrk's report (run with --latency). */
export function parseWrk(stdout: string): LoadResult {
  const requests = Number(/^\s+(\d+) requests in /m.exec(stdout)?.[1] ?? NaN);
  const requestsPerSecond = Number(/^Requests\/sec:\s+([\d.]+)/m.exec(stdout)?.[1] ?? NaN);
  if (Number.isNaN(requests) || Number.isNaN(requestsPerSecond))
    throw new Error('wrk printed no request count or rate');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  return answered({
    requests,
    requestsPerSecond,
    latencyP50Ms: wrkLatencyMs(stdout, '50'),
    latencyP99Ms: wrkLatencyMs(stdout, '99'),
    errors: socketErrors + non2xx,
  });
}

/** Reads the JSON that autocannon's CLI prints with -j. */
export function parseAutocannonJson(stdout: string): LoadResult {
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '');
  return answered({
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  });
}

/** Runs one load and reads its result; rejects when the generator fails or nothing was answered. */
export function runLoad(tool: LoadTool, target: LoadTarget): Promise<LoadResult> {
  const { command, args } = loadCommand(tool, target);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        const why = (stderr || stdout).trim().split('\n').pop();
        reject(new Error(`${tool} exited ${code}${why ? `: ${why}` : ''}`));
        return;
      }
      try {
        resolve(tool === 'wrk' ? parseWrk(stdout) : parseAutocannonJson(stdout));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * A completed run exits 0 whatever its verdicts: the table records which targets were missed.
 * Only a run that could not measure (a server or the load generator failed) exits 1, elsewhere.
 */
export function runOutcome(verdicts: Pick<Verdict, 'metric' | 'met'>[]): {
  exitCode: 0;
  line: string;
} {
  const missed = verdicts.filter((v) => !v.met).map((v) => v.metric);
  const line =
    missed.length === 0
      ? 'benchmark-app: run completed; every target met'
      : `benchmark-app: run completed; ${missed.length} target${missed.length === 1 ? '' : 's'} missed: ${missed.join(', ')}`;
  return { exitCode: 0, line };
}
