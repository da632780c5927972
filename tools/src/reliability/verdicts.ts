// Issue 9's targets as pure functions of what a run measured: figures in, checks out.
import { formatTally, percentChange, withinFraction, type Check } from './checks';

/** RSS may move at most this fraction between the two samples compared. */
export const RSS_TOLERANCE = 0.1;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (value: number) => `${value.toFixed(1)} MiB`;

export interface LoopDelay {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SoakFigures {
  durationS: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  latencyP99Ms: number;
  /** Socket errors seen by the load generator, timeouts included. */
  errors: number;
  non2xx: number;
  rssReference: { atS: number; mib: number };
  rssEnd: { atS: number; mib: number };
  rssMaxMiB: number;
  loopDelay: LoopDelay;
  /** V8's heap at the end, and the JS heap in use after a full GC: a leak grows the latter. */
  heap: { totalAtEndMiB: number; usedAfterGcAtStartMiB: number; usedAfterGcAtEndMiB: number };
  stackTraces: number;
  exitCode: number | null;
}

export function evaluateSoak(f: SoakFigures): Check[] {
  return [
    {
      name: `load: ${f.connections} connections for ${f.durationS} s`,
      measured: `${f.requests} requests, ${Math.round(f.requestsPerSecond)} req/s, latency p99 ${ms(f.latencyP99Ms)}`,
      target: '—',
      met: f.requests > 0,
    },
    {
      name: 'socket errors (timeouts included)',
      measured: String(f.errors),
      target: '0',
      met: f.errors === 0,
    },
    { name: 'non-2xx answers', measured: String(f.non2xx), target: '0', met: f.non2xx === 0 },
    {
      name: `RSS at ${Math.round(f.rssEnd.atS)} s vs at ${Math.round(f.rssReference.atS)} s`,
      measured: `${mib(f.rssEnd.mib)} vs ${mib(f.rssReference.mib)} (${percentChange(f.rssEnd.mib, f.rssReference.mib)}; peak ${mib(f.rssMaxMiB)})`,
      target: `within ±${RSS_TOLERANCE * 100} %`,
      met: withinFraction(f.rssEnd.mib, f.rssReference.mib, RSS_TOLERANCE),
    },
    {
      name: 'JS heap: V8 heap at the end; in use after a full GC, start → end',
      measured: `${mib(f.heap.totalAtEndMiB)}; ${mib(f.heap.usedAfterGcAtStartMiB)} → ${mib(f.heap.usedAfterGcAtEndMiB)}`,
      target: 'reported',
      met: true,
    },
    {
      name: 'event-loop delay in the server',
      measured: `p50 ${ms(f.loopDelay.p50Ms)}, p99 ${ms(f.loopDelay.p99Ms)}, max ${ms(f.loopDelay.maxMs)}`,
      target: 'reported',
      met: f.loopDelay.samples > 0,
    },
    {
      name: 'stack traces in its output',
      measured: String(f.stackTraces),
      target: '0',
      met: f.stackTraces === 0,
    },
    {
      name: 'exit after SIGTERM',
      measured: String(f.exitCode),
      target: '0',
      met: f.exitCode === 0,
    },
  ];
}

/** How each request of a shutdown run ended: a status code, or a socket error code. */
export type RequestOutcome = string;

export interface ShutdownFigures {
  scenario: string;
  drainBudgetMs: number;
  /** Outcomes of requests fully written before the signal was sent. */
  beforeSignal: Record<RequestOutcome, number>;
  /** Outcomes of requests written after it (refusals are expected there). */
  afterSignal: Record<RequestOutcome, number>;
  exitCode: number | null;
  exitAfterMs: number;
  /** New connections tried while the server drained: refused ones, and any it still accepted. */
  probes: { refused: number; accepted: number };
  /** The slow request in flight at the signal, when the scenario has one. */
  slow?: { status: number | undefined; connectionClose: boolean; finishedAfterSignalMs: number };
  stackTraces: number;
}

/** Outcomes a request sent after the signal may have: answered, or refused/closed by the server. */
const ACCEPTABLE_AFTER_SIGNAL = new Set(['200', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

export function evaluateShutdown(f: ShutdownFigures): Check[] {
  const before = Object.values(f.beforeSignal).reduce((a, b) => a + b, 0);
  const beforeOk = f.beforeSignal['200'] ?? 0;
  const unexpectedAfter = Object.keys(f.afterSignal).filter((o) => !ACCEPTABLE_AFTER_SIGNAL.has(o));
  const checks: Check[] = [
    {
      name: 'requests sent before SIGTERM',
      measured: `${before}: ${formatTally(f.beforeSignal)}`,
      target: 'all 200',
      met: before > 0 && beforeOk === before,
    },
    {
      name: 'requests sent after SIGTERM',
      measured: formatTally(f.afterSignal),
      target: '200 or refused',
      met: unexpectedAfter.length === 0,
    },
    {
      name: 'new connections while draining',
      measured: `${f.probes.refused} refused, ${f.probes.accepted} accepted`,
      target: 'all refused',
      met: f.probes.refused > 0 && f.probes.accepted === 0,
    },
  ];
  if (f.slow) {
    checks.push({
      name: 'slow request in flight at SIGTERM',
      measured: `${f.slow.status ?? 'no answer'}${f.slow.connectionClose ? ' with Connection: close' : ''}, ${Math.round(f.slow.finishedAfterSignalMs)} ms after the signal`,
      target: '200',
      met: f.slow.status === 200,
    });
  }
  checks.push(
    {
      name: 'exit code, time from SIGTERM to exit',
      measured: `${f.exitCode}, ${Math.round(f.exitAfterMs)} ms`,
      target: `0, ≤ ${f.drainBudgetMs} ms (DRAIN_TIMEOUT_MS)`,
      met: f.exitCode === 0 && f.exitAfterMs <= f.drainBudgetMs,
    },
    {
      name: 'stack traces in its output',
      measured: String(f.stackTraces),
      target: '0',
      met: f.stackTraces === 0,
    },
  );
  return checks;
}

export interface FuzzFigures {
  cases: number;
  requests: number;
  durationS: number;
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
  /** Slowloris and idle connections: how many, and how many the server closed itself. */
  slow: { opened: number; closedByServer: number; maxClosedAfterMs: number };
  latencyBeforeMs: number;
  latencyAfterMs: number;
  /** After valid warm-up traffic only. */
  rssColdMiB: number;
  /** After the warm-up round of hostile cases too: the start the check compares with. */
  rssStartMiB: number;
  rssEndMiB: number;
  warmup: { cases: number; statuses: Record<string, number> };
  /** JS heap in use right after a full GC (the probe's), MiB: what a leak would grow. */
  heapAfterGcMiB: { cold: number; start: number; end: number };
  stackTraces: number;
}

/** "Normal latency" after the fuzz: within 2× of before, with 1 ms of slack for a busy machine. */
export function normalLatency(afterMs: number, beforeMs: number): boolean {
  return afterMs <= Math.max(2 * beforeMs, beforeMs + 1);
}

export function evaluateFuzz(f: FuzzFigures): Check[] {
  const fiveHundreds = countServerErrors(f.statuses) + countServerErrors(f.warmup.statuses);
  return [
    {
      name: 'malformed or abusive connections sent',
      measured: `${f.cases + f.slow.opened} (${f.requests} requests) in ${f.durationS.toFixed(1)} s`,
      target: '≥ 10000',
      met: f.cases + f.slow.opened >= 10_000,
    },
    {
      name: 'answers received',
      measured: formatTally(f.statuses),
      target: 'no 5xx',
      met: fiveHundreds === 0,
    },
    {
      name: 'answers to the warm-up round',
      measured: `${f.warmup.cases} connections: ${formatTally(f.warmup.statuses)}`,
      target: 'no 5xx',
      met: countServerErrors(f.warmup.statuses) === 0,
    },
    {
      name: 'how connections ended',
      measured: formatTally(f.outcomes),
      target: '—',
      met: true,
    },
    {
      name: 'slowloris + idle connections closed by the server',
      measured: `${f.slow.closedByServer} of ${f.slow.opened}, the last after ${(f.slow.maxClosedAfterMs / 1000).toFixed(1)} s`,
      target: 'all',
      met: f.slow.closedByServer === f.slow.opened,
    },
    {
      name: 'valid GET / afterwards, median latency',
      measured: `${ms(f.latencyAfterMs)} (before: ${ms(f.latencyBeforeMs)})`,
      target: '200, ≤ 2× before (+1 ms slack)',
      met: normalLatency(f.latencyAfterMs, f.latencyBeforeMs),
    },
    {
      name: 'RSS after vs at the start (after the warm-up round)',
      measured: `${mib(f.rssEndMiB)} vs ${mib(f.rssStartMiB)} (${percentChange(f.rssEndMiB, f.rssStartMiB)})`,
      target: `within ±${RSS_TOLERANCE * 100} %`,
      met: withinFraction(f.rssEndMiB, f.rssStartMiB, RSS_TOLERANCE),
    },
    {
      name: 'RSS after vs before any hostile input',
      measured: `${mib(f.rssEndMiB)} vs ${mib(f.rssColdMiB)} (${percentChange(f.rssEndMiB, f.rssColdMiB)})`,
      target: 'reported',
      met: true,
    },
    {
      name: 'JS heap in use after a full GC: before any hostile input, at the start, after',
      measured: `${mib(f.heapAfterGcMiB.cold)}, ${mib(f.heapAfterGcMiB.start)}, ${mib(f.heapAfterGcMiB.end)}`,
      target: `after within ±${RSS_TOLERANCE * 100} % of the start`,
      met: withinFraction(f.heapAfterGcMiB.end, f.heapAfterGcMiB.start, RSS_TOLERANCE),
    },
    {
      name: 'stack traces in its output',
      measured: String(f.stackTraces),
      target: '0',
      met: f.stackTraces === 0,
    },
  ];
}

export interface SlowClientGroup {
  kind: string;
  opened: number;
  closedByServer: number;
  /** Earliest and latest close, ms after the client's last byte (or connect). */
  minClosedAfterMs: number;
  maxClosedAfterMs: number;
  /** The server's configured limit for this kind, and how late it may act on it. */
  limitMs: number;
  graceMs: number;
}

export interface SlowClientFigures {
  groups: SlowClientGroup[];
  fds: { before: number; peak: number; after: number };
  /** Median latency of a valid request while the slow clients held their connections. */
  latencyDuringMs: number;
  latencyBeforeMs: number;
  stackTraces: number;
}

export function evaluateSlowClients(f: SlowClientFigures): Check[] {
  const checks: Check[] = f.groups.map((g) => ({
    name: `${g.kind}: closed by the server`,
    measured: `${g.closedByServer} of ${g.opened}, after ${(g.minClosedAfterMs / 1000).toFixed(2)}–${(g.maxClosedAfterMs / 1000).toFixed(2)} s`,
    target: `all, at ${(g.limitMs / 1000).toFixed(0)} s (≤ +${(g.graceMs / 1000).toFixed(1)} s)`,
    met:
      g.opened > 0 &&
      g.closedByServer === g.opened &&
      g.minClosedAfterMs >= g.limitMs - 100 &&
      g.maxClosedAfterMs <= g.limitMs + g.graceMs,
  }));
  checks.push(
    {
      name: 'valid GET / while they were held, median latency',
      measured: `${ms(f.latencyDuringMs)} (before: ${ms(f.latencyBeforeMs)})`,
      target: '≤ 2× before (+1 ms slack)',
      met: normalLatency(f.latencyDuringMs, f.latencyBeforeMs),
    },
    {
      name: 'open file descriptors of the server',
      measured: `${f.fds.before} before, ${f.fds.peak} at the peak, ${f.fds.after} after`,
      target: 'back to the start',
      met: f.fds.after <= f.fds.before,
    },
    {
      name: 'stack traces in its output',
      measured: String(f.stackTraces),
      target: '0',
      met: f.stackTraces === 0,
    },
  );
  return checks;
}

function countServerErrors(statuses: Record<string, number>): number {
  return Object.entries(statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
}
