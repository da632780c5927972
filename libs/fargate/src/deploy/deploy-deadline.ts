import {
  type AbortResult,
  type Clock,
  abortDeployment,
  deploymentCommand,
  explainError,
  findDeployInProgress,
} from '@hello-world/aws-ops';
import type { DeployDeps, DeployRequest } from './orchestrate';
import { PhaseFailure } from './phase-failure';
import type { PhaseName } from './receipt';

/** How long the rollback of a deploy that outlasted --timeout may take before it is left going. */
export const ROLLBACK_TIMEOUT_MS = 20 * 60_000;

/** `work`'s value, or 'timed-out' once the clock reaches `deadline` first. */
export async function raceDeadline<T>(
  work: Promise<T>,
  deadline: number,
  clock: Clock,
): Promise<{ value: T } | 'timed-out'> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      work.then((value) => ({ value })),
      clock
        .sleep(Math.max(0, deadline - clock.now()), timer.signal)
        .then(() => 'timed-out' as const),
    ]);
  } finally {
    timer.abort();
  }
}

/** `20m`, `90s`: the --timeout as it is typed. */
function formatTimeout(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`;
}

/**
 * The deploy outlasted --timeout during `phase`: roll back what is going on (the stack update or
 * the rollout), or with --no-rollback leave it going and say how to watch and stop it.
 */
export async function deadlineFailure(
  phase: PhaseName,
  request: DeployRequest,
  deps: DeployDeps,
  what: string,
): Promise<PhaseFailure> {
  const { project, serviceStackName: stackName } = request;
  const head = `the deploy took longer than --timeout ${formatTimeout(request.timeoutMs)}: ${what}`;
  const context = { region: request.region, project };
  const fail = (message: string) => new PhaseFailure(phase, { kind: 'timeout', message }, true);
  const longer = `fix what the diagnosis shows, or give it longer (--timeout=${formatTimeout(request.timeoutMs * 2)})`;
  try {
    if (request.noRollback) {
      const { activity } = await findDeployInProgress(deps.clients, stackName, context);
      const going =
        activity.kind === 'stack-update'
          ? `the update of ${stackName} goes on (${activity.status})`
          : activity.kind === 'stack-rollback'
            ? `CloudFormation is rolling ${stackName} back (${activity.status})`
            : activity.kind === 'rollout'
              ? `the rollout goes on (service deployment ${activity.status})`
              : undefined;
      return fail(
        going
          ? `${head}; --no-rollback: ${going}: watch it with \`${deploymentCommand('status', project)}\`, stop it with \`${deploymentCommand('abort', project)}\``
          : `${head}; --no-rollback, but nothing is left going: ${stackName} is ${activity.status}`,
      );
    }
    deps.progress(`==> abort (${head}): rolling back`);
    const abort: AbortResult = await abortDeployment(deps.clients, {
      stackName,
      region: request.region,
      project,
      timeoutMs: request.rollbackTimeoutMs ?? ROLLBACK_TIMEOUT_MS,
      ...(request.pollIntervalMs ? { pollIntervalMs: request.pollIntervalMs } : {}),
      clock: deps.clock,
      onProgress: deps.progress,
    });
    switch (abort.outcome) {
      case 'rolled-back':
        return fail(`${head}; ${abort.message}; ${longer}`);
      case 'nothing-to-abort':
        // cdk deploy stopped before CloudFormation began, or the rollout ended meanwhile.
        return fail(`${head}; stopped, ${abort.message}; ${longer}`);
      default:
        return fail(`${head}; the rollback did not finish: ${abort.message}`);
    }
  } catch (error) {
    const { message } = explainError(error, { ...context, stackName });
    return fail(
      `${head}; could not ${request.noRollback ? 'read what goes on' : 'abort it'} (${message}): \`${deploymentCommand('abort', project)}\` stops it, \`${deploymentCommand('status', project)}\` shows it`,
    );
  }
}
