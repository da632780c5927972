import { UsageError } from '@hello-world/cli';
import { deploymentNames } from '@hello-world/shared';
import { checkDocsAreTheDeployments, parseCostOptions, USAGE } from './options';

describe('parseCostOptions', () => {
  it('GIVEN no arguments WHEN parsed THEN the defaults apply', () => {
    expect(parseCostOptions([])).toEqual({
      json: false,
      writeDocs: false,
      checkDocs: false,
      assemblyDir: undefined,
      assumptions: { logIngestionGbPerMonth: 1, imageSizeMb: 60 },
    });
  });

  it('GIVEN --json and assumptions WHEN parsed THEN they are read', () => {
    expect(parseCostOptions(['--json', '--log-gb', '2.5', '--image-mb=80'])).toMatchObject({
      json: true,
      assumptions: { logIngestionGbPerMonth: 2.5, imageSizeMb: 80 },
    });
  });

  it('GIVEN a negative amount WHEN parsed THEN it is refused with an example', () => {
    expect(() => parseCostOptions(['--log-gb=-1'])).toThrow(
      '--log-gb "-1" is not a number ≥ 0, e.g. --log-gb 1',
    );
  });

  it('GIVEN --help WHEN parsed THEN help is asked for', () => {
    expect(parseCostOptions(['--log-gb', '2', '-h'])).toBe('help');
  });

  it('GIVEN an unknown option WHEN parsed THEN it is refused', () => {
    expect(() => parseCostOptions(['--region', 'us-east-1'])).toThrow(UsageError);
  });
});

describe('parseCostOptions errors', () => {
  it('GIVEN an option missing its value WHEN parsed THEN the error is one line', () => {
    expect(() => parseCostOptions(['--log-gb'])).toThrow(
      new UsageError('--log-gb needs a value, e.g. --log-gb 1'),
    );
  });
});

describe('parseCostOptions output modes', () => {
  it('GIVEN --write-docs and --check-docs WHEN parsed THEN they are refused as conflicting in one line', () => {
    expect(() => parseCostOptions(['--write-docs', '--check-docs'])).toThrow(
      new UsageError(
        '--write-docs and --check-docs do not go together: pass one of --json, --write-docs, --check-docs',
      ),
    );
  });

  it('GIVEN --json with --write-docs WHEN parsed THEN they are refused as conflicting', () => {
    expect(() => parseCostOptions(['--json', '--write-docs'])).toThrow(
      '--json and --write-docs do not go together',
    );
  });

  it('GIVEN --json with --check-docs WHEN parsed THEN they are refused as conflicting', () => {
    expect(() => parseCostOptions(['--check-docs', '--json'])).toThrow(
      '--json and --check-docs do not go together',
    );
  });
});

describe('parseCostOptions --assembly', () => {
  it('GIVEN an empty --assembly WHEN parsed THEN it is refused instead of reading the workspace root', () => {
    expect(() => parseCostOptions(['--assembly='])).toThrow(
      new UsageError('--assembly needs a directory, e.g. --assembly=dist/apps/infra/cdk.out'),
    );
  });

  it('GIVEN an unknown option WHEN parsed THEN one line names it and lists the options', () => {
    expect(() => parseCostOptions(['--region', 'us-east-1'])).toThrow(
      /^unknown option --region: options are --json, --env, --write-docs, --check-docs, --log-gb, --image-mb, --assembly, --help$/,
    );
  });
});

describe('--env and the docs estimate', () => {
  it('GIVEN --env=pr-12 WHEN parsed THEN accepted (the deployment read it already)', () => {
    expect(parseCostOptions(['--env=pr-12', '--json'])).toMatchObject({ json: true });
  });

  it('GIVEN the usage THEN it explains --env and the monthlyTotal field', () => {
    expect(USAGE).toContain('[--env NAME (default: env DEPLOY_ENV, else default)]');
    expect(USAGE).toContain("--json's monthlyTotal is the monthly total in USD");
  });

  it.each([
    ['--write-docs', { writeDocs: true, checkDocs: false }],
    ['--check-docs', { writeDocs: false, checkDocs: true }],
  ])(
    "GIVEN staging and %s WHEN checked THEN refused: the docs' estimate is the default's",
    (flag, options) => {
      expect(() =>
        checkDocsAreTheDeployments(options, deploymentNames('hello-world', 'staging')),
      ).toThrow(
        new UsageError(
          `${flag}: the estimate in docs/ARCHITECTURE.md describes the default environment, not staging: run without ${flag} to print staging's estimate, or with --json`,
        ),
      );
    },
  );

  it('GIVEN staging without a docs flag WHEN checked THEN its estimate may be printed', () => {
    expect(() =>
      checkDocsAreTheDeployments(
        { writeDocs: false, checkDocs: false },
        deploymentNames('hello-world', 'staging'),
      ),
    ).not.toThrow();
  });

  it("GIVEN hello-world's default environment and --write-docs WHEN checked THEN allowed", () => {
    expect(() =>
      checkDocsAreTheDeployments(
        { writeDocs: true, checkDocs: false },
        deploymentNames('hello-world'),
      ),
    ).not.toThrow();
  });
});
