import { CliSpec, CliValues, parseCli, UsageError } from '@hello-world/cli';
import { assemblyOption } from '../diagram/options';
import { DEFAULT_ASSUMPTIONS, type Assumptions } from './estimate';

export interface CostOptions {
  readonly json: boolean;
  /** Rewrite the estimate's section of docs/ARCHITECTURE.md instead of printing. */
  readonly writeDocs: boolean;
  /** Exit 1 when that section is stale, writing nothing. */
  readonly checkDocs: boolean;
  /** Relative to the workspace root unless absolute; undefined: the deployment's. */
  readonly assemblyDir: string | undefined;
  readonly assumptions: Assumptions;
}

export const USAGE = `usage: nx run infra:cost [-- --json | --write-docs | --check-docs] [--log-gb GB (default ${DEFAULT_ASSUMPTIONS.logIngestionGbPerMonth})] [--image-mb MB (default ${DEFAULT_ASSUMPTIONS.imageSizeMb})] [--assembly DIR (default: the deployment's cdk.json output)]
Task size, count, architecture and Spot come from the synthesized templates: set them in the infra config (e.g. TASK_CPU=512 TASK_MEMORY_MIB=1024 DESIRED_COUNT=2 npx nx run infra:cost).`;

export const COST_CLI = {
  name: 'infra:cost',
  usage: USAGE,
  options: {
    json: { type: 'boolean' },
    'write-docs': { type: 'boolean' },
    'check-docs': { type: 'boolean' },
    'log-gb': { type: 'number', default: DEFAULT_ASSUMPTIONS.logIngestionGbPerMonth },
    'image-mb': { type: 'number', default: DEFAULT_ASSUMPTIONS.imageSizeMb },
    assembly: assemblyOption,
  },
} as const satisfies CliSpec;

const OUTPUT_MODES = ['json', 'write-docs', 'check-docs'] as const;

/** infra:cost's options, from its parsed command line; output modes that clash are refused. */
export function toCostOptions(values: CliValues<typeof COST_CLI.options>): CostOptions {
  // Each picks where the estimate goes (stdout as JSON, into the docs, compared with the docs).
  const modes = OUTPUT_MODES.filter((mode) => values[mode]);
  if (modes.length > 1) {
    throw new UsageError(
      `${modes.map((mode) => `--${mode}`).join(' and ')} do not go together: pass one of ${OUTPUT_MODES.map((mode) => `--${mode}`).join(', ')}`,
    );
  }
  return {
    json: values.json,
    writeDocs: values['write-docs'],
    checkDocs: values['check-docs'],
    assemblyDir: values.assembly,
    assumptions: {
      logIngestionGbPerMonth: values['log-gb'],
      imageSizeMb: values['image-mb'],
    },
  };
}

/** Parses infra:cost's command line (not --help); bad input throws a one-line UsageError. */
export function parseCostOptions(argv: readonly string[]): CostOptions | 'help' {
  const parsed = parseCli(argv, COST_CLI);
  return parsed.help ? 'help' : toCostOptions(parsed.values);
}
