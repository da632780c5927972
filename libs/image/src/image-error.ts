import {
  AwsSettingError,
  explainError,
  isSetupProblem,
  type ProblemContext,
} from '@hello-world/aws-ops';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from '@hello-world/cli';

/**
 * Whose move it is. 'environment': bad usage or setup (options, dirty tree, no engine, no
 * credentials, registry out of reach): nothing was attempted, fix it and retry (exit 2).
 * 'failed': a build, pull or push ran and failed (exit 1).
 */
export type ImageErrorKind = 'environment' | 'failed';

/** A problem the user can fix, already worded as one line with the next step. */
export class ImageError extends Error {
  override name = 'ImageError';
  constructor(
    message: string,
    readonly kind: ImageErrorKind = 'failed',
  ) {
    super(message);
  }
}

/**
 * The line to print and the exit code for anything docker-build or docker-push threw. AWS errors
 * are worded and classified by aws-ops' explainError, so the image tools agree with infra's;
 * `context` is where the calls pointed: its region, and the profile they used, which credential
 * messages name.
 */
export function explainImageFailure(
  error: unknown,
  context: ProblemContext,
): { message: string; exitCode: number } {
  if (error instanceof ImageError) {
    return {
      message: error.message,
      exitCode: error.kind === 'environment' ? EXIT_USAGE : EXIT_FAILED,
    };
  }
  if (error instanceof UsageError || error instanceof AwsSettingError)
    return { message: error.message, exitCode: EXIT_USAGE };
  const problem = explainError(error, context);
  return {
    message: problem.message,
    exitCode: isSetupProblem(problem) ? EXIT_USAGE : EXIT_FAILED,
  };
}
