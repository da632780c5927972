import { parseCli, UsageError } from './entry';

const OPTIONS = {
  duration: { type: 'number', default: 20, min: 1 },
  connections: { type: 'number', default: 50, min: 1, integer: true },
  out: { type: 'string' },
  write: { type: 'boolean' },
  load: {
    type: 'string',
    parse: (text: string | undefined) => {
      if (text !== undefined && text !== 'wrk') throw new Error(`--load takes wrk, not ${text}`);
      return text ?? 'auto';
    },
  },
} as const;

function usageMessage(argv: string[]): string {
  try {
    parseCli(argv, OPTIONS);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCli', () => {
  it('GIVEN no arguments WHEN parsed THEN every option takes its default', () => {
    expect(parseCli([], OPTIONS)).toEqual({
      help: false,
      values: { duration: 20, connections: 50, out: undefined, write: false, load: 'auto' },
    });
  });

  it('GIVEN numbers and flags WHEN parsed THEN they come back typed', () => {
    const parsed = parseCli(
      ['--duration', '2.5', '--connections=8', '--write', '--out', 'x'],
      OPTIONS,
    );
    expect(parsed).toEqual({
      help: false,
      values: { duration: 2.5, connections: 8, out: 'x', write: true, load: 'auto' },
    });
  });

  it.each([['--help'], ['-h']])('GIVEN %s WHEN parsed THEN it asks for the usage', (flag) => {
    expect(parseCli(['--duration', '5', flag], OPTIONS)).toEqual({ help: true });
  });

  it('GIVEN --duration abc WHEN parsed THEN one line names the flag, the value and an example', () => {
    expect(usageMessage(['--duration', 'abc'])).toBe(
      '--duration "abc" is not a number ≥ 1, e.g. --duration 20',
    );
  });

  it.each([['0'], ['-3'], [''], ['Infinity']])(
    'GIVEN --duration %j WHEN parsed THEN it is refused',
    (value) => {
      expect(usageMessage([`--duration=${value}`])).toMatch(/^--duration .* is not a number ≥ 1/);
    },
  );

  it('GIVEN a fraction for a whole-number option WHEN parsed THEN it is refused', () => {
    expect(usageMessage(['--connections', '2.5'])).toBe(
      '--connections "2.5" is not a whole number ≥ 1, e.g. --connections 50',
    );
  });

  it('GIVEN an unknown option WHEN parsed THEN one line lists the known ones', () => {
    expect(usageMessage(['--bogus'])).toBe(
      'unknown option --bogus: options are --duration, --connections, --out, --write, --load, --help',
    );
  });

  it('GIVEN a positional argument WHEN parsed THEN one line points at --help', () => {
    const message = usageMessage(['stray']);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/stray.*\(see --help\)$/);
  });

  it('GIVEN a string option without its value WHEN parsed THEN one line points at --help', () => {
    const message = usageMessage(['--out']);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/--out.*\(see --help\)$/);
  });

  it('GIVEN a value its own parser refuses WHEN parsed THEN that message is the usage error', () => {
    expect(usageMessage(['--load', 'ab'])).toBe('--load takes wrk, not ab');
  });
});
