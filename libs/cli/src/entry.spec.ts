import {
  answerCli,
  asUsageError,
  cliName,
  parseCli,
  readDuration,
  UsageError,
  type CliSpec,
} from './entry';

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
const SPEC = { options: OPTIONS };

/** A CLI with sub-commands, as infra's ops and local targets have. */
const COMMANDS_SPEC = {
  name: 'infra',
  usage: 'usage: infra <a|b>',
  commands: ['a', 'b'],
  commandName: (command: string) => `infra:${command}`,
  options: {
    timeout: { type: 'duration', example: '15m' },
    follow: { type: 'boolean', short: 'f', commands: ['b'] },
    port: { type: 'number', min: 1, max: 65535, integer: true, example: 49001 },
    mode: { type: 'enum', values: ['fast', 'slow'], default: 'fast' },
  },
} as const satisfies CliSpec;

function usageMessage(argv: string[], spec: Parameters<typeof parseCli>[1] = SPEC): string {
  try {
    parseCli(argv, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCli', () => {
  it('GIVEN no arguments WHEN parsed THEN every option takes its default', () => {
    expect(parseCli([], SPEC)).toEqual({
      help: false,
      command: undefined,
      args: [],
      values: { duration: 20, connections: 50, out: undefined, write: false, load: 'auto' },
    });
  });

  it('GIVEN numbers and flags WHEN parsed THEN they come back typed', () => {
    const parsed = parseCli(
      ['--duration', '2.5', '--connections=8', '--write', '--out', 'x'],
      SPEC,
    );
    expect(parsed).toMatchObject({
      help: false,
      values: { duration: 2.5, connections: 8, out: 'x', write: true, load: 'auto' },
    });
  });

  it.each([['--help'], ['-h']])('GIVEN %s WHEN parsed THEN it asks for the usage', (flag) => {
    expect(parseCli(['--duration', '5', flag], SPEC)).toEqual({ help: true });
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

  it('GIVEN an option named like an Object.prototype member WHEN parsed THEN it is unknown', () => {
    expect(usageMessage(['--constructor'])).toMatch(/^unknown option --constructor:/);
  });

  it('GIVEN a positional argument WHEN parsed THEN one line points at --help', () => {
    expect(usageMessage(['stray'])).toBe(
      'unexpected argument "stray": options start with --, see --help',
    );
  });

  it('GIVEN a string option without its value WHEN parsed THEN one line with an example', () => {
    expect(usageMessage(['--out'])).toBe('--out needs a value, e.g. --out VALUE');
  });

  it('GIVEN a string option followed by another option WHEN parsed THEN its value is missing', () => {
    expect(usageMessage(['--out', '--write'])).toBe('--out needs a value, e.g. --out VALUE');
  });

  it('GIVEN a value on a switch WHEN parsed THEN it is refused', () => {
    expect(usageMessage(['--write=yes'])).toBe('--write takes no value: write just --write');
  });

  it('GIVEN a value its own parser refuses WHEN parsed THEN that message is the usage error', () => {
    expect(usageMessage(['--load', 'ab'])).toBe('--load takes wrk, not ab');
  });
});

describe('parseCli positional arguments', () => {
  const ARGS_SPEC = { options: {}, args: ['<version>', '[file]'] };

  it('GIVEN the required and optional arguments WHEN parsed THEN they come back in order', () => {
    expect(parseCli(['1.2.3', 'CHANGELOG.md'], ARGS_SPEC)).toMatchObject({
      args: ['1.2.3', 'CHANGELOG.md'],
    });
  });

  it('GIVEN a required argument missing WHEN parsed THEN one line names it', () => {
    expect(usageMessage([], ARGS_SPEC)).toBe('missing <version>: see --help');
  });

  it('GIVEN one argument too many WHEN parsed THEN one line names it', () => {
    expect(usageMessage(['1', '2', '3'], ARGS_SPEC)).toBe(
      'unexpected argument "3": options start with --, see --help',
    );
  });
});

describe('parseCli positional arguments of one sub-command', () => {
  const SPEC = { options: {}, commands: ['scan', 'status'], commandArgs: { scan: ['[tag]'] } };

  it('GIVEN a command with its own argument WHEN parsed THEN the argument comes back', () => {
    expect(parseCli(['scan', 'sha-1a2b3c4'], SPEC)).toMatchObject({
      command: 'scan',
      args: ['sha-1a2b3c4'],
    });
  });

  it('GIVEN its optional argument left out WHEN parsed THEN no arguments', () => {
    expect(parseCli(['scan'], SPEC)).toMatchObject({ command: 'scan', args: [] });
  });

  it('GIVEN an argument to a command that takes none WHEN parsed THEN one line refuses it', () => {
    expect(usageMessage(['status', 'sha-1a2b3c4'], SPEC)).toBe(
      'unexpected argument "sha-1a2b3c4" after status: options start with --, see --help',
    );
  });
});

describe('parseCli sub-commands', () => {
  it('GIVEN a command and its options WHEN parsed THEN the command, durations, enums come back', () => {
    expect(
      parseCli(['b', '-f', '--timeout', '90', '--port=49001', '--mode', 'slow'], COMMANDS_SPEC),
    ).toEqual({
      help: false,
      command: 'b',
      args: [],
      values: { timeout: 90_000, follow: true, port: 49001, mode: 'slow' },
    });
  });

  it('GIVEN no command WHEN parsed THEN the usage answers a missing command', () => {
    expect(parseCli([], COMMANDS_SPEC)).toEqual({ help: true, missingCommand: true });
  });

  it('GIVEN an unknown command WHEN parsed THEN one line lists the commands', () => {
    expect(usageMessage(['c'], COMMANDS_SPEC)).toBe('unknown command "c": use one of a, b');
  });

  it('GIVEN an option of another command WHEN parsed THEN it is named, not ignored', () => {
    expect(usageMessage(['a', '--follow'], COMMANDS_SPEC)).toBe(
      '--follow does not apply to a (only b): leave it out',
    );
  });

  it('GIVEN an unknown option WHEN parsed THEN the known ones are those of the command', () => {
    expect(usageMessage(['a', '--bogus'], COMMANDS_SPEC)).toBe(
      'unknown option --bogus: options are --timeout, --port, --mode, --help',
    );
  });

  it.each([
    [
      ['a', '--timeout', 'soon'],
      '--timeout "soon" is not a duration like 90s, 15m or 2h, e.g. --timeout 15m',
    ],
    [['a', '--port', '0'], '--port "0" is not a whole number from 1 to 65535, e.g. --port 49001'],
    [['a', '--mode', 'odd'], '--mode "odd" is not one of fast, slow, e.g. --mode fast'],
  ])('GIVEN %j WHEN parsed THEN one line names the option and an example', (argv, message) => {
    expect(usageMessage(argv, COMMANDS_SPEC)).toBe(message);
  });

  it('GIVEN argv WHEN naming it THEN the prefix is the command’s nx target once it is known', () => {
    expect(cliName(COMMANDS_SPEC, ['b', '--x'])).toBe('infra:b');
    expect(cliName(COMMANDS_SPEC, ['bogus'])).toBe('infra');
    expect(cliName(COMMANDS_SPEC, [])).toBe('infra');
  });
});

describe('readDuration', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['250ms', 250],
  ])('GIVEN %j WHEN read THEN %d ms', (text, ms) => expect(readDuration(text)).toBe(ms));

  it.each(['0', 'soon', '-5m', '1.5h', ''])('GIVEN %j WHEN read THEN undefined', (text) =>
    expect(readDuration(text)).toBeUndefined(),
  );
});

