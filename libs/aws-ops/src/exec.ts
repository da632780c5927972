import {
  ExecuteCommandCommand,
  type ECSClient,
  type ExecuteCommandResponse,
  type Task,
} from '@aws-sdk/client-ecs';
import { describeActiveService } from './release-history';
import { describeRawTasks, listServiceTaskArns, taskIdOf, type ServiceRef } from './tasks';

/** The ECS agent that serves ECS Exec inside a task (its container's managedAgents). */
export const EXECUTE_COMMAND_AGENT = 'ExecuteCommandAgent';

export interface ExecRequest extends ServiceRef {
  /** --task: a task id, the start of one, or a task ARN; else the newest running task. */
  task?: string;
  /** --container; else the service's own container (`defaultContainer`), or the only one. */
  container?: string;
  defaultContainer: string;
  /** The deployment project, for the "service not there" message. */
  project?: string;
}

/** What runs the command: the task and container ECS Exec will open a session in. */
export interface ExecTarget {
  cluster: string;
  taskArn: string;
  taskId: string;
  container: string;
  /** The container's runtime id: the Session Manager target is built from it. */
  runtimeId: string;
  startedAt?: Date;
}

/** Why no session can be opened, as plain data: the CLI words each. */
export type ExecRefusal =
  /** The service runs without enableExecuteCommand. */
  | { refused: 'exec-off'; service: string }
  | { refused: 'no-running-task'; service: string }
  /** --task matches no running task, or several (`matches`: their ids). */
  | { refused: 'task-not-found'; task: string; running: string[] }
  | { refused: 'task-ambiguous'; task: string; matches: string[] }
  /** The task was started before ECS Exec was turned on. */
  | { refused: 'task-without-exec'; taskId: string }
  | { refused: 'container-not-found'; taskId: string; container?: string; containers: string[] }
  /** The agent is not RUNNING (PENDING, STOPPED, or absent): its status and reason. */
  | {
      refused: 'agent-not-running';
      taskId: string;
      container: string;
      status?: string;
      reason?: string;
    };

/**
 * Finds where ECS Exec can open a session, checking what AWS's own exec checker checks before
 * asking: the service has ECS Exec on, the task (--task, else the newest running one) was started
 * with it, and its container's ExecuteCommandAgent is RUNNING.
 */
export async function findExecTarget(
  ecs: ECSClient,
  request: ExecRequest,
): Promise<ExecTarget | ExecRefusal> {
  const service = await describeActiveService(ecs, {
    cluster: request.cluster,
    service: request.service,
    ...(request.project ? { project: request.project } : {}),
  });
  if (!service.enableExecuteCommand) return { refused: 'exec-off', service: request.service };
  const arns = await listServiceTaskArns(ecs, request, 'RUNNING');
  const tasks = (await describeRawTasks(ecs, request.cluster, arns)).filter(
    (t) => t.lastStatus === 'RUNNING',
  );
  const ids = tasks.map((t) => taskIdOf(t.taskArn ?? ''));
  let task: Task | undefined;
  if (request.task !== undefined) {
    const wanted = taskIdOf(request.task);
    const matches = tasks.filter((t) => taskIdOf(t.taskArn ?? '').startsWith(wanted));
    if (matches.length === 0) return { refused: 'task-not-found', task: wanted, running: ids };
    if (matches.length > 1) {
      return {
        refused: 'task-ambiguous',
        task: wanted,
        matches: matches.map((t) => taskIdOf(t.taskArn ?? '')),
      };
    }
    task = matches[0];
  } else {
    if (tasks.length === 0) return { refused: 'no-running-task', service: request.service };
    task = [...tasks].sort((a, b) => startOf(b) - startOf(a))[0];
  }
  const taskArn = task.taskArn ?? '';
  const taskId = taskIdOf(taskArn);
  if (!task.enableExecuteCommand) return { refused: 'task-without-exec', taskId };
  const containers = task.containers ?? [];
  const names = containers.map((c) => c.name ?? '');
  const container = request.container
    ? containers.find((c) => c.name === request.container)
    : (containers.find((c) => c.name === request.defaultContainer) ??
      (containers.length === 1 ? containers[0] : undefined));
  if (!container?.name) {
    return {
      refused: 'container-not-found',
      taskId,
      ...(request.container ? { container: request.container } : {}),
      containers: names,
    };
  }
  const agent = container.managedAgents?.find((a) => a.name === EXECUTE_COMMAND_AGENT);
  if (agent?.lastStatus !== 'RUNNING' || !container.runtimeId) {
    return {
      refused: 'agent-not-running',
      taskId,
      container: container.name,
      ...(agent?.lastStatus ? { status: agent.lastStatus } : {}),
      ...(agent?.reason ? { reason: agent.reason } : {}),
    };
  }
  return {
    cluster: request.cluster,
    taskArn,
    taskId,
    container: container.name,
    runtimeId: container.runtimeId,
    ...(task.startedAt ? { startedAt: task.startedAt } : {}),
  };
}

export function isExecRefusal(found: ExecTarget | ExecRefusal): found is ExecRefusal {
  return 'refused' in found;
}

function startOf(task: Task): number {
  return (task.startedAt ?? task.createdAt)?.getTime() ?? 0;
}

/**
 * Asks ECS for an interactive session (ECS Exec supports interactive sessions only). The answer
 * holds the session's token: it goes to session-manager-plugin and nowhere else.
 */
export async function startExecSession(
  ecs: ECSClient,
  target: ExecTarget,
  command: string,
): Promise<ExecuteCommandResponse> {
  return ecs.send(
    new ExecuteCommandCommand({
      cluster: target.cluster,
      task: target.taskArn,
      container: target.container,
      command,
      interactive: true,
    }),
  );
}

/** ECS's regional endpoint, as the AWS CLI hands it to the plugin (`client.meta.endpoint_url`). */
export function ecsEndpoint(region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://ecs.${region}.${suffix}`;
}

/**
 * session-manager-plugin's arguments exactly as the AWS CLI passes them
 * (awscli/customizations/ecs/executecommand.py): the session as JSON, the region, the operation
 * `StartSession`, the profile ('' for none), the target `ecs:<cluster>_<task id>_<runtime id>` as
 * JSON, and the ECS endpoint.
 */
export function sessionManagerPluginArgs(
  response: ExecuteCommandResponse,
  target: Pick<ExecTarget, 'cluster' | 'taskArn' | 'runtimeId'>,
  where: { region: string; profile?: string; endpoint?: string },
): string[] {
  const cluster = (response.clusterArn ?? target.cluster).split('/').pop() ?? target.cluster;
  const taskId = taskIdOf(response.taskArn ?? target.taskArn);
  return [
    JSON.stringify(response.session ?? {}),
    where.region,
    'StartSession',
    where.profile ?? '',
    JSON.stringify({ Target: `ecs:${cluster}_${taskId}_${target.runtimeId}` }),
    where.endpoint ?? ecsEndpoint(where.region),
  ];
}
