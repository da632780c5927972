import { spawn, spawnSync } from 'node:child_process';
import { ImageError } from './image-error';

export interface RunOptions {
  cwd: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A command that could not start (`errno` set: a setup problem) or exited non-zero (a failed
 * operation). Keeps what the command printed, so callers can tell why (see docker.ts).
 */
export class CommandError extends ImageError {
  constructor(
    message: string,
    readonly command: string,
    readonly args: readonly string[],
    readonly output: string,
    readonly errno?: string,
  ) {
    super(message, errno ? 'environment' : 'failed');
  }
}

/** Runs a command and returns its stdout; a failure becomes one line with its stderr's last line. */
export function runCapture(command: string, args: readonly string[], options: RunOptions): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw notStarted(command, args, result.error);
  if (result.status !== 0) {
    const reason = lastLine(result.stderr) || lastLine(result.stdout) || `exit ${result.status}`;
    throw new CommandError(
      `${command} ${args.slice(0, 2).join(' ')} failed: ${reason}`,
      command,
      args,
      `${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  return result.stdout;
}

/**
 * Runs a command with its output shown as it comes (docker build and push take a while) and
 * returns the output too.
 */
export function runShown(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', (error) => reject(notStarted(command, args, error)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else
        reject(
          new CommandError(
            `${command} ${args.slice(0, 1).join(' ')} failed (exit ${code}): ${lastLine(output)}`,
            command,
            args,
            output,
          ),
        );
    });
  });
}

/** The command never ran: not installed, or not executable. */
function notStarted(command: string, args: readonly string[], error: Error): CommandError {
  const errno = (error as NodeJS.ErrnoException).code ?? 'ERROR';
  const next = errno === 'ENOENT' ? `: install ${command}, or put it on PATH` : '';
  return new CommandError(
    `cannot run ${command} (${error.message})${next}`,
    command,
    args,
    '',
    errno,
  );
}

function lastLine(text: string | null | undefined): string {
  return (text ?? '').trim().split('\n').at(-1)?.trim() ?? '';
}