describe('answerCli', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
  };

  it('GIVEN --help WHEN answered THEN the usage on out and exit 0', () => {
    const h = io();
    expect(answerCli(COMMANDS_SPEC, ['--help'], h.io)).toBe(0);
    expect(h.out).toEqual([COMMANDS_SPEC.usage]);
    expect(h.err).toEqual([]);
  });

  it('GIVEN no command WHEN answered THEN the usage on err and exit 2', () => {
    const h = io();
    expect(answerCli(COMMANDS_SPEC, [], h.io)).toBe(2);
    expect(h.err).toEqual([COMMANDS_SPEC.usage]);
    expect(h.out).toEqual([]);
  });

  it('GIVEN a bad option WHEN answered THEN one line prefixed with the command’s target, exit 2', () => {
    const h = io();
    expect(answerCli(COMMANDS_SPEC, ['a', '--bogus'], h.io)).toBe(2);
    expect(h.err).toEqual([expect.stringMatching(/^infra:a: unknown option --bogus: /)]);
  });

  it('GIVEN good input WHEN answered THEN the parsed command comes back, nothing printed', () => {
    const h = io();
    expect(answerCli(COMMANDS_SPEC, ['a'], h.io)).toMatchObject({ command: 'a' });
    expect([...h.out, ...h.err]).toEqual([]);
  });
});

describe('asUsageError', () => {
  class SetupError extends Error {}

  it('GIVEN an error of a setup class WHEN the step throws it THEN it becomes a UsageError', async () => {
    const step = () => {
      throw new SetupError('no templates: run `npx nx run infra:synth` first');
    };
    await expect(asUsageError(step, [SetupError])).rejects.toEqual(
      new UsageError('no templates: run `npx nx run infra:synth` first'),
    );
  });

  it('GIVEN any other error WHEN the step throws it THEN it passes unchanged (exit 1)', async () => {
    const bug = new TypeError('x is undefined');
    await expect(asUsageError(() => Promise.reject(bug), [SetupError])).rejects.toBe(bug);
  });

  it('GIVEN a step that succeeds WHEN run THEN its value comes back', async () => {
    await expect(asUsageError(() => 42, [SetupError])).resolves.toBe(42);
  });
});
