import { spawn } from 'node:child_process';

/** How long a child gets to exit after SIGTERM before it is killed. */
const KILL_GRACE_MS = 10_000;

/**
 * Runs a child (the CDK CLI) with its output on stderr, so stdout carries only the receipt, and
 * answers its exit code and what it printed. Aborting `signal` (a --timeout, Ctrl-C) ends it:
 * SIGTERM, then SIGKILL if it lingers.
 */
export function runToStderr(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<{ code: number; output: string }> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    const stop = () => {
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), KILL_GRACE_MS).unref();
    };
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    child.on('exit', () => signal?.removeEventListener('abort', stop));
    let output = '';
    const forward = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
