import {
  benchmarkCommand,
  renderImageBenchmark,
  summarize,
  type ImageBenchmark,
} from './benchmark-report';

const spread = { median: 700, min: 650, max: 900 };
const benchmark: ImageBenchmark = {
  date: '2026-11-25',
  command: 'npx tsx tools/src/benchmark/benchmark-image.ts',
  engine: '20.10.24',
  image: 'hello-world-ecr-ecs-fargate:sha-0f2e1f0-ecr-ecs-fargate',
  baseImage: 'local/node:24',
  defaultBaseImage: 'node:24.21.0-trixie-slim',
  imageBytes: 146_400_000,
  baseBytes: 146_093_011,
  appLayers: [{ bytes: 306_989, createdBy: 'COPY dist/apps/hello-world/main.js ./' }],
  runs: 5,
  runFlags: '--read-only --cpus 0.25 --memory 512m',
  healthInterval: '250ms',
  firstResponseMs: spread,
  baselineFirstResponseMs: spread,
  healthyMs: spread,
};

describe('summarize', () => {
  it('gives median, min and max of an even number of samples', () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });
});

describe('renderImageBenchmark', () => {
  it("reports the app's own layers against the 10 MB budget", () => {
    // GIVEN 0.31 MB above the base WHEN rendered THEN the row says it is within budget
    expect(renderImageBenchmark(benchmark)).toContain(
      "| app's own layers | 0.31 MB (budget ≤ 10.00 MB: within) |",
    );
  });

  it('flags app layers over budget', () => {
    const over = renderImageBenchmark({
      ...benchmark,
      imageBytes: benchmark.baseBytes + 12_000_000,
    });
    expect(over).toContain('12.00 MB (budget ≤ 10.00 MB: **over**)');
  });

  it('names the command and the stand-in base image', () => {
    const text = renderImageBenchmark(benchmark);
    expect(text).toContain('`npx tsx tools/src/benchmark/benchmark-image.ts`');
    expect(text).toContain('stand-in for the Dockerfile default `node:24.21.0-trixie-slim`');
  });
});

describe('benchmarkCommand', () => {
  it('GIVEN no BASE_IMAGE WHEN the command is recorded THEN it is the plain nx target with --write', () => {
    expect(benchmarkCommand(undefined)).toBe('npx nx run tools:benchmark-image -- --write');
    expect(benchmarkCommand('')).toBe('npx nx run tools:benchmark-image -- --write');
  });

  it('GIVEN a BASE_IMAGE WHEN the command is recorded THEN it names the image actually used', () => {
    expect(benchmarkCommand('local/node:24')).toBe(
      'BASE_IMAGE=local/node:24 npx nx run tools:benchmark-image -- --write',
    );
  });

  it('GIVEN a BASE_IMAGE with shell characters WHEN the command is recorded THEN it is quoted', () => {
    expect(benchmarkCommand("a b'c")).toBe(
      "BASE_IMAGE='a b'\\''c' npx nx run tools:benchmark-image -- --write",
    );
  });
});
