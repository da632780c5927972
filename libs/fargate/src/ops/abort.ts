import {
  abortDeployment,
  isAbortSuccess,
  type AbortResult,
  type AwsClients,
  type Clock,
} from '@hello-world/aws-ops';
import { EXIT_FAILED, EXIT_OK } from '@hello-world/cli';

export interface AbortCommandOptions {
  stackName: string;
  region: string;
  /** The deployment project (`infra`, `greeter-infra`), whose targets the messages name. */
  project: string;
  /** How long the rollback may take before the command stops waiting (AWS goes on). */
  timeoutMs: number;
  json: boolean;
  pollIntervalMs?: number;
}

export interface AbortCommandIo {
  /** The result: one line, or the JSON of AbortResult. */
  out: (text: string) => void;
  /** Progress. */
  err: (text: string) => void;
  clock: Clock;
  signal?: AbortSignal;
}

/**
 * `<project>:abort` and `<project>:deploy -- --abort`: stops the deploy in progress on the service
 * stack, whoever started it, and waits for its rollback (aws-ops abortDeployment). Exit 0 when it
 * rolled back or there was nothing to abort, 1 when the rollback failed or outlasted the timeout.
 * AWS errors (credentials, no stack: exit 2) are thrown, for the caller's one-line report.
 */
export async function runAbortCommand(
  clients: Pick<AwsClients, 'cfn' | 'ecs'>,
  options: AbortCommandOptions,
  io: AbortCommandIo,
): Promise<number> {
  io.err(`looking for a deploy in progress on ${options.stackName} in ${options.region}`);
  const result: AbortResult = await abortDeployment(clients, {
    stackName: options.stackName,
    region: options.region,
    project: options.project,
    timeoutMs: options.timeoutMs,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    clock: io.clock,
    ...(io.signal ? { signal: io.signal } : {}),
    onProgress: io.err,
  });
  io.out(options.json ? JSON.stringify(result, null, 2) : result.message);
  return isAbortSuccess(result) ? EXIT_OK : EXIT_FAILED;
}
