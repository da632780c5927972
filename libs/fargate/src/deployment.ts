import {
  chooseEnvironment,
  DEFAULT_ENVIRONMENT,
  deploymentNames,
  EnvironmentNameError,
  type DeploymentNames,
} from '@hello-world/shared';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, loadServiceSettings } from './config';

/**
 * One deployment of a service: a deployment project (apps/infra for hello-world, apps/<name>-infra
 * for a generated service) whose cdk.json names the service and its port. Every entry point reads
 * it once, from its working directory, and passes it on.
 */
export interface Deployment {
  /** The deployment project's directory, absolute: where its cdk.json is. */
  readonly dir: string;
  /** The Nx project name, as errors prefix it (`infra:status: …`): project.json's, else the folder's. */
  readonly project: string;
  /**
   * Every deployed name, from cdk.json's context "service" (default hello-world) and the
   * environment (names.environment: --env, else DEPLOY_ENV, else default).
   */
  readonly names: DeploymentNames;
  /** The service's port, from cdk.json's context "port" (default 49000). */
  readonly port: number;
  /** The cloud assembly the CDK CLI writes, absolute: cdk.json's "output" (default cdk.out). */
  readonly assemblyDir: string;
  /** Beside the assembly: stack outputs files and the CI stack's own assembly. */
  readonly outputsDir: string;
}

export const CDK_JSON = 'cdk.json';

/** The CDK CLI's own default when cdk.json names no "output". */
const CDK_DEFAULT_OUTPUT = 'cdk.out';

interface CdkJson {
  output?: unknown;
  context?: Record<string, unknown>;
}

/** The directory holds no cdk.json: not a deployment project at all. */
export class NoDeploymentError extends ConfigError {}

export type ReadText = (path: string) => string | undefined;

const readIfThere: ReadText = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not JSON (${(error as Error).message.split('\n')[0]})`);
  }
}

function projectName(dir: string, readText: ReadText): string {
  const projectJson = readText(join(dir, 'project.json'));
  if (projectJson !== undefined) {
    const name = (parseJson(projectJson, join(dir, 'project.json')) as { name?: unknown }).name;
    if (typeof name === 'string' && name !== '') return name;
  }
  return basename(dir);
}

/**
 * Reads the deployment whose project directory is `dir` (normally the process's cwd: every infra
 * target runs there). Throws ConfigError with one line, naming the file, when there is no
 * cdk.json, it is not JSON, or its service, port or output cannot work.
 */
export function readDeployment(
  dir: string,
  readText: ReadText = readIfThere,
  environment: string = DEFAULT_ENVIRONMENT,
): Deployment {
  const root = resolve(dir);
  const path = join(root, CDK_JSON);
  const text = readText(path);
  if (text === undefined) {
    throw new NoDeploymentError(
      `no ${CDK_JSON} in ${root}: run this from a deployment project's directory (apps/infra, apps/<service>-infra), as \`npx nx run <project>:<target>\` does`,
    );
  }
  const cdkJson = parseJson(text, path);
  if (typeof cdkJson !== 'object' || cdkJson === null || Array.isArray(cdkJson)) {
    throw new ConfigError(`${path} is not a JSON object: expected {"app": …, "context": {…}}`);
  }
  const { output = CDK_DEFAULT_OUTPUT, context = {} } = cdkJson as CdkJson;
  if (typeof output !== 'string' || output.trim() === '') {
    throw new ConfigError(
      `${path}: "output" ${JSON.stringify(output)} is not a directory: expected a path such as "../../dist/apps/infra/cdk.out"`,
    );
  }
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new ConfigError(
      `${path}: "context" is not an object: expected {"service": …, "port": …}`,
    );
  }
  let settings;
  try {
    settings = loadServiceSettings((key) => context[key]);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`${path}: ${error.message}`);
  }
  let names: DeploymentNames;
  try {
    names = deploymentNames(settings.names.service, environment);
  } catch (error) {
    if (!(error instanceof EnvironmentNameError)) throw error;
    throw new ConfigError(error.message);
  }
  const assemblyDir = resolve(root, output);
  return {
    dir: root,
    project: projectName(root, readText),
    names,
    port: settings.port,
    assemblyDir,
    outputsDir: dirname(assemblyDir),
  };
}

/**
 * The value of `--env NAME` / `--env=NAME` among a CLI's arguments (the last one wins, as in the
 * CLIs' own parsers), or undefined. Every CLI also lists --env among its options, so its parser
 * accepts it; this reads it first because the deployment's names depend on it.
 */
export function environmentFlag(argv: readonly string[]): string | undefined {
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--') return;
    if (arg.startsWith('--env=')) value = arg.slice('--env='.length);
    else if (arg === '--env' && i + 1 < argv.length) value = argv[i + 1];
  });
  return value;
}

/** Where an entry point reads its deployment from; the defaults are the process's. */
export interface DeploymentSource {
  readonly dir?: string;
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The entry points' one rule: the deployment is the one whose project directory is the working
 * directory (every infra target runs there: `cwd` is the deployment project's root), in the
 * environment --env names, else DEPLOY_ENV, else the default. On a problem, one line on stderr,
 * prefixed with the nx target as typed (`infra:status: …`), and exit 2.
 */
export function readDeploymentOrExit(target: string, source: DeploymentSource = {}): Deployment {
  const { dir = process.cwd(), argv = process.argv.slice(2), env = process.env } = source;
  try {
    let environment: string;
    try {
      environment = chooseEnvironment(environmentFlag(argv), env);
    } catch (error) {
      if (!(error instanceof EnvironmentNameError)) throw error;
      throw new ConfigError(error.message);
    }
    return readDeployment(dir, readIfThere, environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Without a cdk.json there is no project to name: the target alone.
    const prefix =
      error instanceof NoDeploymentError ? target : `${basename(resolve(dir))}:${target}`;
    process.stderr.write(`${prefix}: ${error.message}\n`);
    process.exit(2);
  }
}
