import {
  evaluateFuzz,
  evaluateShutdown,
  evaluateSlowClients,
  evaluateSoak,
  normalLatency,
  type FuzzFigures,
  type ShutdownFigures,
  type SlowClientFigures,
  type SoakFigures,
} from './verdicts';
import type { Check } from './checks';

const byName = (checks: Check[], start: string) => {
  const check = checks.find((c) => c.name.startsWith(start));
  if (!check) throw new Error(`no check named ${start}`);
  return check;
};

const soak: SoakFigures = {
  durationS: 60,
  connections: 100,
  requests: 120_000,
  requestsPerSecond: 2_000,
  latencyP99Ms: 80,
  errors: 0,
  non2xx: 0,
  rssReference: { atS: 20, mib: 80 },
  rssEnd: { atS: 60, mib: 84 },
  rssMaxMiB: 85,
  loopDelay: { samples: 6_000, p50Ms: 10.1, p99Ms: 40.2, maxMs: 60 },
  heap: { totalAtEndMiB: 60, usedAfterGcAtStartMiB: 8, usedAfterGcAtEndMiB: 9 },
  stackTraces: 0,
  exitCode: 0,
};

describe('evaluateSoak', () => {
  it('meets every target on a clean run', () => {
    expect(evaluateSoak(soak).every((c) => c.met)).toBe(true);
  });

  it('misses when RSS grew more than 10 % between 20 s and 60 s', () => {
    const checks = evaluateSoak({ ...soak, rssEnd: { atS: 60, mib: 88.5 } });
    expect(byName(checks, 'RSS').met).toBe(false);
  });

  it('misses on a single non-2xx answer', () => {
    expect(byName(evaluateSoak({ ...soak, non2xx: 1 }), 'non-2xx').met).toBe(false);
  });

  it('reports the event-loop delay p99', () => {
    expect(byName(evaluateSoak(soak), 'event-loop delay').measured).toContain('p99 40.2 ms');
  });
});

const shutdown: ShutdownFigures = {
  scenario: 'load',
  drainBudgetMs: 5_000,
  beforeSignal: { '200': 1_000 },
  afterSignal: { '200': 3, ECONNREFUSED: 100 },
  exitCode: 0,
  exitAfterMs: 300,
  probes: { refused: 5, accepted: 0 },
  stackTraces: 0,
};

describe('evaluateShutdown', () => {
  it('meets every target on a clean drain', () => {
    expect(evaluateShutdown(shutdown).every((c) => c.met)).toBe(true);
  });

  it('misses when a request sent before the signal was reset', () => {
    const checks = evaluateShutdown({ ...shutdown, beforeSignal: { '200': 999, ECONNRESET: 1 } });
    expect(byName(checks, 'requests sent before').met).toBe(false);
  });

  it('misses when a new connection was still served while draining', () => {
    const checks = evaluateShutdown({ ...shutdown, probes: { refused: 4, accepted: 1 } });
    expect(byName(checks, 'new connections').met).toBe(false);
  });

  it('misses a forced exit (code 1) even when it came within the budget', () => {
    expect(byName(evaluateShutdown({ ...shutdown, exitCode: 1 }), 'exit').met).toBe(false);
  });

  it('misses an exit after the drain budget', () => {
    expect(byName(evaluateShutdown({ ...shutdown, exitAfterMs: 5_001 }), 'exit').met).toBe(false);
  });

  it('misses when the slow request in flight got no answer', () => {
    const slow = { status: undefined, connectionClose: false, finishedAfterSignalMs: 5_000 };
    expect(byName(evaluateShutdown({ ...shutdown, slow }), 'slow request').met).toBe(false);
  });

  it('misses a 5xx answer after the signal', () => {
    const checks = evaluateShutdown({ ...shutdown, afterSignal: { '503': 1 } });
    expect(byName(checks, 'requests sent after').met).toBe(false);
  });
});

