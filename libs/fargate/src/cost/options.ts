import { CliSpec, CliValues, parseCli, UsageError } from '@hello-world/cli';
import { APP_NAME, DEFAULT_ENVIRONMENT, type DeploymentNames } from '@hello-world/shared';
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

/** The usage of a deployment project's cost target (`infra`, `greeter-infra`). */
export function costUsage(project: string): string {
  return `usage: nx run ${project}:cost [-- --json | --write-docs | --check-docs] [--env NAME (default: env DEPLOY_ENV, else default)] [--log-gb GB (default ${DEFAULT_ASSUMPTIONS.logIngestionGbPerMonth})] [--image-mb MB (default ${DEFAULT_ASSUMPTIONS.imageSizeMb})] [--assembly DIR (default: the deployment's cdk.json output)]
Task size, count, architecture and Spot come from the synthesized templates: set them in the infra config (e.g. TASK_CPU=512 TASK_MEMORY_MIB=1024 DESIRED_COUNT=2 npx nx run ${project}:cost).
--env prices that environment's templates (synthesized with --env too) and, outside the default environment, only its own stacks: the registry is shared, priced with the default. --json's monthlyTotal is the monthly total in USD.`;
}

/** hello-world's (apps/infra). */
export const USAGE = costUsage('infra');

const COST_OPTIONS = {
  json: { type: 'boolean' },
  // Read by readDeploymentOrExit before parsing (the names depend on it); listed so it is accepted.
  env: { type: 'string', example: 'staging' },
  'write-docs': { type: 'boolean' },
  'check-docs': { type: 'boolean' },
  'log-gb': { type: 'number', default: DEFAULT_ASSUMPTIONS.logIngestionGbPerMonth },
  'image-mb': { type: 'number', default: DEFAULT_ASSUMPTIONS.imageSizeMb },
  assembly: assemblyOption,
} as const;

/** The cost CLI of a deployment project: errors start with `<project>:cost`. */
export function costCli(project: string) {
  return {
    name: `${project}:cost`,
    usage: costUsage(project),
    options: COST_OPTIONS,
  } as const satisfies CliSpec;
}

/** hello-world's (apps/infra). */
export const COST_CLI = costCli('infra');

/**
 * docs/ARCHITECTURE.md's estimate is hello-world's deployment's, in its default environment, the
 * one the docs describe: another deployment's or environment's `--write-docs` would overwrite it
 * and `--check-docs` would compare it with the wrong templates, so both are refused in one line
 * (exit 2) saying what to do instead.
 */
export function checkDocsAreTheDeployments(
  options: Pick<CostOptions, 'writeDocs' | 'checkDocs'>,
  names: Pick<DeploymentNames, 'service' | 'environment'>,
): void {
  const { service, environment } = names;
  if (!(options.writeDocs || options.checkDocs)) return;
  const flag = options.writeDocs ? '--write-docs' : '--check-docs';
  if (service !== APP_NAME) {
    throw new UsageError(
      `${flag}: the estimate in docs/ARCHITECTURE.md describes ${APP_NAME}'s deployment (apps/infra), not ${service}'s: run without ${flag} to print ${service}'s estimate, or with --json`,
    );
  }
  if (environment !== DEFAULT_ENVIRONMENT) {
    throw new UsageError(
      `${flag}: the estimate in docs/ARCHITECTURE.md describes the ${DEFAULT_ENVIRONMENT} environment, not ${environment}: run without ${flag} to print ${environment}'s estimate, or with --json`,
    );
  }
}

const OUTPUT_MODES = ['json', 'write-docs', 'check-docs'] as const;

/** `<project>:cost`'s options, from its parsed command line; output modes that clash are refused. */
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

/** Parses `<project>:cost`'s command line (not --help); bad input throws a one-line UsageError. */
export function parseCostOptions(argv: readonly string[]): CostOptions | 'help' {
  const parsed = parseCli(argv, COST_CLI);
  return parsed.help ? 'help' : toCostOptions(parsed.values);
}
