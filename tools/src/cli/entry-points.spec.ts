// Every script a user or contributor runs has the same command-line shape (see CONTRIBUTING's
// "Command-line scripts"). Only --help and bad arguments are run here: all exit before any work.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/** What a script could write: the docs the benchmarks, reliability checks, cost and diagram own. */
const WRITABLE = [
  'docs/benchmarks.md',
  'docs/reliability.md',
  'docs/ARCHITECTURE.md',
  'docs/architecture.svg',
  'docs/architecture.png',
  'docs/architecture.drawio',
].map((doc) => join(ROOT, doc));

interface EntryPoint {
  /** Relative to the workspace root. */
  readonly file: string;
  /** The error prefix: the nx target as typed (the script's name for those run by file). */
  readonly name: string;
  /** How the usage says to run it. */
  readonly invocation: string;
  /** Where its nx target runs it, relative to the workspace root (default the root). */
  readonly cwd?: string;
  /** Arguments before the option under test: a sub-command. */
  readonly command?: readonly string[];
  /** The option that writes docs, which the usage must name. */
  readonly writeFlag?: string;
  /** A bad value (or argument) and the start of its one-line refusal. */
  readonly bad: { readonly args: readonly string[]; readonly says: string };
}

const tool = (
  file: string,
  target: string,
  bad: EntryPoint['bad'],
  writeFlag?: string,
): EntryPoint => ({
  file: `tools/src/${file}`,
  name: `tools:${target}`,
  invocation: `nx run tools:${target}`,
  bad,
  ...(writeFlag ? { writeFlag } : {}),
});

const release = (file: string, bad: EntryPoint['bad']): EntryPoint => ({
  file: `tools/src/release/${file}.ts`,
  name: file,
  invocation: `npx tsx tools/src/release/${file}.ts`,
  bad,
});

const notANumber = (flag: string) => ({
  args: [flag, 'abc'],
  says: `${flag} "abc" is not a (whole )?number`,
});

/** The deployment project: infra's targets read its cdk.json from the working directory. */
const INFRA = 'apps/infra';

const ENTRY_POINTS: readonly EntryPoint[] = [
  tool('benchmark/benchmark-app.ts', 'benchmark-app', notANumber('--duration'), '--write'),
  tool(
    'benchmark/benchmark-image.ts',
    'benchmark-image',
    { args: ['docs'], says: 'unexpected argument "docs": ' },
    '--write',
  ),
  tool('reliability/soak.ts', 'reliability-soak', notANumber('--duration'), '--write'),
  tool('reliability/fuzz.ts', 'reliability-fuzz', notANumber('--cases'), '--write'),
  tool('reliability/shutdown.ts', 'reliability-shutdown', notANumber('--connections'), '--write'),
  tool(
    'reliability/slow-clients.ts',
    'reliability-slow-clients',
    notANumber('--per-kind'),
    '--write',
  ),
  tool('ci/shellcheck.ts', 'shellcheck', {
    args: ['workflows'],
    says: 'unexpected argument "workflows": ',
  }),
  release('read-release-tag', { args: ['main'], says: '"main" is not a release tag like ' }),
  release('write-deploy-summary', { args: ['', 'deploy.out'], says: 'the label is empty: ' }),
  release('write-release-notes', { args: [''], says: 'the version is empty: ' }),
  {
    file: 'tools/src/ci/read-environments.ts',
    name: 'read-environments',
    invocation: 'npx tsx tools/src/ci/read-environments.ts',
    command: ['previews'],
    bad: { args: ['envs.out', 'more'], says: 'unexpected argument "more" after previews: ' },
  },
  {
    file: 'tools/src/ci/print-environment-names.ts',
    name: 'print-environment-names',
    invocation: 'npx tsx tools/src/ci/print-environment-names.ts',
    bad: { args: ['Staging'], says: 'invalid environment "Staging": ' },
  },
  {
    file: 'tools/src/ci/write-preview-comment.ts',
    name: 'write-preview-comment',
    invocation: 'npx tsx tools/src/ci/write-preview-comment.ts',
    command: ['removed'],
    bad: { args: ['--pull-request=0'], says: '--pull-request "0" is not a whole number ≥ 1' },
  },
  {
    file: 'libs/fargate/src/ops/main.ts',
    cwd: INFRA,
    name: 'infra:redeploy',
    invocation: 'nx run infra:<command>',
    command: ['redeploy'],
    bad: { args: ['--timeout', 'soon'], says: '--timeout "soon" is not a duration like 90s' },
  },
  {
    file: 'libs/fargate/src/local/main.ts',
    cwd: INFRA,
    name: 'infra:deploy:local',
    invocation: 'nx run infra:<deploy|status|logs|destroy>:local',
    command: ['deploy'],
    bad: { args: ['--port', 'abc'], says: '--port "abc" is not a whole number from 1 to 65535' },
  },
  {
    file: 'libs/fargate/src/cost/main.ts',
    cwd: INFRA,
    name: 'infra:cost',
    invocation: 'nx run infra:cost',
    writeFlag: '--write-docs',
    bad: notANumber('--log-gb'),
  },
  {
    file: 'libs/fargate/src/diagram/main.ts',
    cwd: INFRA,
    name: 'infra:diagram',
    invocation: 'nx run infra:diagram',
    bad: { args: ['--out='], says: '--out needs a directory, e.g. ' },
  },
  {
    file: 'libs/fargate/bin/deploy.ts',
    cwd: INFRA,
    name: 'infra:deploy',
    invocation: 'nx run infra:deploy',
    bad: { args: ['--timeout', 'soon'], says: '--timeout "soon" is not a duration like 90s' },
  },
  {
    file: 'libs/fargate/bin/promote.ts',
    cwd: INFRA,
    name: 'infra:promote',
    invocation: 'nx run infra:promote',
    bad: { args: ['--from=staging', '--to=staging'], says: '--from and --to both name staging: ' },
  },
  {
    file: 'libs/fargate/bin/diff.ts',
    cwd: INFRA,
    name: 'infra:diff',
    invocation: 'nx run infra:diff',
    bad: { args: ['--profile'], says: '--profile needs a value, e.g. ' },
  },
  {
    file: 'libs/fargate/bin/deploy-ci.ts',
    cwd: INFRA,
    name: 'infra:deploy-ci',
    invocation: 'nx run infra:deploy-ci',
    bad: { args: ['--repo', 'nope'], says: 'Invalid GitHub repository "nope" \\(from --repo\\)' },
  },
  ...(['docker-build', 'docker-push'] as const).map((target): EntryPoint => ({
    file: `libs/image/src/${target}.ts`,
    name: `hello-world:${target}`,
    invocation: 'nx run <app>:docker-build|docker-push',
    bad: { args: ['--region', 'mars-1'], says: '--region "mars-1" is not an AWS region, e.g. ' },
  })),
];

