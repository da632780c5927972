import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workspaceRoot } from './workspace';

/** Nx's CLI script, found through its package.json so a moved bin file does not break us. */
export function nxBin(): string {
  const packageJson = require.resolve('nx/package.json');
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: { nx: string } };
  return join(dirname(packageJson), bin.nx);
}

/** Runs an Nx target the way a user would; returns its exit status and combined output. */
export function runNxTarget(
  target: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [nxBin(), 'run', target, ...args, '--output-style=stream'],
    {
      cwd: workspaceRoot,
      env: { ...env, NX_DAEMON: 'false', FORCE_COLOR: '0' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // Without colour codes, so callers can match lines (an outer Nx run forces colour on).
  return { status: result.status, output: stripAnsi(`${result.stdout}${result.stderr}`) };
}

/** The `image: <ref>` line docker-build ends with. */
export function parseBuiltImage(output: string): string | undefined {
  return /^(?:\S+: )?image: (\S+)$/m.exec(output)?.[1];
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
