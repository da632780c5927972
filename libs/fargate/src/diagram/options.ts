import { CliSpec, CliValues, parseCli, UsageError } from '@hello-world/cli';
import { APP_NAME, DEFAULT_ENVIRONMENT } from '@hello-world/shared';
import { basename, isAbsolute, join, relative } from 'node:path';
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

/** Where hello-world's diagram lives: the committed docs/architecture.{svg,png,drawio}. */
export const DOCS_OUT_DIR = 'docs';

/**
 * Where a deployment's diagram goes without --out, relative to the workspace root. docs/ holds
 * hello-world's default environment's, which the docs show and `--check` guards; another
 * deployment's is drawn under dist, beside its other build output
 * (`dist/apps/greeter-infra/diagram`), and another environment's in a folder of its own below
 * that (`dist/apps/infra/diagram/staging`), never over the docs' files.
 */
export function defaultDiagramOut(
  deployment: { dir: string; names: { service: string; environment?: string } },
  workspaceRoot: string,
): string {
  const environment = deployment.names.environment ?? DEFAULT_ENVIRONMENT;
  const isDefault = environment === DEFAULT_ENVIRONMENT;
  if (deployment.names.service === APP_NAME && isDefault) return DOCS_OUT_DIR;
  const root = relative(workspaceRoot, deployment.dir);
  // A deployment outside the workspace (a hand-made one) has no root there: its folder's name.
  const inside = root !== '' && !root.startsWith('..') && !isAbsolute(root);
  const dir = join('dist', inside ? root : basename(deployment.dir), 'diagram');
  return isDefault ? dir : join(dir, environment);
}

/** The usage of a deployment project's diagram target, with its default --out. */
export function diagramUsage(project: string, defaultOut: string = DOCS_OUT_DIR): string {
  return `usage: nx run ${project}:diagram [-- --check] [--env NAME (default: env DEPLOY_ENV, else default)] [--assembly DIR (default: the deployment's cdk.json output)] [--out DIR (default ${defaultOut})]
Draws architecture.{svg,png,drawio} from the synthesized templates of the environment (synthesize it first: nx run ${project}:synth -- --env=NAME); another environment than the default is drawn under dist/, never into docs/. --check writes nothing and exits 1 when the files in --out are stale.`;
}

/** hello-world's (apps/infra). */
export const DIAGRAM_USAGE = diagramUsage('infra');

const DIAGRAM_OPTIONS = {
  check: { type: 'boolean' },
  // Read by readDeploymentOrExit before parsing (the names depend on it); listed so it is accepted.
  env: { type: 'string', example: 'staging' },
  assembly: assemblyOption,
  // Absent: the deployment's default (defaultDiagramOut), which main knows.
  out: {
    type: 'string',
    example: DOCS_OUT_DIR,
    parse: (text: string | undefined): string | undefined =>
      text === undefined ? undefined : directoryOption('out', DOCS_OUT_DIR).parse(text),
  },
} as const;

/**
 * The diagram CLI of a deployment project (`infra`, `greeter-infra`): errors start with
 * `<project>:diagram`.
 */
export function diagramCli(project: string, defaultOut: string = DOCS_OUT_DIR) {
  return {
    name: `${project}:diagram`,
    usage: diagramUsage(project, defaultOut),
    options: DIAGRAM_OPTIONS,
  } as const satisfies CliSpec;
}

/** hello-world's (apps/infra). */
export const DIAGRAM_CLI = diagramCli('infra');

export interface DiagramOptions {
  /** Compare with the files in outDir instead of writing them. */
  readonly check: boolean;
  /** Relative to the workspace root unless absolute; undefined: the deployment's. */
  readonly assemblyDir: string | undefined;
  /** Relative to the workspace root unless absolute; undefined: defaultDiagramOut's. */
  readonly outDir: string | undefined;
}

/** `<project>:diagram`'s options, from its parsed command line. */
export function toDiagramOptions(values: CliValues<typeof DIAGRAM_CLI.options>): DiagramOptions {
  return { check: values.check, assemblyDir: values.assembly, outDir: values.out };
}

/** Parses `<project>:diagram`'s command line (not --help); bad input throws a one-line UsageError. */
export function parseDiagramOptions(argv: readonly string[]): DiagramOptions | 'help' {
  const parsed = parseCli(argv, DIAGRAM_CLI);
  return parsed.help ? 'help' : toDiagramOptions(parsed.values);
}
