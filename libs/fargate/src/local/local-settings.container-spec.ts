// A configured variable and a secret reaching the app on the local engine, end to end: a copy of
// apps/infra's deployment whose settings add `variables: {"GREETING": …}` and `secrets:
// ["API_KEY"]`, synthesized by the real synth script, run by the real deploy:local (which builds
// the image with hello-world:docker-build), the secret's value from the copy's git-ignored
// .secrets/default.env. The copy lives in a temporary directory with its own assembly, so neither
// apps/infra's cdk.json nor its cdk.out is touched. Needs a container engine (Docker, or
// DOCKER_HOST); set BASE_IMAGE where Docker Hub is out of reach. Fails, never skips, without one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, freePort, workspaceRoot, type NxRun } from './local-engine-for-test';

const GREETING = 'Hello from the settings';
/** A made-up secret value: asserted inside the container, never printed. */
const API_KEY = `local-spec-${process.pid}-value`;
const container = `hello-world-local-settings-spec-${process.pid}`;

let deployment: string;
let port = 0;
let withoutSecret: NxRun;
/** Whether the refused deploy left a container behind (it must not). */
let containerAfterRefusal = false;
let deployed: NxRun;

/** `tsx <script> ARGS` in the copied deployment's directory, as its targets run there. */
function runScript(script: string, args: readonly string[]): NxRun {
  const inherited = Object.entries(process.env).filter(
    ([k]) => !k.startsWith('NX_') && !['DEPLOY_ENV', 'TASK_CPU', 'TASK_MEMORY_MIB'].includes(k),
  );
  const result = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), join(workspaceRoot, script), ...args],
    {
      cwd: deployment,
      env: { ...Object.fromEntries(inherited), NX_DAEMON: 'false', FORCE_COLOR: '0' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const deployLocal = () =>
  runScript('libs/fargate/src/local/main.ts', [
    'deploy',
    `--port=${port}`,
    `--name=${container}`,
    '--timeout=120',
  ]);

beforeAll(async () => {
  const engine = docker('version', '--format', '{{.Server.Version}}');
  if (engine.status !== 0) {
    throw new Error(
      `no container engine (DOCKER_HOST=${process.env['DOCKER_HOST'] ?? 'unset'}): start Docker, or point DOCKER_HOST at a running engine`,
    );
  }
  // GIVEN apps/infra's deployment, copied with a variable and a secret for the default environment
  deployment = mkdtempSync(join(tmpdir(), 'hello-world-settings-'));
  const cdkJson = JSON.parse(
    readFileSync(join(workspaceRoot, 'apps', 'infra', 'cdk.json'), 'utf8'),
  ) as {
    context: Record<string, unknown>;
  };
  writeFileSync(
    join(deployment, 'cdk.json'),
    JSON.stringify({
      ...cdkJson,
      app: `${join(workspaceRoot, 'node_modules', '.bin', 'tsx')} ${join(workspaceRoot, 'libs', 'fargate', 'bin', 'infra.ts')}`,
      output: join(deployment, 'cdk.out'),
      context: { ...cdkJson.context, variables: { GREETING }, secrets: ['API_KEY'] },
    }),
  );
  const synth = runScript('libs/fargate/bin/synth.ts', []);
  if (synth.status !== 0) throw new Error(`synth failed: ${synth.output.slice(-2000)}`);
  port = await freePort();
  // WHEN deploy:local runs before the secrets file exists
  withoutSecret = deployLocal();
  containerAfterRefusal = docker('container', 'inspect', container).status === 0;
  // AND again once .secrets/default.env holds the value
  mkdirSync(join(deployment, '.secrets'));
  writeFileSync(join(deployment, '.secrets', 'default.env'), `# local only\nAPI_KEY=${API_KEY}\n`);
  deployed = deployLocal();
});

afterAll(() => {
  docker('rm', '--force', container, `${container}-next`);
  if (deployment) rmSync(deployment, { recursive: true, force: true });
});

describe('deploy:local with variables and secrets in the settings', () => {
  it('GIVEN no secrets file THEN refuses in one line naming the file and the line to add, starting nothing', () => {
    expect(withoutSecret.status).toBe(2);
    expect(withoutSecret.output).toMatch(
      /: the task definition has secrets \(API_KEY\) and deploy:local takes their values from .*\.secrets\/default\.env, which does not exist: create it with a line API_KEY=VALUE for each \(it is git-ignored\)\n$/,
    );
    expect(containerAfterRefusal).toBe(false);
  });

  it('GIVEN the file THEN deploys and prints the URL, and no secret value', () => {
    expect({ status: deployed.status, tail: deployed.output.slice(-2000) }).toEqual(
      expect.objectContaining({ status: 0 }),
    );
    expect(deployed.output).toMatch(new RegExp(`^http://localhost:${port}$`, 'm'));
    expect(deployed.output.includes(API_KEY)).toBe(false);
  });

  it('answers GET / with the configured GREETING', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(GREETING);
  });

  it("gives the app the secret's value from the file in its environment", () => {
    // Compared inside the container: the value never reaches this process's output.
    const check = docker(
      'exec',
      container,
      'node',
      '-e',
      `process.stdout.write(String(process.env.API_KEY === ${JSON.stringify(API_KEY)}))`,
    );
    expect(check).toEqual({ status: 0, stdout: 'true' });
  });
});