const fuzz: FuzzFigures = {
  cases: 10_000,
  requests: 37_000,
  durationS: 30,
  statuses: { '200': 100, '400': 5_000, '431': 1_000 },
  outcomes: { closed: 9_000, reset: 1_000 },
  slow: { opened: 40, closedByServer: 40, maxClosedAfterMs: 10_900 },
  latencyBeforeMs: 1,
  latencyAfterMs: 1.2,
  rssColdMiB: 80,
  rssStartMiB: 140,
  rssEndMiB: 145,
  warmup: { cases: 10_000, statuses: { '400': 10 } },
  heapAfterGcMiB: { cold: 8, start: 9, end: 9.2 },
  stackTraces: 0,
};

describe('evaluateFuzz', () => {
  it('meets every target on a clean run', () => {
    expect(evaluateFuzz(fuzz).every((c) => c.met)).toBe(true);
  });

  it('misses when fewer than 10,000 connections were sent', () => {
    const checks = evaluateFuzz({ ...fuzz, cases: 9_000 });
    expect(byName(checks, 'malformed').met).toBe(false);
  });

  it('misses on any 5xx answer', () => {
    const checks = evaluateFuzz({ ...fuzz, statuses: { ...fuzz.statuses, '500': 1 } });
    expect(byName(checks, 'answers received').met).toBe(false);
  });

  it('misses on a 5xx answer in the warm-up round too', () => {
    const checks = evaluateFuzz({ ...fuzz, warmup: { cases: 10_000, statuses: { '500': 1 } } });
    expect(byName(checks, 'answers received').met).toBe(false);
  });

  it('misses when a slowloris connection was never closed by the server', () => {
    const slow = { opened: 40, closedByServer: 39, maxClosedAfterMs: 15_000 };
    expect(byName(evaluateFuzz({ ...fuzz, slow }), 'slowloris').met).toBe(false);
  });

  it('misses when RSS did not come back within 10 % of the start', () => {
    const checks = evaluateFuzz({ ...fuzz, rssEndMiB: 155 });
    expect(byName(checks, 'RSS after vs at the start').met).toBe(false);
  });

  it('misses on a stack trace in the output', () => {
    expect(byName(evaluateFuzz({ ...fuzz, stackTraces: 1 }), 'stack traces').met).toBe(false);
  });
});

describe('normalLatency', () => {
  it('allows twice the latency before', () => {
    expect(normalLatency(8, 4)).toBe(true);
  });

  it('allows 1 ms of slack on sub-millisecond latencies', () => {
    expect(normalLatency(1.4, 0.5)).toBe(true);
  });

  it('rejects more than both', () => {
    expect(normalLatency(8.1, 4)).toBe(false);
  });
});

const slowClients: SlowClientFigures = {
  groups: [
    {
      kind: 'silent',
      opened: 20,
      closedByServer: 20,
      minClosedAfterMs: 10_050,
      maxClosedAfterMs: 10_950,
      limitMs: 10_000,
      graceMs: 1_500,
    },
  ],
  fds: { before: 23, peak: 123, after: 23 },
  latencyDuringMs: 1,
  latencyBeforeMs: 1,
  stackTraces: 0,
};

describe('evaluateSlowClients', () => {
  it('meets every target when each connection closed just after its limit', () => {
    expect(evaluateSlowClients(slowClients).every((c) => c.met)).toBe(true);
  });

  it('misses when the server closed later than its limit plus the grace', () => {
    const group = { ...slowClients.groups[0], maxClosedAfterMs: 11_600 };
    expect(evaluateSlowClients({ ...slowClients, groups: [group] })[0].met).toBe(false);
  });

  it('misses when the server closed before its limit (some other cause)', () => {
    const group = { ...slowClients.groups[0], minClosedAfterMs: 2_000 };
    expect(evaluateSlowClients({ ...slowClients, groups: [group] })[0].met).toBe(false);
  });

  it('misses when file descriptors stayed open afterwards', () => {
    const checks = evaluateSlowClients({
      ...slowClients,
      fds: { before: 23, peak: 123, after: 24 },
    });
    expect(byName(checks, 'open file descriptors').met).toBe(false);
  });
});
