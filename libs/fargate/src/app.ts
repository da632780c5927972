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
import type { InfraConfig, TaskRoleSettings } from './config';
import {
  acknowledgeControlTowerExemptions,
  ControlTowerValidator,
  type ExemptStacks,
} from './control-tower';
import { acknowledgeNagFindings } from './nag-suppressions';
import { RegistryStack } from './registry-stack';
import { PreviewsStack } from './previews-stack';
import { EnvironmentRolesStack } from './roles-stack';
import { ServiceStack } from './service-stack';

/** The reference's network ranges. */
export const VPC_CIDR = '10.0.0.0/16';
export const PUBLIC_SUBNET_CIDR = '10.0.1.0/24';
/** ingress alb: the second public subnet, in the region's second AZ. */
export const SECOND_PUBLIC_SUBNET_CIDR = '10.0.2.0/24';

export interface InfraStacks {
  /**
   * The stack with the repository the service pulls from: the shared registry, or for a preview
   * the previews' own stack (a preview's assembly holds no release registry).
   */
  readonly registry: RegistryStack | PreviewsStack;
  /**
   * The environment's task roles, outside the default environment (whose are the registry's):
   * its roles stack, or for a preview the previews' stack (the same stack as `registry`).
   */
  readonly roles?: EnvironmentRolesStack | PreviewsStack;
  readonly service: ServiceStack;
}

/**
 * Wires the stacks from a validated config and registers the cdk-nag AwsSolutions checks and the
 * AWS Control Tower proactive controls (cfn-guard) as policy validation plugins of the app, so
 * an unacknowledged finding in any of its stacks (the CI stack too) fails synth. Only the region
 * is pinned: with no account, synth needs no credentials and makes no lookups.
 */
export function createStacks(app: App, config: InfraConfig): InfraStacks {
  const env = { region: config.region };
  const { names } = config;
  if (isPreviewEnvironment(config.environment)) return createPreviewStacks(app, config);
  const registry = new RegistryStack(app, config.registryStackName, {
    env,
    description: `ECR repository and task roles for ${deploymentNamesOfDefault(config).deployment} (kept when the service is torn down; deployed by an administrator)`,
    repositoryName: names.repository,
    // The default environment's task roles; other environments' are in their roles stack.
    taskRoleNames: deploymentNamesOfDefault(config).taskRoles,
    logGroupName: deploymentNamesOfDefault(config).logGroup,
    applicationName: config.appName,
    roleSettings: config.defaultEnvironmentRoles,
    tagSuffix: FLAVOUR_SUFFIX,
    allTagsImmutable: config.controlTower === 'strict',
  });
  const roles = isDefaultEnvironment(config.environment)
    ? undefined
    : new EnvironmentRolesStack(app, names.rolesStack, {
        env,
        description: `Task roles of ${names.deployment} (deployed by an administrator)`,
        repositoryName: names.repository,
        taskRoleNames: names.taskRoles,
        logGroupName: names.logGroup,
        applicationName: config.appName,
        roleSettings: roleSettingsOf(config),
        names,
      });
  const service = createServiceStack(app, config);
  // The service runs images from the registry: `cdk deploy --all` deploys the registry first.
  service.addStackDependency(registry, 'the service pulls its image from the registry repository');
  if (roles) {
    roles.addStackDependency(registry, 'the roles pull from the registry repository');
    service.addStackDependency(roles, 'the service runs its tasks with these roles');
  }
  acknowledgeFindings(app, config, { registry, service });
  return { registry, roles, service };
}

/**
 * A preview (`pr-<number>`): the previews' stack every preview shares (their repository and task
 * roles, an administrator's) and the preview's service stack. No release registry: nothing of a
 * preview pulls from it, and its estimate would count it.
 */
