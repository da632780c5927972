import { STACK_PARAMETERS, checkIpv4Cidr, isEmailAddress, isImageTag } from '@hello-world/shared';
import { ConfigError, SETTINGS, type Env } from './config';

export interface DeployRequest {
  /** Cloud assembly written by the synth target. */
  readonly assemblyDir: string;
  readonly registryStackName: string;
  readonly serviceStackName: string;
  /** ImageTag to roll to; left out, an existing stack keeps its current tag. */
  readonly imageTag?: string;
  /** AllowedIP to apply; left out, an existing stack keeps its current CIDR. */
  readonly allowedIp?: string;
  /** AlertEmail to apply ('' removes the subscription); left out, an existing stack keeps its own. */
  readonly alertEmail?: string;
  readonly profile?: string;
  /** Without a terminal nobody can answer CDK's approval prompt, so CI deploys unprompted. */
  readonly interactive: boolean;
  readonly outputsDir: string;
}

export interface DeployFlags {
  readonly 'image-tag'?: string;
  readonly 'allowed-ip'?: string;
  readonly 'alert-email'?: string;
}

/**
 * The parameter values a deploy passes through: flags first, then IMAGE_TAG / ALLOWED_IP;
 * --alert-email only as a flag (ALERT_EMAIL is synth's: the parameter's default). Checked with
 * the same patterns as the template, so a typo fails here in one line instead of after
 * CloudFormation has started.
 */
export function readParameterOverrides(
  flags: DeployFlags,
  env: Env,
): { imageTag?: string; allowedIp?: string; alertEmail?: string } {
  const fromEnv = (variable: string) => env[variable] || undefined;
  const imageTag = flags['image-tag'] ?? fromEnv(SETTINGS.imageTag.env[0]);
  const allowedIp = flags['allowed-ip'] ?? fromEnv(SETTINGS.allowedIp.env[0]);
  if (imageTag !== undefined && !isImageTag(imageTag)) {
    throw new ConfigError(
      `Invalid image tag ${JSON.stringify(imageTag)}: use 1-128 of A-Z a-z 0-9 _ . - not starting with . or -, e.g. --image-tag=sha-1a2b3c4-ecr-ecs-fargate.`,
    );
  }
  // The template's AllowedPattern checks the shape only; host bits are caught here.
  const allowedIpCheck = allowedIp === undefined ? undefined : checkIpv4Cidr(allowedIp);
  if (allowedIpCheck && !allowedIpCheck.ok) {
    throw new ConfigError(
      allowedIpCheck.network
        ? `Invalid allowed IP ${JSON.stringify(allowedIp)}: ${allowedIpCheck.problem}`
        : `Invalid allowed IP ${JSON.stringify(allowedIp)}: use an IPv4 CIDR, e.g. --allowed-ip=203.0.113.7/32 (or 0.0.0.0/0 for anyone).`,
    );
  }
  const alertEmail = flags['alert-email']?.trim();
  // '' is a value: it removes the subscription (the template's AllowedPattern accepts it).
  if (alertEmail && !isEmailAddress(alertEmail)) {
    throw new ConfigError(
      `Invalid alert email ${JSON.stringify(flags['alert-email'])}: use an email address, e.g. --alert-email=ops@example.com (or --alert-email= to remove the subscription).`,
    );
  }
  return { imageTag, allowedIp, ...(alertEmail !== undefined ? { alertEmail } : {}) };
}

/**
 * The `cdk deploy` runs, in order: the registry first (the repository must exist before an
 * image can be pushed to it), then the service with the parameters passed through. Each
 * waits for its stack and prints its outputs. src/deploy/orchestrate.ts pushes the image between
 * the two.
 */
export function buildDeployCommands(request: DeployRequest): string[][] {
  const common = [
    '--app',
    request.assemblyDir,
    '--exclusively',
    '--require-approval',
    request.interactive ? 'broadening' : 'never',
    ...(request.profile ? ['--profile', request.profile] : []),
  ];
  const parameters: string[] = [];
  if (request.imageTag !== undefined) {
    parameters.push(
      '--parameters',
      `${request.serviceStackName}:${STACK_PARAMETERS.imageTag}=${request.imageTag}`,
    );
  }
  if (request.allowedIp !== undefined) {
    parameters.push(
      '--parameters',
      `${request.serviceStackName}:${STACK_PARAMETERS.allowedIp}=${request.allowedIp}`,
    );
  }
  if (request.alertEmail !== undefined) {
    // `AlertEmail=` (empty) is passed as '', which CloudFormation applies: no subscription.
    parameters.push(
      '--parameters',
      `${request.serviceStackName}:${STACK_PARAMETERS.alertEmail}=${request.alertEmail}`,
    );
  }
  return [
    [
      'deploy',
      request.registryStackName,
      ...common,
      '--outputs-file',
      `${request.outputsDir}/${request.registryStackName}.outputs.json`,
    ],
    [
      'deploy',
      request.serviceStackName,
      ...common,
      ...parameters,
      '--outputs-file',
      `${request.outputsDir}/${request.serviceStackName}.outputs.json`,
    ],
  ];
}
