// What `nx affected -t deploy` runs for each kind of commit (and with a second service), asked of Nx itself in a throwaway
// copy of this workspace (a real git repository, real project graph, real task graph). Slow by
// nature: each case computes the project graph from scratch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nxBin, readWorkspaceImageSource } from '@hello-world/image';
import { createTempWorkspace, withoutNxEnv, type TempWorkspace } from './temp-workspace';

const NX_CASE_TIMEOUT_MS = 240_000;

interface TaskGraphFile {
  graph: { dependencies: Record<string, { source: string; target: string; type: string }[]> };
  tasks: { tasks: Record<string, unknown>; dependencies: Record<string, string[]> };
}

let ws: TempWorkspace;
let savedEnv: NodeJS.ProcessEnv;
let baseTag: string;
/** Where Nx writes the graphs it is asked for: outside the copy, so no commit or checkout meets them. */
let graphDir: string;

/**
 * The projects a commit affects, the deploy tasks it would run, and what the continuous deploy
 * workflow's publish job asks Nx to decide whether to deploy at all (deploy.yml, "What to deploy").
 */
function affected(): { projects: string[]; graph: TaskGraphFile; deployable: string[] } {
  const range = ['--base=HEAD~1', '--head=HEAD'];
  const projects = JSON.parse(
    ws.nx('show', 'projects', '--affected', ...range, '--json'),
  ) as string[];
  const file = join(graphDir, 'deploy-task-graph.json');
  ws.nx('affected', '--targets=deploy', ...range, `--graph=${file}`);
  const graph = JSON.parse(readFileSync(file, 'utf8')) as TaskGraphFile;
  const deployable = ws
    .nx('show', 'projects', '--affected', '--withTarget=deploy', ...range)
    .split('\n')
    .filter(Boolean);
  return { projects: projects.sort(), graph, deployable };
}

/** The deploy chain as Nx tasks, each once: what `nx run infra:deploy` (or affected) runs. */
const DEPLOY_CHAIN = {
  'infra:deploy': ['infra:synth', 'hello-world:docker-push'],
  'hello-world:docker-push': ['hello-world:build', 'infra:deploy-registry'],
  'infra:deploy-registry': ['infra:synth'],
  'infra:synth': [],
  'hello-world:build': [],
};

function expectDeployChain(graph: TaskGraphFile): void {
  expect(Object.keys(graph.tasks.tasks).sort()).toEqual(Object.keys(DEPLOY_CHAIN).sort());
  for (const [task, dependencies] of Object.entries(DEPLOY_CHAIN)) {
    expect([task, [...(graph.tasks.dependencies[task] ?? [])].sort()]).toEqual([
      task,
      [...dependencies].sort(),
    ]);
  }
}

function imageTagAtHead(): string {
  // The tag docker-build and docker-push compute, from committed inputs only.
  return readWorkspaceImageSource(ws.root, { allowDirty: false }).tags[0]?.name ?? '';
}

beforeAll(() => {
  // The image source runs Nx with process.env: keep an outer Nx run's NX_* out of the copy.
  savedEnv = process.env;
  process.env = withoutNxEnv(process.env);
  ws = createTempWorkspace(join(__dirname, '..', '..', '..'));
  graphDir = mkdtempSync(join(tmpdir(), 'affected-graphs-'));
  baseTag = imageTagAtHead();
}, NX_CASE_TIMEOUT_MS);

afterAll(() => {
  process.env = savedEnv;
  if (graphDir) rmSync(graphDir, { recursive: true, force: true });
  ws?.remove();
});

