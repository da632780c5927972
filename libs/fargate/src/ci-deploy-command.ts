import {
  APP_NAME,
  DEFAULT_ENVIRONMENT,
  ENVIRONMENT_CONTEXT,
  deploymentNames,
  previewEnvironment,
  type DeploymentNames,
} from '@hello-world/shared';
import { parseCli, UsageError, type OptionSpecs } from '@hello-world/cli';
import {
  CI_SETTINGS,
  DEFAULT_CI_ENVIRONMENTS,
  PREVIEW_GITHUB_ENVIRONMENT,
  checkCiConfig,
  type CiConfig,
  type SourcedValue,
} from './ci-config';
import { formatRepositorySettings, type RepositorySettingsScope } from './ci-repository-settings';
import { CI_ROLE_VARIABLES, CI_STACK_OUTPUTS, ciEnvironmentStackName } from './ci-stack';
import { ConfigError } from './config';

export interface CiDeployRequest {
  /**
   * The registry stack (repository and task roles, which CI can no longer change) and the CI
   * stack: everything an administrator deploys so that CI never needs IAM.
   */
  readonly stackNames: readonly string[];
  readonly repository: string;
  readonly environment?: string;
  /** The CI environments (ci-config); passed as context so every synth makes the same CI stacks. */
  readonly environments?: readonly string[];
  /**
   * The deployment environment the app is synthesized for (context `environment`): its roles
   * stack is only in that synth. @default the default environment
   */
  readonly deployEnvironment?: string;
  readonly oidcProviderArn?: string;
  readonly profile?: string;
  /** Where this synth writes, apart from the cached synth target's cdk.out. */
  readonly assemblyDir: string;
  readonly outputsFile: string;
  /** Without a terminal nobody can answer CDK's approval prompt. */
  readonly interactive: boolean;
}

/**
 * owner/name of a GitHub remote (`git@github.com:o/r.git`, `https://github.com/o/r`), or
 * undefined for any other host or a local path.
 */
