import type { TargetConfiguration } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  createNodesFor,
  createNodesV2,
  LOCAL_COMMANDS_FILE,
  OPS_COMMANDS_FILE,
  PLUGIN_GLOB,
} from './plugin';

const WORKSPACE = join(__dirname, '..', '..', '..');

/** The files under apps/ the plugin's glob matches, as Nx would hand them over. */
function matchedFiles(workspaceRoot: string): string[] {
  return (readdirSync(join(workspaceRoot, 'apps'), { recursive: true }) as string[])
    .map((path) => `apps/${path.split('\\').join('/')}`)
    .filter((path) => !path.includes('/node_modules/'))
    .filter((path) => /\/(Dockerfile|cdk\.json)$/.test(path))
    .sort();
}

type Inferred = {
  targets?: Record<string, TargetConfiguration>;
  projectType?: string;
  implicitDependencies?: string[];
};

/** Every project the plugin infers for the workspace, by root, both files' results merged. */
function inferredByRoot(workspaceRoot: string): Record<string, Inferred> {
  const byRoot: Record<string, Inferred> = {};
  for (const [, result] of createNodesFor(matchedFiles(workspaceRoot), workspaceRoot)) {
    for (const [root, project] of Object.entries(result.projects ?? {})) {
      const into = (byRoot[root] ??= { targets: {} });
      Object.assign(into.targets as object, project.targets);
      if (project.projectType) into.projectType = project.projectType;
      if (project.implicitDependencies) into.implicitDependencies = project.implicitDependencies;
    }
  }
  return byRoot;
}

/**
 * What deleting the hand-written copy would leave: the inferred target without what the plugin
 * adds on top (its technologies marker, and a description where the hand-written one had none).
 */
function asHandWritten(inferred: TargetConfiguration, handWritten: TargetConfiguration) {
  const { metadata, ...rest } = inferred;
  if (!handWritten.metadata) return rest;
  const ownMetadata = { ...metadata };
  delete ownMetadata['technologies'];
  delete ownMetadata['inferredBy'];
  return { ...rest, metadata: ownMetadata };
}

/** Nx hands its tasks NX_* variables naming the outer workspace; an inner Nx must not see them. */
function withoutNx(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('NX_')));
}

function readJson(path: string) {
  return JSON.parse(readFileSync(join(WORKSPACE, path), 'utf8'));
}

describe('the plugin on this workspace, against the hand-written targets (read now, from disk)', () => {
  const inferred = inferredByRoot(WORKSPACE);
  const cases = [
    {
      project: 'hello-world',
      root: 'apps/hello-world',
      file: 'apps/hello-world/package.json',
      nx: true,
      // The app's own target, not the plugin's: the esbuild bundle.
      own: ['build'],
    },
    { project: 'infra', root: 'apps/infra', file: 'apps/infra/project.json', nx: false, own: [] },
  ];

  /** The hand-written targets in the file, as they stand on disk now. */
  function handWrittenIn(file: string, nx: boolean): Record<string, TargetConfiguration> {
    const json = readJson(file);
    return ((nx ? json.nx : json)?.targets ?? {}) as Record<string, TargetConfiguration>;
  }

  // Until the hand-written copies are removed, they win over the plugin's: each must equal it,
  // so removing them changes nothing. Once removed, nothing is left here to differ.
  it.each(cases)(
    'GIVEN $file THEN each target hand-written there that the plugin infers equals the inferred one',
    ({ root, file, nx }) => {
      const handWritten = handWrittenIn(file, nx);
      const targets = inferred[root]?.targets ?? {};
      const both = Object.keys(handWritten).filter((name) => name in targets);
      expect(
        Object.fromEntries(
          both.map((name) => [
            name,
            asHandWritten(targets[name] as TargetConfiguration, handWritten[name] ?? {}),
          ]),
        ),
      ).toEqual(Object.fromEntries(both.map((name) => [name, handWritten[name]])));
    },
  );

  it.each(cases)(
    'GIVEN $file THEN the plugin infers every container and deployment target written there, so each can be removed',
    ({ root, file, nx, own }) => {
      const notInferred = Object.keys(handWrittenIn(file, nx)).filter(
        (name) => !own.includes(name) && !(name in (inferred[root]?.targets ?? {})),
      );
      expect(notInferred).toEqual([]);
    },
  );

  it('GIVEN apps/infra/project.json THEN an implicit dependency written there is the inferred one', () => {
    const written = readJson('apps/infra/project.json').implicitDependencies;
    expect(inferred['apps/infra']?.implicitDependencies).toEqual(written ?? ['hello-world']);
  });
});

