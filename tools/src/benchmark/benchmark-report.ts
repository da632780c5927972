/** Name of our marked section of docs/benchmarks.md (see ../docs/replace-section). */
export const IMAGE_SECTION = 'image-benchmark';

/** Budget for the app's own layers above the base image. */
export const APP_LAYERS_BUDGET_BYTES = 10 * 1000 * 1000;

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface ImageBenchmark {
  date: string;
  command: string;
  engine: string;
  image: string;
  baseImage: string;
  defaultBaseImage: string;
  imageBytes: number;
  baseBytes: number;
  /** Non-empty layers above the base: size and the instruction that made them. */
  appLayers: { bytes: number; createdBy: string }[];
  runs: number;
  runFlags: string;
  healthInterval: string;
  /** docker run → first 200 from GET / (the app). */
  firstResponseMs: Spread;
  /** docker run → first 200 from a one-line node:http server on the same base and limits. */
  baselineFirstResponseMs: Spread;
  /** docker run → Docker health status healthy. */
  healthyMs: Spread;
}

export function summarize(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const ms = (s: Spread) =>
  `${Math.round(s.median)} ms | ${Math.round(s.min)} ms | ${Math.round(s.max)} ms`;

/** The Markdown that goes between the image-benchmark markers. */
export function renderImageBenchmark(b: ImageBenchmark): string {
  const appBytes = b.imageBytes - b.baseBytes;
  const within = appBytes <= APP_LAYERS_BUDGET_BYTES;
  return [
    '## Container image',
    '',
    `Measured ${b.date} on Docker ${b.engine} by \`${b.command}\`. Base image \`${b.baseImage}\`` +
      (b.baseImage === b.defaultBaseImage
        ? '.'
        : ` (this machine's stand-in for the Dockerfile default \`${b.defaultBaseImage}\`; the total size depends on the base, the app's layers do not).`),
    '',
    '| Size (uncompressed) | |',
    '| --- | --- |',
    `| image total | ${mb(b.imageBytes)} |`,
    `| base image | ${mb(b.baseBytes)} |`,
    `| app's own layers | ${mb(appBytes)} (budget ≤ ${mb(APP_LAYERS_BUDGET_BYTES)}: ${within ? 'within' : '**over**'}) |`,
    '',
    "App's layers above the base:",
    '',
    '| Size | Instruction |',
    '| --- | --- |',
    ...b.appLayers.map(
      (l) => `| ${(l.bytes / 1000).toFixed(1)} kB | \`${l.createdBy.replace(/\|/g, '\\|')}\` |`,
    ),
    '',
    `Start-up, ${b.runs} runs each, \`docker run ${b.runFlags}\` (the Fargate task's limits) to:`,
    '',
    '| | median | min | max |',
    '| --- | --- | --- | --- |',
    `| first \`GET /\` answered, hello-world (\`--no-healthcheck\`) | ${ms(b.firstResponseMs)} |`,
    `| first \`GET /\` answered, baseline: one-line \`node:http\` server on the same base (\`--no-healthcheck\`) | ${ms(b.baselineFirstResponseMs)} |`,
    `| Docker health status \`healthy\`, hello-world (\`--health-interval ${b.healthInterval}\`, separate runs) | ${ms(b.healthyMs)} |`,
    '',
    `Of the median ${Math.round(b.firstResponseMs.median)} ms to the first answer, starting a container with node`,
    `(the baseline) takes ${Math.round(b.baselineFirstResponseMs.median)} ms; the rest is the service's own start under a quarter CPU.`,
    `Docker reports healthy ${Math.round(b.healthyMs.median - b.firstResponseMs.median)} ms later than the first answer (up to one health interval`,
    "plus the check itself; the image's default interval is 10 s, and ECS runs the task definition's own check).",
    'The machine is shared with other jobs, so compare rows of one run, not runs.',
  ].join('\n');
}

/** The command that reproduces this run, with the base image actually used when it was set. */
export function benchmarkCommand(baseImageEnv: string | undefined): string {
  const shellWord = (text: string) =>
    /^[\w./:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
  return `${baseImageEnv ? `BASE_IMAGE=${shellWord(baseImageEnv)} ` : ''}npx nx run tools:benchmark-image -- --write`;
}
