import {
  deploymentNames,
  FLAVOUR_SUFFIX,
  isDefaultEnvironment,
  isPreviewEnvironment,
  PREVIEW_GROUP,
  STACK_TAGS,
} from '@hello-world/shared';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { InfraConfig } from './config';
import { acknowledgeControlTowerExemptions, ControlTowerValidator } from './control-tower';
import { acknowledgeNagFindings } from './nag-suppressions';
import { RegistryStack } from './registry-stack';
import { EnvironmentRolesStack } from './roles-stack';
import { ServiceStack } from './service-stack';

/** The reference's network ranges. */
export const VPC_CIDR = '10.0.0.0/16';
export const PUBLIC_SUBNET_CIDR = '10.0.1.0/24';

export interface InfraStacks {
  readonly registry: RegistryStack;
  /** The environment's task roles, outside the default environment (whose are the registry's). */
  readonly roles?: EnvironmentRolesStack;
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
    description: `ECR repository and task roles for ${deploymentNamesOfDefault(config).deployment} (kept when the service is torn down; deployed by an administrator)`,
    repositoryName: names.repository,
    // The default environment's task roles; other environments' are in their roles stack.
    taskRoleNames: deploymentNamesOfDefault(config).taskRoles,
    logGroupName: deploymentNamesOfDefault(config).logGroup,
    applicationName: config.appName,
    tagSuffix: FLAVOUR_SUFFIX,
    allTagsImmutable: config.controlTower === 'strict',
  });
  const roles = isDefaultEnvironment(config.environment)
    ? undefined
    : new EnvironmentRolesStack(app, names.rolesStack, {
        env,
        description: isPreviewEnvironment(config.environment)
          ? `Task roles every preview (${PREVIEW_GROUP}-<number>) of ${config.appName} shares (deployed by an administrator)`
          : `Task roles of ${names.deployment} (deployed by an administrator)`,
        repositoryName: names.repository,
        taskRoleNames: names.taskRoles,
        // The previews' shared roles write any preview's log group, and only those.
        logGroupName: isPreviewEnvironment(config.environment)
          ? `/ecs/${names.repository}-${PREVIEW_GROUP}-*`
          : names.logGroup,
        applicationName: config.appName,
      });
  const service = new ServiceStack(app, config.deploymentName, {
    env,
    description: isDefaultEnvironment(config.environment)
      ? `${config.appName} on ECS Fargate: VPC, public subnet, cluster, service, logs`
      : `${config.appName} on ECS Fargate, environment ${config.environment}: VPC, public subnet, cluster, service, logs`,
    // Stack-level tags: the template is unchanged; infra:envs finds environments by them.
    tags: { [STACK_TAGS.service]: config.appName, [STACK_TAGS.environment]: config.environment },
    name: config.deploymentName,
    repositoryName: names.repository,
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
    logRetentionDays: config.logRetentionDays,
    defaultImageTag: config.imageTag,
    defaultAllowedIp: config.allowedIp,
  });
  // The service runs images from the registry: `cdk deploy --all` deploys the registry first.
  service.addStackDependency(registry, 'the service pulls its image from the registry repository');
  if (roles) {
    roles.addStackDependency(registry, 'the roles pull from the registry repository');
    service.addStackDependency(roles, 'the service runs its tasks with these roles');
  }

  acknowledgeNagFindings(service, config.controlTower);
  acknowledgeControlTowerExemptions(
    { registry, service },
    config.controlTower,
    config.logRetentionDays,
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ControlTowerValidator());
  return { registry, roles, service };
}

/**
 * The default environment's names: the registry stack is shared, so whichever environment is
 * synthesized, it holds the default environment's task roles, byte for byte the same.
 */
function deploymentNamesOfDefault(config: InfraConfig) {
  return deploymentNames(config.appName);
}
