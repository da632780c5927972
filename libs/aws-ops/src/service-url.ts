import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { APP_PORT } from '@hello-world/shared';
import { OpsError } from './errors';
import { deploymentCommand } from './findings';
import { ServiceRef, TaskSummary, getServiceTasks } from './tasks';

export interface ServiceUrl {
  url: string;
  publicIp: string;
  taskArn: string;
}

/** The service's URL at a task's public IP; `port` is the deployment's (default hello-world's). */
export function urlForIp(ip: string, port: number = APP_PORT): string {
  return `http://${ip}:${port}`;
}

/**
 * The URL of the newest running task with a public IP. The IP changes with every deployment, so
 * it is looked up each time rather than stored.
 */
export function pickServiceUrl(
  tasks: TaskSummary[],
  port: number = APP_PORT,
): ServiceUrl | undefined {
  const candidates = tasks
    .filter((t) => t.lastStatus === 'RUNNING' && t.publicIp)
    .sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0));
  const task = candidates[0];
  return task?.publicIp
    ? { url: urlForIp(task.publicIp, port), publicIp: task.publicIp, taskArn: task.taskArn }
    : undefined;
}

/**
 * The service's URL now, on the deployment's `port`; the hints when there is none name the
 * deployment `project`'s targets (default hello-world's, infra).
 */
export async function getServiceUrl(
  clients: { ecs: ECSClient; ec2: EC2Client },
  ref: ServiceRef,
  port: number = APP_PORT,
  project?: string,
): Promise<ServiceUrl> {
  const tasks = await getServiceTasks(clients.ecs, clients.ec2, ref, 'RUNNING');
  const found = pickServiceUrl(tasks, port);
  if (found) return found;
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING');
  if (running.length > 0) {
    throw new OpsError(
      'no-running-task',
      `task ${running[0].taskId} is running but has no public IP: check the service assigns public IPs; run \`${deploymentCommand('doctor', project)}\``,
    );
  }
  const state = tasks[0] ? `task ${tasks[0].taskId} is ${tasks[0].lastStatus}` : 'no task yet';
  throw new OpsError(
    'no-running-task',
    `no running task in service ${ref.service} (${state}): wait and retry, or run \`${deploymentCommand('status', project)}\``,
  );
}
