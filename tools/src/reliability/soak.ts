// Soak: the built app under steady load for a minute, then errors, memory growth and event-loop
// delay against issue 9's targets.
//   npx nx run tools:reliability-soak [-- --duration 60 --connections 100 --node-flags="..." --write]
import { rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { rssMiB } from '../benchmark/server-process';
import { parseNodeFlags, renderChecks } from './checks';
import {
  describeMachine,
  exitWithin,
  recordSection,
  sleep,
  stackTracesIn,
  startApp,
} from './harness';
import { readCli, runCli } from '@hello-world/cli';
import { evaluateSoak } from './verdicts';

const values = readCli({
  name: 'tools:reliability-soak',
  usage: `usage: nx run tools:reliability-soak [-- --duration S (default 60)] [--connections N (default 100)] [--rss-reference S (default 20)] [--node-flags="..."] [--write]
The built app under steady load, then errors, memory growth and event-loop delay against their targets; --write also records the run in docs/reliability.md.
Exit codes: 0 every check met, 1 a check missed or the run failed, 2 bad usage or setup.`,
  options: {
    duration: { type: 'number', default: 60, min: 1 },
    connections: { type: 'number', default: 100, min: 1, integer: true },
    'rss-reference': { type: 'number', default: 20 },
    'node-flags': { type: 'string', parse: parseNodeFlags },
    write: { type: 'boolean' },
  },
});
const nodeFlags = values['node-flags'];
const durationS = values.duration;
const connections = values.connections;
const referenceS = values['rss-reference'];

async function main(): Promise<boolean> {
  const machine = describeMachine();
  // With GC exposed, the probe also tells the JS heap in use from the heap V8 merely keeps.
  const app = await startApp('soak', { probe: 'with-gc', nodeFlags });
  // A new window for the delay histogram: start-up is not part of the soak.
  const atStart = await app.probe();

  const rss: Array<{ atS: number; mib: number }> = [];
  const started = performance.now();
  const sampler = setInterval(
    () => rss.push({ atS: (performance.now() - started) / 1000, mib: rssMiB(app.pid) }),
    1_000,
  );
  const result = await autocannon({
    url: `http://127.0.0.1:${app.port}/`,
    connections,
    duration: durationS,
    pipelining: 1,
  });
  clearInterval(sampler);
  const rssAtEnd = rssMiB(app.pid);
  const { loopDelay, memoryMiB, memoryAfterGcMiB } = await app.probe();
  await sleep(600); // the app flushes its buffered log every 500 ms
  const stackTraces = stackTracesIn(app).length;
  app.child.kill('SIGTERM');
  const exit = await exitWithin(app, 10_000);

  const reference = rss.find((sample) => sample.atS >= referenceS) ?? rss[0];
  const checks = evaluateSoak({
    durationS,
    connections,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyP99Ms: result.latency.p99,
    errors: result.errors, // autocannon counts timeouts among the errors
    non2xx: result.non2xx,
    rssReference: { atS: reference.atS, mib: reference.mib },
    rssEnd: { atS: durationS, mib: rssAtEnd },
    rssMaxMiB: Math.max(rssAtEnd, ...rss.map((s) => s.mib)),
    loopDelay,
    heap: {
      totalAtEndMiB: memoryMiB.heapTotal,
      usedAfterGcAtStartMiB: atStart.memoryAfterGcMiB?.heapUsed ?? Number.NaN,
      usedAfterGcAtEndMiB: memoryAfterGcMiB?.heapUsed ?? Number.NaN,
    },
    stackTraces,
    exitCode: exit.code,
  });
  const table = renderChecks(checks);
  console.log(table);
  const passed = checks.every((c) => c.met);
  if (passed) rmSync(app.logFile, { force: true });
  else console.log(`the app's output is kept in ${app.logFile}`);

  if (values.write) {
    await recordSection(
      nodeFlags.length === 0 ? 'soak' : 'soak-with-node-flags',
      [
        nodeFlags.length === 0 ? '## Soak' : `## Soak, app started with \`${nodeFlags.join(' ')}\``,
        '',
        machine,
        '',
        `autocannon in the script's process, ${connections} keep-alive connections to \`GET /\` for ${durationS} s against \`dist/apps/hello-world/main.js\` (LOG_LEVEL=info, output to a file); RSS from \`/proc/PID/status\` every second; event-loop delay inside the server by \`node --require tools/src/reliability/probe-preload.cjs\` (perf_hooks.monitorEventLoopDelay, 10 ms resolution, reset after start-up); the app runs with \`--expose-gc\` so the probe can also report the JS heap in use after a full GC, at the start and after the load (after RSS was read).`,
        '',
        table,
        '',
        `Command: \`npx nx run tools:reliability-soak -- ${nodeFlags.length === 0 ? '' : `--node-flags="${nodeFlags.join(' ')}" `}--write\``,
      ].join('\n'),
    );
  }
  return passed;
}

runCli('tools:reliability-soak', main);
