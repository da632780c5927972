import { addProjectConfiguration, readJson, type Tree, writeJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APP_NAME, APP_PORT, deploymentNames } from '@hello-world/shared';
import {
  checkServiceName,
  choosePort,
  INITIAL_REGISTRY,
  insertCommitlintScope,
  insertGuideScope,
  SERVICE_TEMPLATE_DIR,
  serviceGenerator,
  SERVICES_FILE,
} from './generator';

// The generator on an in-memory workspace: what it writes, which port it picks, what it refuses.
// generated-service.spec.ts runs it for real and checks that the result builds, passes and serves.

const NOTHING_TAKEN = {
  projects: new Map(),
  packages: new Map(),
  services: [],
  directoryExists: () => false,
};

/** An empty workspace; `formatter: 'none'` so the specs see exactly what the generator wrote. */
function emptyWorkspace(): Tree {
  return createTreeWithEmptyWorkspace({ formatter: 'none' });
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

    expect(read(tree, 'apps/greeter/src/http/routes.ts')).toContain("ctx.body = 'greeter';");
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

describe('service generator: the port', () => {
  it('GIVEN no services.json WHEN generated THEN it is created with hello-world first and the service on 49010', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter' });

    expect(readJson(tree, SERVICES_FILE)).toEqual({
      services: [
        { name: 'hello-world', port: 49000 },
        { name: 'greeter', port: 49010 },
      ],
    });
  });

  it('GIVEN registered services WHEN generated without --port THEN it takes the one after the highest and appends', async () => {
    const tree = emptyWorkspace();
    const services = [
      { name: 'hello-world', port: 49000 },
      { name: 'b', port: 49020 },
      { name: 'a', port: 49010 },
    ];
    writeJson(tree, SERVICES_FILE, { services });

    await serviceGenerator(tree, { name: 'greeter' });

    expect(readJson(tree, SERVICES_FILE)).toEqual({
      services: [...services, { name: 'greeter', port: 49021 }],
    });
    expect(read(tree, 'apps/greeter/src/config.ts')).toContain('export const APP_PORT = 49021;');
  });

  it('GIVEN --port WHEN generated THEN the service and the registry use it', async () => {
    const tree = emptyWorkspace();

    await serviceGenerator(tree, { name: 'greeter', port: 50000 });

    expect(readJson(tree, SERVICES_FILE).services).toContainEqual({ name: 'greeter', port: 50000 });
  });

  it.each([1023, 65536, 0, 49010.5])(
    'GIVEN --port %p WHEN generated THEN it refuses with the valid range',
    async (port) => {
      await expect(serviceGenerator(emptyWorkspace(), { name: 'greeter', port })).rejects.toThrow(
        `--port ${port} is out of range: use a whole number from 1024 to 65535`,
      );
    },
  );

  it('GIVEN --port of another service WHEN generated THEN it refuses, naming the owner and the free port', async () => {
    await expect(
      serviceGenerator(emptyWorkspace(), { name: 'greeter', port: 49000 }),
    ).rejects.toThrow(
      '--port 49000 is already used by hello-world in apps/infra/services.json: leave --port out for 49010',
    );
  });

  it('GIVEN the registry before any service WHEN read THEN it holds hello-world as the shared constants name it', () => {
    expect(INITIAL_REGISTRY).toEqual({ services: [{ name: APP_NAME, port: APP_PORT }] });
  });

  it('GIVEN the highest port is taken WHEN choosing THEN the lowest free one from 49010 is used', () => {
    const services = [
      { name: 'hello-world', port: 49000 },
      { name: 'a', port: 49010 },
      { name: 'top', port: 65535 },
    ];
    expect(choosePort(undefined, services)).toBe(49011);
  });

  it('GIVEN a services.json of another shape WHEN generated THEN it refuses in one line', async () => {
    const tree = emptyWorkspace();
    writeJson(tree, SERVICES_FILE, { services: [{ name: 'x', port: '1' }] });

    await expect(serviceGenerator(tree, { name: 'greeter' })).rejects.toThrow(
      /^apps\/infra\/services\.json is not \{ "services": \[/,
    );
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
    addProjectConfiguration(tree, 'infra', { root: 'apps/infra' });
    const before = tree.listChanges().length;

    await expect(serviceGenerator(tree, { name: 'infra' })).rejects.toThrow(
      '"infra" is already the project at apps/infra: pick another name',
    );
    expect(tree.listChanges()).toHaveLength(before);
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

  it('GIVEN a name already registered as a service WHEN generated THEN it refuses', async () => {
    const tree = emptyWorkspace();

    await expect(serviceGenerator(tree, { name: 'hello-world' })).rejects.toThrow(
      '"hello-world" is already a service in apps/infra/services.json: pick another name',
    );
  });
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

  it('GIVEN commitlint and the guide WHEN generated THEN both list the new scope after the projects, alike', async () => {
    const tree = emptyWorkspace();
    for (const name of ['hello-world', 'infra', 'tools']) {
      addProjectConfiguration(tree, name, { root: name === 'tools' ? 'tools' : `apps/${name}` });
    }
    tree.write('commitlint.config.cjs', COMMITLINT);
    tree.write('CONTRIBUTING.md', GUIDE);

    await serviceGenerator(tree, { name: 'greeter' });

    const scopes = ['hello-world', 'infra', 'tools', 'greeter', 'ci', 'docs'];
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
