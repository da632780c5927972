import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPreviews, readEnvironments } from './environments-json';

/**
 * What `npx nx run infra:envs --output-style=stream -- … --json` writes: Nx's lines around the
 * report (libs/fargate/src/ops/envs.ts's EnvironmentsReport).
 */
function envsOutput(environments: unknown[]): string {
  const report = {
    service: 'hello-world',
    region: 'eu-west-1',
    environments,
    currency: 'USD',
    costAssumptions: ['730 hours a month', 'public IPv4 address per running task'],
  };
  return [
    '',
    '> nx run infra:envs -- --previews --older-than=7d --json',
    '',
    JSON.stringify(report, null, 2),
    '',
    '',
    '',
    ' NX   Successfully ran target envs for project infra (4s)',
    '',
  ].join('\n');
}

/** One row of the report (EnvironmentRow), with its absent facts null as infra:envs prints them. */
const entry = (environment: string, imageTag: string | null, lastDeployed: string) => ({
  environment,
  preview: environment.startsWith('pr-'),
  stackName: `hello-world-ecr-ecs-fargate-${environment}`,
  stackStatus: 'UPDATE_COMPLETE',
  lastDeployed,
  url: 'http://203.0.113.7:3000',
  imageTag,
  stackImageTag: imageTag,
  desiredCount: 1,
  runningCount: 1,
  monthlyCost: 16.42,
});

describe('readEnvironments: the infra:envs --json list', () => {
  it('GIVEN the report inside Nx output WHEN read THEN each environment', () => {
    const output = envsOutput([
      entry('staging', 'sha-1a2b3c4-ecr-ecs-fargate', '2026-12-03T08:00:00.000Z'),
      entry('pr-12', 'sha-9f3c2b1-ecr-ecs-fargate', '2026-11-20T09:14:03.000Z'),
    ]);
    expect(readEnvironments(output)).toEqual([{ name: 'staging' }, { name: 'pr-12' }]);
  });

  it('GIVEN an empty list WHEN read THEN no environments', () => {
    expect(readEnvironments(envsOutput([]))).toEqual([]);
  });

  it('GIVEN lines prefixed by Nx with colours WHEN read THEN the list is still found', () => {
    const esc = String.fromCharCode(27);
    const output = envsOutput([entry('pr-7', 'sha-7777777-ecr-ecs-fargate', 'x')])
      .split('\n')
      .map((line) => `${esc}[2minfra:${esc}[22m ${line}`)
      .join('\n');
    expect(readEnvironments(output).map((e) => e.name)).toEqual(['pr-7']);
  });

  it('GIVEN output without a list (an error line) WHEN read THEN one line saying what to pass', () => {
    expect(() => readEnvironments('infra:envs: no credentials: run aws sso login\n')).toThrow(
      'no JSON report with an "environments" list in the infra:envs output: run it with --json and pass the file it wrote',
    );
  });

  it('GIVEN an entry without a name WHEN read THEN it is refused, naming the field', () => {
    expect(() => readEnvironments(envsOutput([{ stackName: 'x' }]))).toThrow(
      'environment 1 of the infra:envs list has no "environment" name',
    );
  });
});

describe('listPreviews', () => {
  it('GIVEN previews WHEN listed THEN their names by pull request number', () => {
    const entries = readEnvironments(
      envsOutput([entry('pr-12', 't', 'x'), entry('pr-3', 't', 'x'), entry('pr-100', 't', 'x')]),
    );
    expect(listPreviews(entries)).toEqual(['pr-3', 'pr-12', 'pr-100']);
  });

  it('GIVEN a list naming staging WHEN listed THEN it is refused and nothing is listed', () => {
    const entries = readEnvironments(
      envsOutput([entry('pr-3', 't', 'x'), entry('staging', 't', 'x')]),
    );
    expect(() => listPreviews(entries)).toThrow(
      'the previews list names staging, not pr-<number>: nothing destroyed; check infra:envs --previews',
    );
  });
});

describe("read-environments.ts (the workflows' command line)", () => {
  const TSX_CLI = join(__dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-environments-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (list: unknown[], ...args: string[]) => {
    const file = join(dir, 'envs.out');
    writeFileSync(file, envsOutput(list));
    return spawnSync(
      process.execPath,
      [
        TSX_CLI,
        join(__dirname, 'read-environments.ts'),
        ...args.map((a) => a.replace('FILE', file)),
      ],
      { encoding: 'utf8' },
    );
  };
  const old = [entry('pr-12', 't', '2026-11-20T09:14:03.000Z'), entry('pr-3', 't', 'x')];

  it("GIVEN old previews WHEN previews THEN a JSON list on one line, for the sweep's matrix", () => {
    const result = run(old, 'previews', 'FILE');
    expect(result.stdout).toBe('["pr-3","pr-12"]\n');
    expect(result.status).toBe(0);
  });

  it('GIVEN no old previews WHEN previews THEN []', () => {
    expect(run([], 'previews', 'FILE').stdout).toBe('[]\n');
  });

  it('GIVEN a list naming production WHEN previews THEN exit 2, one line, no list', () => {
    const result = run([entry('production', 't', 'x')], 'previews', 'FILE');
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'read-environments: the previews list names production, not pr-<number>: nothing destroyed; check infra:envs --previews\n',
    );
    expect(result.status).toBe(2);
  });

  it('GIVEN pr-12 listed WHEN has pr-12 / pr-13 THEN true / false', () => {
    expect(run(old, 'has', 'pr-12', 'FILE').stdout).toBe('true\n');
    expect(run(old, 'has', 'pr-13', 'FILE').stdout).toBe('false\n');
  });

  it('GIVEN a file that does not exist WHEN read THEN exit 2 saying what to save there', () => {
    const result = spawnSync(
      process.execPath,
      [TSX_CLI, join(__dirname, 'read-environments.ts'), 'previews', join(dir, 'missing.out')],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toMatch(
      /^read-environments: cannot read .*missing\.out: save the output of infra:envs --json there first\n$/,
    );
    expect(result.status).toBe(2);
  });
});
