// What every real-engine spec needs: the engine checked first (a missing one is a failure with
// the next step, never a skip), docker run for its output, and a bounded wait.
import { spawnSync } from 'node:child_process';

/** A wait, not a timed assertion: how long a container may take to come up on a loaded machine. */
export const UP_WITHIN_MS = 60_000;

/** Throws one line with the next step when no engine answers (DOCKER_HOST or the default one). */
export function requireEngine(): void {
  const engine = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    encoding: 'utf8',
  });
  if (engine.status !== 0) {
    throw new Error(
      `no container engine (DOCKER_HOST=${process.env['DOCKER_HOST'] ?? 'unset'}): ${(engine.stderr || String(engine.error)).trim()}; start Docker, or point DOCKER_HOST at a running engine`,
    );
  }
}

/** `docker <args>`'s stdout, trimmed; a failure throws with its stderr. */
export function docker(...args: string[]): string {
  const result = spawnSync('docker', args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `docker ${args.join(' ')} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`,
    );
  }
  return result.stdout.trim();
}

/** Polls `probe` until it gives a value, for at most UP_WITHIN_MS. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + UP_WITHIN_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what} after ${UP_WITHIN_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
