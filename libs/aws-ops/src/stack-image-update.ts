import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  type Capability,
  type CloudFormationClient,
  type Parameter,
  type StackEvent,
  waitUntilChangeSetCreateComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { STACK_PARAMETERS } from '@hello-world/shared';
import { Clock, isAbortError, systemClock } from './clock';
import { OpsError } from './errors';
import { findStack, findStackFailure, getRecentStackEvents } from './stacks';

/** What `cdk deploy` passes, so a change set here may do whatever the deploy's could. */
export const CDK_CAPABILITIES: readonly Capability[] = [
  'CAPABILITY_IAM',
  'CAPABILITY_NAMED_IAM',
  'CAPABILITY_AUTO_EXPAND',
];

/** The SDK waiters' poll delays, in seconds (the SDK's unit); tests pass milliseconds' worth. */
export interface WaiterDelays {
  minDelay: number;
  maxDelay: number;
}

const DEFAULT_DELAYS: WaiterDelays = { minDelay: 5, maxDelay: 15 };

/** How long CloudFormation may take to compute a change set. */
const CHANGE_SET_WAIT_MS = 5 * 60_000;

/** CloudFormation's reasons for a change set that would change nothing. */
const NO_CHANGES =
  /didn't contain changes|No updates are to be performed|does not contain any changes/i;

export interface ImageChangeSetRequest {
  stackName: string;
  /** The ImageTag parameter's new value. */
  imageTag: string;
  /** Every parameter the stack has now: all but ImageTag keep their previous values. */
  parameterKeys: readonly string[];
  /** `[a-zA-Z][-a-zA-Z0-9]*`, at most 128 characters. */
  changeSetName: string;
  description?: string;
  delays?: WaiterDelays;
  signal?: AbortSignal;
}

/** One resource change the change set would make, as DescribeChangeSet lists it. */
export interface PlannedChange {
  action: string;
  resource: string;
  type?: string;
  replacement?: string;
}

export type ImageChangeSet =
  | { outcome: 'created'; changeSetName: string; changeSetId: string; changes: PlannedChange[] }
  /** Nothing would change (the stack already has that ImageTag): the change set is deleted. */
  | { outcome: 'no-change'; changeSetName: string; reason: string };

/**
 * A change set of the stack as it is deployed (UsePreviousTemplate), with only ImageTag changed:
 * the template of the current checkout is never applied. The capabilities are CDK's; no RoleARN,
 * so CloudFormation uses the stack's own role if it has one, else the caller's rights.
 */
export async function createImageChangeSet(
  cfn: CloudFormationClient,
  request: ImageChangeSetRequest,
): Promise<ImageChangeSet> {
  const imageKey = STACK_PARAMETERS.imageTag;
  const parameters: Parameter[] = [
    { ParameterKey: imageKey, ParameterValue: request.imageTag },
    ...request.parameterKeys
      .filter((key) => key !== imageKey)
      .map((key) => ({ ParameterKey: key, UsePreviousValue: true })),
  ];
  const { Id } = await cfn.send(
    new CreateChangeSetCommand({
      StackName: request.stackName,
      ChangeSetName: request.changeSetName,
      ChangeSetType: 'UPDATE',
      UsePreviousTemplate: true,
      Parameters: parameters,
      Capabilities: [...CDK_CAPABILITIES],
      ...(request.description ? { Description: request.description } : {}),
    }),
  );
  const ids = { StackName: request.stackName, ChangeSetName: request.changeSetName };
  const delays = request.delays ?? DEFAULT_DELAYS;
  try {
    await waitUntilChangeSetCreateComplete(
      {
        client: cfn,
        maxWaitTime: Math.max(delays.maxDelay * 2, CHANGE_SET_WAIT_MS / 1000),
        ...delays,
        ...(request.signal ? { abortSignal: request.signal } : {}),
      },
      ids,
    );
  } catch (error) {
    if (isAbortError(error)) throw error;
    // The waiter's error is a JSON dump: the change set's own status says why.
    const described = await cfn.send(new DescribeChangeSetCommand(ids));
    const reason = described.StatusReason ?? described.Status ?? 'unknown';
    if (described.Status === 'FAILED' && NO_CHANGES.test(reason)) {
      await cfn.send(new DeleteChangeSetCommand(ids));
      return { outcome: 'no-change', changeSetName: request.changeSetName, reason };
    }
    throw new OpsError(
      'unknown',
      `CloudFormation could not make change set ${request.changeSetName} of ${request.stackName}: ${reason}`,
    );
  }
  const described = await cfn.send(new DescribeChangeSetCommand(ids));
  const changes = (described.Changes ?? []).flatMap((c) =>
    c.ResourceChange
      ? [
          {
            action: c.ResourceChange.Action ?? 'Modify',
            resource: c.ResourceChange.LogicalResourceId ?? '?',
            ...(c.ResourceChange.ResourceType ? { type: c.ResourceChange.ResourceType } : {}),
            ...(c.ResourceChange.Replacement ? { replacement: c.ResourceChange.Replacement } : {}),
          },
        ]
      : [],
  );
  if (changes.length === 0) {
    await cfn.send(new DeleteChangeSetCommand(ids));
    return {
      outcome: 'no-change',
      changeSetName: request.changeSetName,
      reason: 'the change set lists no resource changes',
    };
  }
  return {
    outcome: 'created',
    changeSetName: request.changeSetName,
    changeSetId: described.ChangeSetId ?? Id ?? request.changeSetName,
    changes,
  };
}

