// Image size and start-up benchmark; prints the image section of docs/benchmarks.md, and with
// --write also records it there.
//   npx nx run tools:benchmark-image [-- --write]
//   BASE_IMAGE=<local node:24 image> npx nx run tools:benchmark-image   (where Docker Hub is out of reach)
// Builds with `nx run hello-world:docker-build --allow-dirty`, then starts the image RUNS times with
// the Fargate task's limits, timing the first answer and Docker's healthy status, against a
// one-line node:http server on the same base as the baseline.
import { APP_PORT } from '@hello-world/shared';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  APP_LAYERS_BUDGET_BYTES,
  benchmarkCommand,
  renderImageBenchmark,
  IMAGE_SECTION,
  summarize,
} from './benchmark-report';
import {
  DOCKERFILE,
  FARGATE_LIKE_RUN_FLAGS,
  parseBuiltImage,
  runNxTarget,
} from '@hello-world/image';
import { workspaceRoot } from '../workspace';
import { readCli, runCli, writeDocSection } from '@hello-world/cli';

const NAME = 'tools:benchmark-image';
const values = readCli({
  name: NAME,
  usage: `usage: [BASE_IMAGE=<node:24 image>] nx run tools:benchmark-image [-- --write]
Builds the image with nx run hello-world:docker-build, then measures its size and start-up under the Fargate task's limits against a one-line node:http server on the same base, and prints the section; --write also records it in docs/benchmarks.md. Needs Docker.
Exit codes: 0 the run completed within the budget, 1 the run failed or the app's layers are over budget, 2 bad usage.`,
  options: { write: { type: 'boolean' } },
});

const RUNS = 5;
const HEALTH_INTERVAL = '500ms';
// NODE_EXTRA_CA_CERTS is set by this machine's stand-in base image (not by the official one) and
// adds ~38 ms to every node start: cleared so the numbers match the real base.
const RUN_FLAGS = [...FARGATE_LIKE_RUN_FLAGS, '--env', 'NODE_EXTRA_CA_CERTS='];
const DOCS = join(workspaceRoot, 'docs', 'benchmarks.md');

function docker(...args: string[]): string {
  const result = spawnSync('docker', args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`docker ${args[0]} failed: ${(result.stderr || String(result.error)).trim()}`);
  return result.stdout.trim();
}

/**
 * docker run → the first 200 on / (health checks off: they would share the quarter CPU), or,
 * with a health interval, → Docker's healthy status (nothing else polled). In ms; the container
 * is removed afterwards.
 */
async function timeStart(
  image: string,
  command: string[],
  healthInterval?: string,
): Promise<number> {
  const started = performance.now();
  const id = docker(
    'run',
    '--detach',
    ...RUN_FLAGS,
    ...(healthInterval ? ['--health-interval', healthInterval] : ['--no-healthcheck']),
    '--publish',
    `127.0.0.1::${APP_PORT}`,
    image,
    ...command,
  );
  try {
    const url = `http://${docker('port', id, String(APP_PORT)).split('\n')[0]}/`;
    for (;;) {
      if (performance.now() - started > 60_000)
        throw new Error(`${image} did not come up within 60 s`);
      const up = healthInterval
        ? docker('inspect', '--format', '{{.State.Health.Status}}', id) === 'healthy'
        : await fetch(url).then(
            (r) => r.ok,
            () => false,
          );
      if (up) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    spawnSync('docker', ['rm', '--force', id]);
  }
}

async function main(): Promise<number> {
  const build = runNxTarget('hello-world:docker-build', ['--allow-dirty']);
  const image = parseBuiltImage(build.output);
  if (build.status !== 0 || !image) {
    process.stderr.write(`${build.output.slice(-2000)}\n`);
    throw new Error('nx run hello-world:docker-build failed (its output is above)');
  }
  const defaultBaseImage =
    /^ARG BASE_IMAGE=(\S+)$/m.exec(readFileSync(join(workspaceRoot, DOCKERFILE), 'utf8'))?.[1] ??
    '';
  const baseImage = process.env['BASE_IMAGE'] || defaultBaseImage;

  const size = (ref: string) => Number(docker('image', 'inspect', '--format', '{{.Size}}', ref));
  const history = (ref: string) =>
    docker(
      'history',
      '--human=false',
      '--no-trunc',
      '--format',
      '{{.Size}}\t{{.CreatedBy}}',
      ref,
    ).split('\n');
  const above = history(image).slice(0, history(image).length - history(baseImage).length);
  const appLayers = above
    .map((line) => ({ bytes: Number(line.split('\t')[0]), createdBy: line.split('\t')[1] ?? '' }))
    .filter((l) => l.bytes > 0);

  const baselineServer = `require('http').createServer((q,s)=>s.end('ok')).listen(${APP_PORT})`;
  const app: number[] = [];
  const baseline: number[] = [];
  const healthy: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    app.push(await timeStart(image, []));
    baseline.push(await timeStart(baseImage, ['node', '-e', baselineServer]));
    healthy.push(await timeStart(image, [], HEALTH_INTERVAL));
  }

  const benchmark = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: benchmarkCommand(process.env['BASE_IMAGE']),
    engine: docker('version', '--format', '{{.Server.Version}}'),
    image,
    baseImage,
    defaultBaseImage,
    imageBytes: size(image),
    baseBytes: size(baseImage),
    appLayers,
    runs: RUNS,
    runFlags: RUN_FLAGS.join(' '),
    healthInterval: HEALTH_INTERVAL,
    firstResponseMs: summarize(app),
    baselineFirstResponseMs: summarize(baseline),
    healthyMs: summarize(healthy),
  };
  const section = renderImageBenchmark(benchmark);
  console.log(section);
  if (values.write) {
    mkdirSync(dirname(DOCS), { recursive: true });
    await writeDocSection(DOCS, IMAGE_SECTION, section);
    console.log(`recorded in ${DOCS}`);
  }
  if (benchmark.imageBytes - benchmark.baseBytes > APP_LAYERS_BUDGET_BYTES) {
    process.stderr.write(
      `${NAME}: the app's layers are over the ${APP_LAYERS_BUDGET_BYTES / 1e6} MB budget\n`,
    );
    return 1;
  }
  return 0;
}

runCli(NAME, main);
