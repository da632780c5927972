import { UsageError } from '@hello-world/cli';
import { parseDiagramOptions } from './options';

describe('parseDiagramOptions', () => {
  it('GIVEN no arguments WHEN parsed THEN it draws the default templates into docs', () => {
    expect(parseDiagramOptions([])).toEqual({
      check: false,
      assemblyDir: undefined,
      outDir: 'docs',
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
      new UsageError('unknown option --bogus: options are --check, --assembly, --out, --help'),
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
