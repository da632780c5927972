import {
  APP_NAME,
  DEFAULT_CPU_ARCHITECTURE,
  parseCpuArchitecture,
  platformOfArchitecture,
} from '@hello-world/shared';
import { LogLine } from './logs';
import { TaskSummary } from './tasks';

/** One thing doctor (or a failed deploy) found: what is wrong, the evidence, and the fix. */
export interface Finding {
  /**
   * error: the service cannot serve because of it; warning: it may not reach you; info: a check
   * that could not run, said so it is not taken for passed.
   */
  severity: 'error' | 'warning' | 'info';
  /** Stable key, for scripts reading --json. */
  code: string;
  what: string;
  evidence: string[];
  fix: string;
}

/** A stopped task with the last lines its container wrote. */
export interface StoppedTaskEvidence {
  task: TaskSummary;
  logTail: LogLine[];
}

/** The command that pushes the service's image: its own docker-push target. */
export function pushCommand(service: string = APP_NAME): string {
  return `npx nx run ${service}:docker-push`;
}

/** hello-world's deployment project (apps/infra): the project hints name unless told another. */
export const DEFAULT_DEPLOYMENT_PROJECT = 'infra';

/**
 * A hint's command for a target of the deployment project (`npx nx run greeter-infra:logs`):
 * every deployment has its own, so a fix names the one of the deployment diagnosed.
 */
export function deploymentCommand(
  target: string,
  project: string = DEFAULT_DEPLOYMENT_PROJECT,
): string {
  return `npx nx run ${project}:${target}`;
}

function describeStop(task: TaskSummary): string {
  const container = task.containers.find((c) => c.exitCode !== undefined || c.reason);
  const exit = container?.exitCode !== undefined ? `, exit code ${container.exitCode}` : '';
  const reason = container?.reason ? ` (${container.reason})` : '';
  return `task ${task.taskId} stopped at ${task.stoppedAt?.toISOString() ?? '?'}: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${exit}${reason}`;
}

function tail(lines: LogLine[], count = 5): string[] {
  return lines.slice(-count).map((l) => `log: ${l.message}`);
}

/** Why ECS could not pull the image, from the error text and how the task is networked. */
export function explainPullFailure(
  message: string,
  context: StoppedTaskContext,
): { cause: string; fix: string } {
  const deployCommand = deploymentCommand('deploy', context.project);
  if (/not found|manifest unknown/i.test(message)) {
    return {
      cause: 'the image tag is not in the repository',
      fix: `push the image with \`${pushCommand(context.service)}\`, then \`${deployCommand}\``,
    };
  }
  if (/not authorized|AccessDenied|403|denied/i.test(message)) {
    return {
      cause: 'the task execution role may not pull from this repository',
      fix: `give the execution role ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the repository (redeploy with \`${deployCommand}\`)`,
    };
  }
  if (/descriptor matching platform|platform/i.test(message)) {
    return {
      cause: 'the image was built for another CPU architecture than the task',
      fix: `rebuild for ${platformOf(context)} (the task's platform) and push with \`${pushCommand(context.service)}\``,
    };
  }
  if (/i\/o timeout|dial tcp|context deadline|timed? ?out|connection/i.test(message)) {
    return context.assignPublicIp === 'DISABLED'
      ? {
          cause: 'the task has no public IP, so it cannot reach ECR from a public subnet',
          fix: `enable assignPublicIp on the service (redeploy with \`${deployCommand}\`)`,
        }
      : {
          cause: 'the task has no network route to ECR (route to the internet gateway missing)',
          fix: `check the subnet's route table has 0.0.0.0/0 to the internet gateway; redeploy with \`${deployCommand}\``,
        };
  }
  return {
    cause: 'ECS could not pull the image',
    fix: `check the image exists and the task can reach ECR; push with \`${pushCommand(context.service)}\``,
  };
}

/** What diagnosis needs to know about the service and its task definition. */
export interface StoppedTaskContext {
  /** The service (its Nx project), whose docker-push target the fixes name. @default APP_NAME */
  service?: string;
  /** The deployment project, whose targets the fixes name. @default infra (hello-world's) */
  project?: string;
  assignPublicIp?: string;
  /** Task memory in MiB, from the task definition. */
  taskMemoryMiB?: string;
  /** X86_64 or ARM64, from the task definition's runtimePlatform (Fargate's default is X86_64). */
  cpuArchitecture?: string;
}

