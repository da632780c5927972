import { type ProblemKind } from '@hello-world/aws-ops';
import { formatDiagnosis } from '../ops/format';
import { runDeploy, type DeployDeps, type DeployOutcome, type DeployRequest } from './orchestrate';
import { formatPhases, formatReceipt } from './receipt';

/** Problems with the caller's setup rather than with the deploy: exit 2, as the ops commands. */
const ENVIRONMENT_PROBLEMS: ReadonlySet<ProblemKind> = new Set<ProblemKind>([
  'no-credentials',
  'expired-token',
  'invalid-credentials',
  'access-denied',
  'network',
]);

/** 0 deployed; 1 the deploy or rollout failed; 2 credentials, permissions or network. */
export function exitCodeOf(outcome: DeployOutcome): number {
  if (outcome.ok) return 0;
  return ENVIRONMENT_PROBLEMS.has(outcome.problem.kind) ? 2 : 1;
}

export interface DeployOutput {
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs the deploy and prints the receipt (stdout) or the failure with its diagnosis (stderr). */
export async function deployAndReport(
  request: DeployRequest,
  deps: DeployDeps,
  output: DeployOutput,
): Promise<number> {
  const outcome = await runDeploy(request, deps);
  if (output.json) output.out(JSON.stringify(outcome.ok ? outcome.receipt : outcome, null, 2));
  if (outcome.ok) {
    if (!output.json) output.out(formatReceipt(outcome.receipt));
    return 0;
  }
  if (outcome.diagnosis) output.err(formatDiagnosis(outcome.diagnosis));
  output.err(`phases: ${formatPhases(outcome.phases)}`);
  output.err(`infra:deploy: ${outcome.phase} failed: ${outcome.problem.message}`);
  return exitCodeOf(outcome);
}
