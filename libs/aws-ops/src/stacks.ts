import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  StackEvent,
} from '@aws-sdk/client-cloudformation';
import { OpsError, isStackMissing } from './errors';
import { deploymentCommand } from './findings';

/** What the tools need to know about one CloudFormation stack. */
export interface StackInfo {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  lastUpdated?: Date;
}

/** Describes a stack; undefined when it does not exist (not deployed, or another region). */
export async function findStack(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<StackInfo | undefined> {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack) return undefined;
    return {
      stackName: stack.StackName ?? stackName,
      stackId: stack.StackId ?? stackName,
      status: stack.StackStatus ?? 'UNKNOWN',
      statusReason: stack.StackStatusReason,
      outputs: Object.fromEntries(
        (stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
      ),
      parameters: Object.fromEntries(
        (stack.Parameters ?? []).map((p) => [
          p.ParameterKey ?? '',
          p.ResolvedValue ?? p.ParameterValue ?? '',
        ]),
      ),
      lastUpdated: stack.LastUpdatedTime ?? stack.CreationTime,
    };
  } catch (error) {
    if (isStackMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Like findStack, but a missing stack is an error that says how to deploy it: the deploy of the
 * deployment `project` (default hello-world's, infra).
 */
export async function getStack(
  cfn: CloudFormationClient,
  stackName: string,
  region: string,
  project?: string,
): Promise<StackInfo> {
  const stack = await findStack(cfn, stackName);
  if (!stack) {
    throw new OpsError(
      'stack-not-found',
      `stack ${stackName} is not deployed in ${region}: run \`${deploymentCommand('deploy', project)}\`, or pass --region if it lives elsewhere`,
    );
  }
  return stack;
}

/** The stack's outputs as a key → value map (the reference's `describe-stacks --query Outputs`). */
export async function getStackOutputs(
  cfn: CloudFormationClient,
  stackName: string,
  region: string,
): Promise<Record<string, string>> {
  return (await getStack(cfn, stackName, region)).outputs;
}

/** Stack states that mean the last operation failed and the stack needs attention. */
export function isFailedStackStatus(status: string): boolean {
  return /FAILED$|ROLLBACK_COMPLETE$|ROLLBACK_IN_PROGRESS$/.test(status);
}

/** Stack states in which nothing is running against the stack. */
export function isSettledStackStatus(status: string): boolean {
  return !status.endsWith('_IN_PROGRESS');
}

/** Newest first, as CloudFormation returns them; only the first page (the latest 100) is read. */
export async function getRecentStackEvents(
  cfn: CloudFormationClient,
  stackIdOrName: string,
): Promise<StackEvent[]> {
  const { StackEvents } = await cfn.send(
    new DescribeStackEventsCommand({ StackName: stackIdOrName }),
  );
  return StackEvents ?? [];
}

/** The first resource failure of the stack's latest operation: the usual root cause. */
export async function findStackFailure(
  cfn: CloudFormationClient,
  stackIdOrName: string,
): Promise<StackEvent | undefined> {
  const events = await getRecentStackEvents(cfn, stackIdOrName);
  // Events are newest first: keep those of the latest operation (back to its "User Initiated"
  // start); the oldest resource failure in it is the usual root cause.
  const start = events.findIndex(
    (e) =>
      e.ResourceType === 'AWS::CloudFormation::Stack' &&
      e.ResourceStatusReason === 'User Initiated',
  );
  const latest = start === -1 ? events : events.slice(0, start + 1);
  return latest
    .filter(
      (e) =>
        e.ResourceStatus?.endsWith('_FAILED') && e.ResourceType !== 'AWS::CloudFormation::Stack',
    )
    .at(-1);
}
