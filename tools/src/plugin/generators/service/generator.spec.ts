import { addProjectConfiguration, readJson, type Tree, writeJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APP_NAME, APP_PORT, deploymentNames } from '@hello-world/shared';
import { workspaceRoot } from '../../../workspace';
import {
  checkServiceName,
  choosePort,
  DEFAULT_DEPLOYMENT,
  type DeploymentEntry,
  insertCommitlintScope,
  insertGuideScope,
  SERVICE_TEMPLATE_DIR,
  serviceGenerator,
  TEMPLATE_DEPLOYMENT,
} from './generator';

// The generator on an in-memory workspace: what it writes, which port it picks, what it refuses.
// generated-service.spec.ts runs it for real and checks that the result builds, passes and serves.

const NOTHING_TAKEN = {
  projects: new Map(),
  packages: new Map(),
  deployments: [],
  directoryExists: () => false,
};

/** hello-world's deployment as it is in this repository: the CDK settings a new one copies. */
const INFRA_CDK_JSON = JSON.parse(
  readFileSync(join(workspaceRoot, TEMPLATE_DEPLOYMENT), 'utf8'),
) as { app: string; context: Record<string, unknown> };
const CDK_FLAGS = Object.fromEntries(
  Object.entries(INFRA_CDK_JSON.context).filter(([key]) => key.startsWith('@aws-cdk')),
);

/** A deployment project in the Tree: project.json plus a cdk.json with this context. */
function addDeployment(tree: Tree, project: string, context: Record<string, unknown>): void {
  addProjectConfiguration(tree, project, { root: `apps/${project}` });
  writeJson(tree, `apps/${project}/cdk.json`, {
    app: INFRA_CDK_JSON.app,
    output: `../../dist/apps/${project}/cdk.out`,
    context,
  });
}

/**
 * An empty workspace with hello-world's deployment project, apps/infra (this repository's
 * cdk.json); `formatter: 'none'` so the specs see exactly what the generator wrote.
 */
function emptyWorkspace(): Tree {
  const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
  addProjectConfiguration(tree, 'infra', { root: 'apps/infra' });
  writeJson(tree, TEMPLATE_DEPLOYMENT, INFRA_CDK_JSON);
  return tree;
}

/** Every file's content, to tell afterwards what the generator changed. */
function snapshot(tree: Tree): Map<string, string> {
  return new Map(tree.listChanges().map((change) => [change.path, read(tree, change.path)]));
}

const read = (tree: Tree, path: string) => tree.read(path, 'utf-8') ?? '';

function templateFiles(dir = SERVICE_TEMPLATE_DIR): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory()
      ? templateFiles(path)
      : [relative(SERVICE_TEMPLATE_DIR, path).replace(/__tmpl__$/, '')];
  });
}

const COMMITLINT = `const scopes = [
  'hello-world',
  'infra',
  'tools',
  'ci',
  'docs',
];

module.exports = { rules: { 'scope-enum': [2, 'always', scopes] } };
`;

const GUIDE = `## Commit messages

Scopes are the project names and a few more, and commitlint accepts no other: \`hello-world\`,
\`infra\`, \`tools\`, \`ci\`, \`docs\` (the last are not projects). For example: \`fix(infra): x\`.

Next paragraph mentions \`tools\`.
`;

