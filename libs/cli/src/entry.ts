import { parseArgs } from 'node:util';

/**
 * The one shape of every script users and contributors run: `--help` prints the usage and exits
 * 0; a bad option prints one line `<name>: <message>` and exits 2 before any work; a run that
 * failed exits 1; nothing prints a stack trace. `<name>` is the nx target as typed, e.g.
 * `tools:benchmark-app` or `infra:status`.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line or its setup, worded as one line with the fix: exit 2. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

interface OptionBase {
  /** One-letter alias, e.g. `f` for `-f`. */
  readonly short?: string;
  /** The sub-commands the option means something to (default: all); others refuse it. */
  readonly commands?: readonly string[];
}

export type OptionSpec = OptionBase &
  (
    | { readonly type: 'boolean' }
    | { readonly type: 'string'; readonly default?: string; readonly example?: string }
    | {
        readonly type: 'number';
        /** Without one, an absent option is undefined. */
        readonly default?: number;
        /** Smallest value accepted (default 0). */
        readonly min?: number;
        readonly max?: number;
        readonly integer?: boolean;
        /** Shown in the error; default: the default. */
        readonly example?: number;
      }
    | {
        /** `90`, `90s`, `15m`, `2h`, `1d` (a bare number is seconds) → milliseconds. */
        readonly type: 'duration';
        readonly default?: number;
        readonly example: string;
      }
    | {
        readonly type: 'enum';
        readonly values: readonly string[];
        readonly default?: string;
      }
    | {
        readonly type: 'string';
        /** Turns the text (undefined when absent) into the value; throws to refuse it. */
        readonly parse: (text: string | undefined) => unknown;
        readonly example?: string;
      }
  );

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface CliSpec {
  /** The prefix of every error line: the nx target as the user typed it. */
  readonly name: string;
  readonly usage: string;
  readonly options: OptionSpecs;
  /** Sub-commands: the first argument names one; with none given the usage is a mistake. */
  readonly commands?: readonly string[];
  /** The prefix of a sub-command's errors, e.g. `infra:${command}`; default `${name}:${command}`. */
  readonly commandName?: (command: string) => string;
  /** Positional arguments after the options, in order: `<tag>` required, `[file]` optional. */
  readonly args?: readonly string[];
  /** A sub-command's own positional arguments, in place of `args` for that command. */
  readonly commandArgs?: Readonly<Record<string, readonly string[]>>;
}

type ValueOf<S extends OptionSpec> = S extends { parse: (text: string | undefined) => infer T }
  ? T
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'number' | 'duration'; default: number }
      ? number
      : S extends { type: 'number' | 'duration' }
        ? number | undefined
        : S extends { type: 'enum'; values: readonly (infer E)[]; default: string }
          ? E
          : S extends { type: 'enum'; values: readonly (infer E)[] }
            ? E | undefined
            : S extends { default: string }
              ? string
              : string | undefined;

export type CliValues<O extends OptionSpecs> = { [K in keyof O]: ValueOf<O[K]> };

export type ParsedCli<O extends OptionSpecs> =
  | {
      readonly help: true;
      /** No sub-command was given: the usage answers a mistake (stderr, exit 2), not --help. */
      readonly missingCommand?: true;
    }
  | {
      readonly help: false;
      /** The sub-command, when the spec has commands. */
      readonly command: string | undefined;
      readonly values: CliValues<O>;
      /** The positional arguments, as the spec's `args` names them. */
      readonly args: readonly string[];
    };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90`, `90s`, `15m`, `2h`, `1d` → milliseconds (a bare number is seconds); undefined if not one. */
export function readDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? 's'] : NaN;
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

function readNumber(
  flag: string,
  text: string,
  spec: Extract<OptionSpec, { type: 'number' }>,
): number {
  const value = Number(text);
  const min = spec.min ?? 0;
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    (spec.max !== undefined && value > spec.max) ||
    (spec.integer && !Number.isInteger(value))
  ) {
    const kind = spec.integer ? 'a whole number' : 'a number';
    const range = spec.max === undefined ? `≥ ${min}` : `from ${min} to ${spec.max}`;
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not ${kind} ${range}, e.g. ${flag} ${spec.example ?? spec.default ?? min}`,
    );
  }
  return value;
}

