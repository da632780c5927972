import {
  CloudFormationClient,
  paginateDescribeStacks,
  Stack,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  Service,
} from '@aws-sdk/client-ecs';
import {
  DEFAULT_ENVIRONMENT,
  STACK_OUTPUTS,
  STACK_PARAMETERS,
  STACK_TAGS,
} from '@hello-world/shared';
import { pickServiceUrl } from './service-url';
import { getServiceTasks, imageTagOf, ServiceRef } from './tasks';

/** One deployed environment of a service, as its service stack's tags and fields say. */
export interface EnvironmentStack {
  /** The stack's STACK_TAGS.environment tag: `default`, `staging`, `pr-12`. */
  environment: string;
  stackName: string;
  stackId: string;
  status: string;
  /** When the stack last changed: LastUpdatedTime, else CreationTime (its first deploy). */
  lastDeployed: Date;
  /** The stack's ImageTag parameter: the image its last deploy asked for. */
  stackImageTag?: string;
  outputs: Record<string, string>;
}

/** Stack states in which the stack is gone or going: not a deployed environment any more. */
const GONE = new Set(['DELETE_COMPLETE', 'DELETE_IN_PROGRESS']);

function tagOf(stack: Stack, key: string): string | undefined {
  return stack.Tags?.find((t) => t.Key === key)?.Value;
}

/** The environment a stack is a deployment of, when its tags say it is one of `service`'s. */
function toEnvironmentStack(stack: Stack, service: string): EnvironmentStack | undefined {
  if (tagOf(stack, STACK_TAGS.service) !== service) return undefined;
  const environment = tagOf(stack, STACK_TAGS.environment);
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (!environment || GONE.has(status) || !stack.StackName) return undefined;
  const lastDeployed = stack.LastUpdatedTime ?? stack.CreationTime;
  const parameter = stack.Parameters?.find((p) => p.ParameterKey === STACK_PARAMETERS.imageTag);
  return {
    environment,
    stackName: stack.StackName,
    stackId: stack.StackId ?? stack.StackName,
    status,
    // CreationTime is required in the API's shape; epoch 0 only for a malformed answer.
    lastDeployed: lastDeployed ?? new Date(0),
    ...(parameter ? { stackImageTag: parameter.ResolvedValue ?? parameter.ParameterValue } : {}),
    outputs: Object.fromEntries(
      (stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    ),
  };
}

/** The default environment first, then by name, pr-2 before pr-10. */
function byEnvironment(a: EnvironmentStack, b: EnvironmentStack): number {
  if (a.environment === DEFAULT_ENVIRONMENT) return -1;
  if (b.environment === DEFAULT_ENVIRONMENT) return 1;
  return a.environment.localeCompare(b.environment, 'en', { numeric: true });
}

/**
 * The deployed environments of `service`: every stack in the region whose STACK_TAGS say it is a
 * service stack of `service`, found by its tags (never by its name: another service's stacks, or
 * a stack merely named like one, are not environments). Reads every page of DescribeStacks.
 */
export async function listEnvironmentStacks(
  cfn: CloudFormationClient,
  service: string,
): Promise<EnvironmentStack[]> {
  const found: EnvironmentStack[] = [];
  for await (const page of paginateDescribeStacks({ client: cfn }, {})) {
    for (const stack of page.Stacks ?? []) {
      const environment = toEnvironmentStack(stack, service);
      if (environment) found.push(environment);
    }
  }
  return found.sort(byEnvironment);
}

/** What ECS says an environment's service runs, and what it is billed for. */
export interface EnvironmentService extends ServiceRef {
  /** ACTIVE or DRAINING. */
  status: string;
  desiredCount: number;
  runningCount: number;
  /** The PRIMARY deployment's task definition: what the service runs, or is rolling out. */
  taskDefinition?: string;
  /** Its container's image tag. */
  imageTag?: string;
  /** Task CPU units (1024 = 1 vCPU) and memory, from the task definition. */
  cpu?: number;
  memoryMiB?: number;
  /** X86_64 unless the task definition's runtimePlatform says otherwise. */
  architecture: string;
  launchType?: string;
  capacityProviderStrategy: { capacityProvider: string; weight: number; base: number }[];
  assignPublicIp: boolean;
  /** The cluster's containerInsights setting (`disabled`, `enabled`, `enhanced`). */
  containerInsights?: string;
}

/** The environment's log group, as CloudWatch Logs describes it. */
export interface EnvironmentLogGroup {
  name: string;
  /** Undefined: kept for ever. */
  retentionDays?: number;
  /** Encrypted with a customer managed KMS key. */
  encrypted: boolean;
}

export interface EnvironmentDetails extends EnvironmentStack {
  /** The newest running task's URL; undefined when no task runs with a public IP. */
  url?: string;
  /** Undefined when the stack has no ECS service (any more): a failed first deploy, say. */
  service?: EnvironmentService;
  logGroup?: EnvironmentLogGroup;
}

export interface DescribeEnvironmentOptions {
  /** The service's port: the URL's. */
  port: number;
  /** The environment's log group (names.logGroup of its environment). */
  logGroupName: string;
  /** The service's container, whose image is the one reported; default the first container. */
  containerName?: string;
}

async function findService(ecs: ECSClient, ref: ServiceRef): Promise<Service | undefined> {
  try {
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] }),
    );
    const service = services?.[0];
    return service && service.status !== 'INACTIVE' ? service : undefined;
  } catch (error) {
    // A stack whose cluster is gone (or never came) has no service to describe.
    if ((error as { name?: string }).name === 'ClusterNotFoundException') return undefined;
    throw error;
  }
}

