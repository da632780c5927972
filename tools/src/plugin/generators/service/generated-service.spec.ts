// The service generator end to end: run for real in a throwaway copy of this workspace, the new
// service then passes every check Nx runs on hello-world and its bundle serves on a real socket;
// its deployment project synthesizes the service's own stacks, and the plugin gives both projects
// their deploy, operations and container targets. Slow by nature (one real Nx run of each target),
// so the copy is made once and the tests run in order on it. The image itself is built and run by
// generated-service.container-spec.ts, under the container tests (it needs an engine).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTempWorkspace, type TempWorkspace } from '../../../affected/temp-workspace';

const GENERATE_TIMEOUT_MS = 120_000;
const CHECKS_TIMEOUT_MS = 300_000;
const SYNTH_TIMEOUT_MS = 240_000;
const SHOW_TIMEOUT_MS = 120_000;

const WORKSPACE = join(__dirname, '..', '..', '..', '..', '..');

let ws: TempWorkspace;

beforeAll(() => {
  // GIVEN a copy of this workspace in which the generator really ran
  ws = createTempWorkspace(WORKSPACE);
  ws.nx('g', '@hello-world/tools:service', 'greeter', '--port=49010', '--no-interactive');
  // AND the two new workspace packages linked, as `npm install` would (only inside the copy)
  ws.linkPackage('@hello-world/greeter', 'apps/greeter');
  ws.linkPackage('@hello-world/greeter-infra', 'apps/greeter-infra');
}, GENERATE_TIMEOUT_MS);

afterAll(() => ws?.remove());

const readJsonIn = (path: string) => JSON.parse(readFileSync(join(ws.root, path), 'utf8'));

/** Runs Nx; a failure shows the end of Nx's output, which names the failing task and why. */
function nxOk(...args: string[]): void {
  const { status, output } = ws.nxResult(...args);
  if (status !== 0)
    throw new Error(`nx ${args.join(' ')} exited ${status}:\n${output.slice(-8000)}`);
}

/** The targets Nx resolves for a project, with what it says each depends on. */
function showProject(name: string): {
  implicitDependencies?: string[];
  targets: Record<string, { dependsOn?: unknown[] }>;
} {
  return JSON.parse(ws.nx('show', 'project', name, '--json'));
}

/** The stacks of a cloud assembly: name -> template. */
function synthesizedStacks(assembly: string): Record<string, CfnTemplate> {
  const manifest = JSON.parse(readFileSync(join(assembly, 'manifest.json'), 'utf8')) as {
    artifacts: Record<
      string,
      { type: string; properties?: { stackName?: string; templateFile: string } }
    >;
  };
  return Object.fromEntries(
    Object.entries(manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([id, artifact]) => [
        artifact.properties?.stackName ?? id,
        JSON.parse(
          readFileSync(join(assembly, artifact.properties?.templateFile ?? ''), 'utf8'),
        ) as CfnTemplate,
      ]),
  );
}

interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

function resourcesOf(template: CfnTemplate | undefined, type: string) {
  return Object.values(template?.Resources ?? {}).filter((resource) => resource.Type === type);
}

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