/** Resource events of the stack update, for progress lines. */
export interface StackUpdateProgress {
  stackName: string;
  /** Events since the last report, oldest first. */
  events: { resource: string; type?: string; status: string; reason?: string }[];
}

export interface ExecuteChangeSetRequest {
  stackName: string;
  changeSetName: string;
  timeoutMs: number;
  delays?: WaiterDelays;
  onProgress?: (progress: StackUpdateProgress) => void;
  /** How often to read the stack's events while the waiter waits. @default 10000 */
  progressIntervalMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface StackUpdateResult {
  stackId: string;
  /** UPDATE_COMPLETE. */
  status: string;
}

/**
 * Executes the change set and waits for UPDATE_COMPLETE with the SDK's waiter, bounded by
 * `timeoutMs`. A stack that rolls back (or any failure) throws one line naming the resource that
 * failed first, from the stack's events.
 */
export async function executeChangeSetAndWait(
  cfn: CloudFormationClient,
  request: ExecuteChangeSetRequest,
): Promise<StackUpdateResult> {
  const clock = request.clock ?? systemClock;
  const since = clock.now();
  const stack = await findStack(cfn, request.stackName);
  const stackId = stack?.stackId ?? request.stackName;
  await cfn.send(
    new ExecuteChangeSetCommand({
      StackName: request.stackName,
      ChangeSetName: request.changeSetName,
    }),
  );
  const stopProgress = new AbortController();
  const progress = reportStackEvents(cfn, stackId, request, since, clock, stopProgress.signal);
  const delays = request.delays ?? DEFAULT_DELAYS;
  try {
    const waited = await waitUntilStackUpdateComplete(
      {
        client: cfn,
        maxWaitTime: Math.max(delays.maxDelay * 2, request.timeoutMs / 1000),
        ...delays,
        ...(request.signal ? { abortSignal: request.signal } : {}),
      },
      { StackName: stackId },
    );
    const status = waited.reason?.Stacks?.[0]?.StackStatus ?? 'UPDATE_COMPLETE';
    return { stackId, status };
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw await explainUpdateFailure(cfn, stackId, request, error);
  } finally {
    stopProgress.abort();
    await progress;
  }
}

async function explainUpdateFailure(
  cfn: CloudFormationClient,
  stackId: string,
  request: ExecuteChangeSetRequest,
  error: unknown,
): Promise<OpsError> {
  const { stackName } = request;
  const now = await findStack(cfn, stackId).catch(() => undefined);
  if ((error as { name?: string }).name === 'TimeoutError') {
    return new OpsError(
      'unknown',
      `stack ${stackName} is still ${now?.status ?? 'UPDATE_IN_PROGRESS'} after ${Math.round(request.timeoutMs / 1000)} s; CloudFormation goes on without us`,
    );
  }
  const failure = await findStackFailure(cfn, stackId).catch(() => undefined);
  const why = failure
    ? `${failure.LogicalResourceId} (${failure.ResourceType}): ${failure.ResourceStatusReason ?? failure.ResourceStatus}`
    : (now?.statusReason ?? 'no resource failure reported');
  return new OpsError(
    'unknown',
    `updating stack ${stackName} failed, it is ${now?.status ?? 'not UPDATE_COMPLETE'}: ${why}`,
  );
}

/** Reports the update's resource events until `signal` aborts; best effort, never throws. */
async function reportStackEvents(
  cfn: CloudFormationClient,
  stackId: string,
  request: ExecuteChangeSetRequest,
  since: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<void> {
  if (!request.onProgress) return;
  const reported = new Set<string>();
  for (;;) {
    try {
      await clock.sleep(request.progressIntervalMs ?? 10_000, signal);
      const events = (await getRecentStackEvents(cfn, stackId))
        .filter((e) => (e.Timestamp?.getTime() ?? 0) >= since && !reported.has(e.EventId ?? ''))
        .reverse();
      events.forEach((e) => reported.add(e.EventId ?? ''));
      if (events.length > 0) {
        request.onProgress({ stackName: request.stackName, events: events.map(toProgressEvent) });
      }
    } catch (error) {
      if (isAbortError(error) || signal.aborted) return;
    }
  }
}

function toProgressEvent(e: StackEvent) {
  return {
    resource: e.LogicalResourceId ?? '',
    ...(e.ResourceType ? { type: e.ResourceType } : {}),
    status: e.ResourceStatus ?? '',
    ...(e.ResourceStatusReason ? { reason: e.ResourceStatusReason } : {}),
  };
}