describe('nx affected -t deploy', () => {
  it(
    'builds and pushes a new image and deploys the service when the app source changes',
    () => {
      // GIVEN a commit that changes only the app's source
      ws.commitChange('app-change', {
        'apps/hello-world/src/main.ts': '// affected-spec: app change',
      });
      // WHEN Nx is asked what it affects
      const { projects, graph, deployable } = affected();
      // THEN the app and the infra that runs it are affected
      expect(projects).toEqual(expect.arrayContaining(['hello-world', 'infra']));
      // AND the workflow's publish job deploys (infra is the project with a deploy target)
      expect(deployable).toEqual(['infra']);
      // AND the graph shows the whole path as tasks, each once: the bundle, the registry stack,
      // the push of the new image, then the service stack
      expectDeployChain(graph);
      // AND the image gets a new tag, named after this commit
      const head = ws.git('rev-parse', '--short', 'HEAD').trim();
      expect(imageTagAtHead()).toBe(`sha-${head}-ecr-ecs-fargate`);
      expect(baseTag).not.toBe(`sha-${head}-ecr-ecs-fargate`);
    },
    NX_CASE_TIMEOUT_MS,
  );

  it(
    'deploys the stacks with the same image when only infra changes',
    () => {
      // GIVEN a commit that changes only the infrastructure code (libs/fargate)
      ws.commitChange('infra-change', {
        'libs/fargate/src/app.ts': '// affected-spec: infra change',
      });
      // WHEN Nx is asked what it affects
      const { projects, graph, deployable } = affected();
      // THEN the library and the deployment that uses it are affected, not the app: it is
      // not rebuilt
      expect(projects).toEqual(['fargate', 'infra']);
      // AND the same chain runs: docker-push finds the tag in the registry and pushes nothing
      expectDeployChain(graph);
      expect(deployable).toEqual(['infra']);
      // AND the image tag is the base commit's, so docker-push finds it in the registry and skips
      expect(imageTagAtHead()).toBe(baseTag);
    },
    NX_CASE_TIMEOUT_MS,
  );

  it(
    'runs nothing when only the README and docs change',
    () => {
      // GIVEN a commit that touches only documentation
      ws.commitChange('docs-change', {
        'README.md': '<!-- affected-spec: docs change -->',
        'docs/affected-spec.md': 'docs change',
      });
      // WHEN Nx is asked what it affects
      const { projects, graph, deployable } = affected();
      // THEN no project and no task: the workflow's publish job stops before any AWS step
      expect(projects).toEqual([]);
      expect(graph.tasks.tasks).toEqual({});
      expect(deployable).toEqual([]);
    },
    NX_CASE_TIMEOUT_MS,
  );

  it(
    'shows in the project graph the edge that carries an app change to infra',
    () => {
      // GIVEN the base commit WHEN its graph is drawn THEN infra depends on hello-world
      const file = join(graphDir, 'project-graph.json');
      ws.git('checkout', '--quiet', 'base');
      ws.nx('graph', `--file=${file}`);
      const graph = JSON.parse(readFileSync(file, 'utf8')) as TaskGraphFile;
      expect(graph.graph.dependencies['infra']).toContainEqual(
        expect.objectContaining({ source: 'infra', target: 'hello-world' }),
      );
    },
    NX_CASE_TIMEOUT_MS,
  );
});

describe('nx run infra:deploy: the task graph', () => {
  it(
    'holds the registry stack and the image push as tasks of their own, in order, each once',
    () => {
      // GIVEN the base commit WHEN Nx is asked for the deploy's task graph
      ws.git('checkout', '--quiet', 'base');
      const file = join(graphDir, 'run-deploy-graph.json');
      ws.nx('run', 'infra:deploy', `--graph=${file}`);
      // THEN it is infra:synth → infra:deploy-registry → hello-world:docker-push → infra:deploy,
      // with hello-world:build before the push
      expectDeployChain(JSON.parse(readFileSync(file, 'utf8')) as TaskGraphFile);
    },
    NX_CASE_TIMEOUT_MS,
  );
});

