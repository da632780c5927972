/** What one server scored in one benchmark run. */
export interface ServerMeasurement {
  name: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Resident set size after the load, MiB. */
  rssMiB: number;
  /** Median time from spawn to the first 200, ms. */
  coldStartMs: number;
  /** Non-2xx answers plus socket errors and timeouts during the load. */
  errors: number;
}

/** The targets, each as a limit on the ratio app/baseline or an absolute value. */
export const TARGETS = {
  minThroughputRatio: 0.45,
  maxP99Ratio: 3,
  maxRssMiB: 100,
  maxColdStartRatio: 2,
} as const;

export interface Verdict {
  metric: string;
  app: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const ratioOf = (app: number, baseline: number) =>
  baseline === 0 ? Number.POSITIVE_INFINITY : app / baseline;

/** Compares the app with the baseline measured in the same run, metric by metric. */
export function compareWithBaseline(
  app: ServerMeasurement,
  baseline: ServerMeasurement,
): Verdict[] {
  const throughput = ratioOf(app.requestsPerSecond, baseline.requestsPerSecond);
  const p50 = ratioOf(app.latencyP50Ms, baseline.latencyP50Ms);
  const p99 = ratioOf(app.latencyP99Ms, baseline.latencyP99Ms);
  const rss = ratioOf(app.rssMiB, baseline.rssMiB);
  const coldStart = ratioOf(app.coldStartMs, baseline.coldStartMs);
  return [
    {
      metric: 'throughput (req/s)',
      app: fixed(app.requestsPerSecond, 0),
      baseline: fixed(baseline.requestsPerSecond, 0),
      ratio: `${fixed(throughput, 2)}×`,
      target: `≥ ${TARGETS.minThroughputRatio}×`,
      met: throughput >= TARGETS.minThroughputRatio,
    },
    {
      metric: 'latency p50 (ms)',
      app: fixed(app.latencyP50Ms, 2),
      baseline: fixed(baseline.latencyP50Ms, 2),
      ratio: `${fixed(p50, 2)}×`,
      target: '—',
      met: true,
    },
    {
      metric: 'latency p99 (ms)',
      app: fixed(app.latencyP99Ms, 2),
      baseline: fixed(baseline.latencyP99Ms, 2),
      ratio: `${fixed(p99, 2)}×`,
      target: `≤ ${TARGETS.maxP99Ratio}×`,
      met: p99 <= TARGETS.maxP99Ratio,
    },
    {
      metric: 'RSS after load (MiB)',
      app: fixed(app.rssMiB),
      baseline: fixed(baseline.rssMiB),
      ratio: `${fixed(rss, 2)}×`,
      target: `≤ ${TARGETS.maxRssMiB} MiB`,
      met: app.rssMiB <= TARGETS.maxRssMiB,
    },
    {
      metric: 'cold start, spawn → first 200 (ms)',
      app: fixed(app.coldStartMs),
      baseline: fixed(baseline.coldStartMs),
      ratio: `${fixed(coldStart, 2)}×`,
      target: `≤ ${TARGETS.maxColdStartRatio}×`,
      met: coldStart <= TARGETS.maxColdStartRatio,
    },
    {
      metric: 'errors + non-2xx',
      app: String(app.errors),
      baseline: String(baseline.errors),
      ratio: '—',
      target: '0',
      met: app.errors === 0,
    },
  ];
}

/** A Markdown table of the verdicts. */
export function renderVerdicts(verdicts: Verdict[]): string {
  const rows = verdicts.map(
    (v) =>
      `| ${v.metric} | ${v.app} | ${v.baseline} | ${v.ratio} | ${v.target} | ${v.met ? 'met' : '**missed**'} |`,
  );
  return [
    '| metric | app | raw node:http | ratio | target | |',
    '|---|---:|---:|---:|---|---|',
    ...rows,
  ].join('\n');
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
