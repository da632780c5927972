/**
 * Runs an entry point's body; any error prints `name: message` as one line (no stack trace) and
 * exits 1. The errors thrown on purpose (ReleaseError, ImageError) carry the next step.
 */
export function runEntry(name: string, body: () => void): void {
  try {
    body();
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
