import {
  CloudFormationClient,
  DeleteStackCommand,
  StackEvent,
  waitUntilStackDeleteComplete,
} from '@aws-sdk/client-cloudformation';
import {
  BatchDeleteImageCommand,
  ECRClient,
  ImageIdentifier,
  paginateListImages,
} from '@aws-sdk/client-ecr';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Clock, isAbortError, systemClock } from './clock';
import { DnsTarget, RecordRemoval, removeServiceRecord } from './ingress-dns';
import { findStack, findStackFailure, getRecentStackEvents } from './stacks';

export interface StackDeleteProgress {
  stackName: string;
  /** Resource events since the delete began, oldest first. */
  events: { resource: string; type?: string; status: string; reason?: string }[];
}

export interface DeleteStackOptions {
  timeoutMs: number;
  onProgress?: (progress: StackDeleteProgress) => void;
  /** How often to report resource events while the waiter waits. @default 10000 */
  progressIntervalMs?: number;
  clock?: Clock;
}

/** 'deleted', or 'absent' when there was nothing to delete. */
export type DeleteOutcome = 'deleted' | 'absent';

/**
 * Deletes a stack and waits until it is gone with the SDK's stack-delete-complete waiter,
 * reporting resource events meanwhile. A DELETE_FAILED stack throws with the resource that failed.
 */
export async function deleteStackAndWait(
  cfn: CloudFormationClient,
  stackName: string,
  options: DeleteStackOptions,
): Promise<DeleteOutcome> {
  const clock = options.clock ?? systemClock;
  const stack = await findStack(cfn, stackName);
  if (!stack) return 'absent';
  const since = clock.now();
  await cfn.send(new DeleteStackCommand({ StackName: stack.stackId }));

  const stopProgress = new AbortController();
  const progress = reportProgress(
    cfn,
    stack.stackId,
    stackName,
    since,
    options,
    clock,
    stopProgress.signal,
  );
  try {
    await waitUntilStackDeleteComplete(
      {
        client: cfn,
        maxWaitTime: Math.max(2, Math.ceil(options.timeoutMs / 1000)),
        minDelay: 1,
        maxDelay: 15,
      },
      // The stack id, not the name: a deleted stack is still found by id, in DELETE_COMPLETE.
      { StackName: stack.stackId },
    );
  } catch (error) {
    const failure = await findStackFailure(cfn, stack.stackId).catch(() => undefined);
    const name = (error as { name?: string }).name;
    const why = failure
      ? `${failure.LogicalResourceId} (${failure.ResourceType}): ${failure.ResourceStatusReason ?? failure.ResourceStatus}`
      : name === 'TimeoutError'
        ? `not gone after ${Math.round(options.timeoutMs / 1000)} s`
        : 'DELETE_FAILED';
    throw new Error(`deleting stack ${stackName} failed: ${why}`, { cause: error });
  } finally {
    stopProgress.abort();
    await progress;
  }
  return 'deleted';
}

async function reportProgress(
  cfn: CloudFormationClient,
  stackId: string,
  stackName: string,
  since: number,
  options: DeleteStackOptions,
  clock: Clock,
  signal: AbortSignal,
): Promise<void> {
  if (!options.onProgress) return;
  const reported = new Set<string>();
  for (;;) {
    try {
      await clock.sleep(options.progressIntervalMs ?? 10_000, signal);
      const events = (await getRecentStackEvents(cfn, stackId))
        .filter((e) => (e.Timestamp?.getTime() ?? 0) >= since && !reported.has(e.EventId ?? ''))
        .reverse();
      events.forEach((e) => reported.add(e.EventId ?? ''));
      if (events.length > 0) options.onProgress({ stackName, events: events.map(toProgressEvent) });
    } catch (error) {
      // Progress is best effort: the waiter decides success; stop quietly when it is done.
      if (isAbortError(error) || signal.aborted) return;
    }
  }
}

