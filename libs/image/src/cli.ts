import type { ProblemContext } from '@hello-world/aws-ops';
import { APP_NAME } from '@hello-world/shared';
import { explainImageFailure, EXIT_USAGE } from './image-error';
import { parseImageOptions, USAGE, type ImageOptions } from './image-options';

/**
 * The nx target as the user typed it, for every error line: `<project>:docker-push`. The project
 * is --project's; before the options are read, the one Nx runs the task for, else the default.
 */
export function targetLabel(
  target: 'docker-build' | 'docker-push',
  project: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  return `${project ?? env['NX_TASK_TARGET_PROJECT'] ?? APP_NAME}:${target}`;
}

/**
 * Parses the command line and environment once; bad input prints one line and exits 2. docker-push
 * is a step of the deploy chain (`chain`): it also accepts the options infra:deploy forwards.
 */
export function readOptionsOrExit(
  target: 'docker-build' | 'docker-push',
  { chain = false }: { chain?: boolean } = {},
): { options: ImageOptions; label: string } {
  try {
    const options = parseImageOptions(process.argv.slice(2), process.env, { chain });
    if (options.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return { options, label: targetLabel(target, options.project) };
  } catch (error) {
    process.stderr.write(`${targetLabel(target, undefined)}: ${(error as Error).message}\n`);
    process.exit(EXIT_USAGE);
  }
}

/**
 * Runs an entry point: a known problem prints one line with the next step and exits 2 when it
 * is the caller's usage or setup, 1 when a build or push ran and failed; AWS errors are worded
 * by aws-ops, naming the region and profile `context` says the AWS calls used; nothing prints a
 * stack trace.
 */
export function runCli(
  name: string,
  main: () => Promise<void>,
  context: () => ProblemContext,
): void {
  main().catch((error: unknown) => {
    const { message, exitCode } = explainImageFailure(error, context());
    process.stderr.write(`${name}: ${message}\n`);
    process.exitCode = exitCode;
  });
}
