import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '../image/workspace';
import {
  WORKFLOWS_DIR,
  listActionReferences,
  listWorkflowFiles,
  readWorkflow,
  type Workflow,
  type WorkflowJob,
} from './workflows';

const validatorCli = require.resolve('@action-validator/cli/cli.mjs');

/** Runs the real @action-validator/cli (GitHub's workflow JSON schema) on one file. */
function validate(path: string) {
  return spawnSync(process.execPath, [validatorCli, path], { encoding: 'utf8' });
}

const files = listWorkflowFiles(workspaceRoot);
const workflow = (file: string): Workflow => readWorkflow(workspaceRoot, file);
const allSteps = (job: WorkflowJob) => job.steps ?? [];
const runText = (job: WorkflowJob) =>
  allSteps(job)
    .map((s) => s.run ?? '')
    .join('\n');
const usesOf = (job: WorkflowJob) => allSteps(job).flatMap((s) => (s.uses ? [s.uses] : []));
const group = (job: WorkflowJob) =>
  typeof job.concurrency === 'string' ? job.concurrency : job.concurrency?.group;
const environmentName = (job: WorkflowJob) =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;

describe('workflow files against the GitHub Actions schema', () => {
  it('finds the three workflows', () => {
    expect(files).toEqual(['ci.yml', 'deploy.yml', 'release.yml']);
  });

  it.each(files)(
    '%s is a valid workflow',
    (file) => {
      // GIVEN a workflow file  WHEN action-validator checks it  THEN it exits 0 with no errors
      const run = validate(join(workspaceRoot, WORKFLOWS_DIR, file));
      expect(run.stdout + run.stderr).toBe('');
      expect(run.status).toBe(0);
    },
    30_000,
  );

  it('rejects a workflow with a misspelt key (the check can fail)', () => {
    // GIVEN ci.yml with runs-on misspelt  WHEN validated  THEN exit 1 naming the job
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    try {
      const broken = readFileSync(join(workspaceRoot, WORKFLOWS_DIR, 'ci.yml'), 'utf8').replace(
        'runs-on:',
        'runs-onn:',
      );
      writeFileSync(join(dir, 'ci.yml'), broken);
      const run = validate(join(dir, 'ci.yml'));
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toContain("Additional property 'runs-onn' is not allowed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it.each(files)('%s pins every action to a released major or full version', (file) => {
    for (const ref of listActionReferences(workflow(file))) {
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@v\d+(\.\d+){0,2}$/);
    }
  });
});

describe('ci.yml: pull requests and pushes, no AWS', () => {
  const ci = workflow('ci.yml');
  const jobs = Object.values(ci.jobs);

  it('runs on pull requests and pushes to main', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on['push']).toEqual({ branches: ['main'] });
  });

  it('can neither request an OIDC token nor use AWS actions', () => {
    expect(JSON.stringify(ci)).not.toContain('id-token');
    expect(jobs.flatMap(usesOf).filter((uses) => uses.startsWith('aws-actions/'))).toEqual([]);
    expect(ci.permissions).toEqual({ contents: 'read', actions: 'read' });
  });

  it('installs Node from .nvmrc (24) with the npm cache, then npm ci', () => {
    for (const job of jobs) {
      const setup = allSteps(job).find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setup?.with).toEqual({ 'node-version-file': '.nvmrc', cache: 'npm' });
      expect(runText(job)).toContain('npm ci');
    }
    expect(readFileSync(join(workspaceRoot, '.nvmrc'), 'utf8').trim()).toBe('24');
  });

  it('checks format and runs lint, typecheck, test, build and synth on affected projects', () => {
    const checks = ci.jobs['checks'];
    expect(usesOf(checks)).toContain('nrwl/nx-set-shas@v5');
    expect(runText(checks)).toContain('npm run format:check');
    expect(runText(checks)).toContain('npx nx affected -t lint typecheck test build synth');
    expect(runText(checks)).toContain('npx nx run tools:shellcheck');
  });

  it('builds the container image and runs the engine tests when the app is affected', () => {
    expect(runText(ci.jobs['container'])).toContain(
      'npx nx affected -t docker-build container-test',
    );
  });

  it('checks the PR title and the commits with commitlint, the title through env only', () => {
    const commits = ci.jobs['commits'];
    const title = allSteps(commits).find((s) => s.name === 'Pull request title');
    expect(title?.run).toContain('npx commitlint');
    expect(title?.run).not.toContain('${{');
    expect(runText(commits)).toContain('npx commitlint --from "$BASE_SHA" --to "$HEAD_SHA"');
  });
});

describe('release.yml: lint and test → build → GitHub release → docker → deploy', () => {
  const release = workflow('release.yml');

  it('runs on release tags and by hand', () => {
    expect(Object.keys(release.on).sort()).toEqual(['push', 'workflow_dispatch']);
  });

  it('chains the stages in the reference order', () => {
    expect(release.jobs['build'].needs).toBe('verify');
    expect(release.jobs['github-release'].needs).toEqual(['verify', 'build']);
    expect(release.jobs['docker'].needs).toBe('github-release');
    expect(release.jobs['deploy'].needs).toBe('docker');
  });

  it('grants the OIDC token and write access only to the jobs that need them', () => {
    const withToken = Object.entries(release.jobs)
      .filter(([, job]) => job.permissions?.['id-token'] === 'write')
      .map(([id]) => id);
    expect(withToken).toEqual(['docker', 'deploy']);
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(release.jobs['github-release'].permissions).toEqual({ contents: 'write' });
  });

  it('assumes the role from the AWS_ROLE_ARN variable, never from stored keys', () => {
    for (const id of ['docker', 'deploy']) {
      const step = allSteps(release.jobs[id]).find((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect(step?.with?.['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN }}');
      expect(JSON.stringify(step)).not.toMatch(/access-key|secrets\./);
    }
  });

  it('pushes with docker-push and a layer cache, then deploys that tag in the protected environment', () => {
    expect(runText(release.jobs['docker'])).toContain('npx nx run hello-world:docker-push');
    expect(usesOf(release.jobs['docker'])).toContain('docker/setup-buildx-action@v3');
    const deploy = release.jobs['deploy'];
    expect(environmentName(deploy)).toBe('production');
    expect(runText(deploy)).toContain(
      'npx nx run infra:deploy --output-style=stream -- --image-tag="$RELEASE_TAG" --json',
    );
    expect(runText(deploy)).toContain('write-deploy-summary.ts');
  });
});

describe('deploy.yml: continuous deployment from main, off by default', () => {
  const deploy = workflow('deploy.yml');

  it('runs every job only when the CONTINUOUS_DEPLOY variable is "true"', () => {
    for (const job of Object.values(deploy.jobs)) {
      expect(job.if).toBe("vars.CONTINUOUS_DEPLOY == 'true'");
    }
  });

  it('deploys what changed with nx affected -t deploy in the protected environment', () => {
    expect(runText(deploy.jobs['deploy'])).toContain('npx nx affected -t deploy');
    expect(environmentName(deploy.jobs['deploy'])).toBe('production');
  });

  it('shares one never-cancelled concurrency group with the release deploy', () => {
    const release = workflow('release.yml');
    expect(group(deploy.jobs['deploy'])).toBe(group(release.jobs['deploy']));
    for (const job of [deploy.jobs['deploy'], release.jobs['deploy']]) {
      expect(job.concurrency).toEqual(expect.objectContaining({ 'cancel-in-progress': false }));
    }
  });
});
