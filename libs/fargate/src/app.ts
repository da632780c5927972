import { FLAVOUR_SUFFIX } from '@hello-world/shared';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { InfraConfig } from './config';
import { acknowledgeControlTowerExemptions, ControlTowerValidator } from './control-tower';
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
 * Wires both stacks from a validated config and registers the cdk-nag AwsSolutions checks and the
 * AWS Control Tower proactive controls (cfn-guard) as policy validation plugins of the app, so
 * an unacknowledged finding in any of its stacks (the CI stack too) fails synth. Only the region
 * is pinned: with no account, synth needs no credentials and makes no lookups.
 */
export function createStacks(app: App, config: InfraConfig): InfraStacks {
  const env = { region: config.region };
  const { names } = config;
  const registry = new RegistryStack(app, config.registryStackName, {
    env,
    description: `ECR repository and task roles for ${config.deploymentName} (kept when the service is torn down; deployed by an administrator)`,
    repositoryName: config.deploymentName,
    taskRoleNames: names.taskRoles,
    logGroupName: names.logGroup,
    applicationName: config.appName,
    tagSuffix: FLAVOUR_SUFFIX,
    allTagsImmutable: config.controlTower === 'strict',
  });
  const service = new ServiceStack(app, config.deploymentName, {
    env,
    description: `${config.appName} on ECS Fargate: VPC, public subnet, cluster, service, logs`,
    name: config.deploymentName,
    repositoryName: config.deploymentName,
    taskRoleNames: names.taskRoles,
    containerName: config.appName,
    logGroupName: names.logGroup,
    vpcCidr: VPC_CIDR,
    publicSubnetCidr: PUBLIC_SUBNET_CIDR,
    port: config.port,
    cpu: config.cpu,
    memoryMiB: config.memoryMiB,
    desiredCount: config.desiredCount,
    architecture: config.architecture,
    spot: config.spot,
    controlTower: config.controlTower,
    defaultImageTag: config.imageTag,
    defaultAllowedIp: config.allowedIp,
  });
  // The service runs images from the registry: `cdk deploy --all` deploys the registry first.
  service.addStackDependency(registry, 'the service pulls its image from the registry repository');

  acknowledgeNagFindings(service, config.controlTower);
  acknowledgeControlTowerExemptions({ registry, service }, config.controlTower);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ControlTowerValidator());
  return { registry, service };
}
