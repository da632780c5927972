import { CI_SETTINGS } from './ci-config';
import { CI_STACK_OUTPUTS } from './ci-stack';
import { ConfigError } from './config';

/** The repository variable the workflows read the role from. */
export const ROLE_VARIABLE = 'AWS_ROLE_ARN';

export interface CiDeployRequest {
  readonly stackName: string;
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

/** The repository to trust: --repo, else the origin remote; one line with the fix otherwise. */
export function chooseRepository(flag: string | undefined, originUrl: string | undefined): string {
  const repository = flag ?? parseGitHubRepository(originUrl);
  if (!repository) {
    throw new ConfigError(
      'No GitHub repository: the origin remote is not on github.com; pass --repo=owner/name.',
    );
  }
  return repository;
}

/**
 * `cdk deploy` of the CI stack only. It synthesizes on its own (the CI stack exists only with a
 * repository in context) into its own directory, so the cached synth output stays as it was.
 */
export function buildCiDeployCommand(request: CiDeployRequest): string[] {
  const context = (key: string, value: string | undefined) =>
    value === undefined ? [] : ['--context', `${key}=${value}`];
  return [
    'deploy',
    request.stackName,
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
  repository: string,
): string {
  const roleArn = outputs[stackName]?.[CI_STACK_OUTPUTS.roleArn];
  if (!roleArn) {
    return `infra:deploy-ci: ${stackName} has no ${CI_STACK_OUTPUTS.roleArn} output; check the stack in the CloudFormation console.`;
  }
  return [
    `GitHub Actions role: ${roleArn}`,
    `Next: add the repository variable ${ROLE_VARIABLE} to ${repository}:`,
    `  gh variable set ${ROLE_VARIABLE} --repo ${repository} --body ${roleArn}`,
    `  (or Settings > Secrets and variables > Actions > Variables > New repository variable)`,
  ].join('\n');
}
