import { OptionsError, parseCostOptions } from './options';

describe('parseCostOptions', () => {
  it('GIVEN no arguments WHEN parsed THEN the defaults apply', () => {
    expect(parseCostOptions([])).toEqual({
      json: false,
      help: false,
      writeDocs: false,
      checkDocs: false,
      assemblyDir: 'dist/apps/infra/cdk.out',
      assumptions: { logIngestionGbPerMonth: 1, imageSizeMb: 60 },
    });
  });

  it('GIVEN --json and assumptions WHEN parsed THEN they are read', () => {
    const options = parseCostOptions(['--json', '--log-gb', '2.5', '--image-mb=80']);

    expect(options.json).toBe(true);
    expect(options.assumptions).toEqual({ logIngestionGbPerMonth: 2.5, imageSizeMb: 80 });
  });

  it('GIVEN a negative amount WHEN parsed THEN it is refused with an example', () => {
    expect(() => parseCostOptions(['--log-gb=-1'])).toThrow(
      '--log-gb "-1" is not a number ≥ 0, e.g. --log-gb 1',
    );
  });

  it('GIVEN an unknown option WHEN parsed THEN it is refused', () => {
    expect(() => parseCostOptions(['--region', 'us-east-1'])).toThrow(OptionsError);
  });
});

describe('parseCostOptions errors', () => {
  it('GIVEN an option missing its value WHEN parsed THEN the error is one line', () => {
    expect(() => parseCostOptions(['--log-gb'])).toThrow(
      /^Option '--log-gb <value>' argument missing \(see --help\)$/,
    );
  });
});
