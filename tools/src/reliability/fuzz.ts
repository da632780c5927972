// Hostile input: at least 10,000 malformed or abusive connections on raw sockets, slowloris and
// idle connections alongside; then the server must still serve normally, having never answered
// 5xx nor printed a stack trace, with its memory back where it started.
//   npx nx run tools:reliability-fuzz [-- --cases 10000 --concurrency 32 --seed 9 --node-flags="..." --write]
import autocannon from 'autocannon';
import { openFds, rssMiB } from '../benchmark/server-process';
import { parseNodeFlags, renderChecks, tally } from './checks';
import { FUZZ_CATEGORIES, generateFuzzCases } from './fuzz-cases';
import {
  SERVER_LIMITS,
  describeMachine,
  exitWithin,
  exchangeRaw,
  forEachLimited,
  holdConnection,
  medianLatencyMs,
  recordSection,
  sleep,
  stackTracesIn,
  startApp,
  waitFor,
} from './harness';
import { readCli, runCli } from '@hello-world/cli';
import { evaluateFuzz } from './verdicts';

const values = readCli({
  name: 'tools:reliability-fuzz',
  usage: `usage: nx run tools:reliability-fuzz [-- --cases N (default 10000)] [--concurrency N (default 32)] [--slow N (default 40)] [--seed N (default 9)] [--warmup-cases N (default 10000)] [--node-flags="..."] [--write]
Malformed and abusive connections against the built app, then it must still serve normally; --write also records the run in docs/reliability.md.
Exit codes: 0 every check met, 1 a check missed or the run failed, 2 bad usage or setup.`,
  options: {
    cases: { type: 'number', default: 10000, min: 1, integer: true },
    concurrency: { type: 'number', default: 32, min: 1, integer: true },
    slow: { type: 'number', default: 40, integer: true },
    seed: { type: 'number', default: 9, integer: true },
    'warmup-cases': { type: 'number', default: 10000, integer: true },
    'node-flags': { type: 'string', parse: parseNodeFlags },
    write: { type: 'boolean' },
  },
});
const nodeFlags = values['node-flags'];
const caseCount = values.cases;
const concurrency = values.concurrency;
const slowCount = values.slow;
const seed = values.seed;
const warmupCases = values['warmup-cases'];

/** Sends cases and tallies what came back. */
async function flood(port: number, count: number, caseSeed: number) {
  const statuses: number[] = [];
  const outcomes: string[] = [];
  let requests = 0;
  let cases = 0;
  await forEachLimited(generateFuzzCases(count, caseSeed), concurrency, async (fuzzCase) => {
    const result = await exchangeRaw(port, fuzzCase.payload, {
      end: fuzzCase.end,
      deadlineMs: fuzzCase.end ? 5_000 : 500,
    });
    cases++;
    requests += fuzzCase.requests;
    statuses.push(...result.statuses);
    outcomes.push(result.outcome);
  });
  return { cases, requests, statuses, outcomes };
}

