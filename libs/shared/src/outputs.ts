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
} as const;
