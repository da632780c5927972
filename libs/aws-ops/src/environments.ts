import {
  CloudFormationClient,
  DescribeStacksCommand,
  paginateListStacks,
  Stack,
  StackStatus,
  StackSummary,
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
  deploymentNames,
  isPreviewEnvironment,
  STACK_OUTPUTS,
  STACK_PARAMETERS,
  STACK_TAGS,
} from '@hello-world/shared';
import { explainError, isStackMissing, OpsError } from './errors';
import { stableUrlOf } from './ingress';
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

export interface ListEnvironmentStacksOptions {
  /** Only pull-request previews (`pr-<number>`): no other stack is described. */
  previewsOnly?: boolean;
  /** DescribeStacks calls in flight at once (CloudFormation throttles its reads). @default 4 */
  concurrency?: number;
}

/** The deployed environments of a service, and the candidates that could not be read. */
export interface EnvironmentStacks {
  /** Default first, then by name (pr-2 before pr-10). */
  environments: EnvironmentStack[];
  /**
   * Stacks named like the service's whose DescribeStacks this identity is denied: whether they
   * are environments is unknown (the preview role reads only the `…-pr-*` stacks).
   */
  skipped: string[];
}

/** Every ListStacks status but DELETE_COMPLETE: deleted stacks stay listed for 90 days. */
const LISTED_STATUSES = Object.values(StackStatus).filter((s) => s !== 'DELETE_COMPLETE');

/** The one line for a ListStacks the identity may not call: the listing needs it. */
const LIST_DENIED =
  'access denied: your AWS identity may not call cloudformation:ListStacks, which finds the deployed environments; add it to your IAM policy or use another --profile';

/**
 * Whether a stack name can be one of the service's environments: the default environment's name
 * (`base`), or it followed by `-<environment>` (only `-pr-<number>` for previews). Only a
 * pre-filter, so that no other stack in the account is described: the tags decide.
 */
function isCandidateName(name: string, base: string, previewsOnly: boolean): boolean {
  if (!name.startsWith(`${base}-`)) return name === base && !previewsOnly;
  return !previewsOnly || isPreviewEnvironment(name.slice(base.length + 1));
}

/** Whether CloudFormation refused this identity the call (only explainError's kind is used). */
const isDenied = (error: unknown) => explainError(error, { region: '' }).kind === 'access-denied';

/** The account's stacks in the region that are not deleted (nor being deleted), as listed. */
async function listLiveStacks(cfn: CloudFormationClient): Promise<StackSummary[]> {
  const summaries: StackSummary[] = [];
  try {
    for await (const page of paginateListStacks(
      { client: cfn },
      { StackStatusFilter: LISTED_STATUSES },
    )) {
      summaries.push(...(page.StackSummaries ?? []));
    }
  } catch (error) {
    if (isDenied(error)) throw new OpsError('access-denied', LIST_DENIED);
    throw error;
  }
  return summaries.filter((s) => s.StackName && !GONE.has(s.StackStatus ?? ''));
}

type Described = { stack: Stack } | { denied: string } | undefined;

/** One stack by name: undefined when it went between the listing and now. */
async function describeStackByName(cfn: CloudFormationClient, name: string): Promise<Described> {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    return Stacks?.[0] ? { stack: Stacks[0] } : undefined;
  } catch (error) {
    if (isStackMissing(error)) return undefined;
    if (isDenied(error)) return { denied: name };
    throw error;
  }
}

/** `work` over `items`, at most `limit` at a time, results in the items' order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * The deployed environments of `service`, with the least CloudFormation access: ListStacks (every
 * page) names the account's stacks, those named like the service's are described one by one by
 * name, and their STACK_TAGS decide (a stack merely named like one, or another service's, is no
 * environment). A candidate this identity may not describe is skipped and named, never fatal; a
 * ListStacks it may not call is one line (OpsError access-denied).
 */
export async function listEnvironmentStacks(
  cfn: CloudFormationClient,
  service: string,
  { previewsOnly = false, concurrency = 4 }: ListEnvironmentStacksOptions = {},
): Promise<EnvironmentStacks> {
  const base = deploymentNames(service, DEFAULT_ENVIRONMENT).deployment;
  const candidates = (await listLiveStacks(cfn))
    .map((s) => s.StackName as string)
    .filter((name) => isCandidateName(name, base, previewsOnly));
  const described = await mapBounded(candidates, concurrency, (name) =>
    describeStackByName(cfn, name),
  );
  const environments: EnvironmentStack[] = [];
  const skipped: string[] = [];
  for (const result of described) {
    if (result && 'denied' in result) skipped.push(result.denied);
    const environment = result && 'stack' in result && toEnvironmentStack(result.stack, service);
    if (environment && (!previewsOnly || isPreviewEnvironment(environment.environment))) {
      environments.push(environment);
    }
  }
  return { environments: environments.sort(byEnvironment), skipped: skipped.sort() };
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
 * What an environment runs now: its URL (a dns or alb stack's name, else the newest running
 * task's public IP, as `url` finds them), the image its service runs, and what it is billed for (task size, count, capacity, public
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
  // A dns or alb environment is reached at its name, running task or not.
  const stable = service ? stableUrlOf(stack.outputs, options.port) : undefined;
  const tasks =
    service && !stable ? await getServiceTasks(clients.ecs, clients.ec2, ref, 'RUNNING') : [];
  const url = stable ?? pickServiceUrl(tasks, options.port)?.url;
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
