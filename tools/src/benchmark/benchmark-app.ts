// Benchmarks the built app against raw node:http in the same run, each server on one core.
//   npx nx run tools:benchmark-app [-- --duration 20 --connections 50 --write]
// Prints the comparison; with --write also records it in docs/benchmarks.md.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { compareWithBaseline, median, renderVerdicts, type ServerMeasurement } from './compare';
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
import { replaceSection } from '../docs/replace-section';

const RAW = join(__dirname, 'raw-http-server.cjs');
const DOC = join(root, 'docs', 'benchmarks.md');

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    'cold-starts': { type: 'string', default: '15' },
    port: { type: 'string', default: '49180' },
    write: { type: 'boolean', default: false },
  },
});
const durationS = Number(values.duration);
const connections = Number(values.connections);
const warmupS = Number(values.warmup);
const coldStarts = Number(values['cold-starts']);
const port = Number(values.port);

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

function load(duration: number): Promise<autocannon.Result> {
  return autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration, pipelining: 1 });
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
    `${name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms\n`,
  );
  return {
    name,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    rssMiB: rss,
    coldStartMs,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function main(): Promise<void> {
  if (!existsSync(APP)) {
    console.error(
      'benchmark-app: dist/apps/hello-world/main.js is missing; run `npx nx run hello-world:build` first',
    );
    process.exit(2);
  }
  const baseline = await measure('raw node:http', RAW);
  const app = await measure('hello-world', APP);
  const verdicts = compareWithBaseline(app, baseline);
  const table = renderVerdicts(verdicts);
  console.log(table);

  const section = [
    '## The service against raw node:http',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${platform()} ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.`,
    `Each server ${hasTaskset ? `pinned to core ${serverCore} with taskset` : 'unpinned (no taskset)'}; autocannon in the benchmark process, ${connections} connections, ${warmupS} s warm-up, then ${durationS} s measured; cold start is the median of ${coldStarts} spawns to the first 200.`,
    '',
    table,
    '',
    'Command: `npx nx run tools:benchmark-app -- --write`',
  ].join('\n');
  if (values.write) {
    const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
    writeFileSync(DOC, replaceSection(doc, 'app-benchmark', section));
    console.log(`recorded in ${DOC}`);
  }
  process.exitCode = verdicts.every((v) => v.met) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(`benchmark-app: ${(error as Error).message}`);
  process.exit(1);
});