/** The scopes a guide lists, read as tools/src/docs/docs-consistency.spec.ts reads them. */
function guideScopes(guide: string): string[] {
  const paragraph = /^Scopes are [\s\S]*?(?=\n\n)/m.exec(guide)?.[0] ?? '';
  return [...(paragraph.split('For example')[0] ?? '').matchAll(/`([^`]+)`/g)].map(
    (m) => m[1] ?? '',
  );
}

describe('service generator: the files', () => {
  it('GIVEN a name WHEN generated THEN apps/<name> holds every template file, no more', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter' });

    const written = tree
      .listChanges()
      .map((change) => change.path)
      .filter((path) => path.startsWith('apps/greeter/'))
      .map((path) => path.slice('apps/greeter/'.length));
    expect(written.sort()).toEqual(templateFiles().sort());
    expect(written).toEqual(
      expect.arrayContaining(['Dockerfile', 'src/main.ts', 'src/app.spec.ts']),
    );
  });

  it('GIVEN a name WHEN generated THEN the service answers GET / with that name, on its own port', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter', port: 49123 });

    expect(read(tree, 'apps/greeter/src/config.ts')).toContain(
      "export const DEFAULT_GREETING = 'greeter';",
    );
    expect(read(tree, 'apps/greeter/src/app.spec.ts')).toContain(
      "expect(res.text).toBe('greeter');",
    );
    expect(read(tree, 'apps/greeter/src/config.ts')).toContain('export const APP_PORT = 49123;');
    expect(read(tree, 'apps/greeter/src/main.ts')).toContain('`greeter: ${message}\\n`');
    expect(read(tree, 'apps/greeter/jest.config.cjs')).toContain("displayName: 'greeter'");
    // The health path comes from the shared constants, never retyped
    expect(read(tree, 'apps/greeter/src/http/routes.ts')).toContain(
      "import { HEALTH_PATH } from '@hello-world/shared';",
    );
    // And nothing of hello-world is left but the shared package's scope
    for (const file of templateFiles()) {
      expect(read(tree, `apps/greeter/${file}`).replaceAll('@hello-world/', '')).not.toMatch(
        /hello-world|49000|<%/,
      );
    }
  });

  it('GIVEN a name WHEN generated THEN the Dockerfile copies and exposes that service only', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter', port: 49123 });

    const dockerfile = read(tree, 'apps/greeter/Dockerfile');
    expect(dockerfile).toContain(
      'COPY dist/apps/greeter/main.js dist/apps/greeter/healthcheck.js ./\n',
    );
    expect(dockerfile).toContain('\nEXPOSE 49123\n');
    expect(dockerfile).toContain('\nUSER 1000:1000\n');
    expect(dockerfile).toContain('org.opencontainers.image.title="greeter"');
  });

  it('GIVEN a name WHEN generated THEN package.json names the app project with an esbuild build and no image targets', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter' });

    const pkg = readJson(tree, 'apps/greeter/package.json');
    expect(pkg).toMatchObject({
      name: '@hello-world/greeter',
      dependencies: { '@hello-world/shared': '*' },
      nx: { name: 'greeter', projectType: 'application', tags: ['type:app', 'scope:web'] },
    });
    // The plugin infers docker-build, docker-push and container-test from the Dockerfile
    expect(Object.keys(pkg.nx.targets)).toEqual(['build']);
    expect(pkg.nx.targets.build).toMatchObject({
      executor: '@nx/esbuild:esbuild',
      options: {
        main: 'apps/greeter/src/main.ts',
        additionalEntryPoints: ['apps/greeter/src/healthcheck.ts'],
        outputPath: 'dist/apps/greeter',
        tsConfig: 'apps/greeter/tsconfig.lib.json',
      },
    });
  });
});

describe('service generator: the deployment project', () => {
  it('GIVEN a name WHEN generated THEN apps/<name>-infra holds a cdk.json and a package.json, no project.json', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter' });

    const written = tree
      .listChanges()
      .map((change) => change.path)
      .filter((path) => path.startsWith('apps/greeter-infra/'));
    // The CDK and operations targets come from the plugin (cdk.json), so no targets are written
    expect(written.sort()).toEqual([
      'apps/greeter-infra/cdk.json',
      'apps/greeter-infra/package.json',
    ]);
  });

  it("GIVEN --port WHEN generated THEN cdk.json runs libs/fargate's app for that service and port, into its own output, with every CDK feature flag of apps/infra", async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter', port: 49123 });

    const cdkJson = readJson(tree, 'apps/greeter-infra/cdk.json');
    expect(cdkJson).toEqual({
      app: INFRA_CDK_JSON.app,
      output: '../../dist/apps/greeter-infra/cdk.out',
      watch: { include: [] },
      context: { service: 'greeter', port: 49123, ...CDK_FLAGS },
    });
    // The flags are this repository's, not a handful: the template has dozens of them
    expect(Object.keys(CDK_FLAGS).length).toBeGreaterThan(50);
    expect(INFRA_CDK_JSON.app).toContain('libs/fargate/bin/infra.ts');
  });

  it('GIVEN apps/infra pins settings for hello-world WHEN generated THEN the new cdk.json carries none of them', async () => {
    const tree = emptyWorkspace();
    writeJson(tree, TEMPLATE_DEPLOYMENT, {
      ...INFRA_CDK_JSON,
      context: { ...INFRA_CDK_JSON.context, cpu: 1024, allowedIp: '203.0.113.7/32' },
    });

    await serviceGenerator(tree, { name: 'greeter' });

    const text = read(tree, 'apps/greeter-infra/cdk.json');
    expect(Object.keys(readJson(tree, 'apps/greeter-infra/cdk.json').context).sort()).toEqual(
      ['service', 'port', ...Object.keys(CDK_FLAGS)].sort(),
    );
    expect(text).not.toMatch(/hello-world|49000|dist\/apps\/infra\/|203\.0\.113|"cpu"/);
  });

  it('GIVEN a name WHEN generated THEN package.json is the deployment workspace package, depending on libs/fargate and the service', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter' });

    expect(readJson(tree, 'apps/greeter-infra/package.json')).toEqual({
      name: '@hello-world/greeter-infra',
      version: '0.0.0',
      private: true,
      description: expect.stringContaining('greeter'),
      dependencies: { '@hello-world/fargate': '*' },
      nx: {
        name: 'greeter-infra',
        projectType: 'application',
        tags: ['type:app', 'scope:aws'],
        implicitDependencies: ['greeter'],
      },
    });
  });

  it("GIVEN this repository's apps/infra WHEN compared THEN the new deployment has its tags and project type", async () => {
    const infra = JSON.parse(readFileSync(join(workspaceRoot, 'apps/infra/project.json'), 'utf8'));
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter' });

    const { nx } = readJson(tree, 'apps/greeter-infra/package.json');
    expect({ projectType: nx.projectType, tags: nx.tags }).toEqual({
      projectType: infra.projectType,
      tags: infra.tags,
    });
  });

  it('GIVEN a name WHEN generated THEN it changes nothing else: no services.json, no other deployment', async () => {
    const tree = emptyWorkspace();
    tree.write('commitlint.config.cjs', COMMITLINT);
    tree.write('CONTRIBUTING.md', GUIDE);
    tree.write('.dockerignore', '*\n');
    writeJson(tree, 'tsconfig.json', { files: [], references: [] });
    const before = snapshot(tree);

    await serviceGenerator(tree, { name: 'greeter' });

    const changed = [...snapshot(tree)]
      .filter(([path, text]) => before.get(path) !== text)
      .map(([path]) => path)
      .filter(
        (path) => !path.startsWith('apps/greeter/') && !path.startsWith('apps/greeter-infra/'),
      );
    expect(changed.sort()).toEqual([
      '.dockerignore',
      'CONTRIBUTING.md',
      'commitlint.config.cjs',
      'tsconfig.json',
    ]);
    expect(tree.exists('apps/infra/services.json')).toBe(false);
  });

  it('GIVEN no apps/infra/cdk.json WHEN generated THEN it refuses, naming the file it copies from, and writes nothing', async () => {
    const tree = emptyWorkspace();
    tree.delete(TEMPLATE_DEPLOYMENT);
    addDeployment(tree, 'other-infra', { service: 'other', port: 49010 });
    const before = snapshot(tree);

    await expect(serviceGenerator(tree, { name: 'greeter' })).rejects.toThrow(
      "apps/infra/cdk.json is not there: a new deployment copies its CDK feature flags from hello-world's; restore it, then generate again",
    );
    expect(snapshot(tree)).toEqual(before);
  });
});

describe('service generator: the port', () => {
  it('GIVEN only hello-world deployed WHEN generated without --port THEN the service gets 49010', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter' });

    expect(readJson(tree, 'apps/greeter-infra/cdk.json').context.port).toBe(49010);
    expect(read(tree, 'apps/greeter/src/config.ts')).toContain('export const APP_PORT = 49010;');
  });

  it('GIVEN deployments on several ports WHEN generated without --port THEN it takes the one after the highest', async () => {
    const tree = emptyWorkspace();
    addDeployment(tree, 'b-infra', { service: 'b', port: 49020 });
    addDeployment(tree, 'a-infra', { service: 'a', port: 49010 });

    await serviceGenerator(tree, { name: 'greeter' });

    expect(readJson(tree, 'apps/greeter-infra/cdk.json').context.port).toBe(49021);
    expect(read(tree, 'apps/greeter/src/config.ts')).toContain('export const APP_PORT = 49021;');
  });

  it('GIVEN a cdk.json outside any project WHEN generated THEN its port is not counted', async () => {
    const tree = emptyWorkspace();
    writeJson(tree, 'tools/fixtures/cdk.json', { context: { service: 'x', port: 49010 } });

    await serviceGenerator(tree, { name: 'greeter' });

    expect(readJson(tree, 'apps/greeter-infra/cdk.json').context.port).toBe(49010);
  });

  it('GIVEN --port WHEN generated THEN the service and its deployment use it', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter', port: 50000 });

    expect(readJson(tree, 'apps/greeter-infra/cdk.json').context).toMatchObject({
      service: 'greeter',
      port: 50000,
    });
    expect(read(tree, 'apps/greeter/src/config.ts')).toContain('export const APP_PORT = 50000;');
  });

  it.each([1023, 65536, 0, 49010.5])(
    'GIVEN --port %p WHEN generated THEN it refuses with the valid range',
    async (port) => {
      await expect(serviceGenerator(emptyWorkspace(), { name: 'greeter', port })).rejects.toThrow(
        `--port ${port} is out of range: use a whole number from 1024 to 65535`,
      );
    },
  );

  it('GIVEN --port of hello-world WHEN generated THEN it refuses, naming the owner, its cdk.json and the free port', async () => {
    await expect(
      serviceGenerator(emptyWorkspace(), { name: 'greeter', port: 49000 }),
    ).rejects.toThrow(
      '--port 49000 is already used by hello-world in apps/infra/cdk.json: leave --port out for 49010',
    );
  });

  it('GIVEN --port of a generated deployment WHEN generated THEN it refuses, naming that deployment', async () => {
    const tree = emptyWorkspace();
    addDeployment(tree, 'a-infra', { service: 'a', port: 49010 });

    await expect(serviceGenerator(tree, { name: 'greeter', port: 49010 })).rejects.toThrow(
      '--port 49010 is already used by a in apps/a-infra/cdk.json: leave --port out for 49011',
    );
  });

  it('GIVEN a cdk.json without service or port WHEN generated THEN it counts as hello-world on 49000, as libs/fargate reads it', async () => {
    const tree = emptyWorkspace();
    writeJson(tree, TEMPLATE_DEPLOYMENT, { ...INFRA_CDK_JSON, context: CDK_FLAGS });

    await expect(serviceGenerator(tree, { name: 'greeter', port: 49000 })).rejects.toThrow(
      '--port 49000 is already used by hello-world in apps/infra/cdk.json',
    );
    await expect(serviceGenerator(tree, { name: 'hello-world' })).rejects.toThrow(
      '"hello-world" is already the service infra deploys (apps/infra/cdk.json): pick another name',
    );
  });

  it('GIVEN the defaults of a cdk.json WHEN read THEN they are hello-world as the shared constants name it', () => {
    expect(DEFAULT_DEPLOYMENT).toEqual({ name: APP_NAME, port: APP_PORT });
  });

  it('GIVEN the highest port is taken WHEN choosing THEN the lowest free one from 49010 is used', () => {
    const deployments: DeploymentEntry[] = [
      { project: 'infra', file: 'apps/infra/cdk.json', name: 'hello-world', port: 49000 },
      { project: 'a-infra', file: 'apps/a-infra/cdk.json', name: 'a', port: 49010 },
      { project: 'top-infra', file: 'apps/top-infra/cdk.json', name: 'top', port: 65535 },
    ];
    expect(choosePort(undefined, deployments)).toBe(49011);
  });

  it.each([
    [{ service: 'a', port: 'many' }, 'context "port" "many" is not a whole number'],
    [{ service: 'a', port: 49010.5 }, 'context "port" 49010.5 is not a whole number'],
    [{ service: 7, port: 49010 }, 'context "service" 7 is not a service name'],
  ])(
    'GIVEN a deployment whose cdk.json context is %p WHEN generated THEN it refuses in one line naming the file',
    async (context, problem) => {
      const tree = emptyWorkspace();
      addDeployment(tree, 'a-infra', context);

      await expect(serviceGenerator(tree, { name: 'greeter' })).rejects.toThrow(
        `apps/a-infra/cdk.json: ${problem}: fix it, then generate again`,
      );
    },
  );

  it('GIVEN a deployment whose port is a numeric string WHEN generated THEN it is counted as that port', async () => {
    const tree = emptyWorkspace();
    addDeployment(tree, 'a-infra', { service: 'a', port: '49030' });

    await serviceGenerator(tree, { name: 'greeter' });

    expect(readJson(tree, 'apps/greeter-infra/cdk.json').context.port).toBe(49031);
  });
});

describe('service generator: the name', () => {
  it.each([
    'Greeter',
    '1greeter',
    'greeter_v2',
    'greeter.v2',
    'greeter-',
    'a--b',
    '',
    'a'.repeat(24),
  ])(
    'GIVEN the name %p WHEN generated THEN it refuses in one line, with the rule and an example',
    async (name) => {
      const error = await serviceGenerator(emptyWorkspace(), { name }).catch((e: Error) => e);
      expect((error as Error).message).toBe(
        `service name ${JSON.stringify(name)} is not valid: use a lowercase letter, then up to 22 lowercase letters, digits or single hyphens, ending with a letter or digit, e.g. greeter`,
      );
    },
  );

  it.each([
    'g',
    'greeter',
    'greeter-2',
    'a-b-c',
    'a'.repeat(23),
    'a'.repeat(24),
    'a-',
    '-a',
    'a--b',
    'a_b',
    'A',
    '9a',
    'a.b',
  ])(
    'GIVEN the name %p WHEN checked THEN it is refused exactly when shared deploymentNames refuses it, or it is over 23 characters',
    (name) => {
      const byShared = (() => {
        try {
          deploymentNames(name);
          return name.length <= 23;
        } catch {
          return false;
        }
      })();
      const byGenerator = (() => {
        try {
          checkServiceName(name, NOTHING_TAKEN);
          return true;
        } catch {
          return false;
        }
      })();
      expect(byGenerator).toBe(byShared);
    },
  );

  it.each(['g', 'a'.repeat(23), 'greeter-2'])(
    'GIVEN the name %p WHEN generated THEN it is accepted',
    async (name) => {
      const tree = emptyWorkspace();
      await serviceGenerator(tree, { name });
      expect(tree.exists(`apps/${name}/src/main.ts`)).toBe(true);
    },
  );

  it('GIVEN the name of an existing project WHEN generated THEN it refuses and writes nothing', async () => {
    const tree = emptyWorkspace();
    const before = snapshot(tree);

    await expect(serviceGenerator(tree, { name: 'infra' })).rejects.toThrow(
      '"infra" is already the project at apps/infra: pick another name',
    );
    expect(snapshot(tree)).toEqual(before);
  });

  it('GIVEN a name whose package another project already has WHEN generated THEN it refuses', async () => {
    // hello-world's package is @hello-world/app, so a service called app would clash with it
    const tree = emptyWorkspace();
    writeJson(tree, 'apps/hello-world/package.json', {
      name: '@hello-world/app',
      nx: { name: 'hello-world' },
    });

    await expect(serviceGenerator(tree, { name: 'app' })).rejects.toThrow(
      '@hello-world/app is already the package in apps/hello-world: pick another name',
    );
  });

  it('GIVEN a name a deployment already deploys WHEN generated THEN it refuses, naming the deployment', async () => {
    const tree = emptyWorkspace();

    await expect(serviceGenerator(tree, { name: 'hello-world' })).rejects.toThrow(
      '"hello-world" is already the service infra deploys (apps/infra/cdk.json): pick another name',
    );
  });

  it('GIVEN <name>-infra is already a project WHEN generated THEN it refuses and writes nothing', async () => {
    const tree = emptyWorkspace();
    addProjectConfiguration(tree, 'greeter-infra', { root: 'libs/greeter-infra' });
    const before = snapshot(tree);

    await expect(serviceGenerator(tree, { name: 'greeter' })).rejects.toThrow(
      '"greeter-infra" is already the project at libs/greeter-infra: pick another name',
    );
    expect(snapshot(tree)).toEqual(before);
  });

  it('GIVEN @hello-world/<name>-infra is already a package WHEN generated THEN it refuses', async () => {
    const tree = emptyWorkspace();
    writeJson(tree, 'libs/deploy/package.json', {
      name: '@hello-world/greeter-infra',
      nx: { name: 'deploy' },
    });

    await expect(serviceGenerator(tree, { name: 'greeter' })).rejects.toThrow(
      '@hello-world/greeter-infra is already the package in libs/deploy: pick another name',
    );
  });

  it.each(['apps/greeter', 'apps/greeter-infra'])(
    'GIVEN %s already exists WHEN generated THEN it refuses',
    async (directory) => {
      const tree = emptyWorkspace();
      tree.write(`${directory}/README.md`, 'left over\n');

      await expect(serviceGenerator(tree, { name: 'greeter' })).rejects.toThrow(
        `${directory} already exists: pick another name`,
      );
    },
  );
});

describe('service generator: the workspace around it', () => {
  it('GIVEN the solution tsconfig WHEN generated THEN it references the project, as nx sync would', async () => {
    const tree = emptyWorkspace();
    writeJson(tree, 'tsconfig.json', { files: [], references: [{ path: './libs/shared' }] });

    await serviceGenerator(tree, { name: 'greeter' });

    expect(readJson(tree, 'tsconfig.json').references).toEqual([
      { path: './libs/shared' },
      { path: './apps/greeter' },
    ]);
  });

  it('GIVEN commitlint and the guide WHEN generated THEN both list the service and its deployment after the projects, alike', async () => {
    const tree = emptyWorkspace();
    addProjectConfiguration(tree, 'hello-world', { root: 'apps/hello-world' });
    addProjectConfiguration(tree, 'tools', { root: 'tools' });
    tree.write('commitlint.config.cjs', COMMITLINT);
    tree.write('CONTRIBUTING.md', GUIDE);

    await serviceGenerator(tree, { name: 'greeter' });

    const scopes = ['hello-world', 'infra', 'tools', 'greeter', 'greeter-infra', 'ci', 'docs'];
    const config = read(tree, 'commitlint.config.cjs');
    expect([...config.matchAll(/^ {2}'([^']+)',$/gm)].map((m) => m[1])).toEqual(scopes);
    expect(guideScopes(read(tree, 'CONTRIBUTING.md'))).toEqual(scopes);
    expect(read(tree, 'CONTRIBUTING.md')).toContain('Next paragraph mentions `tools`.\n');
  });

  it('GIVEN a guide without the scopes sentence WHEN inserting THEN there is nothing to insert into', () => {
    expect(insertGuideScope('# Guide\n\nNo list here.\n', 'greeter', new Set(['tools']))).toBe(
      undefined,
    );
    expect(insertCommitlintScope('module.exports = {};\n', 'greeter', new Set(['tools']))).toBe(
      undefined,
    );
  });

  it('GIVEN the .dockerignore that lets only bundles through WHEN generated THEN it lets this bundle through too', async () => {
    const tree = emptyWorkspace();
    tree.write(
      '.dockerignore',
      '*\n!dist/apps/hello-world/main.js\n!dist/apps/hello-world/healthcheck.js\n',
    );

    await serviceGenerator(tree, { name: 'greeter' });

    expect(read(tree, '.dockerignore')).toBe(
      '*\n!dist/apps/hello-world/main.js\n!dist/apps/hello-world/healthcheck.js\n' +
        '!dist/apps/greeter/main.js\n!dist/apps/greeter/healthcheck.js\n',
    );
  });
});
