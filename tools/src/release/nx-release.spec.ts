import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { workspaceRoot } from '../workspace';

/**
 * `nx release --dry-run` for real, in a throwaway clone of this repository with the working
 * tree's nx.json: the version comes from the last release tag and the conventional commits after it.
 */
describe('nx release (dry run in a clone)', () => {
  let clone: string;
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd: clone,
      encoding: 'utf8',
    });

  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), 'nx-release-'));
    const cloned = spawnSync('git', ['clone', '--quiet', workspaceRoot, clone], {
      encoding: 'utf8',
    });
    if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
    symlinkSync(join(workspaceRoot, 'node_modules'), join(clone, 'node_modules'));
    copyFileSync(join(workspaceRoot, 'nx.json'), join(clone, 'nx.json'));
    // Only the tag under test: real release tags would be newer than it.
    const tags = git('tag', '--list').stdout.split('\n').filter(Boolean);
    if (tags.length > 0) git('tag', '--delete', ...tags);
    git('commit', '--quiet', '--allow-empty', '-am', 'chore: release config under test');
    git('tag', 'v0.3.0-ecr-ecs-fargate');
    writeFileSync(join(clone, 'apps', 'hello-world', 'src', 'release-probe.ts'), 'export {};\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'fix(app): a fix after the release');
  });

  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  it('bumps from the last v{version}-ecr-ecs-fargate tag by the commits since, and tags the same way', () => {
    // GIVEN tag v0.3.0-ecr-ecs-fargate and a fix(app) commit after it
    // WHEN nx release --dry-run runs  THEN 0.3.1 is previewed under tag v0.3.1-ecr-ecs-fargate
    const run = spawnSync(
      process.execPath,
      [require.resolve('nx/bin/nx.js'), 'release', '--skip-publish', '--dry-run'],
      {
        cwd: clone,
        encoding: 'utf8',
        env: {
          ...process.env,
          NX_DAEMON: 'false',
          NX_NO_CLOUD: 'true',
          NX_TUI: 'false',
          FORCE_COLOR: '0',
        },
      },
    );
    // Nx colours its output when it thinks it has a terminal; compare the text only.
    const output = stripVTControlCharacters(run.stdout + run.stderr);
    expect(run.status).toBe(0);
    expect(output).toContain(
      'Resolved the current version as 0.3.0 from git tag "v0.3.0-ecr-ecs-fargate"',
    );
    expect(output).toContain('new version 0.3.1');
    expect(output).toContain('Previewing an entry in CHANGELOG.md for v0.3.1-ecr-ecs-fargate');
    expect(output).toContain('a fix after the release');
  }, 120_000);
});
