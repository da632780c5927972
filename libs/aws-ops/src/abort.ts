import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  waitUntilStackRollbackComplete,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeServiceDeploymentsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { STACK_OUTPUTS } from '@hello-world/shared';
import { Clock, systemClock } from './clock';
import { OpsError } from './errors';
import { deploymentCommand } from './findings';
import { findStack, findStackFailure, type StackInfo } from './stacks';
import type { ServiceRef } from './tasks';

/** What of a deploy is still going on: the stack update, the ECS rollout, or nothing. */
export type DeployActivity =
  | { kind: 'stack-update'; status: string }
  | { kind: 'stack-rollback'; status: string }
  | { kind: 'rollout'; serviceDeploymentArn: string; status: string }
  | { kind: 'none'; status: string };

export interface DeployInProgress {
  stack: StackInfo;
  ref: ServiceRef;
  activity: DeployActivity;
}

/** ECS service deployments that are still moving towards their target revision. */
const ROLLOUT_ACTIVE: ServiceDeploymentStatus[] = ['PENDING', 'IN_PROGRESS'];

/**
 * What a deploy of `stackName` is doing now, whoever started it: CloudFormation updating the
 * service stack (UPDATE_IN_PROGRESS), rolling it back, or, once the stack is done, an ECS service
 * deployment still rolling out. A missing stack is an OpsError (stack-not-found).
 */
export async function findDeployInProgress(
  clients: { cfn: CloudFormationClient; ecs: ECSClient },
  stackName: string,
  context: { region: string; project?: string },
): Promise<DeployInProgress> {
  const stack = await findStack(clients.cfn, stackName);
  if (!stack) {
    throw new OpsError(
      'stack-not-found',
      `stack ${stackName} is not deployed in ${context.region}: nothing to abort (pass --region if it lives elsewhere)`,
    );
  }
  // The stack names its cluster and service after itself when the outputs are not there yet.
  const ref: ServiceRef = {
    cluster: stack.outputs[STACK_OUTPUTS.clusterName] ?? stackName,
    service: stack.outputs[STACK_OUTPUTS.serviceName] ?? stackName,
  };
  if (stack.status === 'UPDATE_IN_PROGRESS') {
    return { stack, ref, activity: { kind: 'stack-update', status: stack.status } };
  }
  if (/ROLLBACK_IN_PROGRESS$/.test(stack.status)) {
    return { stack, ref, activity: { kind: 'stack-rollback', status: stack.status } };
  }
  const rollout = await findActiveRollout(clients.ecs, ref);
  return {
    stack,
    ref,
    activity: rollout ? { kind: 'rollout', ...rollout } : { kind: 'none', status: stack.status },
  };
}

async function findActiveRollout(
  ecs: ECSClient,
  ref: ServiceRef,
): Promise<{ serviceDeploymentArn: string; status: string } | undefined> {
  try {
    const { serviceDeployments } = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: ref.cluster,
        service: ref.service,
        status: ROLLOUT_ACTIVE,
      }),
    );
    const active = (serviceDeployments ?? []).find((d) => d.serviceDeploymentArn);
    return active?.serviceDeploymentArn
      ? {
          serviceDeploymentArn: active.serviceDeploymentArn,
          status: active.status ?? 'IN_PROGRESS',
        }
      : undefined;
  } catch (error) {
    // A stack whose service is gone (or never created) has no rollout to stop.
    const name = (error as { name?: string }).name;
    if (name === 'ServiceNotFoundException' || name === 'ClusterNotFoundException')
      return undefined;
    throw error;
  }
}

export interface AbortOptions {
  stackName: string;
  region: string;
  /** The deployment project, whose targets the messages name. @default infra */
  project?: string;
  /** How long the rollback may take. */
  timeoutMs: number;
  /** Between DescribeServiceDeployments polls. @default 6000 */
  pollIntervalMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Progress lines (what was stopped, what is awaited). */
  onProgress?: (line: string) => void;
}

/**
 * rolled-back: the stack or service is back on the previous version; nothing-to-abort: no
 * update or rollout was going on; the rest are failures of the abort or of its rollback.
 */
export type AbortOutcome = 'rolled-back' | 'nothing-to-abort' | 'rollback-failed' | 'timed-out';