function platformOf(context: StoppedTaskContext): string {
  return platformOfArchitecture(
    parseCpuArchitecture(context.cpuArchitecture ?? '') ?? DEFAULT_CPU_ARCHITECTURE,
  );
}

function isPullFailure(text: string): boolean {
  return /CannotPullContainerError|ResourceInitializationError.*(ecr|registry auth|pull)/i.test(
    text,
  );
}

function stopText(task: TaskSummary): string {
  return [task.stoppedReason ?? '', ...task.containers.map((c) => c.reason ?? '')].join(' ');
}

function exitCodeOf(task: TaskSummary): number | undefined {
  return task.containers.find((c) => c.exitCode !== undefined)?.exitCode;
}

/**
 * Names the cause behind recently stopped tasks: image pull errors and their likely cause,
 * exec format errors (wrong CPU architecture), exit 137 (out of memory), failing health checks
 * and crash loops. Tasks stopped on purpose (scaling, deployments, users) are ignored.
 */
export function diagnoseStoppedTasks(
  stopped: StoppedTaskEvidence[],
  context: StoppedTaskContext,
): Finding[] {
  const findings: Finding[] = [];
  const failed = stopped.filter(
    ({ task }) =>
      task.stopCode !== 'UserInitiated' &&
      !(task.stopCode === 'ServiceSchedulerInitiated' && exitCodeOf(task) === 0) &&
      (task.stopCode === 'TaskFailedToStart' ||
        (exitCodeOf(task) ?? 0) !== 0 ||
        isPullFailure(stopText(task)) ||
        /health check/i.test(stopText(task))),
  );
  const seen = new Set<string>();
  const add = (finding: Finding) => {
    if (seen.has(finding.code)) return;
    seen.add(finding.code);
    findings.push(finding);
  };
  const crashes: StoppedTaskEvidence[] = [];

  for (const evidence of failed) {
    const { task, logTail } = evidence;
    const text = stopText(task);
    const exitCode = exitCodeOf(task);
    if (isPullFailure(text)) {
      const { cause, fix } = explainPullFailure(text, context);
      add({
        severity: 'error',
        code: 'image-pull-failed',
        what: `ECS cannot pull the image: ${cause}`,
        evidence: [describeStop(task)],
        fix,
      });
    } else if (
      /exec format error/i.test(text) ||
      logTail.some((l) => /exec format error/i.test(l.message))
    ) {
      add({
        severity: 'error',
        code: 'cpu-architecture-mismatch',
        what: 'the image was built for another CPU architecture (exec format error)',
        evidence: [
          describeStop(task),
          ...tail(
            logTail.filter((l) => /exec format/i.test(l.message)),
            1,
          ),
        ],
        fix: `rebuild the image for ${platformOf(context)} (docker build --platform ${platformOf(context)}) and push with \`${pushCommand(context.service)}\``,
      });
    } else if (exitCode === 137 || /OutOfMemory/i.test(text)) {
      add({
        severity: 'error',
        code: 'out-of-memory',
        what: `the container was killed for using too much memory (exit 137) at ${context.taskMemoryMiB ? `${context.taskMemoryMiB} MiB` : 'this task size'}`,
        evidence: [describeStop(task), ...tail(logTail, 3)],
        fix: 'find what grows in memory (see the log lines), or give the task more memory in the infra stack and redeploy',
      });
    } else if (/health check/i.test(text)) {
      add({
        severity: 'error',
        code: 'health-check-failed',
        what: 'the container failed its health check and ECS replaced it',
        evidence: [describeStop(task), ...tail(logTail)],
        fix: 'read the log lines: the service must answer its health check within the timeout',
      });
    } else {
      crashes.push(evidence);
    }
  }

  if (crashes.length > 0) {
    const newest = crashes[0];
    add({
      severity: 'error',
      code: crashes.length > 1 ? 'crash-loop' : 'container-exited',
      what:
        crashes.length > 1
          ? `the container keeps crashing: ${crashes.length} tasks stopped with a non-zero exit`
          : `the container exited with code ${exitCodeOf(newest.task) ?? '?'}`,
      evidence: [
        describeStop(newest.task),
        ...(newest.logTail.length ? tail(newest.logTail) : ['log: (the task wrote no log lines)']),
      ],
      fix: `fix the error in the last log lines, push a new image and redeploy; \`${deploymentCommand('logs', context.project)} -- --task ID\` shows more`,
    });
  }
  return findings;
}
