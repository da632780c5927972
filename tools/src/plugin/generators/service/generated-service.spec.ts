// The service generator end to end: run for real in a throwaway copy of this workspace, the new
// project then passes every check Nx runs on hello-world, and its bundle serves on a real socket.
// Slow by nature (one real Nx run of each target), so it is one test.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTempWorkspace, type TempWorkspace } from '../../../affected/temp-workspace';

const END_TO_END_TIMEOUT_MS = 300_000;

let ws: TempWorkspace | undefined;

afterAll(() => ws?.remove());

/** The scopes commitlint accepts and the ones CONTRIBUTING lists, read as docs-consistency does. */
function commitScopes(root: string): { commitlint: string[]; guide: string[] } {
  const config = require(join(root, 'commitlint.config.cjs')) as {
    rules: { 'scope-enum': [number, string, string[]] };
  };
  const guide = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');
  const paragraph = /^Scopes are [\s\S]*?(?=\n\n)/m.exec(guide)?.[0] ?? '';
  return {
    commitlint: config.rules['scope-enum'][2],
    guide: [...(paragraph.split('For example')[0] ?? '').matchAll(/`([^`]+)`/g)].map(
      (m) => m[1] ?? '',
    ),
  };
}

/** A port that was free a moment ago (the OS picks it). */
async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the bundle, waits for its "listening" line, and returns GET / and GET /health. */
async function askBundle(
  main: string,
): Promise<{ root: string; health: { status: string }; exitCode: number | null }> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [main, '-b', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    for (let i = 0; i < 200 && !output.includes('"msg":"listening"'); i++) {
      if (child.exitCode !== null) throw new Error(`the bundle exited early: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const root = await fetch(`http://127.0.0.1:${port}/`).then((res) => res.text());
    const health = (await fetch(`http://127.0.0.1:${port}/health`).then((res) => res.json())) as {
      status: string;
    };
    return { root, health, exitCode: await stop() };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }

  function stop(): Promise<number | null> {
    child.kill('SIGTERM');
    return exited;
  }
}

describe('nx g @hello-world/tools:service (real Nx, throwaway workspace)', () => {
  it(
    'GIVEN a generated greeter WHEN Nx lints, typechecks, tests and builds it THEN all pass and the bundle serves',
    async () => {
      // GIVEN a copy of this workspace in which the generator really ran
      ws = createTempWorkspace(join(__dirname, '..', '..', '..', '..', '..'));
      ws.nx('g', '@hello-world/tools:service', 'greeter', '--port=49010', '--no-interactive');
      const services = JSON.parse(readFileSync(join(ws.root, 'apps/infra/services.json'), 'utf8'));
      expect(services.services).toContainEqual({ name: 'greeter', port: 49010 });
      // AND it is a commit scope, in commitlint's list and the guide's sentence alike
      const scopes = commitScopes(ws.root);
      expect(scopes.commitlint).toContain('greeter');
      expect(scopes.guide).toEqual(scopes.commitlint);

      // WHEN Nx checks that the workspace needs no `nx sync` (the root tsconfig references the
      // project), then runs every check on the new project
      expect(ws.nxResult('sync:check')).toMatchObject({ status: 0 });
      const checks = ws.nxResult(
        'run-many',
        '-t',
        'lint',
        'typecheck',
        'test',
        'build',
        '-p',
        'greeter',
        '--skip-nx-cache',
        '--output-style=static',
      );
      // On failure the diff shows Nx's whole output, which names the failing task and why.
      expect(checks).toMatchObject({ status: 0 });

      // THEN the bundle starts, answers with its own name and its health, and exits 0 on SIGTERM
      const main = join(ws.root, 'dist/apps/greeter/main.js');
      expect(existsSync(join(ws.root, 'dist/apps/greeter/healthcheck.js'))).toBe(true);
      expect(await askBundle(main)).toEqual({
        root: 'greeter',
        health: expect.objectContaining({ status: 'ok' }),
        exitCode: 0,
      });
    },
    END_TO_END_TIMEOUT_MS,
  );
});
