import type { ProblemContext } from '@hello-world/aws-ops';
import { explainImageFailure, EXIT_USAGE } from './image-error';
import { parseImageOptions, USAGE, type ImageOptions } from './image-options';

/** Parses the command line and environment once; bad input prints one line and exits 2. */
export function readOptionsOrExit(name: string): ImageOptions {
  try {
    const options = parseImageOptions(process.argv.slice(2), process.env);
    if (options.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return options;
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n`);
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