describe('--profile and AWS_PROFILE reach every step of the chain', () => {
  // An AWS configuration that knows no profile, and no other way to credentials.
  let awsDir: string;
  const awsEnv = () => {
    const env: NodeJS.ProcessEnv = {
      ...withoutNxEnv(savedEnv),
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
      FORCE_COLOR: '0',
      AWS_CONFIG_FILE: join(awsDir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'eu-west-1',
    };
    for (const key of [
      'AWS_PROFILE',
      'AWS_DEFAULT_PROFILE',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'IMAGE_REGISTRY',
    ]) {
      delete env[key];
    }
    return env;
  };
  const nxRun = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    // Nx's own flags before the `--` that starts the task's options.
    const at = args.indexOf('--');
    const nxArgs =
      at === -1
        ? [...args, '--output-style=stream']
        : [...args.slice(0, at), '--output-style=stream', ...args.slice(at)];
    const result = spawnSync(process.execPath, [nxBin(), ...nxArgs], {
      cwd: ws.root,
      env: { ...awsEnv(), ...extraEnv },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  beforeAll(() => {
    awsDir = mkdtempSync(join(tmpdir(), 'aws-empty-'));
    writeFileSync(join(awsDir, 'config'), '');
    writeFileSync(join(awsDir, 'credentials'), '');
    ws.git('checkout', '--quiet', 'base');
  });
  afterAll(() => rmSync(awsDir, { recursive: true, force: true }));

  it(
    'GIVEN docker-push -- --profile=nosuch THEN infra:deploy-registry, which Nx runs first, names that profile',
    () => {
      const run = nxRun(['run', 'hello-world:docker-push', '--', '--profile=nosuch']);
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(
        'infra:deploy-registry: AWS profile "nosuch" not found or has no credentials',
      );
      expect(run.output).not.toMatch(/no AWS credentials found/);
    },
    NX_CASE_TIMEOUT_MS,
  );

  it(
    'GIVEN AWS_PROFILE=nosuch THEN the first step names that profile too',
    () => {
      const run = nxRun(['run', 'hello-world:docker-push'], { AWS_PROFILE: 'nosuch' });
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(
        'infra:deploy-registry: AWS profile "nosuch" not found or has no credentials',
      );
    },
    NX_CASE_TIMEOUT_MS,
  );

  it(
    'GIVEN infra:deploy with every deploy option THEN each step accepts them, and the first names the profile',
    () => {
      const run = nxRun([
        'run',
        'infra:deploy',
        '--',
        '--profile=nosuch',
        '--allowed-ip=203.0.113.7/32',
        '--timeout=5m',
        '--json',
      ]);
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(
        'infra:deploy-registry: AWS profile "nosuch" not found or has no credentials',
      );
      expect(run.output).not.toMatch(/Unknown option/);
    },
    NX_CASE_TIMEOUT_MS,
  );

  it(
    "GIVEN CI's deploy (--exclude-task-dependencies -- --service-only) THEN only infra:deploy runs, neither the registry stack nor the push",
    () => {
      const run = nxRun([
        'run-many',
        '-t',
        'deploy',
        '--exclude-task-dependencies',
        '--',
        '--service-only',
        '--image-tag=sha-1a2b3c4-ecr-ecs-fargate',
        '--json',
      ]);
      // It fails (no credentials here) in deploy itself, the only task run
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('nx run infra:deploy ');
      expect(run.output).not.toMatch(
        /nx run (infra:deploy-registry|hello-world:docker-push|infra:synth)/,
      );
      expect(run.output).toMatch(/^(?:infra: )?infra:deploy: no AWS credentials found/m);
    },
    NX_CASE_TIMEOUT_MS,
  );
});

describe('nx affected -t deploy with a second service', () => {
  /** The deploy tasks' projects in an affected task graph, sorted. */
  const deployTasks = (graph: TaskGraphFile) =>
    Object.keys(graph.tasks.tasks)
      .filter((task) => /:(deploy|docker-push|deploy-registry)$/.test(task))
      .sort();

  beforeAll(() => {
    // GIVEN the workspace with a generated second service, greeter, and its deployment project,
    // committed as the new base (this block runs last: the earlier cases keep the old base)
    ws.git('checkout', '--quiet', 'base');
    ws.nx('g', '@hello-world/tools:service', 'greeter', '--port=49010', '--no-interactive');
    ws.linkPackage('@hello-world/greeter', 'apps/greeter');
    ws.linkPackage('@hello-world/greeter-infra', 'apps/greeter-infra');
    ws.git('add', '--all');
    // (on branch base: the commit moves base itself)
    ws.git('commit', '--quiet', '--message', 'feat(greeter): generated');
  }, NX_CASE_TIMEOUT_MS);

  it(
    "builds and deploys only greeter when only greeter's code changes",
    () => {
      // GIVEN a commit that changes only greeter's source
      ws.commitChange('greeter-change', {
        'apps/greeter/src/main.ts': '// affected-spec: greeter change',
      });
      // WHEN Nx is asked what it affects
      const { projects, graph, deployable } = affected();
      // THEN greeter and its deployment, and nothing of hello-world
      expect(projects).toEqual(['greeter', 'greeter-infra']);
      expect(deployable).toEqual(['greeter-infra']);
      expect(deployTasks(graph)).toEqual([
        'greeter-infra:deploy',
        'greeter-infra:deploy-registry',
        'greeter:docker-push',
      ]);
    },
    NX_CASE_TIMEOUT_MS,
  );

  it(
    "builds and deploys only hello-world when only hello-world's code changes",
    () => {
      // GIVEN a commit that changes only hello-world's source
      ws.commitChange('hello-change', {
        'apps/hello-world/src/main.ts': '// affected-spec: hello-world change',
      });
      // WHEN Nx is asked what it affects
      const { graph, deployable } = affected();
      // THEN only hello-world's chain runs: greeter is neither rebuilt nor deployed
      expect(deployable).toEqual(['infra']);
      expect(deployTasks(graph)).toEqual([
        'hello-world:docker-push',
        'infra:deploy',
        'infra:deploy-registry',
      ]);
    },
    NX_CASE_TIMEOUT_MS,
  );

  it(
    'deploys both when the infrastructure code they share changes',
    () => {
      // GIVEN a commit that changes only libs/fargate
      ws.commitChange('shared-infra-change', {
        'libs/fargate/src/app.ts': '// affected-spec: shared infra change',
      });
      // WHEN Nx is asked what it affects
      const { deployable } = affected();
      // THEN both deployments update their stacks (each with its unchanged image)
      expect(deployable).toEqual(['greeter-infra', 'infra']);
    },
    NX_CASE_TIMEOUT_MS,
  );
});
