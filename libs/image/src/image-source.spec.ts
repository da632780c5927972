import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { imageApp } from './build-context';
import { readImageSource, toWebUrl } from './image-source';

// A real git repository in a temp dir, shaped like the workspace where it matters.
let root: string;
const inputs = {
  files: [
    'apps/hello-world/package.json',
    'apps/hello-world/src/main.ts',
    'apps/hello-world/src/x.spec.ts',
  ],
  // Stands in for the bundle: what the image holds.
  contextFiles: ['dist/main.js'],
  baseImage: 'node:24',
};
const git = (...args: string[]) =>
  execFileSync(
    'git',
    [
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'tag.gpgsign=false',
      ...args,
    ],
    {
      cwd: root,
      encoding: 'utf8',
    },
  ).trim();
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const commit = (message: string) => {
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', '--short', 'HEAD');
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'image-source-'));
  git('init', '-q');
  write('apps/hello-world/package.json', '{ "version": "0.1.0" }\n');
  write('apps/hello-world/src/main.ts', 'console.log(1);\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('readImageSource', () => {
  it('keeps the tag of the last app commit across an infra-only commit', () => {
    // GIVEN an app commit followed by a commit touching only infra
    const app = commit('feat: app');
    write('libs/fargate/src/stack.ts', 'export {};\n');
    commit('feat(infra): stack');
    // WHEN the tag is computed THEN it names the app commit, so docker-push finds it and skips
    expect(readImageSource(root, inputs, false).tags.map((t) => t.name)).toEqual([
      `sha-${app}-ecr-ecs-fargate`,
    ]);
  });

  it("names another app's image by its own inputs' commit and labels it with its own version", () => {
    // GIVEN a second app under services/billing, committed after hello-world
    commit('feat: hello-world');
    write('services/billing/package.json', '{ "version": "2.3.4" }\n');
    write('services/billing/src/main.ts', 'console.log(3);\n');
    const billing = commit('feat: billing');
    write('apps/hello-world/src/main.ts', 'console.log(4);\n');
    commit('feat: hello-world again');
    // WHEN its source is read from its own inputs
    const app = imageApp('billing', 'services/billing');
    const source = readImageSource(
      root,
      {
        files: ['services/billing/package.json', 'services/billing/src/main.ts'],
        contextFiles: app.contextFiles,
        app,
      },
      false,
    );
    // THEN its tag is its newest commit, not hello-world's, and its version is its package's
    expect(source.tags.map((t) => t.name)).toEqual([`sha-${billing}-ecr-ecs-fargate`]);
    expect(source.version).toBe('2.3.4');
    expect(source.app).toBe(app);
  });

  it('refuses uncommitted changes in the inputs, naming them', () => {
    commit('feat: app');
    write('apps/hello-world/src/main.ts', 'console.log(2);\n');
    expect(() => readImageSource(root, inputs, false)).toThrow(
      "uncommitted changes in the image's inputs (apps/hello-world/src/main.ts): commit them, or pass --allow-dirty",
    );
  });

  it('GIVEN uncommitted inputs without --allow-dirty WHEN read THEN it is a setup problem (exit 2), not a failed build', () => {
    commit('feat: app');
    write('apps/hello-world/src/main.ts', 'console.log(2);\n');
    let error: unknown;
    try {
      readImageSource(root, inputs, false);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: 'environment' });
  });

  it('ignores uncommitted changes outside the inputs', () => {
    const app = commit('feat: app');
    write('docs/notes.md', 'draft\n');
    expect(readImageSource(root, inputs, false).tags[0]?.name).toBe(`sha-${app}-ecr-ecs-fargate`);
  });

  it('builds a dirty tree on request under a dirty tag and revision', () => {
    const app = commit('feat: app');
    write('apps/hello-world/src/main.ts', 'console.log(2);\n');
    const source = readImageSource(root, inputs, true);
    expect(source.tags[0]?.name).toMatch(
      new RegExp(`^sha-${app}-dirty-[0-9a-f]{7}-ecr-ecs-fargate$`),
    );
    expect(source.revision).toMatch(/^[0-9a-f]{40}-dirty$/);
  });

  it('names a dirty build by what goes into the image, not by every edited input', () => {
    // GIVEN a dirty build of one bundle
    commit('feat: app');
    write('dist/main.js', 'bundle 1');
    write('apps/hello-world/src/main.ts', 'console.log(2);\n');
    const first = readImageSource(root, inputs, true).tags[0]?.name;
    // WHEN only a file that the bundle leaves out changes, THEN the tag stays
    write('apps/hello-world/src/x.spec.ts', 'test');
    expect(readImageSource(root, inputs, true).tags[0]?.name).toBe(first);
    // WHEN the bundle or the base image changes, THEN so does the tag
    write('dist/main.js', 'bundle 2');
    expect(readImageSource(root, inputs, true).tags[0]?.name).not.toBe(first);
    expect(readImageSource(root, { ...inputs, baseImage: 'node:25' }, true).tags[0]?.name).not.toBe(
      first,
    );
  });

  it('adds the release tags and version label when HEAD carries a release tag', () => {
    commit('feat: app');
    git('tag', 'v1.2.0-ecr-ecs-fargate');
    const source = readImageSource(root, inputs, false);
    expect(source.tags.map((t) => t.name).slice(1)).toEqual([
      'v1.2.0-ecr-ecs-fargate',
      'v1.2-ecr-ecs-fargate',
      'v1-ecr-ecs-fargate',
    ]);
    expect(source.version).toBe('1.2.0');
  });

  it('labels an ordinary build with the app version and the full input commit sha', () => {
    commit('feat: app');
    const source = readImageSource(root, inputs, false);
    expect(source).toMatchObject({ version: '0.1.0', revision: git('rev-parse', 'HEAD') });
  });
});

describe('toWebUrl', () => {
  it('turns an SSH remote into the repository web address for the source label', () => {
    expect(toWebUrl('git@github.com:acme/hello-world.git')).toBe(
      'https://github.com/acme/hello-world',
    );
  });

  it('drops credentials and .git from an HTTPS remote', () => {
    expect(toWebUrl('https://x-access-token:abc@github.com/acme/hello-world.git')).toBe(
      'https://github.com/acme/hello-world',
    );
  });

  it('gives no address for a local path remote', () => {
    expect(toWebUrl('/work/main')).toBeUndefined();
  });
});
