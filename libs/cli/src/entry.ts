import { parseArgs } from 'node:util';

/**
 * The one shape of every script in tools/: `--help` prints the usage and exits 0; a bad option
 * prints one line `<name>: <message>` and exits 2 before any work; a run that failed exits 1;
 * nothing prints a stack trace. `<name>` is the nx target as typed, e.g. `tools:benchmark-app`.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line or its setup, worded as one line with the fix: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OptionSpec =
  | { readonly type: 'boolean' }
  | { readonly type: 'string'; readonly default?: string }
  | {
      readonly type: 'number';
      readonly default: number;
      /** Smallest value accepted (default 0). */
      readonly min?: number;
      readonly integer?: boolean;
    }
  | {
      readonly type: 'string';
      /** Turns the text (undefined when absent) into the value; throws to refuse it. */
      readonly parse: (text: string | undefined) => unknown;
    };

export interface CliSpec {
  /** The prefix of every error line: the nx target as the user typed it. */
  readonly name: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

export type CliValues<O extends CliSpec['options']> = {
  [K in keyof O]: O[K] extends { parse: (text: string | undefined) => infer T }
    ? T
    : O[K] extends { type: 'boolean' }
      ? boolean
      : O[K] extends { type: 'number' }
        ? number
        : O[K] extends { default: string }
          ? string
          : string | undefined;
};

export type ParsedCli<O extends CliSpec['options']> =
  { readonly help: true } | { readonly help: false; readonly values: CliValues<O> };

function readNumber(
  flag: string,
  text: string,
  spec: { min?: number; integer?: boolean; default: number },
): number {
  const value = Number(text);
  const min = spec.min ?? 0;
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    (spec.integer && !Number.isInteger(value))
  ) {
    const kind = spec.integer ? 'a whole number' : 'a number';
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not ${kind} ≥ ${min}, e.g. ${flag} ${spec.default}`,
    );
  }
  return value;
}

/** Parses argv against the spec; bad input throws UsageError with a one-line fix. */
export function parseCli<O extends CliSpec['options']>(
  argv: readonly string[],
  options: O,
): ParsedCli<O> {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    const nodeOptions = Object.fromEntries(
      Object.entries(options).map(([name, spec]) => [
        name,
        { type: spec.type === 'boolean' ? ('boolean' as const) : ('string' as const) },
      ]),
    );
    values = parseArgs({
      args: [...argv],
      options: { ...nodeOptions, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(message)?.[1] ?? 'given';
      const known = [...Object.keys(options), 'help'].map((name) => `--${name}`);
      throw new UsageError(`unknown option ${option}: options are ${known.join(', ')}`);
    }
    throw new UsageError(`${message.split('\n')[0]} (see --help)`);
  }
  if (values['help'] === true) return { help: true };
  const result: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(options)) {
    const flag = `--${name}`;
    const text = values[name];
    if (spec.type === 'boolean') result[name] = text === true;
    else if ('parse' in spec) {
      try {
        result[name] = spec.parse(text as string | undefined);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    } else if (spec.type === 'number')
      result[name] = text === undefined ? spec.default : readNumber(flag, text as string, spec);
    else result[name] = text ?? spec.default;
  }
  return { help: false, values: result as CliValues<O> };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * Reads process.argv for a script, before it does any work: `--help` prints the usage and exits
 * 0, bad input prints `<name>: <message>` and exits 2.
 */
export function readCli<S extends CliSpec>(
  spec: S,
  argv: readonly string[] = process.argv.slice(2),
): CliValues<S['options']> {
  try {
    const parsed = parseCli(argv, spec.options);
    if (parsed.help) {
      process.stdout.write(`${spec.usage}\n`);
      process.exit(EXIT_OK);
    }
    return parsed.values;
  } catch (error) {
    process.stderr.write(`${spec.name}: ${firstLine(error)}\n`);
    process.exit(EXIT_USAGE);
  }
}

/**
 * Runs a script's body: it returns its exit code (true 0, false 1, nothing 0). A UsageError
 * prints one line and exits 2, any other error one line and exits 1; never a stack trace.
 */
export function runCli(name: string, main: () => Promise<number | boolean | void>): void {
  main().then(
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
      process.exit(error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED);
    },
  );
}
