import type { Problem } from '@hello-world/aws-ops';
import type { PhaseName } from './receipt';

/** A phase's failure, carrying what the outcome needs. */
export class PhaseFailure extends Error {
  constructor(
    readonly phase: PhaseName,
    readonly problem: Problem,
    readonly rollout: boolean,
  ) {
    super(problem.message);
  }
}
