import type { ProblemContext } from '@hello-world/aws-ops';
import { EXIT_USAGE, readCli, runCli, UsageError } from '@hello-world/cli';
import { APP_NAME, serviceNameProblem } from '@hello-world/shared';
import { explainImageFailure } from './image-error';
import {
  IMAGE_BUILD_CLI,
  IMAGE_PUSH_CLI,
  toImageOptions,
  type ImageOptions,
} from './image-options';

export type ImageTarget = 'docker-build' | 'docker-push';

/** Each CLI's command line: docker-push, a step of the deploy chain, also accepts infra:deploy's. */
const IMAGE_CLI = { 'docker-build': IMAGE_BUILD_CLI, 'docker-push': IMAGE_PUSH_CLI } as const;

/**
 * The nx target as the user typed it, for every error line: `<project>:docker-push`. The project
 * is --project's; before the options are read, the one Nx runs the task for, else the default.
 */
export function targetLabel(
  target: ImageTarget,
  project: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  return `${project ?? env['NX_TASK_TARGET_PROJECT'] ?? APP_NAME}:${target}`;
}

/**
 * Runs docker-build or docker-push the way libs/cli runs every script: `--help` prints the usage
 * and exits 0 before any work, a bad option or value prints one line and exits 2. Then `main`
 * runs with the options: a known problem prints one line with the next step and exits 2 when it
 * is the caller's usage or setup, 1 when a build or push ran and failed; AWS errors are worded by
 * aws-ops, naming the region and profile `context` says the AWS calls used; nothing prints a
 * stack trace.
 */
export function runImageCli(
  target: ImageTarget,
  main: (options: ImageOptions) => Promise<void>,
  context: (options: ImageOptions) => ProblemContext,
): void {
  const env = process.env;
  const values = readCli({ ...IMAGE_CLI[target], name: targetLabel(target, undefined, env) });
  // A project name no deployment can carry is refused below, under the label it had before.
  const project =
    values.project !== undefined && !serviceNameProblem(values.project)
      ? values.project
      : undefined;
  runCli(targetLabel(target, project, env), async () => {
    const options = toImageOptions(values, env);
    try {
      await main(options);
    } catch (error) {
      // libs/cli prints the line and exits with the code: UsageError 2, any other error 1.
      const { message, exitCode } = explainImageFailure(error, context(options));
      throw exitCode === EXIT_USAGE ? new UsageError(message) : new Error(message);
    }
  });
}
