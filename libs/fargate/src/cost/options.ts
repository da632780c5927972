import { DEFAULT_ASSEMBLY_DIR } from '../diagram/cloud-assembly';
import { OptionsError, parseOptionValues, readDirOption } from '../diagram/options';
import { DEFAULT_ASSUMPTIONS, type Assumptions } from './estimate';

export interface CostOptions {
  readonly json: boolean;
  readonly help: boolean;
  /** Rewrite the estimate's section of docs/ARCHITECTURE.md instead of printing. */
  readonly writeDocs: boolean;
  /** Exit 1 when that section is stale, writing nothing. */
  readonly checkDocs: boolean;
  readonly assemblyDir: string;
  readonly assumptions: Assumptions;
}

export const USAGE = `usage: nx run infra:cost [-- --json | --write-docs | --check-docs] [--log-gb GB (default ${DEFAULT_ASSUMPTIONS.logIngestionGbPerMonth})] [--image-mb MB (default ${DEFAULT_ASSUMPTIONS.imageSizeMb})] [--assembly DIR (default ${DEFAULT_ASSEMBLY_DIR})]
Task size, count, architecture and Spot come from the synthesized templates: set them in the infra config (e.g. TASK_CPU=512 TASK_MEMORY_MIB=1024 DESIRED_COUNT=2 npx nx run infra:cost).`;

// One error type for both infra:cost and infra:diagram options; its users import it from here.
export { OptionsError };

const OUTPUT_MODES = ['json', 'write-docs', 'check-docs'] as const;

function readAmount(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new OptionsError(
      `${flag} ${JSON.stringify(text)} is not a number ≥ 0, e.g. ${flag} ${fallback}`,
    );
  }
  return value;
}

/** Parses the command line; bad input throws OptionsError with a one-line fix. */
export function parseCostOptions(argv: readonly string[]): CostOptions {
  const values = parseOptionValues(argv, {
    json: { type: 'boolean' },
    'write-docs': { type: 'boolean' },
    'check-docs': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    'log-gb': { type: 'string' },
    'image-mb': { type: 'string' },
    assembly: { type: 'string' },
  });
  // Each picks where the estimate goes (stdout as JSON, into the docs, compared with the docs).
  const modes = OUTPUT_MODES.filter((mode) => values[mode] === true);
  if (modes.length > 1) {
    throw new OptionsError(
      `${modes.map((mode) => `--${mode}`).join(' and ')} do not go together: pass one of ${OUTPUT_MODES.map((mode) => `--${mode}`).join(', ')}`,
    );
  }
  return {
    json: values['json'] === true,
    writeDocs: values['write-docs'] === true,
    checkDocs: values['check-docs'] === true,
    help: values['help'] === true,
    assemblyDir: readDirOption(values, 'assembly', DEFAULT_ASSEMBLY_DIR),
    assumptions: {
      logIngestionGbPerMonth: readAmount(
        values['log-gb'] as string | undefined,
        '--log-gb',
        DEFAULT_ASSUMPTIONS.logIngestionGbPerMonth,
      ),
      imageSizeMb: readAmount(
        values['image-mb'] as string | undefined,
        '--image-mb',
        DEFAULT_ASSUMPTIONS.imageSizeMb,
      ),
    },
  };
}