describe('nx g @hello-world/tools:service greeter --port=49010 (real Nx, throwaway workspace)', () => {
  it(
    'GIVEN the generated projects WHEN read THEN greeter-infra deploys greeter on 49010 and both are commit scopes',
    () => {
      // THEN the deployment project names the service and its port, for libs/fargate's app
      expect(readJsonIn('apps/greeter-infra/cdk.json')).toMatchObject({
        app: readJsonIn('apps/infra/cdk.json').app,
        output: '../../dist/apps/greeter-infra/cdk.out',
        context: { service: 'greeter', port: 49010 },
      });
      expect(readJsonIn('apps/greeter-infra/package.json')).toMatchObject({
        name: '@hello-world/greeter-infra',
        dependencies: { '@hello-world/fargate': '*' },
        nx: { name: 'greeter-infra', implicitDependencies: ['greeter'] },
      });
      expect(existsSync(join(ws.root, 'apps/infra/services.json'))).toBe(false);
      // AND both packages resolve from the copy, to the copy's directories
      for (const [name, dir] of [
        ['@hello-world/greeter', 'apps/greeter'],
        ['@hello-world/greeter-infra', 'apps/greeter-infra'],
      ] as const) {
        // Node's own resolution from the copy's root, not Jest's module registry
        const resolved = createRequire(join(ws.root, 'package.json')).resolve(
          `${name}/package.json`,
        );
        expect(realpathSync(resolved)).toBe(realpathSync(join(ws.root, dir, 'package.json')));
      }
      // AND both are commit scopes, in commitlint's list and the guide's sentence alike
      const scopes = commitScopes(ws.root);
      expect(scopes.commitlint).toEqual(expect.arrayContaining(['greeter', 'greeter-infra']));
      expect(scopes.guide).toEqual(scopes.commitlint);
    },
    GENERATE_TIMEOUT_MS,
  );

  it(
    'GIVEN greeter WHEN Nx lints, typechecks, tests and builds it THEN all pass and the bundle serves',
    async () => {
      // WHEN Nx checks that the workspace needs no `nx sync` (the root tsconfig references the
      // project), then runs every check on the new project
      nxOk('sync:check');
      nxOk(
        'run-many',
        '-t',
        'lint',
        'typecheck',
        'test',
        'build',
        '-p',
        'greeter',
        // One task at a time: greeter's own specs time real sockets and child processes
        '--parallel=1',
        '--skip-nx-cache',
        '--output-style=static',
      );

      // THEN the bundle starts, answers with its own name and its health, and exits 0 on SIGTERM
      const main = join(ws.root, 'dist/apps/greeter/main.js');
      expect(existsSync(join(ws.root, 'dist/apps/greeter/healthcheck.js'))).toBe(true);
      expect(await askBundle(main)).toEqual({
        root: 'greeter',
        health: expect.objectContaining({ status: 'ok' }),
        exitCode: 0,
      });
    },
    CHECKS_TIMEOUT_MS,
  );

  it(
    "GIVEN greeter-infra WHEN Nx synthesizes it THEN the assembly holds greeter's own two stacks, on port 49010",
    () => {
      // WHEN the plugin's synth target runs in the deployment project
      nxOk('run', 'greeter-infra:synth', '--skip-nx-cache', '--output-style=static');

      // THEN its own output directory holds greeter's service and registry stacks, no others
      const assembly = join(ws.root, 'dist/apps/greeter-infra/cdk.out');
      const stacks = synthesizedStacks(assembly);
      expect(Object.keys(stacks).sort()).toEqual([
        'greeter-ecr-ecs-fargate',
        'greeter-ecr-ecs-fargate-registry',
      ]);
      // AND the task's container listens on greeter's port, which the security group opens
      const service = stacks['greeter-ecr-ecs-fargate'];
      const [taskDefinition] = resourcesOf(service, 'AWS::ECS::TaskDefinition');
      const containers = taskDefinition?.Properties?.['ContainerDefinitions'] as Array<{
        PortMappings: Array<{ ContainerPort: number }>;
      }>;
      expect(containers.map((c) => c.PortMappings.map((m) => m.ContainerPort))).toEqual([[49010]]);
      expect(JSON.stringify(service)).not.toContain('49000');
      // AND the registry stack's repository is greeter's
      const [repository] = resourcesOf(
        stacks['greeter-ecr-ecs-fargate-registry'],
        'AWS::ECR::Repository',
      );
      expect(repository?.Properties?.['RepositoryName']).toBe('greeter-ecr-ecs-fargate');
      // AND hello-world's assembly was not written by this synth
      expect(readdirSync(join(ws.root, 'dist/apps'))).not.toContain('infra');
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'GIVEN both projects WHEN Nx shows them THEN the plugin gave greeter-infra the deploy and operations targets and greeter the container targets',
    () => {
      const deployment = showProject('greeter-infra');
      expect(Object.keys(deployment.targets)).toEqual(
        expect.arrayContaining([
          'synth',
          'diff',
          'deploy',
          'deploy-registry',
          'deploy-ci',
          'status',
          'url',
          'logs',
          'redeploy',
          'doctor',
          'outputs',
          'destroy',
          'diagram',
          'cost',
        ]),
      );
      // AND deploy pushes greeter's image first, which first deploys greeter-infra's registry
      expect(deployment.targets['deploy']?.dependsOn).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ projects: ['greeter'], target: 'docker-push' }),
        ]),
      );
      expect(deployment.implicitDependencies).toContain('greeter');

      const app = showProject('greeter');
      expect(Object.keys(app.targets)).toEqual(
        expect.arrayContaining(['build', 'docker-build', 'docker-push', 'container-test']),
      );
      expect(app.targets['docker-push']?.dependsOn).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ projects: ['greeter-infra'], target: 'deploy-registry' }),
        ]),
      );
    },
    SHOW_TIMEOUT_MS,
  );
});
