import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeApp } from '../synth-for-test';
import {
  DEFAULT_SYNTHESIZED_DIR,
  WORKSPACE_ROOT,
  copySynthesizedAssembly,
  renameStacks,
  resourceOfType,
  writeAssembly,
} from '../diagram/test-assembly';

const TSX_CLI = join(WORKSPACE_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function runCostIn(cwd: string, env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [TSX_CLI, join(__dirname, 'main.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}
// Where nx runs it: hello-world's deployment project.
const runCostWith = (env: Record<string, string>, ...args: string[]) =>
  runCostIn(join(WORKSPACE_ROOT, 'apps', 'infra'), env, ...args);
const runCost = (...args: string[]) => runCostWith({}, ...args);

describe('infra:cost', () => {
  jest.setTimeout(60_000);

  it('GIVEN the synthesized templates WHEN run with --json THEN it prints the estimate as JSON', () => {
    const run = runCost('--json');

    expect(run.status).toBe(0);
    const estimate = JSON.parse(run.stdout);
    expect(estimate).toEqual(expect.objectContaining({ region: 'eu-west-1', total: 17.1 }));
  });

  it('GIVEN the synthesized templates WHEN run THEN it first names the configuration it priced', () => {
    const run = runCost();

    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^Priced: \S+ · [\d.]+ vCPU, \d+ MiB · \d+ tasks? · /,
    );
  });

  it('GIVEN TASK_CPU and TASK_MEMORY_MIB other than at synth WHEN run THEN it refuses the stale templates in one line, exit 2', () => {
    // GIVEN templates synthesized with the defaults (the tools:test target synthesizes first)
    // WHEN priced as the README suggests for other sizes
    const run = runCostWith({ TASK_CPU: '1024', TASK_MEMORY_MIB: '3072' });

    // THEN nothing is priced, and the line says how to refresh
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^infra:cost: the synthesized templates were made with other settings \(TASK_CPU was .*, is "1024"; TASK_MEMORY_MIB was .*, is "3072"\): run `npx nx run infra:synth` .*\n$/,
    );
  });

  it('GIVEN a bad assumption WHEN run THEN one line explains and it exits 2', () => {
    const run = runCost('--image-mb', 'big');

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'infra:cost: --image-mb "big" is not a number ≥ 0, e.g. --image-mb 60\n',
    );
  });
});

describe('infra:cost setup errors', () => {
  jest.setTimeout(60_000);

  it('GIVEN no synthesized templates WHEN run THEN one line says to run infra:synth and it exits 2', () => {
    const run = runCost('--assembly', join(tmpdir(), 'no-such-assembly'));

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^infra:cost: No synthesized templates in .*: run `npx nx run infra:synth` first\.\n$/,
    );
  });

  it('GIVEN --write-docs and --check-docs WHEN run THEN it exits 2 with one line and writes nothing', () => {
    const run = runCost('--write-docs', '--check-docs');

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'infra:cost: --write-docs and --check-docs do not go together: pass one of --json, --write-docs, --check-docs\n',
    );
  });
});

describe('infra:cost docs section', () => {
  jest.setTimeout(60_000);

  it('GIVEN the synthesized templates WHEN docs/ARCHITECTURE.md is checked THEN its estimate is up to date', () => {
    const run = runCost('--check-docs');

    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      'infra:cost: the estimate in docs/ARCHITECTURE.md matches the synthesized templates\n',
    );
    expect(run.status).toBe(0);
  });

  it('GIVEN templates with two tasks WHEN docs/ARCHITECTURE.md is checked THEN its estimate is reported stale', () => {
    const assembly = copySynthesizedAssembly();
    resourceOfType(assembly, 'AWS::ECS::Service').Properties['DesiredCount'] = 2;
    const dir = mkdtempSync(join(tmpdir(), 'assembly-two-tasks-'));
    writeAssembly(assembly, dir);

    const run = runCost('--check-docs', '--assembly', dir);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('run `npx nx run infra:cost -- --write-docs`');
  });
});

