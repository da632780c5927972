import { FLAVOUR_SUFFIX, LOG_GROUP_NAME } from '@hello-world/shared';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { InfraConfig } from './config';
import { acknowledgeNagFindings } from './nag-suppressions';
import { RegistryStack } from './registry-stack';
import { ServiceStack } from './service-stack';

/** The reference's network ranges. */
export const VPC_CIDR = '10.0.0.0/16';
export const PUBLIC_SUBNET_CIDR = '10.0.1.0/24';

export interface InfraStacks {
  readonly registry: RegistryStack;
  readonly service: ServiceStack;
}

/**
 * Wires both stacks from a validated config and registers the cdk-nag AwsSolutions checks as a
 * policy validation plugin, so an unacknowledged finding fails synth. Only the region is pinned: with no account, synth
 * needs no credentials and makes no lookups.
 */
export function createStacks(app: App, config: InfraConfig): InfraStacks {
  const env = { region: config.region };
  const registry = new RegistryStack(app, config.registryStackName, {
    env,
    description: `ECR repository for ${config.deploymentName} (kept when the service is torn down)`,
    repositoryName: config.deploymentName,
    tagSuffix: FLAVOUR_SUFFIX,
  });
  const service = new ServiceStack(app, config.deploymentName, {
    env,
    description: `${config.appName} on ECS Fargate: VPC, public subnet, cluster, service, logs`,
    name: config.deploymentName,
    repositoryName: config.deploymentName,
    containerName: config.appName,
    logGroupName: LOG_GROUP_NAME,
    vpcCidr: VPC_CIDR,
    publicSubnetCidr: PUBLIC_SUBNET_CIDR,
    port: config.port,
    cpu: config.cpu,
    memoryMiB: config.memoryMiB,
    desiredCount: config.desiredCount,
    architecture: config.architecture,
    spot: config.spot,
    defaultImageTag: config.imageTag,
    defaultAllowedIp: config.allowedIp,
  });
  // The service runs images from the registry: `cdk deploy --all` deploys the registry first.
  service.addStackDependency(registry, 'the service pulls its image from the registry repository');

  acknowledgeNagFindings(service);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { registry, service };
}
