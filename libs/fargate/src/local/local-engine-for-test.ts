// What the local target's container specs share: `nx run infra:<target>:local` as a user types
// it, the docker CLI, and a free port. Not part of the library's behaviour.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export const workspaceRoot = join(__dirname, '..', '..', '..', '..');

export interface NxRun {
  status: number | null;
  output: string;
}

function nxBin(): string {
  const packageJson = require.resolve('nx/package.json');
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: { nx: string } };
  return join(dirname(packageJson), bin.nx);
}

/**
 * `nx run infra:<target>:local ARGS`, with `env` on top of this process's environment less an
 * outer Nx run's task variables and the names in `unset` (a caller's DEPLOY_ENV, say).
 */
export function runLocalTarget(
  target: string,
  args: readonly string[],
  options: { env?: Record<string, string>; unset?: readonly string[] } = {},
): NxRun {
  const unset = options.unset ?? [];
  const inherited = Object.entries(process.env).filter(
    ([k]) => !k.startsWith('NX_') && !unset.includes(k),
  );
  const result = spawnSync(
    process.execPath,
    [nxBin(), 'run', `infra:${target}:local`, '--output-style=stream', ...args],
    {
      cwd: workspaceRoot,
      env: {
        ...Object.fromEntries(inherited),
        NX_DAEMON: 'false',
        FORCE_COLOR: '0',
        ...options.env,
      },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function docker(...args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync('docker', args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout.trim() };
}

/** A port nothing listens on right now (tests must not assume 49000 is free). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
