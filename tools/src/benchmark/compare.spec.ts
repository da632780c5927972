import { compareWithBaseline, median, renderVerdicts, type ServerMeasurement } from './compare';

const baseline: ServerMeasurement = {
  name: 'raw',
  requestsPerSecond: 20_000,
  latencyP50Ms: 2,
  latencyP99Ms: 4,
  rssMiB: 50,
  coldStartMs: 40,
  errors: 0,
};

describe('compareWithBaseline', () => {
  it('meets every target when the app is close to the baseline', () => {
    const app = {
      ...baseline,
      name: 'app',
      requestsPerSecond: 10_000,
      latencyP99Ms: 8,
      rssMiB: 70,
      coldStartMs: 70,
    };
    expect(compareWithBaseline(app, baseline).every((v) => v.met)).toBe(true);
  });

  it('misses throughput below 0.45× and reports the ratio', () => {
    const app = { ...baseline, requestsPerSecond: 8_000 };
    const throughput = compareWithBaseline(app, baseline)[0];
    expect(throughput).toMatchObject({ ratio: '0.40×', met: false });
  });

  it('misses p99 above 3×, RSS above 100 MiB, cold start above 2× and any error', () => {
    const app = { ...baseline, latencyP99Ms: 13, rssMiB: 101, coldStartMs: 81, errors: 1 };
    const missed = compareWithBaseline(app, baseline)
      .filter((v) => !v.met)
      .map((v) => v.metric);
    expect(missed).toEqual([
      'latency p99 (ms)',
      'RSS after load (MiB)',
      'cold start, spawn → first 200 (ms)',
      'errors + non-2xx',
    ]);
  });
});

describe('renderVerdicts', () => {
  it('marks a missed target in bold', () => {
    const table = renderVerdicts(compareWithBaseline({ ...baseline, errors: 3 }, baseline));
    expect(table).toContain('| errors + non-2xx | 3 | 0 | — | 0 | **missed** |');
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
