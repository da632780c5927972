// What `nx affected -t deploy` runs for three kinds of commit, asked of Nx itself in a throwaway
// copy of this workspace (a real git repository, real project graph, real task graph). Slow by
// nature: each case computes the project graph from scratch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspaceImageSource } from '@hello-world/image';
import { createTempWorkspace, withoutNxEnv, type TempWorkspace } from './temp-workspace';

const NX_CASE_TIMEOUT_MS = 240_000;

interface TaskGraphFile {
  graph: { dependencies: Record<string, { source: string; target: string; type: string }[]> };
  tasks: { tasks: Record<string, unknown>; dependencies: Record<string, string[]> };
}

let ws: TempWorkspace;
let savedEnv: NodeJS.ProcessEnv;
let baseTag: string;

/**
 * The projects a commit affects, the deploy tasks it would run, and what the continuous deploy
 * workflow's publish job asks Nx to decide whether to deploy at all (deploy.yml, "What to deploy").
 */
function affected(): { projects: string[]; graph: TaskGraphFile; deployable: string[] } {
  const range = ['--base=HEAD~1', '--head=HEAD'];
  const projects = JSON.parse(
    ws.nx('show', 'projects', '--affected', ...range, '--json'),
  ) as string[];
  const file = join(ws.root, 'deploy-task-graph.json');
  ws.nx('affected', '--targets=deploy', ...range, `--graph=${file}`);
  const graph = JSON.parse(readFileSync(file, 'utf8')) as TaskGraphFile;
  const deployable = ws
    .nx('show', 'projects', '--affected', '--withTarget=deploy', ...range)
    .split('\n')
    .filter(Boolean);
  return { projects: projects.sort(), graph, deployable };
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
  baseTag = imageTagAtHead();
}, NX_CASE_TIMEOUT_MS);

afterAll(() => {
  process.env = savedEnv;
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
      // AND deploy runs after the app's bundle is rebuilt; it pushes the image itself, between
      // the registry and service stacks, so no separate push task runs the registry stack twice
      expect(graph.tasks.dependencies['infra:deploy']).toEqual(
        expect.arrayContaining(['infra:synth', 'hello-world:build']),
      );
      expect(Object.keys(graph.tasks.tasks)).not.toContain('hello-world:docker-push');
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
      expect(Object.keys(graph.tasks.tasks)).toContain('infra:deploy');
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
      const file = join(ws.root, 'project-graph.json');
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