export function parseGitHubRepository(remote: string | undefined): string | undefined {
  if (!remote) return undefined;
  const match =
    /^(?:git@github\.com:|(?:https|ssh|git):\/\/(?:[^@/]+@)?github\.com(?::\d+)?\/)([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(
      remote.trim(),
    );
  return match?.[1];
}

/** The repository to trust: --repo, else the origin remote (read only when needed). */
export function chooseRepository(
  flag: string | undefined,
  readOrigin: () => string | undefined,
): SourcedValue {
  if (flag !== undefined) return { value: flag, source: '--repo' };
  const origin = parseGitHubRepository(readOrigin());
  if (!origin) {
    throw new ConfigError(
      'No GitHub repository: the origin remote is not on github.com; pass --repo=owner/name.',
    );
  }
  return { value: origin, source: 'the origin remote' };
}

/** deploy-ci's usage for one deployment: its nx project and its stacks' names. */
export function ciDeployUsage(
  project: string,
  names: Pick<DeploymentNames, 'service' | 'registryStack' | 'ciStack'>,
): string {
  const previews = deploymentNames(names.service, previewEnvironment(1)).registryStack;
  return `Usage: npx nx run ${project}:deploy-ci [-- options]
Deploys, with your own AWS credentials, the registry stack ${names.registryStack} (the ECR
repository and the default environment's task roles, which CI cannot change), the GitHub OIDC
stack ${names.ciStack} (a publish role and the default environment's deploy role), and for each
CI environment its task roles stack and a stack with its own deploy role (${names.ciStack}-staging,
…); for pull-request previews, once for all of them, the previews' stack ${previews} (their
own ECR repository and task roles) and ${names.ciStack}-pr. Prints the variables to set
(${CI_ROLE_VARIABLES.publishRoleArn} for the repository, ${CI_ROLE_VARIABLES.deployRoleArn} for
each GitHub environment) and a checklist of the GitHub settings the roles rely on.
Run it again after a change to any of these stacks.
Options:
  --repo=owner/name        the one repository whose workflows may deploy (default: the origin remote)
  --environment=NAME       the GitHub environment that may deploy the default environment (default production)
  --environments=LIST      the environments CI deploys, in promotion order, each trusted by the GitHub
                           environment of the same name; "preview" for pull-request previews
                           (default ${DEFAULT_CI_ENVIRONMENTS.join(',')})
  --oidc-provider-arn=ARN  reuse this account's GitHub OIDC provider instead of creating one
  --profile=NAME           named AWS profile
  --env=NAME               accepted as by every target; deploy-ci covers every CI environment at once
  -h, --help               show this help
Exit codes: 0 deployed, 1 cdk deploy failed, 2 bad usage or configuration.`;
}

/** hello-world's (apps/infra). */
export const CI_DEPLOY_USAGE = ciDeployUsage('infra', deploymentNames(APP_NAME));

/** A flag's value, trimmed; an empty one says what to give or that it may be left out. */
function nonEmpty(flag: string, example: string, omitted: string) {
  return (text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    if (text.trim() === '') {
      throw new UsageError(`${flag} is empty: give a value, as in ${example}, or ${omitted}`);
    }
    return text.trim();
  };
}

/** The flags (the shared CLI's spec, libs/cli), each with an example and what leaving it out means. */
export const CI_DEPLOY_OPTIONS = {
  repo: {
    type: 'string',
    example: 'octo-org/hello-world',
    parse: nonEmpty(
      '--repo',
      '--repo=octo-org/hello-world',
      'leave it out to use the origin remote',
    ),
  },
  environment: {
    type: 'string',
    example: 'production',
    parse: nonEmpty('--environment', '--environment=production', 'leave it out for "production"'),
  },
  environments: {
    type: 'string',
    example: DEFAULT_CI_ENVIRONMENTS.join(','),
    parse: nonEmpty(
      '--environments',
      `--environments=${DEFAULT_CI_ENVIRONMENTS.join(',')}`,
      `leave it out for ${DEFAULT_CI_ENVIRONMENTS.join(',')}`,
    ),
  },
  'oidc-provider-arn': {
    type: 'string',
    example: 'arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
    parse: nonEmpty(
      '--oidc-provider-arn',
      '--oidc-provider-arn=arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
      'leave it out to create one',
    ),
  },
  profile: {
    type: 'string',
    example: 'admin',
    parse: nonEmpty('--profile', '--profile=admin', 'leave it out for the default credentials'),
  },
  // Read by readDeploymentOrExit like every target's; the CI stacks are every environment's.
  env: { type: 'string', example: 'staging' },
} as const satisfies OptionSpecs;

export type CiDeployArgs = { help: true } | { help: false; ci: CiConfig; profile?: string };

/**
 * deploy-ci's command line, read once; every mistake is one ConfigError line (exit 2). The
 * settings go through checkCiConfig, synth's own rules, so a typo costs no CloudFormation round
 * trip and is named by the flag the user typed.
 */
export function parseCiDeployArgs(
  argv: readonly string[],
  readOrigin: () => string | undefined,
): CiDeployArgs {
  let parsed;
  try {
    parsed = parseCli(argv, { options: CI_DEPLOY_OPTIONS });
  } catch (error) {
    if (error instanceof UsageError) throw new ConfigError(error.message);
    throw error;
  }
  if (parsed.help) return { help: true };
  const values = parsed.values;
  const flag = (name: 'environment' | 'environments' | 'oidc-provider-arn' | 'profile') => {
    const value = values[name];
    return value === undefined ? undefined : { value, source: `--${name}` };
  };
  const ci = checkCiConfig({
    repository: chooseRepository(values.repo, readOrigin),
    environment: flag('environment'),
    environments: flag('environments'),
    oidcProviderArn: flag('oidc-provider-arn'),
  });
  const profile = flag('profile')?.value;
  return { help: false, ci, ...(profile ? { profile } : {}) };
}

/**
 * `cdk deploy` of the registry and CI stacks. It synthesizes on its own (the CI stack exists only
 * with a repository in context) into its own directory, so the cached synth output stays as it was.
 */
export function buildCiDeployCommand(request: CiDeployRequest): string[] {
  const context = (key: string, value: string | undefined) =>
    value === undefined ? [] : ['--context', `${key}=${value}`];
  return [
    'deploy',
    ...request.stackNames,
    '--exclusively',
    '--output',
    request.assemblyDir,
    ...context(CI_SETTINGS.repository.context, request.repository),
    ...context(CI_SETTINGS.environment.context, request.environment),
    ...context(CI_SETTINGS.environments.context, request.environments?.join(',')),
    ...context(CI_SETTINGS.oidcProviderArn.context, request.oidcProviderArn),
    // Named even for the default, so a DEPLOY_ENV in the shell cannot change what is synthesized.
    ...context(ENVIRONMENT_CONTEXT, request.deployEnvironment ?? DEFAULT_ENVIRONMENT),
    '--require-approval',
    request.interactive ? 'broadening' : 'never',
    ...(request.profile ? ['--profile', request.profile] : []),
    '--outputs-file',
    request.outputsFile,
  ];
}

/** One `cdk deploy` of deploy-ci: the stacks one environment's synth holds. */
export interface CiDeployStep {
  /** The CI environment it is for, or undefined for the registry and the CI stack. */
  readonly ciEnvironment?: string;
  /** The deployment environment synthesized (`pr-1` stands for every preview). */
  readonly deployEnvironment: string;
  readonly stackNames: readonly string[];
  /** The stack whose DeployRoleArn output is this CI environment's role. */
  readonly roleStack: string;
}

/**
 * What deploy-ci deploys, in order: the registry and the CI stack (the OIDC provider the other
 * roles trust), then per CI environment its task roles stack (the administrator's, which its
 * deploy role may pass but never change) and its deploy role's stack. Each environment's synth
 * holds its own roles stack; the previews' stack (`…-previews`: their own repository and shared
 * task roles) is in any preview's (`pr-1`).
 */
export function planCiDeploy(service: string, ciEnvironments: readonly string[]): CiDeployStep[] {
  const names = deploymentNames(service);
  return [
    {
      deployEnvironment: DEFAULT_ENVIRONMENT,
      stackNames: [names.registryStack, names.ciStack],
      roleStack: names.ciStack,
    },
    ...ciEnvironments.map((ciEnvironment) => {
      const deployEnvironment =
        ciEnvironment === PREVIEW_GITHUB_ENVIRONMENT ? previewEnvironment(1) : ciEnvironment;
      const roleStack = ciEnvironmentStackName(service, ciEnvironment);
      return {
        ciEnvironment,
        deployEnvironment,
        stackNames: [deploymentNames(service, deployEnvironment).rolesStack, roleStack],
        roleStack,
      };
    }),
  ];
}

type Outputs = Record<string, Record<string, string>>;

/** What to do next, from the outputs files `cdk deploy --outputs-file` wrote, merged. */
export function formatNextSteps(
  outputs: Outputs,
  steps: readonly CiDeployStep[],
  scope: RepositorySettingsScope,
): string {
  const [first, ...environments] = steps;
  const variables = [
    {
      what: 'publish role (main branch; push images)',
      variable: CI_ROLE_VARIABLES.publishRoleArn,
      arn: outputs[first.roleStack]?.[CI_STACK_OUTPUTS.publishRoleArn],
      stack: first.roleStack,
    },
    {
      what: `default environment's deploy role (environment "${scope.environment}")`,
      variable: CI_ROLE_VARIABLES.deployRoleArn,
      arn: outputs[first.roleStack]?.[CI_STACK_OUTPUTS.deployRoleArn],
      stack: first.roleStack,
    },
    ...environments.map((step) => ({
      what:
        step.ciEnvironment === PREVIEW_GITHUB_ENVIRONMENT
          ? "previews' deploy role (every pr-<number>)"
          : `deploy role of environment ${step.ciEnvironment}`,
      variable: CI_ROLE_VARIABLES.deployRoleArn,
      environment: step.ciEnvironment,
      arn: outputs[step.roleStack]?.[CI_STACK_OUTPUTS.deployRoleArn],
      stack: step.roleStack,
    })),
  ];
  const missing = variables.find((v) => !v.arn);
  if (missing) {
    return `infra:deploy-ci: ${missing.stack} has no output for ${missing.variable}; check the stack in the CloudFormation console.`;
  }
  const { repository } = scope;
  const set = (v: (typeof variables)[number]) =>
    `  gh variable set ${v.variable} --repo ${repository}${'environment' in v ? ` --env ${v.environment}` : ''} --body ${v.arn}`;
  const repositoryLevel = variables.filter((v) => !('environment' in v));
  const environmentLevel = variables.filter((v) => 'environment' in v);
  return [
    ...variables.map((v) => `${v.what}: ${v.arn}`),
    `Next: add the repository variables to ${repository}:`,
    ...repositoryLevel.map(set),
    '  (Settings > Secrets and variables > Actions > Variables > New repository variable)',
    ...(environmentLevel.length > 0
      ? [
          `and each GitHub environment's own ${CI_ROLE_VARIABLES.deployRoleArn} (it overrides the repository's in that environment's jobs):`,
          ...environmentLevel.map(set),
          '  (Settings > Environments > <name> > Environment variables > Add variable)',
        ]
      : []),
    'Then check these GitHub settings: the roles trust them, and no AWS policy can enforce them:',
    formatRepositorySettings(scope),
  ].join('\n');
}
