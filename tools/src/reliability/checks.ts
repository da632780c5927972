// Pure helpers shared by the reliability scripts: checks, tables, and reading what a server said.

/** One requirement of issue 9 as measured in one run. */
export interface Check {
  name: string;
  measured: string;
  target: string;
  met: boolean;
}

/** A Markdown table of checks, a failed one in bold. */
export function renderChecks(checks: Check[]): string {
  return [
    '| check | measured | target | |',
    '|---|---|---|---|',
    ...checks.map(
      (c) => `| ${c.name} | ${c.measured} | ${c.target} | ${c.met ? 'met' : '**missed**'} |`,
    ),
  ].join('\n');
}

/** True when `value` differs from `reference` by at most `fraction` of the reference. */
export function withinFraction(value: number, reference: number, fraction: number): boolean {
  return reference > 0 && Math.abs(value - reference) <= reference * fraction;
}

/** Signed change from `reference` to `value` as a percentage string, e.g. `+3.2 %`. */
export function percentChange(value: number, reference: number): string {
  const change = ((value - reference) / reference) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)} %`;
}

// A V8 stack frame line ("    at fn (file:1:2)" / "    at file:1:2") or a logged `stack` field.
const STACK_FRAME = /^\s+at (?:.+ \()?(?:node:|file:|\/|[A-Za-z]:\\|<anonymous>).*\)?$/;
const STACK_FIELD = /"stack":\s*"/;

/** The lines of a log that show a stack trace, in order. */
export function findStackTraces(log: string): string[] {
  return log.split('\n').filter((line) => STACK_FRAME.test(line) || STACK_FIELD.test(line));
}

/**
 * Status code of every HTTP response in raw bytes read from a socket (pipelining gives several,
 * back to back). The service's bodies never contain a status line, so a plain scan is enough.
 */
export function responseStatuses(raw: string): number[] {
  return [...raw.matchAll(/HTTP\/\d\.\d (\d{3}) /g)].map((m) => Number(m[1]));
}

/** Counts of each value. */
export function tally(values: Iterable<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** `200 × 5, 404 × 2` in key order, or `none`. */
export function formatTally(counts: Record<string, number>): string {
  const keys = Object.keys(counts).sort();
  return keys.length === 0 ? 'none' : keys.map((k) => `${k} × ${counts[k]}`).join(', ');
}

/** The p-th percentile (0-100) by nearest rank of a non-empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** V8/Node flags for the app under test from `--node-flags "..."` (none: run it as shipped). */
export function parseNodeFlags(raw: string | undefined): string[] {
  const flags = (raw ?? '').split(/\s+/).filter(Boolean);
  const bad = flags.find((flag) => !/^--[a-z0-9-]+(=[\w.-]+)?$/.test(flag));
  if (bad)
    throw new Error(
      `--node-flags: ${JSON.stringify(bad)} is not a node flag like --max-semi-space-size=16`,
    );
  return flags;
}
