// Benchmarks the built app against raw node:http in the same run, each server on one core and the
// load generator (wrk, else autocannon's CLI) as its own process on another core.
//   npx nx run tools:benchmark-app [-- --duration 20 --connections 50 --load wrk|autocannon --write]
// Prints the comparison; with --write also records it in docs/benchmarks.md. Exits 0 when the run
// completed, missed targets included (the table shows them); 1 only when the run itself failed.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { compareWithBaseline, median, renderVerdicts, type ServerMeasurement } from './compare';
import { loadCore, runLoad, runOutcome, type LoadResult, type LoadTool } from './load-generator';
import {
  APP_MAIN as APP,
  WORKSPACE_ROOT as root,
  hasTaskset,
  rssMiB,
  serverCore,
  spawnServer as spawnServerProcess,
  stop,
  untilServing as untilServingOn,
} from './server-process';
import { readCli, runCli, UsageError, writeDocSection } from '@hello-world/cli';

const RAW = join(__dirname, 'raw-http-server.cjs');
const DOC = join(root, 'docs', 'benchmarks.md');

const values = readCli({
  name: 'tools:benchmark-app',
  usage: `usage: nx run tools:benchmark-app [-- --duration S (default 20)] [--connections N (default 50)] [--warmup S (default 3)] [--cold-starts N (default 15)] [--port P (default 49180)] [--load wrk|autocannon] [--write]
Benchmarks the built app against raw node:http and prints the comparison; --write also records it in docs/benchmarks.md.
Exit codes: 0 the run completed (missed targets included), 1 the run failed, 2 bad usage or setup.`,
  options: {
    duration: { type: 'number', default: 20, min: 1 },
    connections: { type: 'number', default: 50, min: 1, integer: true },
    warmup: { type: 'number', default: 3 },
    'cold-starts': { type: 'number', default: 15, min: 1, integer: true },
    port: { type: 'number', default: 49180, min: 1, integer: true },
    load: {
      type: 'string',
      parse: (text: string | undefined): LoadTool | undefined => {
        if (text !== undefined && text !== 'wrk' && text !== 'autocannon')
          throw new UsageError(`--load takes wrk or autocannon, not ${text}`);
        return text;
      },
    },
    write: { type: 'boolean' },
  },
});
const durationS = values.duration;
const connections = values.connections;
const warmupS = values.warmup;
const coldStarts = values['cold-starts'];
const port = values.port;
const hasWrk = spawnSync('wrk', ['--version']).error === undefined;
const tool: LoadTool = values.load ?? (hasWrk ? 'wrk' : 'autocannon');
const core = hasTaskset ? loadCore(serverCore, cpus().length) : undefined;

const spawnServer = (file: string) => spawnServerProcess(file, { port });
const untilServing = () => untilServingOn(port);

async function coldStart(file: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < coldStarts; i++) {
    const started = performance.now();
    const child = spawnServer(file);
    await untilServing();
    samples.push(performance.now() - started);
    await stop(child);
  }
  return median(samples);
}

function load(durationS: number): Promise<LoadResult> {
  return runLoad(tool, { url: `http://127.0.0.1:${port}/`, connections, durationS, core });
}

async function measure(name: string, file: string): Promise<ServerMeasurement> {
  const coldStartMs = await coldStart(file);
  const child = spawnServer(file);
  await untilServing();
  await load(warmupS);
  const result = await load(durationS);
  const rss = rssMiB(child.pid as number);
  await stop(child);
  process.stderr.write(
    `${name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.latencyP99Ms} ms\n`,
  );
  return {
    name,
    requestsPerSecond: result.requestsPerSecond,
    latencyP50Ms: result.latencyP50Ms,
    latencyP99Ms: result.latencyP99Ms,
    rssMiB: rss,
    coldStartMs,
    errors: result.errors,
  };
}

async function main(): Promise<number> {
  if (!existsSync(APP)) {
    throw new UsageError(
      'dist/apps/hello-world/main.js is missing; run `npx nx run hello-world:build` first',
    );
  }
  const loadAtStart = loadavg().map((n) => n.toFixed(2));
  const baseline = await measure('raw node:http', RAW);
  const app = await measure('hello-world', APP);
  const verdicts = compareWithBaseline(app, baseline);
  const table = renderVerdicts(verdicts);
  console.log(table);

  const section = [
    '## The service against raw node:http',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${platform()} ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadAtStart.join(', ')} (1, 5, 15 min) at the start.`,
    `Each server ${hasTaskset ? `pinned to core ${serverCore} with taskset` : 'unpinned (no taskset)'}; ${tool === 'wrk' ? 'wrk (1 thread)' : "autocannon's CLI"} as its own process${core === undefined ? ', unpinned' : `, pinned to core ${core}`}, ${connections} connections, ${warmupS} s warm-up, then ${durationS} s measured; cold start is the median of ${coldStarts} spawns to the first 200.`,
    '',
    table,
    '',
    'Command: `npx nx run tools:benchmark-app -- --write`',
  ].join('\n');
  if (values.write) {
    await writeDocSection(DOC, 'app-benchmark', section, '# Benchmarks\n');
    console.log(`recorded in ${DOC}`);
  }
  const outcome = runOutcome(verdicts);
  console.log(outcome.line);
  return outcome.exitCode;
}

runCli('tools:benchmark-app', main);
