import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  deploymentCommand,
  explainError,
  findDeniedAction,
  type Problem,
} from '@hello-world/aws-ops';

/** What the updater's handler returns (the dns-updater lib's SyncResult), as far as it is read. */
export interface UpdaterRun {
  /** created, updated, deleted, unchanged or foreign; absent when the payload is not a result. */
  action?: string;
  /** The A record's values it set or found, sorted. */
  values?: string[];
}

export type UpdaterInvocation = { ok: true; run: UpdaterRun } | { ok: false; problem: Problem };

export interface UpdaterInvokeContext {
  region: string;
  /** The deployment project (`infra`), whose doctor the messages name. */
  project: string;
  signal?: AbortSignal;
}

/**
 * Runs the dns record updater once, synchronously (RequestResponse), with an empty event: it
 * reconciles the record from the service's running tasks whatever the event says. The deploy
 * needs this because the updater otherwise runs only on ECS task state changes, and a deploy that
 * starts no task (an unchanged image, an ingress switch, an infrastructure-only change) has none.
 * A handler error comes back as FunctionError with {errorType, errorMessage} in the payload, not
 * as a rejected call: both become one line naming the next step.
 */
export async function invokeDnsUpdater(
  lambda: LambdaClient,
  functionName: string,
  context: UpdaterInvokeContext,
): Promise<UpdaterInvocation> {
  const doctor = `\`${deploymentCommand('doctor', context.project)}\``;
  let response;
  try {
    response = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: '{}',
      }),
      context.signal ? { abortSignal: context.signal } : {},
    );
  } catch (error) {
    return { ok: false, problem: explainInvokeError(error, functionName, context, doctor) };
  }
  const payload = parsePayload(response.Payload);
  if (response.FunctionError) {
    const { errorType, errorMessage } = (payload ?? {}) as {
      errorType?: unknown;
      errorMessage?: unknown;
    };
    const why = [errorType, errorMessage].filter((v) => typeof v === 'string' && v).join(': ');
    return {
      ok: false,
      problem: {
        kind: 'unknown',
        message: `the dns updater ${functionName} failed (${why || response.FunctionError}); its log group /aws/lambda/${functionName} says more: see ${doctor}`,
      },
    };
  }
  return { ok: true, run: readRun(payload) };
}

function explainInvokeError(
  error: unknown,
  functionName: string,
  context: UpdaterInvokeContext,
  doctor: string,
): Problem {
  const problem = explainError(error, { region: context.region, project: context.project });
  if (problem.kind === 'access-denied') {
    const denied = findDeniedAction((error as Error).message ?? '') ?? 'lambda:InvokeFunction';
    return {
      kind: 'access-denied',
      message: `your AWS identity may not call ${denied} on ${functionName}, which the deploy runs once to set the record: add it to the deploy role's (or your) IAM policy`,
    };
  }
  if ((error as { name?: string }).name === 'ResourceNotFoundException') {
    // The stack outputs dns, so its updater should be there: something removed it.
    return {
      kind: 'unknown',
      message: `the dns updater ${functionName} does not exist in ${context.region}, though the stack is in dns mode: see ${doctor}`,
    };
  }
  return { ...problem, message: `running the dns updater ${functionName}: ${problem.message}` };
}

function parsePayload(payload: Uint8Array | undefined): unknown {
  if (!payload || payload.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(payload)) as unknown;
  } catch {
    return undefined;
  }
}

function readRun(payload: unknown): UpdaterRun {
  if (typeof payload !== 'object' || payload === null) return {};
  const { action, values } = payload as { action?: unknown; values?: unknown };
  return {
    ...(typeof action === 'string' ? { action } : {}),
    ...(Array.isArray(values) && values.every((v) => typeof v === 'string')
      ? { values: values as string[] }
      : {}),
  };
}