async function describeEnvironmentService(
  ecs: ECSClient,
  ref: ServiceRef,
  containerName: string | undefined,
): Promise<EnvironmentService | undefined> {
  const service = await findService(ecs, ref);
  if (!service) return undefined;
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  const taskDefinitionArn = primary?.taskDefinition ?? service.taskDefinition;
  const [taskDefinition, cluster] = await Promise.all([
    taskDefinitionArn
      ? ecs
          .send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }))
          .then((r) => r.taskDefinition)
      : undefined,
    ecs
      .send(new DescribeClustersCommand({ clusters: [ref.cluster], include: ['SETTINGS'] }))
      .then((r) => r.clusters?.[0]),
  ]);
  const containers = taskDefinition?.containerDefinitions ?? [];
  const container = containers.find((c) => c.name === containerName) ?? containers[0];
  const number = (text: string | undefined) => (text ? Number(text) : undefined);
  return {
    ...ref,
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    ...(taskDefinitionArn ? { taskDefinition: taskDefinitionArn } : {}),
    ...(imageTagOf(container?.image) ? { imageTag: imageTagOf(container?.image) } : {}),
    ...(number(taskDefinition?.cpu) !== undefined ? { cpu: number(taskDefinition?.cpu) } : {}),
    ...(number(taskDefinition?.memory) !== undefined
      ? { memoryMiB: number(taskDefinition?.memory) }
      : {}),
    architecture: taskDefinition?.runtimePlatform?.cpuArchitecture ?? 'X86_64',
    ...(service.launchType ? { launchType: service.launchType } : {}),
    capacityProviderStrategy: (service.capacityProviderStrategy ?? []).map((s) => ({
      capacityProvider: s.capacityProvider ?? '',
      weight: s.weight ?? 0,
      base: s.base ?? 0,
    })),
    assignPublicIp: service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp === 'ENABLED',
    ...(cluster?.settings
      ? {
          containerInsights:
            cluster.settings.find((s) => s.name === 'containerInsights')?.value ?? 'disabled',
        }
      : {}),
  };
}

async function describeLogGroup(
  logs: CloudWatchLogsClient,
  name: string,
): Promise<EnvironmentLogGroup | undefined> {
  for await (const page of paginateDescribeLogGroups(
    { client: logs },
    { logGroupNamePrefix: name },
  )) {
    const group = page.logGroups?.find((g) => g.logGroupName === name);
    if (group) {
      return {
        name,
        ...(group.retentionInDays !== undefined ? { retentionDays: group.retentionInDays } : {}),
        encrypted: Boolean(group.kmsKeyId),
      };
    }
  }
  return undefined;
}

/**
 * What an environment runs now: its URL (the newest running task's public IP, as `url` finds
 * it), the image its service runs, and what it is billed for (task size, count, capacity, public
 * IPs, log group). An environment without an ECS service still describes its stack.
 */
export async function describeEnvironment(
  clients: { ecs: ECSClient; ec2: EC2Client; logs: CloudWatchLogsClient },
  stack: EnvironmentStack,
  options: DescribeEnvironmentOptions,
): Promise<EnvironmentDetails> {
  const ref: ServiceRef = {
    cluster: stack.outputs[STACK_OUTPUTS.clusterName] ?? stack.stackName,
    service: stack.outputs[STACK_OUTPUTS.serviceName] ?? stack.stackName,
  };
  const [service, logGroup] = await Promise.all([
    describeEnvironmentService(clients.ecs, ref, options.containerName),
    describeLogGroup(clients.logs, options.logGroupName),
  ]);
  const tasks = service ? await getServiceTasks(clients.ecs, clients.ec2, ref, 'RUNNING') : [];
  const url = pickServiceUrl(tasks, options.port)?.url;
  return {
    ...stack,
    ...(url ? { url } : {}),
    ...(service ? { service } : {}),
    ...(logGroup ? { logGroup } : {}),
  };
}

/**
 * Environments whose last deploy is more than `olderThanMs` before `now`: the previews a
 * scheduled sweep removes.
 */
export function isDeployedBefore(
  environment: Pick<EnvironmentStack, 'lastDeployed'>,
  olderThanMs: number,
  now: number,
): boolean {
  return now - environment.lastDeployed.getTime() > olderThanMs;
}
