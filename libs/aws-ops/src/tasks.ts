import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeTasksCommand,
  DesiredStatus,
  ECSClient,
  Task,
  paginateListTasks,
} from '@aws-sdk/client-ecs';

/** One container of a task, as status and diagnosis need it. */
export interface ContainerSummary {
  name: string;
  image?: string;
  imageTag?: string;
  lastStatus?: string;
  healthStatus?: string;
  exitCode?: number;
  reason?: string;
}

/** One ECS task reduced to what an operator looks at. */
export interface TaskSummary {
  taskArn: string;
  taskId: string;
  lastStatus: string;
  desiredStatus: string;
  healthStatus?: string;
  taskDefinitionArn?: string;
  /** The deployment that started it (`ecs-svc/…`). */
  startedBy?: string;
  imageTag?: string;
  createdAt?: Date;
  startedAt?: Date;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason?: string;
  networkInterfaceId?: string;
  privateIp?: string;
  /** Filled in by addPublicIps for tasks whose network interface still exists. */
  publicIp?: string;
  containers: ContainerSummary[];
}

export interface ServiceRef {
  cluster: string;
  service: string;
}

/** `abc123` from `arn:aws:ecs:eu-west-1:123456789012:task/cluster/abc123`. */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

/** The tag of an image reference (`repo:tag` or `repo:tag@sha256:…`); undefined for digests only. */
export function imageTagOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

/** The task's ENI and private IP, from the awsvpc attachment details ECS reports. */
function attachmentDetail(task: Task, name: string): string | undefined {
  for (const attachment of task.attachments ?? []) {
    if (attachment.type !== 'ElasticNetworkInterface') continue;
    const detail = attachment.details?.find((d) => d.name === name);
    if (detail?.value) return detail.value;
  }
  return undefined;
}

export function summarizeTask(task: Task): TaskSummary {
  const containers: ContainerSummary[] = (task.containers ?? []).map((c) => ({
    name: c.name ?? '',
    image: c.image,
    imageTag: imageTagOf(c.image),
    lastStatus: c.lastStatus,
    healthStatus: c.healthStatus,
    exitCode: c.exitCode,
    reason: c.reason,
  }));
  const taskArn = task.taskArn ?? '';
  return {
    taskArn,
    taskId: taskIdOf(taskArn),
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    healthStatus: task.healthStatus,
    taskDefinitionArn: task.taskDefinitionArn,
    startedBy: task.startedBy,
    imageTag: containers.find((c) => c.imageTag)?.imageTag,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    stoppedAt: task.stoppedAt,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    networkInterfaceId: attachmentDetail(task, 'networkInterfaceId'),
    privateIp:
      attachmentDetail(task, 'privateIPv4Address') ??
      task.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address,
    containers,
  };
}

/** Task ARNs of the service with the given desired status, through the ListTasks paginator. */
export async function listServiceTaskArns(
  ecs: ECSClient,
  ref: ServiceRef,
  desiredStatus: DesiredStatus,
): Promise<string[]> {
  const arns: string[] = [];
  const pages = paginateListTasks(
    { client: ecs },
    { cluster: ref.cluster, serviceName: ref.service, desiredStatus },
  );
  for await (const page of pages) arns.push(...(page.taskArns ?? []));
  return arns;
}

/** DescribeTasks takes at most this many tasks a call. */
const DESCRIBE_TASKS_BATCH = 100;

/**
 * DescribeTasks as ECS answers it (digests, managed agents, runtime ids: more than TaskSummary
 * keeps), in batches of DESCRIBE_TASKS_BATCH.
 */
export async function describeRawTasks(
  ecs: ECSClient,
  cluster: string,
  taskArns: readonly string[],
): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < taskArns.length; i += DESCRIBE_TASKS_BATCH) {
    const { tasks: page } = await ecs.send(
      new DescribeTasksCommand({ cluster, tasks: taskArns.slice(i, i + DESCRIBE_TASKS_BATCH) }),
    );
    tasks.push(...(page ?? []));
  }
  return tasks;
}

/** DescribeTasks in batches, summarized. */
export async function describeTasks(
  ecs: ECSClient,
  cluster: string,
  taskArns: string[],
): Promise<TaskSummary[]> {
  return (await describeRawTasks(ecs, cluster, taskArns)).map(summarizeTask);
}

/**
 * Task → network interface → public IP, as the reference's three CLI calls did. Interfaces are
 * looked up one by one because a stopped task's interface may already be gone, and EC2 fails the
 * whole call when any requested interface is missing.
 */
export async function addPublicIps(ec2: EC2Client, tasks: TaskSummary[]): Promise<TaskSummary[]> {
  return Promise.all(
    tasks.map(async (task) => {
      if (!task.networkInterfaceId || task.lastStatus === 'STOPPED') return task;
      try {
        const { NetworkInterfaces } = await ec2.send(
          new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [task.networkInterfaceId] }),
        );
        const publicIp = NetworkInterfaces?.[0]?.Association?.PublicIp;
        return publicIp ? { ...task, publicIp } : task;
      } catch (error) {
        if ((error as { name?: string }).name === 'InvalidNetworkInterfaceID.NotFound') return task;
        throw error;
      }
    }),
  );
}

/** The service's tasks with the given desired status, described, with public IPs for live ones. */
export async function getServiceTasks(
  ecs: ECSClient,
  ec2: EC2Client,
  ref: ServiceRef,
  desiredStatus: DesiredStatus,
): Promise<TaskSummary[]> {
  const arns = await listServiceTaskArns(ecs, ref, desiredStatus);
  if (arns.length === 0) return [];
  const tasks = await describeTasks(ecs, ref.cluster, arns);
  return desiredStatus === 'RUNNING' ? addPublicIps(ec2, tasks) : tasks;
}
