import {
  type AwsClients,
  type ExecRefusal,
  type ServiceRef,
  findExecTarget,
  isExecRefusal,
  sessionManagerPluginArgs,
  startExecSession,
} from '@hello-world/aws-ops';
import { EXIT_FAILED, UsageError } from '@hello-world/cli';
import { isDefaultEnvironment } from '@hello-world/shared';
import type { ExecOptions } from './args';
import { redeployCommand, settingsPlace } from './secrets';

/** The AWS CLI's plugin for Session Manager sessions, which ECS Exec opens. */
export const SESSION_MANAGER_PLUGIN = 'session-manager-plugin';
export const PLUGIN_INSTALL_URL =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';

/** What the ops CLI hands the command (run.ts' context). */
export interface ExecCommandContext {
  deps: {
    err: (text: string) => void;
    /** The path of an executable on PATH, or undefined. */
    findExecutable: (name: string) => string | undefined;
    /** Runs it with this terminal's stdin, stdout and stderr; resolves to its exit code. */
    runInteractive: (file: string, args: readonly string[]) => Promise<number>;
    deployment: { project: string; names: { service: string; environment: string } };
  };
  clients: Pick<AwsClients, 'ecs'>;
  region: string;
  profile?: string;
}

/** A refusal that is the caller's setup or a wrong --task/--container: exit 2; else 1. */
const USAGE_REFUSALS: ReadonlySet<ExecRefusal['refused']> = new Set([
  'exec-off',
  'task-not-found',
  'task-ambiguous',
  'task-without-exec',
  'container-not-found',
]);

/**
 * `exec`: checks what ECS Exec needs (on for the service, a task started with it, its agent
 * running, the plugin installed), asks ECS for a session and hands it to session-manager-plugin
 * as the AWS CLI does; exits with the plugin's code. Refusals are one line: 2 setup, 1 otherwise.
 */
export async function runExecCommand(
  options: ExecOptions,
  ref: ServiceRef,
  ctx: ExecCommandContext,
): Promise<number> {
  const { deps } = ctx;
  const { project, names } = deps.deployment;
  const found = await findExecTarget(ctx.clients.ecs, {
    ...ref,
    ...(options.taskId ? { task: options.taskId } : {}),
    ...(options.container ? { container: options.container } : {}),
    defaultContainer: names.service,
    project,
  });
  if (isExecRefusal(found)) {
    const message = describeExecRefusal(found, { project, environment: names.environment });
    if (USAGE_REFUSALS.has(found.refused)) throw new UsageError(message);
    deps.err(`${project}:exec: ${message}`);
    return EXIT_FAILED;
  }
  const plugin = deps.findExecutable(SESSION_MANAGER_PLUGIN);
  if (!plugin) {
    throw new UsageError(
      `${SESSION_MANAGER_PLUGIN} is not on your PATH: ECS Exec sessions need it; install it (${PLUGIN_INSTALL_URL}) and retry`,
    );
  }
  let response;
  try {
    response = await startExecSession(ctx.clients.ecs, found, options.command);
  } catch (error) {
    const explained = explainExecuteCommandError(error, {
      project,
      environment: names.environment,
      region: ctx.region,
      taskId: found.taskId,
    });
    if (explained) throw new UsageError(explained);
    throw error;
  }
  deps.err(
    `${options.command} in container ${found.container} of task ${found.taskId} (${names.environment}); the session ends when it exits`,
  );
  return deps.runInteractive(
    plugin,
    sessionManagerPluginArgs(response, found, {
      region: ctx.region,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
    }),
  );
}

/** Each refusal as one line with its next step. */
export function describeExecRefusal(
  refusal: ExecRefusal,
  where: { project: string; environment: string },
): string {
  const { project, environment } = where;
  const redeploy = `\`${redeployCommand(project, environment)}\``;
  const status = `\`npx nx run ${project}:status${isDefaultEnvironment(environment) ? '' : ` -- --env=${environment}`}\``;
  switch (refusal.refused) {
    case 'exec-off': {
      const deploy = `npx nx run ${project}:deploy${isDefaultEnvironment(environment) ? '' : ` -- --env=${environment}`}`;
      return `ECS Exec is off for ${environment}: set "exec": true in ${settingsPlace(project, environment)}, and redeploy (\`${deploy}\`); running tasks get it only after the redeploy`;
    }
    case 'no-running-task':
      return `no task of ${refusal.service} is running to open a session in: \`npx nx run ${project}:doctor${isDefaultEnvironment(environment) ? '' : ` -- --env=${environment}`}\` finds why`;
    case 'task-not-found':
      return `no running task's id starts with ${refusal.task}${refusal.running.length > 0 ? ` (running: ${refusal.running.join(', ')})` : ''}: see the task ids with ${status}`;
    case 'task-ambiguous':
      return `--task ${refusal.task} matches ${refusal.matches.length} running tasks (${refusal.matches.join(', ')}): give more of its id`;
    case 'task-without-exec':
      return `task ${refusal.taskId} was started before ECS Exec was turned on: new tasks get it, so run ${redeploy} and retry`;
    case 'container-not-found':
      return refusal.container
        ? `task ${refusal.taskId} has no container ${refusal.container}: its containers are ${refusal.containers.join(', ') || 'none'}`
        : `task ${refusal.taskId} has several containers (${refusal.containers.join(', ')}): pick one with --container NAME`;
    case 'agent-not-running': {
      const what = `the ECS Exec agent in container ${refusal.container} of task ${refusal.taskId}`;
      if (refusal.status === 'PENDING') {
        return `${what} is still starting (PENDING): retry in a few seconds`;
      }
      if (refusal.status === undefined) {
        return `${what} is not there: the task was not started with ECS Exec; run ${redeploy} and retry`;
      }
      return `${what} is ${refusal.status}${refusal.reason ? ` (${refusal.reason})` : ''}: the task role needs the ssmmessages permissions and the agent its writable paths; redeploy with "exec": true (${redeploy}) and retry`;
    }
  }
}

/**
 * ExecuteCommand's own refusals worded with the next step, or undefined to let the CLI's error
 * machinery word it (credentials, access denied, throttling).
 */
export function explainExecuteCommandError(
  error: unknown,
  where: { project: string; environment: string; region: string; taskId: string },
): string | undefined {
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? '';
  if (name === 'TargetNotConnectedException') {
    return `ECS could not reach the ECS Exec agent of task ${where.taskId} (TargetNotConnectedException): the task role needs ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel, and the task outbound HTTPS to ssmmessages.${where.region}.amazonaws.com; redeploy with "exec": true (\`${redeployCommand(where.project, where.environment)}\`) and retry`;
  }
  if (name === 'InvalidParameterException' && /execute command/i.test(message)) {
    return `ECS refused the session for task ${where.taskId}: ${message.split('\n')[0]}`;
  }
  return undefined;
}