async function main(): Promise<boolean> {
  const machine = describeMachine();
  const app = await startApp('fuzz', { probe: 'with-gc', nodeFlags });
  // Warm up first, so "the start" is a server at its working size, not one that just booted:
  // valid traffic, then a round of hostile cases from another seed. V8 grows its young
  // generation for bursts of big or pipelined input and keeps the pages (RSS stays up while a
  // full GC brings the JS heap back), so the cold figures are reported beside the checked ones.
  await autocannon({ url: `http://127.0.0.1:${app.port}/`, connections: 10, amount: 3_000 });
  await sleep(1_000);
  const rssColdMiB = rssMiB(app.pid);
  const cold = await app.probe();
  const warmup = await flood(app.port, warmupCases, seed + 1);
  await sleep(1_000);
  const fdsBefore = openFds(app.pid);
  const rssStartMiB = rssMiB(app.pid);
  const start = await app.probe();
  const latencyBeforeMs = await medianLatencyMs(app.port, 100);

  const started = performance.now();
  // Slowloris (a header byte every 500 ms, never finished) and idle connections (never a byte),
  // half each, held alongside the flood; the client gives up well after the headers timeout.
  const deadlineMs = SERVER_LIMITS.headersTimeoutMs + 5_000;
  const slow = Promise.all(
    Array.from({ length: slowCount }, (_, i) =>
      i % 2 === 0
        ? holdConnection(app.port, {
            initial: 'GET / HTTP/1.1\r\nHost: localhost\r\n',
            dribble: { text: 'X-Slowloris: dribble\r\n', everyMs: 500 },
            deadlineMs,
          })
        : holdConnection(app.port, { deadlineMs }),
    ),
  );

  const { cases, requests, statuses, outcomes } = await flood(app.port, caseCount, seed);
  const held = await slow;
  const durationS = (performance.now() - started) / 1000;

  // Whatever the server still holds must go by its own timeouts; then measure it at rest.
  await waitFor(() => openFds(app.pid) <= fdsBefore, SERVER_LIMITS.requestTimeoutMs + 5_000, 250);
  await sleep(1_000);
  const rssEndMiB = rssMiB(app.pid);
  const end = await app.probe();
  const latencyAfterMs = await medianLatencyMs(app.port, 100);
  await sleep(600); // the app flushes its buffered log every 500 ms
  const stackTraces = stackTracesIn(app);
  app.child.kill('SIGTERM');
  await exitWithin(app, 10_000);

  const checks = evaluateFuzz({
    cases,
    requests,
    durationS,
    statuses: tally(statuses),
    outcomes: tally(outcomes),
    slow: {
      opened: held.length,
      closedByServer: held.filter((h) => h.closedByServer).length,
      maxClosedAfterMs: Math.max(...held.map((h) => h.closedAtMs)),
    },
    latencyBeforeMs,
    latencyAfterMs,
    rssColdMiB,
    rssStartMiB,
    rssEndMiB,
    warmup: { cases: warmup.cases, statuses: tally(warmup.statuses) },
    heapAfterGcMiB: {
      cold: cold.memoryAfterGcMiB?.heapUsed ?? NaN,
      start: start.memoryAfterGcMiB?.heapUsed ?? NaN,
      end: end.memoryAfterGcMiB?.heapUsed ?? NaN,
    },
    stackTraces: stackTraces.length,
  });
  const table = renderChecks(checks);
  console.log(table);
  for (const line of stackTraces.slice(0, 5)) console.log(`stack trace: ${line}`);
  const passed = checks.every((c) => c.met);
  console.log(passed ? '' : `the app's output is kept in ${app.logFile}`);

  if (values.write) {
    const perCategory = Math.ceil(caseCount / FUZZ_CATEGORIES.length);
    await recordSection(
      nodeFlags.length === 0 ? 'fuzz' : 'fuzz-with-node-flags',
      [
        nodeFlags.length === 0
          ? '## Hostile input'
          : `## Hostile input, app started with \`${nodeFlags.join(' ')}\``,
        '',
        machine,
        '',
        `${caseCount} connections from \`tools/src/reliability/fuzz-cases.ts\` (seed ${seed}, the same bytes every run), ${concurrency} at a time, about ${perCategory} of each kind: ${FUZZ_CATEGORIES.join(', ')}. Each connection writes its bytes and half-closes (a tenth of the truncated ones are left hanging and abandoned by the client after 0.5 s). Alongside: ${slowCount / 2} slowloris connections (request line, then one header byte every 500 ms, never finished) and ${slowCount / 2} idle ones (never a byte). Before: 3000 valid requests, then ${warmupCases} hostile connections from seed ${seed + 1} as warm-up, then RSS and the median of 100 \`GET /\` on fresh connections; after: the same once the server's open file descriptors were back to the start. Output (stdout and stderr, LOG_LEVEL=info) scanned for stack-trace lines.`,
        '',
        table,
        '',
        `Command: \`npx nx run tools:reliability-fuzz -- ${nodeFlags.length === 0 ? '' : `--node-flags="${nodeFlags.join(' ')}" `}--write\``,
      ].join('\n'),
    );
  }
  return passed;
}

runCli('tools:reliability-fuzz', main);
