/**
 * CloudFormation output keys, written by the infra stacks and read by the operations tools.
 * The main stack carries the reference's six outputs; the registry stack exports the repository.
 */
export const STACK_OUTPUTS = {
  repositoryUri: 'ECRRepositoryUri',
  clusterName: 'ECSClusterName',
  serviceName: 'ECSServiceName',
  vpcId: 'VPCId',
  subnetId: 'SubnetId',
  securityGroupId: 'SecurityGroupId',
} as const;

/** Output of the registry stack (the repository exists before the service stack). */
export const REGISTRY_OUTPUTS = {
  repositoryUri: 'ECRRepositoryUri',
  repositoryName: 'ECRRepositoryName',
} as const;

/** CloudFormation parameters of the main stack, as in the reference. */
export const STACK_PARAMETERS = {
  imageTag: 'ImageTag',
  allowedIp: 'AllowedIP',
  /** Who the environment's alarms email ('' for no one); a deploy keeps the stack's unless given. */
  alertEmail: 'AlertEmail',
} as const;

/**
 * Written by the CDK app beside the templates it synthesizes: the settings they were made with,
 * and the environment variables that could have set them. infra:cost reads it to say what it
 * priced, and to refuse templates the current environment would no longer synthesize.
 */
export const SYNTH_SETTINGS_FILE = 'infra-settings.json';

/** The contents of SYNTH_SETTINGS_FILE. */
export interface SynthSettings {
  /** Each setting that changes what the stacks cost, as resolved (context, env, default). */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** Every environment variable that could set one of them, as at synth; null when unset. */
  readonly environment: Readonly<Record<string, string | null>>;
}