function readValue(flag: string, text: string | undefined, spec: OptionSpec): unknown {
  if (spec.type === 'boolean') return text !== undefined;
  if ('parse' in spec) {
    try {
      return spec.parse(text);
    } catch (error) {
      throw error instanceof UsageError ? error : new UsageError((error as Error).message);
    }
  }
  if (text === undefined) return spec.default;
  switch (spec.type) {
    case 'number':
      return readNumber(flag, text, spec);
    case 'duration': {
      const ms = readDuration(text);
      if (ms === undefined) {
        throw new UsageError(
          `${flag} ${JSON.stringify(text)} is not a duration like 90s, 15m or 2h, e.g. ${flag} ${spec.example}`,
        );
      }
      return ms;
    }
    case 'enum':
      if (!spec.values.includes(text)) {
        throw new UsageError(
          `${flag} ${JSON.stringify(text)} is not one of ${spec.values.join(', ')}, e.g. ${flag} ${spec.values[0]}`,
        );
      }
      return text;
    default:
      return text;
  }
}

function exampleOf(spec: OptionSpec): string {
  if ('example' in spec && spec.example !== undefined) return String(spec.example);
  if ('values' in spec) return spec.values[0] ?? 'VALUE';
  if ('default' in spec && spec.default !== undefined) return String(spec.default);
  return 'VALUE';
}

/**
 * Parses argv against the spec; bad input throws UsageError with a one-line fix. Options are read
 * token by token rather than by parseArgs' strict mode: its messages span lines and suggest `--`,
 * which is wrong advice behind nx.
 */
export function parseCli<S extends Pick<CliSpec, 'options' | 'commands' | 'args' | 'commandArgs'>>(
  argv: readonly string[],
  spec: S,
): ParsedCli<S['options']> {
  const options = spec.options;
  const { tokens } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: {
      ...Object.fromEntries(
        Object.entries(options).map(([name, option]) => [
          name,
          {
            type: option.type === 'boolean' ? ('boolean' as const) : ('string' as const),
            ...(option.short ? { short: option.short } : {}),
          },
        ]),
      ),
      help: { type: 'boolean', short: 'h' },
    },
  });
  const positionals = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []));
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };
  let command: string | undefined;
  if (spec.commands) {
    command = positionals.shift();
    if (command === undefined) return { help: true, missingCommand: true };
    if (command === 'help') return { help: true };
    if (!spec.commands.includes(command)) {
      throw new UsageError(
        `unknown command ${JSON.stringify(command)}: use one of ${spec.commands.join(', ')}`,
      );
    }
  }
  const applies = (option: OptionSpec) =>
    command === undefined || !option.commands || option.commands.includes(command);
  const texts: Record<string, string | undefined> = {};
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    // hasOwn: `--constructor` must not find Object.prototype's.
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!option) {
      const known = [
        ...Object.keys(options).filter((name) => applies(options[name] as OptionSpec)),
        'help',
      ].map((name) => `--${name}`);
      throw new UsageError(`unknown option ${token.rawName}: options are ${known.join(', ')}`);
    }
    const flag = `--${token.name}`;
    if (!applies(option)) {
      throw new UsageError(
        `${flag} does not apply to ${command} (only ${option.commands?.join(', ')}): leave it out`,
      );
    }
    if (option.type === 'boolean') {
      if (token.value !== undefined) {
        throw new UsageError(`${flag} takes no value: write just ${flag}`);
      }
      texts[token.name] = '';
      continue;
    }
    // Lenient parsing takes the next word as the value even when it is the next option.
    const value =
      token.inlineValue === false && token.value?.startsWith('-') ? undefined : token.value;
    if (value === undefined) {
      throw new UsageError(`${flag} needs a value, e.g. ${flag} ${exampleOf(option)}`);
    }
    texts[token.name] = value;
  }
  const names =
    (command !== undefined && Object.hasOwn(spec.commandArgs ?? {}, command)
      ? spec.commandArgs?.[command]
      : undefined) ??
    spec.args ??
    [];
  const required = names.filter((name) => name.startsWith('<')).length;
  if (positionals.length > names.length) {
    const after = command === undefined ? '' : ` after ${command}`;
    throw new UsageError(
      `unexpected argument ${JSON.stringify(positionals[names.length])}${after}: options start with --, see --help`,
    );
  }
  if (positionals.length < required) {
    throw new UsageError(`missing ${names[positionals.length]}: see --help`);
  }
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(options)) {
    values[name] = readValue(`--${name}`, texts[name], option);
  }
  return { help: false, command, values: values as CliValues<S['options']>, args: positionals };
}