function toProgressEvent(e: StackEvent) {
  return {
    resource: e.LogicalResourceId ?? '',
    type: e.ResourceType,
    status: e.ResourceStatus ?? '',
    reason: e.ResourceStatusReason,
  };
}

/** Deletes every image in the repository (by digest, 100 per call); returns how many. */
export async function emptyRepository(ecr: ECRClient, repositoryName: string): Promise<number> {
  const digests = new Set<string>();
  const pages = paginateListImages({ client: ecr }, { repositoryName });
  for await (const page of pages) {
    for (const id of page.imageIds ?? []) if (id.imageDigest) digests.add(id.imageDigest);
  }
  const ids: ImageIdentifier[] = [...digests].map((imageDigest) => ({ imageDigest }));
  let deleted = 0;
  for (let i = 0; i < ids.length; i += 100) {
    const { imageIds, failures } = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName, imageIds: ids.slice(i, i + 100) }),
    );
    // A digest already gone (ImageNotFound) is fine: someone else deleted it first.
    const real = (failures ?? []).filter((f) => f.failureCode !== 'ImageNotFound');
    if (real.length > 0) {
      throw new Error(
        `could not delete ${real.length} image(s) from ${repositoryName}: ${real[0].failureCode} ${real[0].failureReason ?? ''}`.trim(),
      );
    }
    deleted += new Set((imageIds ?? []).map((id) => id.imageDigest)).size;
  }
  return deleted;
}

export interface DestroyOptions extends DeleteStackOptions {
  stackName: string;
  registryStackName: string;
  repositoryName: string;
  /** Also empty the repository and delete the registry stack. Images survive by default. */
  deleteImages: boolean;
  /**
   * A dns-mode stack's record (from its outputs, read before the delete): removed once the stack
   * is gone, when its owner TXT names this deployment.
   */
  dnsRecord?: DnsTarget;
}

export interface DestroyResult {
  stack: DeleteOutcome;
  imagesDeleted: number;
  registry: DeleteOutcome | 'kept';
  /** What became of the dns record, when options.dnsRecord named one. */
  record?: RecordRemoval | { outcome: 'failed'; domainName: string; reason: string };
}

/**
 * The record's removal; a failure is reported, not thrown: the stack is gone by then, and what
 * is left to do by hand must be said alongside it.
 */
async function removeRecordAfterStack(
  route53: Route53Client,
  target: DnsTarget,
): Promise<NonNullable<DestroyResult['record']>> {
  try {
    return await removeServiceRecord(route53, target);
  } catch (error) {
    if (isAbortError(error)) throw error;
    const reason = (error as Error).message ?? String(error);
    return { outcome: 'failed', domainName: target.domainName, reason };
  }
}

/**
 * Deletes the service stack, then a dns-mode record it owned, then (only when asked) the images
 * and the registry stack.
 */
export async function destroyDeployment(
  clients: { cfn: CloudFormationClient; ecr: ECRClient; route53?: Route53Client },
  options: DestroyOptions,
): Promise<DestroyResult> {
  const stack = await deleteStackAndWait(clients.cfn, options.stackName, options);
  // After the stack: its updater would otherwise recreate the record for a task still stopping.
  const record =
    options.dnsRecord && clients.route53
      ? { record: await removeRecordAfterStack(clients.route53, options.dnsRecord) }
      : {};
  // 'kept' only for a registry that is there: a region without one says so.
  const registryStack = await findStack(clients.cfn, options.registryStackName);
  if (!registryStack) return { stack, imagesDeleted: 0, registry: 'absent', ...record };
  if (!options.deleteImages) return { stack, imagesDeleted: 0, registry: 'kept', ...record };
  let imagesDeleted = 0;
  try {
    imagesDeleted = await emptyRepository(clients.ecr, options.repositoryName);
  } catch (error) {
    if ((error as { name?: string }).name !== 'RepositoryNotFoundException') throw error;
  }
  const registry = await deleteStackAndWait(clients.cfn, options.registryStackName, options);
  return { stack, imagesDeleted, registry, ...record };
}