describe("greeter-infra:cost (another deployment: the docs' estimate is hello-world's)", () => {
  jest.setTimeout(60_000);
  let project: string;
  const doc = join(WORKSPACE_ROOT, 'docs', 'ARCHITECTURE.md');

  beforeAll(() => {
    // GIVEN greeter's deployment project, whose cdk.json output holds its synthesized templates
    project = mkdtempSync(join(tmpdir(), 'greeter-infra-'));
    const assembly = mkdtempSync(join(tmpdir(), 'greeter-assembly-'));
    writeAssembly(renameStacks(copySynthesizedAssembly(), 'greeter'), assembly);
    writeFileSync(
      join(project, 'cdk.json'),
      JSON.stringify({
        app: 'tsx infra.ts',
        output: assembly,
        context: { service: 'greeter', port: 49010 },
      }),
    );
    writeFileSync(join(project, 'project.json'), JSON.stringify({ name: 'greeter-infra' }));
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it.each(['--write-docs', '--check-docs'])(
    'GIVEN %s WHEN run THEN one line refuses it, exit 2, and docs/ARCHITECTURE.md is untouched',
    (flag) => {
      const before = readFileSync(doc, 'utf8');

      const run = runCostIn(project, {}, flag);

      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `greeter-infra:cost: ${flag}: the estimate in docs/ARCHITECTURE.md describes hello-world's deployment (apps/infra), not greeter's: run without ${flag} to print greeter's estimate, or with --json\n`,
      );
      expect(readFileSync(doc, 'utf8')).toBe(before);
    },
  );

  it("GIVEN --json WHEN run THEN greeter's estimate is printed", () => {
    const run = runCostIn(project, {}, '--json');

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expect.objectContaining({ region: 'eu-west-1' }));
  });

  it('GIVEN a bad assumption WHEN run THEN the line starts with greeter-infra:cost', () => {
    const run = runCostIn(project, {}, '--image-mb', 'big');

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'greeter-infra:cost: --image-mb "big" is not a number ≥ 0, e.g. --image-mb 60\n',
    );
  });
});

describe('infra:cost --env (an environment priced from its own templates)', () => {
  jest.setTimeout(120_000);
  let stagingAssembly: string;

  beforeAll(() => {
    // GIVEN staging's templates with its cdk.json settings (1 vCPU, 2 GiB), as
    // `DEPLOY_ENV=staging nx run infra:synth` writes them
    stagingAssembly = synthesizeApp({
      environment: 'staging',
      environments: { staging: { cpu: 1024, memoryMiB: 2048 } },
    }).assembly.directory;
  });

  it("GIVEN staging's templates WHEN priced with --env=staging --json THEN its environment, its stacks and monthlyTotal", () => {
    const run = runCost('--env=staging', '--json', '--assembly', stagingAssembly);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const estimate = JSON.parse(run.stdout);
    expect(estimate).toMatchObject({
      environment: 'staging',
      stacks: ['hello-world-ecr-ecs-fargate-staging-roles', 'hello-world-ecr-ecs-fargate-staging'],
      sharedStacks: ['hello-world-ecr-ecs-fargate-registry'],
    });
    expect(estimate.monthlyTotal).toBe(estimate.total);
    // Its own task size, and no ECR line: the registry is the default environment's to price
    const items = (estimate.lines as { item: string }[]).map((line) => line.item);
    expect(items).toContain('Fargate on-demand X86_64: 1 × 1 vCPU');
    expect(items.some((item) => item.startsWith('ECR storage'))).toBe(false);
  });

  it("GIVEN staging's templates WHEN priced as text THEN a line says which stacks were priced", () => {
    const run = runCostWith({ DEPLOY_ENV: 'staging' }, '--assembly', stagingAssembly);

    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[1]).toBe(
      'Environment staging: its own stacks hello-world-ecr-ecs-fargate-staging-roles, hello-world-ecr-ecs-fargate-staging; shared with every environment, not counted here: hello-world-ecr-ecs-fargate-registry',
    );
  });

  it("GIVEN the default's templates WHEN --env=pr-12 is priced THEN one line: synthesize pr-12 first, exit 2", () => {
    const run = runCost('--env=pr-12', '--json', '--assembly', DEFAULT_SYNTHESIZED_DIR);

    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^infra:cost: The synthesized templates are not environment pr-12's \(no stack hello-world-ecr-ecs-fargate-pr-12; .*\): run `npx nx run infra:synth -- --env=pr-12` first\.\n$/,
    );
  });

  it("GIVEN staging's templates WHEN the default is priced THEN refused, never priced as the default's", () => {
    const run = runCost('--json', '--assembly', stagingAssembly);

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/: run `npx nx run infra:synth` first\.\n$/);
  });

  it('GIVEN the default environment WHEN priced with --json THEN environment default, every stack, monthlyTotal', () => {
    const run = runCost('--json');

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      environment: 'default',
      monthlyTotal: 17.1,
      total: 17.1,
      stacks: ['hello-world-ecr-ecs-fargate-registry', 'hello-world-ecr-ecs-fargate'],
      sharedStacks: [],
    });
  });

  it('GIVEN --env=staging --write-docs WHEN run THEN one line refuses it and the docs are untouched', () => {
    const doc = join(WORKSPACE_ROOT, 'docs', 'ARCHITECTURE.md');
    const before = readFileSync(doc, 'utf8');

    const run = runCost('--env=staging', '--write-docs', '--assembly', stagingAssembly);

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "infra:cost: --write-docs: the estimate in docs/ARCHITECTURE.md describes the default environment, not staging: run without --write-docs to print staging's estimate, or with --json\n",
    );
    expect(readFileSync(doc, 'utf8')).toBe(before);
  });
});
