import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_ASSEMBLY_DIR } from './cloud-assembly';

/** Exit codes of infra:diagram and infra:cost: 1 the check or estimate failed, 2 bad usage or setup. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line or its setup, worded as one line with the fix: exit 2. */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/**
 * Node's parseArgs, strict. Its errors span several lines, so they become one: an unknown option
 * lists the known ones (that is the fix), anything else keeps its first line.
 */
export function parseOptionValues(argv: readonly string[], options: OptionSpecs): OptionValues {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(message)?.[1] ?? 'given';
      const known = Object.keys(options).map((name) => `--${name}`);
      throw new OptionsError(`unknown option ${option}: options are ${known.join(', ')}`);
    }
    throw new OptionsError(`${message.split('\n')[0]} (see --help)`);
  }
}

/**
 * A directory option's value, else its default. An empty value would resolve to the workspace
 * root (reading or writing there), so it is refused.
 */
export function readDirOption(values: OptionValues, name: string, fallback: string): string {
  const value = values[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new OptionsError(`--${name} needs a directory, e.g. --${name}=${fallback}`);
  }
  return value;
}

export const DIAGRAM_USAGE = `usage: nx run infra:diagram [-- --check] [--assembly DIR (default ${DEFAULT_ASSEMBLY_DIR})] [--out DIR (default docs)]
Draws architecture.{svg,png,drawio} from the synthesized templates; --check writes nothing and exits 1 when the files in --out are stale.`;

export interface DiagramOptions {
  readonly help: boolean;
  /** Compare with the files in outDir instead of writing them. */
  readonly check: boolean;
  /** Relative to the workspace root unless absolute. */
  readonly assemblyDir: string;
  readonly outDir: string;
}

/** Parses infra:diagram's command line; bad input throws OptionsError with a one-line fix. */
export function parseDiagramOptions(argv: readonly string[]): DiagramOptions {
  const values = parseOptionValues(argv, {
    check: { type: 'boolean' },
    assembly: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  return {
    help: values['help'] === true,
    check: values['check'] === true,
    assemblyDir: readDirOption(values, 'assembly', DEFAULT_ASSEMBLY_DIR),
    outDir: readDirOption(values, 'out', 'docs'),
  };
}
