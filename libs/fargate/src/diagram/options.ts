import { CliSpec, CliValues, parseCli, UsageError } from '@hello-world/cli';
import { DEFAULT_ASSEMBLY_DIR } from './cloud-assembly';

/**
 * A directory option (`--assembly`, `--out`): its value, else its default. An empty value would
 * resolve to the workspace root (reading or writing there), so it is refused.
 */
export function directoryOption(name: string, fallback: string) {
  return {
    type: 'string',
    example: fallback,
    parse: (text: string | undefined): string => {
      if (text === undefined) return fallback;
      if (text.trim() === '') {
        throw new UsageError(`--${name} needs a directory, e.g. --${name}=${fallback}`);
      }
      return text;
    },
  } as const;
}

/** --assembly: a directory, or undefined for the deployment's own (its cdk.json "output"). */
export const assemblyOption = {
  type: 'string',
  example: DEFAULT_ASSEMBLY_DIR,
  parse: (text: string | undefined): string | undefined =>
    text === undefined ? undefined : directoryOption('assembly', DEFAULT_ASSEMBLY_DIR).parse(text),
} as const;

export const DIAGRAM_USAGE = `usage: nx run infra:diagram [-- --check] [--assembly DIR (default: the deployment's cdk.json output)] [--out DIR (default docs)]
Draws architecture.{svg,png,drawio} from the synthesized templates; --check writes nothing and exits 1 when the files in --out are stale.`;

export const DIAGRAM_CLI = {
  name: 'infra:diagram',
  usage: DIAGRAM_USAGE,
  options: {
    check: { type: 'boolean' },
    assembly: assemblyOption,
    out: directoryOption('out', 'docs'),
  },
} as const satisfies CliSpec;

export interface DiagramOptions {
  /** Compare with the files in outDir instead of writing them. */
  readonly check: boolean;
  /** Relative to the workspace root unless absolute; undefined: the deployment's. */
  readonly assemblyDir: string | undefined;
  readonly outDir: string;
}

/** infra:diagram's options, from its parsed command line. */
export function toDiagramOptions(values: CliValues<typeof DIAGRAM_CLI.options>): DiagramOptions {
  return { check: values.check, assemblyDir: values.assembly, outDir: values.out };
}

/** Parses infra:diagram's command line (not --help); bad input throws a one-line UsageError. */
export function parseDiagramOptions(argv: readonly string[]): DiagramOptions | 'help' {
  const parsed = parseCli(argv, DIAGRAM_CLI);
  return parsed.help ? 'help' : toDiagramOptions(parsed.values);
}