describe('the plugin as Nx loads it (node_modules/nx, no daemon, no cache)', () => {
  type Shown = {
    projectType?: string;
    targets: Record<string, TargetConfiguration>;
    stderr: string;
  };
  function showProject(name: string): Shown {
    const run = spawnSync(
      process.execPath,
      [join(WORKSPACE, 'node_modules/nx/dist/bin/nx.js'), 'show', 'project', name, '--json'],
      {
        cwd: WORKSPACE,
        encoding: 'utf8',
        env: {
          ...withoutNx(process.env),
          NX_DAEMON: 'false',
          NX_SKIP_NX_CACHE: 'true',
          NX_NO_CLOUD: 'true',
        },
        timeout: 120_000,
      },
    );
    if (run.status !== 0) throw new Error(`nx show project ${name} failed: ${run.stderr}`);
    return { ...JSON.parse(run.stdout), stderr: run.stderr };
  }

  it('GIVEN hello-world THEN Nx reports it as an application, with the inferred docker technology on its image targets', () => {
    const project = showProject('hello-world');
    expect({
      projectType: project.projectType,
      technologies: project.targets['docker-push']?.metadata?.['technologies'],
      inferredBy: project.targets['docker-push']?.metadata?.['inferredBy'],
    }).toEqual({
      projectType: 'application',
      technologies: ['docker'],
      inferredBy: 'tools/src/plugin/plugin.ts',
    });
  });

  it('GIVEN infra THEN Nx reports it as an application, its ops targets marked aws-cdk, and loading the plugin prints nothing (no Node warning)', () => {
    const project = showProject('infra');
    expect({
      projectType: project.projectType,
      technologies: project.targets['doctor']?.metadata?.['technologies'],
      inferredBy: project.targets['deploy']?.metadata?.['inferredBy'],
      stderr: project.stderr,
    }).toEqual({
      projectType: 'application',
      technologies: ['aws-cdk'],
      inferredBy: 'tools/src/plugin/plugin.ts',
      stderr: '',
    });
  });
});

describe('the hand-written copies removed, in a copy of this workspace', () => {
  const HAND_WRITTEN = {
    'hello-world': ['docker-build', 'docker-push', 'container-test'],
    infra: Object.keys(readJson('apps/infra/project.json').targets ?? {}),
  };
  let copy: string;

  /** `nx show project` in `cwd`, with the copy's paths written as the real workspace's. */
  function show(cwd: string, name: string): unknown {
    const run = spawnSync(
      process.execPath,
      [join(WORKSPACE, 'node_modules/nx/dist/bin/nx.js'), 'show', 'project', name, '--json'],
      {
        cwd,
        encoding: 'utf8',
        env: {
          ...withoutNx(process.env),
          NX_DAEMON: 'false',
          NX_SKIP_NX_CACHE: 'true',
          NX_NO_CLOUD: 'true',
        },
        timeout: 120_000,
      },
    );
    if (run.status !== 0)
      throw new Error(`nx show project ${name} failed in ${cwd}: ${run.stderr}`);
    return JSON.parse(run.stdout.split(cwd).join(WORKSPACE));
  }

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'nx-plugin-workspace-'));
    const files = spawnSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      {
        cwd: WORKSPACE,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    ).stdout.split('\0');
    for (const file of files) {
      if (file === '' || !existsSync(join(WORKSPACE, file))) continue;
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      copyFileSync(join(WORKSPACE, file), join(copy, file));
    }
    symlinkSync(join(WORKSPACE, 'node_modules'), join(copy, 'node_modules'));
    const app = JSON.parse(readFileSync(join(copy, 'apps/hello-world/package.json'), 'utf8'));
    for (const target of HAND_WRITTEN['hello-world']) delete app.nx.targets[target];
    writeFileSync(join(copy, 'apps/hello-world/package.json'), JSON.stringify(app, null, 2));
    const infra = JSON.parse(readFileSync(join(copy, 'apps/infra/project.json'), 'utf8'));
    delete infra.targets;
    delete infra.implicitDependencies;
    writeFileSync(join(copy, 'apps/infra/project.json'), JSON.stringify(infra, null, 2));
    // A second service as the generator lays one out: the app, and its deployment project.
    mkdirSync(join(copy, 'apps/greeter'));
    mkdirSync(join(copy, 'apps/greeter-infra'));
    writeFileSync(
      join(copy, 'apps/greeter/package.json'),
      JSON.stringify({ name: '@hello-world/greeter', private: true, nx: { name: 'greeter' } }),
    );
    writeFileSync(join(copy, 'apps/greeter/Dockerfile'), 'FROM node:24\n');
    writeFileSync(
      join(copy, 'apps/greeter-infra/project.json'),
      JSON.stringify({ name: 'greeter-infra' }),
    );
    writeFileSync(
      join(copy, 'apps/greeter-infra/cdk.json'),
      JSON.stringify({
        output: '../../dist/apps/greeter-infra/cdk.out',
        context: { service: 'greeter', port: 49010 },
      }),
    );
  }, 120_000);

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it.each(['hello-world', 'infra'])(
    'GIVEN %s without its hand-written container and deployment targets THEN Nx shows exactly the configuration it shows today',
    (name) => {
      expect(show(copy, name)).toEqual(show(WORKSPACE, name));
    },
    120_000,
  );

  it('GIVEN a second service greeter and greeter-infra THEN Nx plans greeter-infra:deploy through greeter:docker-push and greeter-infra:deploy-registry', () => {
    const graphFile = join(copy, 'task-graph.json');
    const run = spawnSync(
      process.execPath,
      [
        join(WORKSPACE, 'node_modules/nx/dist/bin/nx.js'),
        'run',
        'greeter-infra:deploy',
        `--graph=${graphFile}`,
      ],
      {
        cwd: copy,
        encoding: 'utf8',
        env: { ...withoutNx(process.env), NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
        timeout: 120_000,
      },
    );
    if (run.status !== 0)
      throw new Error(`nx run greeter-infra:deploy --graph failed: ${run.stderr}`);
    const graph = JSON.parse(readFileSync(graphFile, 'utf8'));
    expect(graph.tasks.dependencies).toEqual({
      'greeter-infra:deploy': ['greeter-infra:synth', 'greeter:docker-push'],
      'greeter:docker-push': ['greeter-infra:deploy-registry'],
      'greeter-infra:deploy-registry': ['greeter-infra:synth'],
      'greeter-infra:synth': [],
    });
  }, 120_000);
});