function createPreviewStacks(app: App, config: InfraConfig): InfraStacks {
  const { names } = config;
  const previews = new PreviewsStack(app, names.registryStack, {
    env: { region: config.region },
    description: `ECR repository and task roles every preview (${PREVIEW_GROUP}-<number>) of ${config.appName} shares (deployed by an administrator)`,
    repositoryName: names.repository,
    allTagsImmutable: config.controlTower === 'strict',
    taskRoleNames: names.taskRoles,
    // The previews' shared roles write any preview's log group, and only those.
    logGroupPattern: `${deploymentNamesOfDefault(config).logGroup}-${PREVIEW_GROUP}-*`,
    applicationName: config.appName,
    // A preview's config reads the previews block: the settings every preview shares.
    roleSettings: roleSettingsOf(config),
  });
  const service = createServiceStack(app, config);
  service.addStackDependency(
    previews,
    "the service pulls its image from the previews' repository and runs its tasks with their roles",
  );
  // The previews' repository acknowledges its own Control Tower exemption (previews-stack.ts).
  acknowledgeFindings(app, config, { service });
  return { registry: previews, roles: previews, service };
}

function createServiceStack(app: App, config: InfraConfig): ServiceStack {
  const { names } = config;
  return new ServiceStack(app, config.deploymentName, {
    env: { region: config.region },
    description: serviceStackDescription(config),
    // Stack-level tags: the template is unchanged; infra:envs finds environments by them.
    tags: { [STACK_TAGS.service]: config.appName, [STACK_TAGS.environment]: config.environment },
    name: config.deploymentName,
    repositoryName: names.repository,
    taskRoleNames: names.taskRoles,
    containerName: config.appName,
    logGroupName: names.logGroup,
    vpcCidr: VPC_CIDR,
    publicSubnetCidr: PUBLIC_SUBNET_CIDR,
    secondPublicSubnetCidr: SECOND_PUBLIC_SUBNET_CIDR,
    ingress: config.ingress,
    dnsUpdaterNames: names.dnsUpdater,
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
    defaultAlertEmail: config.alertEmail,
    containerInsights: config.containerInsights,
    variables: config.variables,
    secrets: config.secrets,
    exec: config.exec,
  });
}

/** What the service stack holds, by ingress mode; public-ip's is the reference's, unchanged. */
function serviceStackDescription(config: InfraConfig): string {
  const contents = {
    'public-ip': 'VPC, public subnet, cluster, service, logs',
    dns: 'VPC, public subnet, cluster, service, DNS record updater, logs',
    alb: 'VPC, two public subnets, HTTPS load balancer, cluster, autoscaled service, logs',
  }[config.ingress.mode];
  return isDefaultEnvironment(config.environment)
    ? `${config.appName} on ECS Fargate: ${contents}`
    : `${config.appName} on ECS Fargate, environment ${config.environment}: ${contents}`;
}

/** The environment's own secrets, key and ECS Exec, for its task roles. */
function roleSettingsOf(config: InfraConfig): TaskRoleSettings {
  const { secrets, secretsKmsKey, exec, ingress } = config;
  const settings = secretsKmsKey ? { secrets, secretsKmsKey, exec } : { secrets, exec };
  // ingress dns: the record updater's role is the environment's too.
  if (ingress.mode !== 'dns') return settings;
  const { hostedZoneId, hostedZoneName, domainName } = ingress;
  return { ...settings, dnsRecord: { hostedZoneId, hostedZoneName, domainName } };
}

function acknowledgeFindings(app: App, config: InfraConfig, stacks: ExemptStacks): void {
  acknowledgeNagFindings(stacks.service, config.controlTower, config.containerInsights);
  acknowledgeControlTowerExemptions(
    stacks,
    config.controlTower,
    config.logRetentionDays,
    config.containerInsights,
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ControlTowerValidator());
}

/**
 * The default environment's names: the registry stack is shared, so whichever environment is
 * synthesized, it holds the default environment's task roles, byte for byte the same.
 */
function deploymentNamesOfDefault(config: InfraConfig) {
  return deploymentNames(config.appName);
}
