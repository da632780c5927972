import { APP_NAME, deploymentNames, type DeploymentNames } from '@hello-world/shared';
import { parseCli, UsageError, type OptionSpecs } from '@hello-world/cli';
import { CI_SETTINGS, checkCiConfig, type CiConfig, type SourcedValue } from './ci-config';
import { formatRepositorySettings, type RepositorySettingsScope } from './ci-repository-settings';
import { CI_ROLE_VARIABLES, CI_STACK_OUTPUTS } from './ci-stack';
import { ConfigError } from './config';

export interface CiDeployRequest {
  /**
   * The registry stack (repository and task roles, which CI can no longer change) and the CI
   * stack: everything an administrator deploys so that CI never needs IAM.
   */
  readonly stackNames: readonly string[];
  readonly repository: string;
  readonly environment?: string;
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
  names: Pick<DeploymentNames, 'registryStack' | 'ciStack'>,
): string {
  return `Usage: npx nx run ${project}:deploy-ci [-- options]
Deploys, with your own AWS credentials, the registry stack ${names.registryStack} (the ECR
repository and the task roles, which CI cannot change) and the GitHub OIDC stack ${names.ciStack}
(a publish role and a deploy role). Prints the repository variables ${CI_ROLE_VARIABLES.publishRoleArn}
and ${CI_ROLE_VARIABLES.deployRoleArn} to add and a checklist of the GitHub settings the roles rely on.
Run it again after a change to either stack.
Options:
  --repo=owner/name        the one repository whose workflows may deploy (default: the origin remote)
  --environment=NAME       the protected GitHub environment that may deploy (default production)
  --oidc-provider-arn=ARN  reuse this account's GitHub OIDC provider instead of creating one
  --profile=NAME           named AWS profile
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
  const flag = (name: 'environment' | 'oidc-provider-arn' | 'profile') => {
    const value = values[name];
    return value === undefined ? undefined : { value, source: `--${name}` };
  };
  const ci = checkCiConfig({
    repository: chooseRepository(values.repo, readOrigin),
    environment: flag('environment'),
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
    ...context(CI_SETTINGS.oidcProviderArn.context, request.oidcProviderArn),
    '--require-approval',
    request.interactive ? 'broadening' : 'never',
    ...(request.profile ? ['--profile', request.profile] : []),
    '--outputs-file',
    request.outputsFile,
  ];
}

/** What to do next, from the outputs file `cdk deploy --outputs-file` wrote. */
export function formatNextSteps(
  outputs: Record<string, Record<string, string>>,
  stackName: string,
  scope: RepositorySettingsScope,
): string {
  const roles = [
    [CI_ROLE_VARIABLES.publishRoleArn, outputs[stackName]?.[CI_STACK_OUTPUTS.publishRoleArn]],
    [CI_ROLE_VARIABLES.deployRoleArn, outputs[stackName]?.[CI_STACK_OUTPUTS.deployRoleArn]],
  ] as const;
  const missing = roles.filter(([, arn]) => !arn).map(([variable]) => variable);
  if (missing.length > 0) {
    return `infra:deploy-ci: ${stackName} has no output for ${missing.join(' or ')}; check the stack in the CloudFormation console.`;
  }
  const { repository } = scope;
  return [
    `Publish role (main branch, release tags; push images): ${roles[0][1]}`,
    `Deploy role (environment "${scope.environment}" only; service stack): ${roles[1][1]}`,
    `Next: add the repository variables to ${repository}:`,
    ...roles.map(
      ([variable, arn]) => `  gh variable set ${variable} --repo ${repository} --body ${arn}`,
    ),
    `  (or Settings > Secrets and variables > Actions > Variables > New repository variable)`,
    'Then check these GitHub settings: the roles trust them, and no AWS policy can enforce them:',
    formatRepositorySettings(scope),
  ].join('\n');
}