export interface AbortResult {
  outcome: AbortOutcome;
  /** What was stopped. */
  stopped?: 'stack-update' | 'rollout';
  stackName: string;
  /** The service stack's status when the abort ended. */
  stackStatus: string;
  cluster: string;
  service: string;
  serviceDeploymentArn?: string;
  /** The service deployment's status when the abort ended (ROLLBACK_SUCCESSFUL…). */
  serviceDeploymentStatus?: string;
  /** One line: what happened and, when it failed, the next step. */
  message: string;
}

export function isAbortSuccess(result: Pick<AbortResult, 'outcome'>): boolean {
  return result.outcome === 'rolled-back' || result.outcome === 'nothing-to-abort';
}

/**
 * Stops a deploy in progress, possibly someone else's: an UPDATE_IN_PROGRESS service stack gets
 * CancelUpdateStack and is waited for until UPDATE_ROLLBACK_COMPLETE (CloudFormation puts the
 * service back on the previous task definition); a stack rolling back already is waited for;
 * else an ECS service deployment in progress gets StopServiceDeployment(ROLLBACK) and is followed
 * until ROLLBACK_SUCCESSFUL. Otherwise there is nothing to abort.
 */
export async function abortDeployment(
  clients: { cfn: CloudFormationClient; ecs: ECSClient },
  options: AbortOptions,
): Promise<AbortResult> {
  const found = await findDeployInProgress(clients, options.stackName, options);
  const { stack, ref, activity } = found;
  const base = { stackName: options.stackName, cluster: ref.cluster, service: ref.service };
  switch (activity.kind) {
    case 'stack-update':
    case 'stack-rollback':
      return rollBackStack(clients.cfn, stack, activity, base, options);
    case 'rollout':
      return rollBackRollout(clients.ecs, activity.serviceDeploymentArn, stack, base, options);
    case 'none':
      return {
        ...base,
        outcome: 'nothing-to-abort',
        stackStatus: stack.status,
        message: `nothing to abort: ${options.stackName} is ${stack.status} and ${ref.service} has no deployment in progress`,
      };
  }
}

type ResultBase = Pick<AbortResult, 'stackName' | 'cluster' | 'service'>;

async function rollBackStack(
  cfn: CloudFormationClient,
  stack: StackInfo,
  activity: { kind: 'stack-update' | 'stack-rollback'; status: string },
  base: ResultBase,
  options: AbortOptions,
): Promise<AbortResult> {
  const name = options.stackName;
  if (activity.kind === 'stack-update') {
    options.onProgress?.(
      `cancelling the update of ${name} (CancelUpdateStack); CloudFormation rolls it back`,
    );
    try {
      await cfn.send(new CancelUpdateStackCommand({ StackName: stack.stackId }));
    } catch (error) {
      // The update ended between the read and the cancel: say what it ended as.
      if ((error as { name?: string }).name !== 'ValidationError') throw error;
      const now = (await findStack(cfn, stack.stackId))?.status ?? 'UNKNOWN';
      if (!/ROLLBACK_IN_PROGRESS$/.test(now)) {
        return {
          ...base,
          outcome: now === 'UPDATE_COMPLETE' ? 'nothing-to-abort' : 'rollback-failed',
          stopped: 'stack-update',
          stackStatus: now,
          message: `the update of ${name} ended (${now}) before it could be cancelled: check it with \`${deploymentCommand('status', options.project)}\``,
        };
      }
    }
  } else {
    options.onProgress?.(`${name} is already rolling back (${activity.status}); waiting for it`);
  }
  options.onProgress?.(
    `waiting up to ${Math.round(options.timeoutMs / 1000)} s for ${name} to reach UPDATE_ROLLBACK_COMPLETE`,
  );
  try {
    await waitUntilStackRollbackComplete(
      {
        client: cfn,
        maxWaitTime: Math.max(2, Math.ceil(options.timeoutMs / 1000)),
        minDelay: 2,
        maxDelay: 15,
        ...(options.signal ? { abortSignal: options.signal } : {}),
      },
      // The id: the same stack even if it is deleted and recreated meanwhile.
      { StackName: stack.stackId },
    );
    return {
      ...base,
      outcome: 'rolled-back',
      stopped: 'stack-update',
      stackStatus: 'UPDATE_ROLLBACK_COMPLETE',
      message: `aborted: the update of ${name} was cancelled and rolled back (UPDATE_ROLLBACK_COMPLETE); the service runs the previous version`,
    };
  } catch (error) {
    const now = (await findStack(cfn, stack.stackId).catch(() => undefined))?.status ?? 'UNKNOWN';
    const timedOut = (error as { name?: string }).name === 'TimeoutError';
    const failure = timedOut
      ? undefined
      : await findStackFailure(cfn, stack.stackId).catch(() => undefined);
    const why = failure
      ? `: ${failure.LogicalResourceId} (${failure.ResourceType}) ${failure.ResourceStatus} ${failure.ResourceStatusReason ?? ''}`.trimEnd()
      : '';
    return {
      ...base,
      outcome: timedOut ? 'timed-out' : 'rollback-failed',
      stopped: 'stack-update',
      stackStatus: now,
      message: timedOut
        ? `the rollback of ${name} is still ${now} after ${Math.round(options.timeoutMs / 1000)} s: CloudFormation goes on; watch it with \`${deploymentCommand('status', options.project)}\``
        : `the rollback of ${name} ended ${now}${why}: \`${deploymentCommand('doctor', options.project)}\` says what is wrong`,
    };
  }
}

