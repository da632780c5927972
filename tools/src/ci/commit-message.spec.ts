import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace';

const rootPackage = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8'));
const hook = join(workspaceRoot, '.githooks', 'commit-msg');

const commitlintCli = require.resolve('@commitlint/cli/cli.js');

/** commitlint with this repository's config, as CI runs it on a PR title. */
const lint = (message: string) =>
  spawnSync(process.execPath, [commitlintCli], {
    cwd: workspaceRoot,
    input: `${message}\n`,
    encoding: 'utf8',
  });

/** A commit message as Dependabot writes it: header, links, then its metadata and sign-off. */
function dependabotMessage(prefix: string, subject: string): string {
  return [
    `${prefix}: ${subject}`,
    '',
    'Bumps [@aws-sdk/client-cloudformation](https://github.com/aws/aws-sdk-js-v3/tree/HEAD/clients/client-cloudformation) from 3.1164.0 to 3.1165.0.',
    '- [Release notes](https://github.com/aws/aws-sdk-js-v3/releases)',
    '- [Changelog](https://github.com/aws/aws-sdk-js-v3/blob/main/clients/client-cloudformation/CHANGELOG.md)',
    '',
    '---',
    'updated-dependencies:',
    '- dependency-name: "@aws-sdk/client-cloudformation"',
    '  dependency-version: 3.1165.0',
    '  dependency-type: direct:development',
    '  update-type: version-update:semver-minor',
    '  dependency-group: aws-sdk',
    '...',
    '',
    'Signed-off-by: dependabot[bot] <support@github.com>',
  ].join('\n');
}

/** The commit-msg hook itself, as git runs it, on a message file. */
function runHook(message: string) {
  const dir = mkdtempSync(join(tmpdir(), 'commit-msg-'));
  try {
    const file = join(dir, 'COMMIT_EDITMSG');
    writeFileSync(file, `${message}\n`);
    return spawnSync(hook, [file], { cwd: workspaceRoot, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('commit messages: conventional commits via commitlint', () => {
  it.each([
    'feat(hello-world): answer HEAD / as well',
    'fix: keep the URL when the task restarts',
    'fix(aws-ops): wait for the deployment to settle',
    'test(tools): the image runs read-only',
    'feat(ci): pin actions by commit sha',
    'docs: the two CI roles',
    'chore(deps)!: drop Node 22',
    nxJson.release.git.commitMessage.replace('{version}', '1.2.3'),
  ])(
    'accepts %j',
    (message) => {
      const run = lint(message);
      expect(run.stdout + run.stderr).not.toContain('✖');
      expect(run.status).toBe(0);
    },
    30_000,
  );

  // Dependabot, as .github/dependabot.yml configures it: prefix ci or build, include: scope
  it.each([
    ['ci(deps)', 'bump actions/checkout from 6.0.1 to 6.1.0'],
    ['build(deps)', 'bump koa from 3.3.0 to 3.3.1'],
    ['build(deps-dev)', 'bump the nx group with 9 updates'],
  ])(
    "accepts Dependabot's %s: %s, with its links, metadata and sign-off",
    (prefix, subject) => {
      const run = lint(dependabotMessage(prefix, subject));
      expect(run.stdout + run.stderr).not.toContain('✖');
      expect(run.status).toBe(0);
    },
    30_000,
  );

  it.each([
    ['Added stuff', 'type-empty'],
    ['feature: add x', 'type-enum'],
    ['feat: ', 'subject-empty'],
    [`feat: ${'x'.repeat(150)}`, 'header-max-length'],
    ['feat(app): answer HEAD / as well', 'scope-enum'],
    ['test(app): the service answers on 49000', 'scope-enum'],
  ])(
    'rejects %j (%s)',
    (message, rule) => {
      const run = lint(message);
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toContain(`[${rule}]`);
    },
    30_000,
  );
});

describe('the hook is installed by npm ci', () => {
  const prepare: string = rootPackage.scripts.prepare;
  const runPrepare = (cwd: string) => spawnSync('sh', ['-c', prepare], { cwd, encoding: 'utf8' });

  it('ships an executable commit-msg hook', () => {
    expect(() => accessSync(hook, constants.X_OK)).not.toThrow();
  });

  it('the hook passes a conventional message and stops any other commit', () => {
    // GIVEN the hook as git runs it  WHEN given a message file  THEN exit 0, or 1 with the rule
    expect(runHook('feat(hello-world): answer HEAD / as well').status).toBe(0);
    const rejected = runHook('Added stuff');
    expect(rejected.status).toBe(1);
    expect(rejected.stdout + rejected.stderr).toContain('[type-empty]');
  }, 30_000);

  it('points git at .githooks in a git checkout', () => {
    // GIVEN a fresh git repository  WHEN the prepare script runs  THEN core.hooksPath is .githooks
    const dir = mkdtempSync(join(tmpdir(), 'prepare-git-'));
    try {
      spawnSync('git', ['init', '--quiet'], { cwd: dir });
      expect(runPrepare(dir).status).toBe(0);
      const hooksPath = spawnSync('git', ['config', '--get', 'core.hooksPath'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(hooksPath.stdout.trim()).toBe('.githooks');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('succeeds quietly outside a git checkout (e.g. a Docker build)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prepare-plain-'));
    try {
      const run = runPrepare(dir);
      expect(run.status).toBe(0);
      expect(run.stdout + run.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
