// Every benchmark and reliability script has the same command-line shape (see CONTRIBUTING's
// "Command-line scripts"). Only --help and bad arguments are run here: both exit before any work.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const DOCS = ['docs/benchmarks.md', 'docs/reliability.md'].map((doc) => join(ROOT, doc));

interface EntryPoint {
  readonly file: string;
  readonly name: string;
  /** A number option, given a value that is not a number. */
  readonly badNumber: readonly string[];
}

const ENTRY_POINTS: readonly EntryPoint[] = [
  {
    file: 'benchmark/benchmark-app.ts',
    name: 'tools:benchmark-app',
    badNumber: ['--duration', 'abc'],
  },
  { file: 'reliability/soak.ts', name: 'tools:reliability-soak', badNumber: ['--duration', 'abc'] },
  { file: 'reliability/fuzz.ts', name: 'tools:reliability-fuzz', badNumber: ['--cases', 'abc'] },
  {
    file: 'reliability/shutdown.ts',
    name: 'tools:reliability-shutdown',
    badNumber: ['--connections', 'abc'],
  },
  {
    file: 'reliability/slow-clients.ts',
    name: 'tools:reliability-slow-clients',
    badNumber: ['--per-kind', 'abc'],
  },
  { file: 'benchmark/benchmark-image.ts', name: 'tools:benchmark-image', badNumber: [] },
];

function run(file: string, args: readonly string[]) {
  const env = { ...process.env };
  delete env['BASE_IMAGE'];
  return spawnSync(process.execPath, [TSX_CLI, join(__dirname, '..', file), ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const readDocs = () => DOCS.map((doc) => readFileSync(doc, 'utf8'));

describe.each(ENTRY_POINTS)('$name', ({ file, name, badNumber }) => {
  it('GIVEN --help WHEN run THEN it prints the usage on stdout, exits 0 and writes nothing', () => {
    const before = readDocs();
    const result = run(file, ['--help']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^usage: .*nx run ${name}`));
    expect(result.stdout).toContain('--write');
    expect(result.status).toBe(0);
    expect(readDocs()).toEqual(before);
  }, 60_000);

  it('GIVEN an unknown option WHEN run THEN one line with its name on stderr and exit 2', () => {
    const result = run(file, ['--bogus']);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${name}: unknown option --bogus: options are .*--help$`)),
    ]);
    expect(result.status).toBe(2);
  }, 60_000);

  if (badNumber.length > 0) {
    it(`GIVEN ${badNumber.join(' ')} WHEN run THEN one line naming the option and exit 2`, () => {
      const result = run(file, badNumber);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^${name}: ${badNumber[0]} "abc" is not a (whole )?number`),
        ),
      ]);
      expect(result.status).toBe(2);
    }, 60_000);
  }
});