/** Terminal states of a service deployment after StopServiceDeployment(ROLLBACK). */
const ROLLBACK_DONE = new Set(['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED', 'SUCCESSFUL']);

async function rollBackRollout(
  ecs: ECSClient,
  serviceDeploymentArn: string,
  stack: StackInfo,
  base: ResultBase,
  options: AbortOptions,
): Promise<AbortResult> {
  const clock = options.clock ?? systemClock;
  const interval = options.pollIntervalMs ?? 6000;
  const started = clock.now();
  options.onProgress?.(
    `stopping the rollout of ${base.service} (StopServiceDeployment ROLLBACK ${serviceDeploymentArn})`,
  );
  await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' }));
  const result = (outcome: AbortOutcome, status: string, message: string): AbortResult => ({
    ...base,
    outcome,
    stopped: 'rollout',
    stackStatus: stack.status,
    serviceDeploymentArn,
    serviceDeploymentStatus: status,
    message,
  });
  let status = 'STOP_REQUESTED';
  let reported = '';
  for (;;) {
    const { serviceDeployments, failures } = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }),
    );
    const current = serviceDeployments?.[0];
    if (!current) {
      throw new Error(
        `DescribeServiceDeployments does not know ${serviceDeploymentArn}${failures?.[0]?.reason ? ` (${failures[0].reason})` : ''}`,
      );
    }
    status = current.status ?? status;
    if (status !== reported) {
      options.onProgress?.(
        `${base.service}: service deployment ${status}${current.statusReason ? ` (${current.statusReason})` : ''}`,
      );
      reported = status;
    }
    if (ROLLBACK_DONE.has(status)) {
      const previous =
        current.rollback?.serviceRevisionArn ?? current.sourceServiceRevisions?.[0]?.arn;
      switch (status) {
        case 'ROLLBACK_SUCCESSFUL':
          return result(
            'rolled-back',
            status,
            `aborted: the rollout of ${base.service} was stopped and rolled back (ROLLBACK_SUCCESSFUL)${previous ? `; it runs ${previous} again` : ''}`,
          );
        case 'SUCCESSFUL':
          return result(
            'nothing-to-abort',
            status,
            `the rollout of ${base.service} completed before it could be stopped: it runs the new version (\`${deploymentCommand('status', options.project)}\` shows it)`,
          );
        default:
          return result(
            'rollback-failed',
            status,
            `the rollback of ${base.service} ended ${status}${current.statusReason ? ` (${current.statusReason})` : ''}: \`${deploymentCommand('doctor', options.project)}\` says what is wrong`,
          );
      }
    }
    const elapsed = clock.now() - started;
    if (elapsed >= options.timeoutMs) {
      return result(
        'timed-out',
        status,
        `the rollback of ${base.service} is still ${status} after ${Math.round(elapsed / 1000)} s: ECS goes on; watch it with \`${deploymentCommand('status', options.project)}\``,
      );
    }
    await clock.sleep(Math.min(interval, options.timeoutMs - elapsed), options.signal);
  }
}