/**
 * Runs the script as its target does, without the variables that would reach AWS or Docker, or
 * name the project whose error lines they are (the image CLIs' default is hello-world).
 */
function run({ file, cwd = '.' }: EntryPoint, args: readonly string[]) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(AWS_|BASE_IMAGE$|DOCKER_HOST$|GITHUB_|NX_TASK_TARGET_PROJECT$)/.test(name)) {
      delete env[name];
    }
  }
  return spawnSync(process.execPath, [TSX_CLI, join(ROOT, file), ...args], {
    cwd: join(ROOT, cwd),
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const readWritable = () => WRITABLE.map((file) => readFileSync(file));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(ENTRY_POINTS)('$name', (entry) => {
  const { name, invocation, command = [], writeFlag, bad } = entry;
  const oneLine = (result: ReturnType<typeof run>) => result.stderr.trimEnd().split('\n');

  it('GIVEN --help WHEN run THEN it prints the usage on stdout, exits 0 and writes nothing', () => {
    const before = readWritable();
    const result = run(entry, [...command, '--help']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^usage: .*${escape(invocation)}`, 'i'));
    if (writeFlag) expect(result.stdout).toContain(writeFlag);
    expect(result.status).toBe(0);
    expect(readWritable()).toEqual(before);
  }, 60_000);

  it('GIVEN an unknown option WHEN run THEN one line with its name on stderr and exit 2', () => {
    const result = run(entry, [...command, '--bogus']);
    expect(result.stdout).toBe('');
    expect(oneLine(result)).toEqual([
      expect.stringMatching(new RegExp(`^${name}: unknown option --bogus: options are .*--help$`)),
    ]);
    expect(result.status).toBe(2);
  }, 60_000);

  it(`GIVEN ${JSON.stringify(bad.args)} WHEN run THEN one line saying what is wrong and exit 2`, () => {
    const result = run(entry, [...command, ...bad.args]);
    expect(result.stdout).toBe('');
    expect(oneLine(result)).toEqual([expect.stringMatching(new RegExp(`^${name}: ${bad.says}`))]);
    expect(result.status).toBe(2);
  }, 60_000);
});
