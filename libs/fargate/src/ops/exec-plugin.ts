// The shell side of `exec`: finding session-manager-plugin on PATH and running it on this
// terminal, as the AWS CLI does.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';

/** Whether `path` is a file this process may execute. */
function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first `name` on PATH that can be executed (on Windows, with the PATHEXT extensions), or
 * undefined.
 */
export function findOnPath(
  name: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
  isExecutable: (path: string) => boolean = isExecutableFile,
): string | undefined {
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(platform === 'win32' ? ';' : delimiter);
  const extensions =
    platform === 'win32' ? ['', ...(env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of dirs) {
    if (dir === '') continue;
    for (const extension of extensions) {
      const candidate = join(dir, `${name}${extension.toLowerCase()}`);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Ctrl-C, Ctrl-\ and Ctrl-Z belong to the session while it runs, as the AWS CLI leaves them. */
const SESSION_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTSTP'];

/**
 * Runs `file` with this terminal's stdio and resolves to its exit code (128 + signal number when
 * a signal ended it). The terminal's signals reach it directly (same process group); this process
 * ignores them meanwhile so that Ctrl-C interrupts the remote command, not the session.
 */
export function runInteractive(file: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const ignore = () => undefined;
    SESSION_SIGNALS.forEach((signal) => process.on(signal, ignore));
    const done = (code: number) => {
      SESSION_SIGNALS.forEach((signal) => process.removeListener(signal, ignore));
      resolve(code);
    };
    const child = spawn(file, [...args], { stdio: 'inherit' });
    child.on('error', (error) => {
      process.stderr.write(`cannot run ${file}: ${error.message}\n`);
      done(1);
    });
    child.on('close', (code, signal) =>
      done(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)),
    );
  });
}
