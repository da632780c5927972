// The template is hello-world with its name and port as placeholders. Rendered for hello-world it
// must give back hello-world's own files, so a fix made there (a shutdown edge, a fuzz finding)
// fails here until the template carries it too, and new services start from the current design.
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../../../workspace';
import { renderServiceFiles } from './generator';

const HELLO_WORLD = 'apps/hello-world';

const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
renderServiceFiles(tree, HELLO_WORLD, { name: 'hello-world', port: 49000 });
const rendered = (file: string) => tree.read(`${HELLO_WORLD}/${file}`, 'utf-8') ?? '';
const original = (file: string) => readFileSync(join(workspaceRoot, HELLO_WORLD, file), 'utf8');

// The files of hello-world as git sees them (no out-tsc or other build output).
const helloWorldFiles = spawnSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '--', HELLO_WORLD],
  { cwd: workspaceRoot, encoding: 'utf8' },
)
  .stdout.split('\n')
  .filter(Boolean)
  .map((path) => path.slice(HELLO_WORLD.length + 1));
const templateFiles = tree
  .listChanges()
  .map((change) => change.path)
  .filter((path) => path.startsWith(`${HELLO_WORLD}/`))
  .map((path) => path.slice(HELLO_WORLD.length + 1));

/** Where a service must differ from hello-world, and how each side is read to compare the rest. */
const DIFFERENCES: Record<string, { why: string; compare: (text: string) => string }> = {
  // hello-world's port is the shared APP_PORT; a service declares its own.
  'src/config.ts': {
    why: 'APP_PORT is declared here, not imported from @hello-world/shared',
    compare: (text) =>
      text
        .replace('import { APP_PORT, DEFAULT_BIND', 'import { DEFAULT_BIND')
        .replace('import {\n  APP_PORT,\n  DEFAULT_BIND', 'import {\n  DEFAULT_BIND')
        .replace(/\n\/\*\* This service's own port[^\n]*\nexport const APP_PORT = \d+;\n/, ''),
  },
  // The comments name which spec checks the Dockerfile; the instructions are the same.
  Dockerfile: {
    why: 'comments differ',
    compare: (text) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith('#'))
        .join('\n'),
  },
  // A service carries no docker-build/docker-push/container-test targets (the plugin infers them),
  // has projectType and starts at version 0.0.0; the build target is the same.
  'package.json': {
    why: 'only the build target is compared',
    compare: (text) => JSON.stringify((JSON.parse(text) as PackageJson).nx.targets.build),
  },
};

/** hello-world's Dockerfile is checked by libs/image; a service's by this spec of its own. */
const SERVICE_ONLY = ['src/dockerfile.spec.ts'];

interface PackageJson {
  nx: { targets: { build: unknown } };
}

describe('the service template against apps/hello-world', () => {
  it('GIVEN hello-world WHEN listed THEN every file of it has a template, and the template no other', () => {
    expect([...templateFiles].filter((file) => !SERVICE_ONLY.includes(file)).sort()).toEqual(
      [...helloWorldFiles].sort(),
    );
  });

  it.each(helloWorldFiles.filter((file) => !(file in DIFFERENCES)))(
    'GIVEN the template rendered for hello-world WHEN compared THEN %s is hello-world own, byte for byte',
    (file) => {
      expect(rendered(file)).toBe(original(file));
    },
  );

  it.each(
    Object.entries(DIFFERENCES).map(([file, { why, compare }]) => [file, why, compare] as const),
  )(
    'GIVEN the template rendered for hello-world WHEN compared THEN %s is the same but for this: %s',
    (file, _why, compare) => {
      expect(compare(rendered(file))).toBe(compare(original(file)));
    },
  );
});
