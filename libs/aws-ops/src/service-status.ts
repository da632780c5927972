import { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, ECSClient, Service } from '@aws-sdk/client-ecs';
import { OpsError } from './errors';
import { Finding, deploymentCommand } from './findings';
import { ServiceRef, TaskSummary, getServiceTasks } from './tasks';

export interface DeploymentSummary {
  id: string;
  /** PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE. */
  status: string;
  /** IN_PROGRESS, COMPLETED or FAILED. */
  rolloutState?: string;
  rolloutStateReason?: string;
  taskDefinition?: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface ServiceEvent {
  id: string;
  createdAt?: Date;
  message: string;
}

export interface ServiceSnapshot {
  cluster: string;
  service: string;
  /** ACTIVE, DRAINING or INACTIVE. */
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinition?: string;
  assignPublicIp?: string;
  deployments: DeploymentSummary[];
  /** Newest first, as ECS returns them. */
  events: ServiceEvent[];
}

export interface ServiceStatus extends ServiceSnapshot {
  /** Tasks ECS wants running (PROVISIONING … RUNNING), with their public IPs. */
  tasks: TaskSummary[];
  /** Recently stopped tasks (ECS keeps them about an hour), newest first. */
  stoppedTasks: TaskSummary[];
}

export function summarizeService(cluster: string, service: Service): ServiceSnapshot {
  return {
    cluster,
    service: service.serviceName ?? '',
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinition: service.taskDefinition,
    assignPublicIp: service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp,
    deployments: (service.deployments ?? []).map((d) => ({
      id: d.id ?? '',
      status: d.status ?? 'UNKNOWN',
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
      taskDefinition: d.taskDefinition,
      desiredCount: d.desiredCount ?? 0,
      runningCount: d.runningCount ?? 0,
      pendingCount: d.pendingCount ?? 0,
      failedTasks: d.failedTasks ?? 0,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    })),
    events: (service.events ?? []).map((e) => ({
      id: e.id ?? '',
      createdAt: e.createdAt,
      message: e.message ?? '',
    })),
  };
}

/**
 * DescribeServices for one service; a missing or deleted service is an OpsError whose hint names
 * the deployment `project`'s deploy (default hello-world's, infra).
 */
export async function describeService(
  ecs: ECSClient,
  ref: ServiceRef,
  project?: string,
): Promise<ServiceSnapshot> {
  const { services, failures } = await ecs.send(
    new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] }),
  );
  const service = services?.[0];
  if (!service || service.status === 'INACTIVE') {
    const reason = failures?.[0]?.reason ?? service?.status ?? 'MISSING';
    throw new OpsError(
      'service-not-found',
      `ECS service ${ref.service} in cluster ${ref.cluster} is not there (${reason}): run \`${deploymentCommand('deploy', project)}\``,
    );
  }
  return summarizeService(ref.cluster, service);
}

export interface ServiceStatusOptions {
  /** How many service events to keep. @default 5 */
  eventLimit?: number;
  /** How many stopped tasks to keep. @default 5 */
  stoppedLimit?: number;
  /** The deployment project, whose targets the hints name. @default infra (hello-world's) */
  project?: string;
}

/** Everything `status` shows: counts, deployments, last events, live and recently stopped tasks. */
export async function getServiceStatus(
  clients: { ecs: ECSClient; ec2: EC2Client },
  ref: ServiceRef,
  options: ServiceStatusOptions = {},
): Promise<ServiceStatus> {
  const snapshot = await describeService(clients.ecs, ref, options.project);
  const [tasks, stopped] = await Promise.all([
    getServiceTasks(clients.ecs, clients.ec2, ref, 'RUNNING'),
    getServiceTasks(clients.ecs, clients.ec2, ref, 'STOPPED'),
  ]);
  const newestFirst = (a: TaskSummary, b: TaskSummary) =>
    (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0);
  return {
    ...snapshot,
    events: snapshot.events.slice(0, options.eventLimit ?? 5),
    tasks,
    stoppedTasks: stopped.sort(newestFirst).slice(0, options.stoppedLimit ?? 5),
  };
}

/**
 * What `status` reports as ERROR about the service itself (its URL's reachability is
 * checkReachability's): fewer tasks running than desired, no running task with a public IP, a
 * failed rollout. Any of them makes status exit 1.
 */
export function findStatusProblems(
  status: Pick<ServiceStatus, 'desiredCount' | 'runningCount' | 'deployments'>,
  url: string | undefined,
  project?: string,
): Finding[] {
  const doctor = deploymentCommand('doctor', project);
  const problems: Finding[] = [];
  if (status.runningCount < status.desiredCount) {
    problems.push({
      severity: 'error',
      code: status.runningCount === 0 ? 'no-running-task' : 'fewer-tasks-than-desired',
      what: `${status.runningCount} of ${status.desiredCount} desired task(s) running`,
      evidence: [],
      fix: `\`${doctor}\` finds why`,
    });
  } else if (!url) {
    problems.push({
      severity: 'error',
      code: 'no-public-ip',
      what: `no running task with a public IP (desired ${status.desiredCount})`,
      evidence: [],
      fix: `\`${doctor}\` finds why`,
    });
  }
  for (const d of status.deployments.filter((x) => x.rolloutState === 'FAILED')) {
    problems.push({
      severity: 'error',
      code: 'deployment-failed',
      what: `deployment ${d.id} failed: ${d.rolloutStateReason ?? 'rollout FAILED'}`,
      evidence: [],
      fix: `\`${doctor}\` shows why its tasks stopped`,
    });
  }
  return problems;
}
