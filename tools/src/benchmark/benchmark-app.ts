// Benchmarks the built app against raw node:http in the same run, each server on one core.
//   npx nx run tools:benchmark-app [-- --duration 20 --connections 50 --write]
// Prints the comparison; with --write also records it in docs/benchmarks.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { compareWithBaseline, median, renderVerdicts, type ServerMeasurement } from './compare';
import { replaceSection } from '../docs/replace-section';

const root = join(__dirname, '..', '..', '..');
const APP = join(root, 'dist', 'apps', 'hello-world', 'main.js');
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

// Node start-up is measured without this machine's extra CA bundle, which adds ~40 ms to any start.
const childEnv = { ...process.env, NODE_EXTRA_CA_CERTS: '', LOG_LEVEL: 'info' };
delete childEnv.NODE_EXTRA_CA_CERTS;
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const serverCore = cpus().length > 1 ? '1' : '0';

function spawnServer(file: string): ChildProcess {
  const args = [file, '-b', '127.0.0.1', '-p', String(port)];
  const [command, argv] = hasTaskset
    ? ['taskset', ['-c', serverCore, process.execPath, ...args]]
    : [process.execPath, args];
  return spawn(command, argv as string[], { env: childEnv, stdio: 'ignore' });
}

function getStatus(): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function untilServing(): Promise<number> {
  const started = performance.now();
  for (;;) {
    if ((await getStatus()) === 200) return performance.now() - started;
    if (performance.now() - started > 10_000) throw new Error('server did not answer within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

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

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
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