describe('createNodesV2 over a fixture workspace with a second service', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-plugin-'));
    write(OPS_COMMANDS_FILE, readFileSync(join(WORKSPACE, OPS_COMMANDS_FILE), 'utf8'));
    write(LOCAL_COMMANDS_FILE, readFileSync(join(WORKSPACE, LOCAL_COMMANDS_FILE), 'utf8'));
    write(
      'apps/greeter/package.json',
      JSON.stringify({ name: '@hello-world/greeter', nx: { name: 'greeter' } }),
    );
    write('apps/greeter/Dockerfile', 'FROM node:24\n');
    write('apps/greeter-infra/project.json', JSON.stringify({ name: 'greeter-infra' }));
    write(
      'apps/greeter-infra/cdk.json',
      JSON.stringify({
        output: '../../dist/apps/greeter-infra/cdk.out',
        context: { service: 'greeter', port: 49010 },
      }),
    );
    // Not a project: a Dockerfile in a fixture folder is left alone.
    write('apps/greeter/src/testing/Dockerfile', 'FROM scratch\n');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function run() {
    const [glob, create] = createNodesV2;
    const files = matchedFiles(root);
    return {
      glob,
      results: await create(files, {}, { workspaceRoot: root, nxJsonConfiguration: {} }),
    };
  }

  it('GIVEN the plugin THEN it matches Dockerfiles and cdk.json files under apps/ in one call', async () => {
    expect((await run()).glob).toBe(PLUGIN_GLOB);
    expect(PLUGIN_GLOB).toBe('apps/**/{Dockerfile,cdk.json}');
  });

  it('GIVEN apps/greeter and apps/greeter-infra THEN one result per project file, none for the fixture Dockerfile', async () => {
    const { results } = await run();
    expect(results.map(([file, result]) => [file, Object.keys(result.projects ?? {})])).toEqual([
      ['apps/greeter-infra/cdk.json', ['apps/greeter-infra']],
      ['apps/greeter/Dockerfile', ['apps/greeter']],
    ]);
  });

  it('GIVEN the same THEN greeter:docker-push depends on greeter-infra:deploy-registry and greeter-infra:deploy on greeter:docker-push', async () => {
    const { results } = await run();
    const target = (projectRoot: string, name: string) =>
      results
        .flatMap(([, result]) => [result.projects?.[projectRoot]?.targets?.[name]])
        .find(Boolean);
    expect({
      push: target('apps/greeter', 'docker-push')?.dependsOn,
      deploy: target('apps/greeter-infra', 'deploy')?.dependsOn,
    }).toEqual({
      push: [
        'build',
        { projects: ['greeter-infra'], target: 'deploy-registry', params: 'forward' },
      ],
      deploy: [
        { target: 'synth', params: 'forward' },
        { projects: ['greeter'], target: 'docker-push', params: 'forward' },
      ],
    });
  });

  it("GIVEN greeter THEN its image targets' inputs include env CPU_ARCHITECTURE, the platform they build for", async () => {
    const { results } = await run();
    const inputs = (name: string) =>
      results
        .flatMap(([, result]) => [result.projects?.['apps/greeter']?.targets?.[name]?.inputs])
        .find(Boolean);
    expect([inputs('docker-build'), inputs('docker-push')]).toEqual([
      expect.arrayContaining([{ env: 'CPU_ARCHITECTURE' }]),
      expect.arrayContaining([{ env: 'CPU_ARCHITECTURE' }]),
    ]);
  });

  it('GIVEN a cdk.json whose context service is not a string THEN refuses it in one line naming the file', () => {
    write('apps/broken-infra/project.json', JSON.stringify({ name: 'broken-infra' }));
    write('apps/broken-infra/cdk.json', JSON.stringify({ context: { service: 42 } }));
    try {
      expect(() => createNodesFor(['apps/broken-infra/cdk.json'], root)).toThrow(
        /^apps\/broken-infra\/cdk\.json: context "service" must be the name of the service project, e.g. "hello-world"$/,
      );
    } finally {
      rmSync(join(root, 'apps/broken-infra'), { recursive: true, force: true });
    }
  });
});
