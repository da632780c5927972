import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { Clock, systemClock } from './clock';
import {
  DeploymentSummary,
  ServiceEvent,
  ServiceSnapshot,
  describeService,
  summarizeService,
} from './service-status';
import { ServiceRef } from './tasks';

/** Starts a new deployment of the current task definition (the reference's `make redeploy`). */
export async function forceNewDeployment(ecs: ECSClient, ref: ServiceRef): Promise<string> {
  const { service } = await ecs.send(
    new UpdateServiceCommand({
      cluster: ref.cluster,
      service: ref.service,
      forceNewDeployment: true,
    }),
  );
  const primary = service
    ? summarizeService(ref.cluster, service).deployments.find((d) => d.status === 'PRIMARY')
    : undefined;
  if (!primary) throw new Error(`UpdateService returned no PRIMARY deployment for ${ref.service}`);
  return primary.id;
}

/** One poll's worth of news, for a progress line. */
export interface DeploymentProgress {
  deploymentId: string;
  rolloutState: string;
  runningCount: number;
  desiredCount: number;
  pendingCount: number;
  failedTasks: number;
  /** Service events not reported by an earlier poll, oldest first. */
  newEvents: ServiceEvent[];
  elapsedMs: number;
}

export type DeploymentOutcome = 'completed' | 'failed' | 'timed-out';

export interface DeploymentResult {
  outcome: DeploymentOutcome;
  deploymentId: string;
  /** Why it failed or timed out, in one line. */
  reason?: string;
  /** The tracked deployment as last seen. */
  deployment?: DeploymentSummary;
  /** Every service event seen while waiting, oldest first. */
  events: ServiceEvent[];
  elapsedMs: number;
}

export interface WaitForDeploymentOptions extends ServiceRef {
  /** The deployment to follow. @default the PRIMARY deployment at the first poll */
  deploymentId?: string;
  timeoutMs: number;
  /** @default 6000 */
  pollIntervalMs?: number;
  onProgress?: (progress: DeploymentProgress) => void;
  clock?: Clock;
  signal?: AbortSignal;
}

/**
 * Follows one deployment's rolloutState until COMPLETED, FAILED (the circuit breaker tripped,
 * usually followed by a rollback), replaced, or the timeout. Unlike the SDK's services-stable
 * waiter it reports progress, stops at the breaker's verdict and never passes on a rollback.
 */
export async function waitForDeployment(
  ecs: ECSClient,
  options: WaitForDeploymentOptions,
): Promise<DeploymentResult> {
  const clock = options.clock ?? systemClock;
  const interval = options.pollIntervalMs ?? 6000;
  const started = clock.now();
  const seen = new Set<string>();
  const events: ServiceEvent[] = [];
  let deploymentId = options.deploymentId;
  let last: DeploymentSummary | undefined;
  let first = true;

  for (;;) {
    const snapshot = await describeService(ecs, options);
    const fresh = snapshot.events.filter((e) => !seen.has(e.id)).reverse();
    fresh.forEach((e) => seen.add(e.id));
    // Events from before the wait are history, not progress.
    if (!first) events.push(...fresh);
    deploymentId ??= snapshot.deployments.find((d) => d.status === 'PRIMARY')?.id ?? '';
    const deployment = snapshot.deployments.find((d) => d.id === deploymentId);
    const elapsedMs = clock.now() - started;
    const result = (outcome: DeploymentOutcome, reason?: string): DeploymentResult => ({
      outcome,
      deploymentId: deploymentId ?? '',
      reason,
      deployment: deployment ?? last,
      events,
      elapsedMs,
    });

    if (deployment) {
      last = deployment;
      options.onProgress?.({
        deploymentId,
        rolloutState: deployment.rolloutState ?? 'UNKNOWN',
        runningCount: deployment.runningCount,
        desiredCount: deployment.desiredCount,
        pendingCount: deployment.pendingCount,
        failedTasks: deployment.failedTasks,
        newEvents: first ? [] : fresh,
        elapsedMs,
      });
    }
    first = false;

    const verdict = judgeDeployment(snapshot, deploymentId, deployment);
    if (verdict) return result(verdict.outcome, verdict.reason);
    if (elapsedMs >= options.timeoutMs) {
      return result(
        'timed-out',
        `deployment ${deploymentId} still ${deployment?.rolloutState ?? 'IN_PROGRESS'} after ${Math.round(elapsedMs / 1000)} s ` +
          `(${deployment?.runningCount ?? 0}/${deployment?.desiredCount ?? 0} running, ${deployment?.failedTasks ?? 0} failed tasks)`,
      );
    }
    await clock.sleep(
      Math.min(interval, Math.max(0, options.timeoutMs - elapsedMs)),
      options.signal,
    );
  }
}

function judgeDeployment(
  snapshot: ServiceSnapshot,
  deploymentId: string,
  deployment: DeploymentSummary | undefined,
): { outcome: DeploymentOutcome; reason?: string } | undefined {
  if (!deployment) {
    const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
    return {
      outcome: 'failed',
      reason: `deployment ${deploymentId} is gone; the service now runs ${primary?.id ?? 'another deployment'}`,
    };
  }
  if (deployment.rolloutState === 'COMPLETED') return { outcome: 'completed' };
  if (deployment.rolloutState === 'FAILED') {
    const rollback = snapshot.deployments.find(
      (d) => d.status === 'PRIMARY' && d.id !== deploymentId,
    );
    return {
      outcome: 'failed',
      reason:
        `${deployment.rolloutStateReason ?? 'rollout failed'}` +
        (rollback ? ` (rolled back to ${rollback.taskDefinition ?? rollback.id})` : '') +
        `; ${deployment.failedTasks} task(s) failed`,
    };
  }
  if (deployment.status !== 'PRIMARY') {
    const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
    return {
      outcome: 'failed',
      reason: `deployment ${deploymentId} was replaced by ${primary?.id ?? 'a newer deployment'} (${primary?.taskDefinition ?? 'rollback'})`,
    };
  }
  return undefined;
}