/**
 * Runs `step`, turning errors of the given classes into a UsageError (exit 2): those a script
 * knows to be the caller's setup (no templates, no font), each worded with the next step.
 */
export async function asUsageError<T>(
  step: () => T | Promise<T>,
  setupErrors: readonly (abstract new (...args: never[]) => Error)[],
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (setupErrors.some((type) => error instanceof type)) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

/** The first line of any error: what a user sees instead of a stack trace. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** The prefix of errors for this argv: the sub-command's nx target once it is known. */
export function cliName(
  spec: Pick<CliSpec, 'name' | 'commands' | 'commandName'>,
  argv: readonly string[],
): string {
  const command = argv[0];
  if (!spec.commands || command === undefined || !spec.commands.includes(command)) return spec.name;
  return spec.commandName ? spec.commandName(command) : `${spec.name}:${command}`;
}

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Answers the command line, before any work: the parsed command, or the exit code when it was
 * answered already (`--help`: usage on out, 0; no sub-command: usage on err, 2; bad input: one
 * line `<name>: <message>` on err, 2).
 */
export function answerCli<S extends CliSpec>(
  spec: S,
  argv: readonly string[],
  io: CliIo,
): Extract<ParsedCli<S['options']>, { help: false }> | number {
  try {
    const parsed = parseCli(argv, spec);
    if (!parsed.help) return parsed;
    if (parsed.missingCommand) {
      io.err(spec.usage);
      return EXIT_USAGE;
    }
    io.out(spec.usage);
    return EXIT_OK;
  } catch (error) {
    io.err(`${cliName(spec, argv)}: ${firstLine(error)}`);
    return EXIT_USAGE;
  }
}

/**
 * Reads process.argv for a script, before it does any work: `--help` prints the usage and exits
 * 0, bad input prints `<name>: <message>` and exits 2.
 */
export function readCli<S extends CliSpec>(
  spec: S,
  argv: readonly string[] = process.argv.slice(2),
): Extract<ParsedCli<S['options']>, { help: false }>['values'] {
  return readCliCommand(spec, argv).values;
}

/** readCli, for a script with sub-commands or positional arguments: all that was parsed. */
export function readCliCommand<S extends CliSpec>(
  spec: S,
  argv: readonly string[] = process.argv.slice(2),
): Extract<ParsedCli<S['options']>, { help: false }> {
  const answer = answerCli(spec, argv, processIo);
  if (typeof answer === 'number') process.exit(answer);
  return answer;
}

/**
 * Runs a script's body: it returns its exit code (true 0, false 1, nothing 0). A UsageError
 * prints one line and exits 2, any other error one line and exits 1; never a stack trace.
 */
export function runCli(name: string, main: () => Promise<number | boolean | void>): void {
  let run: Promise<number | boolean | void>;
  try {
    run = main();
  } catch (error) {
    run = Promise.reject(error);
  }
  run.then(
    (outcome) => {
      process.exitCode =
        outcome === false
          ? EXIT_FAILED
          : outcome === true || outcome === undefined
            ? EXIT_OK
            : outcome;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${firstLine(error)}\n`);
      // exit, not exitCode: a failed run may leave servers or timers behind.
      process.exit(error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED);
    },
  );
}
