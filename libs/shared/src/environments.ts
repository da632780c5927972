/**
 * Deployment environments (`default`, `staging`, `production`, previews `pr-<number>`): how a
 * name is chosen, checked and told apart. The names each environment gives AWS resources are
 * spelt in names.ts.
 */

/** The environment of the reference: its names carry no suffix. */
export const DEFAULT_ENVIRONMENT = 'default';

/** The environment variable every target and CLI reads when no --env flag is given. */
export const ENVIRONMENT_VARIABLE = 'DEPLOY_ENV';

/** The CDK context key that names the environment at synth (`cdk synth -c environment=staging`). */
export const ENVIRONMENT_CONTEXT = 'environment';

/** A pull request's throwaway environment: `pr-<number>`. */
const PREVIEW_ENVIRONMENT = /^pr-[1-9]\d*$/;

/** The preview environments share one group name, used where their resources are shared. */
export const PREVIEW_GROUP = 'pr';

/** The preview environment of a pull request. */
export function previewEnvironment(pullRequest: number): string {
  return `${PREVIEW_GROUP}-${pullRequest}`;
}

export function isPreviewEnvironment(environment: string): boolean {
  return PREVIEW_ENVIRONMENT.test(environment);
}

export function isDefaultEnvironment(environment: string): boolean {
  return environment === DEFAULT_ENVIRONMENT;
}

/**
 * Lowercase letters, digits and single hyphens, starting with a letter and ending with a letter
 * or digit: it becomes part of stack, cluster, repository-tag and IAM role names.
 */
const ENVIRONMENT_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/**
 * The longest environment name, before the service's own IAM name limits (names.ts) are checked:
 * short enough to read in a stack list and to fit the role names of any reasonable service.
 */
export const MAX_ENVIRONMENT_NAME_LENGTH = 16;

/**
 * Names that would collide with a shared name of the deployment: `registry` and `ci` are stacks
 * (`<service>-ecr-ecs-fargate-registry`), `pr` and `previews` the previews' shared roles and
 * registry, `previous` the marker tag a rollback reads (`deployed-<stack>-previous`).
 */
const RESERVED = ['registry', 'ci', PREVIEW_GROUP, 'previews', 'previous', 'roles', 'local'];

/** Prefixes of shared names: `<service>-ecr-ecs-fargate-ci-<env>` are the CI roles' stacks. */
const RESERVED_PREFIXES = ['ci-'];

/** Suffixes another environment's shared names end with (`<stack>-previous`, `<env>-roles`). */
const RESERVED_SUFFIXES = ['-previous', '-roles', '-local'];

/**
 * Why `environment` cannot name an environment (one clause with the rule), or undefined when it
 * can. The service's IAM role limits are checked on top of this by environmentNameProblem in
 * names.ts.
 */
export function environmentShapeProblem(environment: string): string | undefined {
  if (!ENVIRONMENT_NAME.test(environment)) {
    return 'use lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, e.g. staging';
  }
  if (environment.length > MAX_ENVIRONMENT_NAME_LENGTH) {
    return `it is ${environment.length} characters; use at most ${MAX_ENVIRONMENT_NAME_LENGTH}`;
  }
  if (RESERVED.includes(environment)) {
    return `${environment} names a resource every environment shares; choose another name`;
  }
  if (environment.startsWith(`${PREVIEW_GROUP}-`) && !isPreviewEnvironment(environment)) {
    return `names starting ${PREVIEW_GROUP}- are pull-request previews, ${PREVIEW_GROUP}-<number> (e.g. ${previewEnvironment(42)})`;
  }
  const prefix = RESERVED_PREFIXES.find((start) => environment.startsWith(start));
  if (prefix) {
    return `names starting ${prefix} would collide with the CI stacks (<service>-ecr-ecs-fargate-${prefix}<environment>); choose another name`;
  }
  const suffix = RESERVED_SUFFIXES.find((end) => environment.endsWith(end));
  if (suffix) {
    return `names ending ${suffix} would collide with another environment's ${suffix.slice(1)} names; choose another name`;
  }
  return undefined;
}

/** An environment name that cannot work; the message is one line with the rule. */
export class EnvironmentNameError extends Error {
  override readonly name = 'EnvironmentNameError';
}

/**
 * The environment a command acts on: the --env flag, else DEPLOY_ENV, else the default. Only
 * its shape is checked here; deploymentNames checks it against the service's name limits.
 */
export function chooseEnvironment(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const fromFlag = flag?.trim();
  const fromEnv = env[ENVIRONMENT_VARIABLE]?.trim();
  const [environment, source] = fromFlag
    ? [fromFlag, '--env']
    : fromEnv
      ? [fromEnv, ENVIRONMENT_VARIABLE]
      : [DEFAULT_ENVIRONMENT, 'default'];
  if (isDefaultEnvironment(environment)) return environment;
  const problem = environmentShapeProblem(environment);
  if (problem) {
    throw new EnvironmentNameError(
      `invalid environment ${JSON.stringify(environment)} (from ${source}): ${problem}`,
    );
  }
  return environment;
}

/**
 * Tags on every service stack (stack-level: CloudFormation passes them on to the resources; the
 * template is unchanged). `infra:envs` finds the deployed environments by them, not by names.
 */
export const STACK_TAGS = {
  service: 'ecr-ecs-fargate:service',
  environment: 'ecr-ecs-fargate:environment',
} as const;
