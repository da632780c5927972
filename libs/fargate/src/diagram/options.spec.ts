import { UsageError } from '@hello-world/cli';
import { DIAGRAM_USAGE, defaultDiagramOut, diagramUsage, parseDiagramOptions } from './options';
import { deploymentNames } from '@hello-world/shared';

describe('parseDiagramOptions', () => {
  it("GIVEN no arguments WHEN parsed THEN it draws the deployment's templates into the deployment's default directory", () => {
    expect(parseDiagramOptions([])).toEqual({
      check: false,
      assemblyDir: undefined,
      outDir: undefined,
    });
  });

  it('GIVEN --check, --assembly and --out WHEN parsed THEN they are read', () => {
    expect(parseDiagramOptions(['--check', '--assembly', '/tmp/a', '--out=/tmp/o'])).toMatchObject({
      check: true,
      assemblyDir: '/tmp/a',
      outDir: '/tmp/o',
    });
  });

  it('GIVEN --help WHEN parsed THEN help is asked for', () => {
    expect(parseDiagramOptions(['--help'])).toBe('help');
  });

  it('GIVEN an unknown option WHEN parsed THEN one line names it and lists the options', () => {
    expect(() => parseDiagramOptions(['--bogus'])).toThrow(
      new UsageError(
        'unknown option --bogus: options are --check, --env, --assembly, --out, --help',
      ),
    );
  });

  it('GIVEN an empty --out WHEN parsed THEN it is refused instead of writing into the workspace root', () => {
    expect(() => parseDiagramOptions(['--out='])).toThrow(
      new UsageError('--out needs a directory, e.g. --out=docs'),
    );
  });

  it('GIVEN an empty --assembly WHEN parsed THEN it is refused instead of reading the workspace root', () => {
    expect(() => parseDiagramOptions(['--assembly', ''])).toThrow(
      new UsageError('--assembly needs a directory, e.g. --assembly=dist/apps/infra/cdk.out'),
    );
  });

  it('GIVEN a positional argument WHEN parsed THEN the error is one line pointing at --help', () => {
    expect(() => parseDiagramOptions(['docs'])).toThrow(
      new UsageError('unexpected argument "docs": options start with --, see --help'),
    );
  });
});

describe("the diagram's default --out: docs/ is hello-world's", () => {
  const root = '/ws';

  it("GIVEN hello-world's deployment (apps/infra) THEN docs, where the committed diagram is", () => {
    expect(
      defaultDiagramOut({ dir: '/ws/apps/infra', names: deploymentNames('hello-world') }, root),
    ).toBe('docs');
    expect(diagramUsage('infra')).toBe(DIAGRAM_USAGE);
    expect(DIAGRAM_USAGE).toContain('[--out DIR (default docs)]');
  });

  it("GIVEN greeter's deployment (apps/greeter-infra) THEN dist/apps/greeter-infra/diagram, never docs", () => {
    expect(
      defaultDiagramOut({ dir: '/ws/apps/greeter-infra', names: deploymentNames('greeter') }, root),
    ).toBe('dist/apps/greeter-infra/diagram');
  });

  it('GIVEN a deployment outside the workspace THEN dist/<its folder>/diagram, inside the workspace', () => {
    expect(
      defaultDiagramOut({ dir: '/tmp/greeter-infra', names: deploymentNames('greeter') }, root),
    ).toBe('dist/greeter-infra/diagram');
  });

  it("GIVEN hello-world's staging THEN dist/apps/infra/diagram/staging, never docs", () => {
    expect(
      defaultDiagramOut(
        { dir: '/ws/apps/infra', names: deploymentNames('hello-world', 'staging') },
        root,
      ),
    ).toBe('dist/apps/infra/diagram/staging');
  });

  it("GIVEN greeter's preview pr-12 THEN a folder of its own below greeter's diagram", () => {
    expect(
      defaultDiagramOut(
        { dir: '/ws/apps/greeter-infra', names: deploymentNames('greeter', 'pr-12') },
        root,
      ),
    ).toBe('dist/apps/greeter-infra/diagram/pr-12');
  });

  it('GIVEN the usage THEN it explains --env', () => {
    expect(DIAGRAM_USAGE).toContain('[--env NAME (default: env DEPLOY_ENV, else default)]');
  });

  it("GIVEN greeter-infra's usage THEN it names its target and its default", () => {
    expect(diagramUsage('greeter-infra', 'dist/apps/greeter-infra/diagram')).toMatch(
      /^usage: nx run greeter-infra:diagram .*\[--out DIR \(default dist\/apps\/greeter-infra\/diagram\)\]/,
    );
  });
});
