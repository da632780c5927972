// The executor @hello-world/tools:cli (tools/executors.json): runs one of the workspace's CLIs
// with the command line after `--`, unchanged. The deployment targets the workspace plugin infers
// use it instead of nx:run-commands, whose schema owns an `env` option (an object of environment
// variables): Nx refuses `-- --env=staging` against it before any command runs, and run-commands
// would drop --env (and --cwd, --verbose, --color, …) from the forwarded arguments anyway. Here
// `env` is the deployment environment, a string, and every argument reaches the CLI.
//
// Nx merges the options typed after `--` into the executor's own, so an option of the executor
// named like a CLI's (exec's --command, a --cwd) would be replaced by it and never reach the CLI.
// Hence cliCommand, cliCwd and cliForwardArgs; only env is shared with the CLIs, on purpose.
//
// One file on purpose, like the plugin: Nx loads it under Node's type stripping, which resolves
// no extensionless relative import. The pure part (the command line) comes first, then the thin
// shell that spawns it.

import type { ExecutorContext } from '@nx/devkit';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import { constants } from 'node:os';

export interface CliExecutorOptions {
  /** The command, run by the shell, e.g. `tsx ../../libs/fargate/src/ops/main.ts status`. */
  cliCommand: string;
  /** Relative to the workspace root, or absolute; default: the workspace root. */
  cliCwd?: string;
  /** The deployment environment; Nx fills it from `--env=NAME` after `--`. */
  env?: string;
  /** false: run the command exactly as configured (the :local no-op echoes). */
  cliForwardArgs?: boolean;
  /** The command line after `--` as typed, filled by Nx ($default $source unparsed). */
  __unparsed__?: string[];
}

// ---------------------------------------------------------------------------------------------
// The command line (pure)
// ---------------------------------------------------------------------------------------------

/** Whether `args` already name the environment: `--env=NAME` or `--env NAME`. */
export function namesEnvironment(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--env' || arg.startsWith('--env='));
}

/**
 * The arguments the CLI gets: the command line after `--` as typed, and `--env=NAME` when the
 * environment came from the target's options (a configuration, or Nx's own parse) rather than
 * the command line. None when the target says cliForwardArgs: false.
 */
export function forwardedArgs(options: CliExecutorOptions): string[] {
  if (options.cliForwardArgs === false) return [];
  const args = [...(options.__unparsed__ ?? [])];
  if (typeof options.env === 'string' && options.env !== '' && !namesEnvironment(args)) {
    args.push(`--env=${options.env}`);
  }
  return args;
}

/** One argument as the POSIX shell reads it back unchanged. */
export function quoteArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The shell command line: the configured command, then the forwarded arguments quoted. */
export function commandLine(options: CliExecutorOptions): string {
  const args = forwardedArgs(options);
  return args.length === 0
    ? options.cliCommand
    : `${options.cliCommand} ${args.map(quoteArg).join(' ')}`;
}

/** Where the command runs: cliCwd against the workspace root. */
export function resolveCwd(root: string, cwd: string | undefined): string {
  if (!cwd) return root;
  return isAbsolute(cwd) ? cwd : join(root, cwd);
}

/**
 * PATH with every node_modules/.bin from cwd up to the workspace root first, as npm scripts and
 * nx:run-commands see it, so `tsx` and `jest` resolve to the workspace's own.
 */
export function pathFor(cwd: string, root: string, path: string | undefined): string {
  const bins: string[] = [];
  let dir = cwd;
  for (;;) {
    const bin = join(dir, 'node_modules', '.bin');
    if (existsSync(bin)) bins.push(bin);
    const parent = dirname(dir);
    if (parent === dir || relative(root, dir) === '') break;
    dir = parent;
  }
  return [...bins, ...(path ? [path] : [])].join(delimiter);
}

/** The exit code of a child that ended with `code` or by `signal`, as a shell reports it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

// ---------------------------------------------------------------------------------------------
// Shell
// ---------------------------------------------------------------------------------------------

/** The signals passed on to the command, so Ctrl-C and Nx's own stop reach the CLI. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs the command line with the terminal's stdio (destroy's prompt reads it; deploy's progress
 * goes to stderr and its receipt to stdout) and resolves to its exit code.
 */
export function runCommandLine(line: string, cwd: string, root: string): Promise<number> {
  return new Promise((resolve) => {
    // Its own process group (as nx:run-commands does), so a signal reaches the command once, from
    // here, and the whole group: the shell, tsx and the CLI.
    const detached = process.platform !== 'win32';
    const child = spawn(line, {
      cwd,
      shell: true,
      stdio: 'inherit',
      detached,
      env: { ...process.env, PATH: pathFor(cwd, root, process.env['PATH']) },
    });
    const forward = (signal: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        if (detached) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone: its exit is on its way.
      }
    };
    const handlers = FORWARDED_SIGNALS.map((signal) => {
      const handler = () => forward(signal);
      process.on(signal, handler);
      return [signal, handler] as const;
    });
    const done = (code: number) => {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
      resolve(code);
    };
    child.on('error', (error) => {
      process.stderr.write(`cannot run ${line}: ${error.message}\n`);
      done(1);
    });
    child.on('close', (code, signal) => done(exitCodeOf(code, signal)));
  });
}

export default async function cliExecutor(
  options: CliExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const cwd = resolveCwd(context.root, options.cliCwd);
  const code = await runCommandLine(commandLine(options), cwd, context.root);
  return { success: code === 0 };
}
