import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { workspaceRoot } from '../workspace';
import { readReleaseVersion } from '../release/release-tag';
import { isImageTag } from '@hello-world/shared';
import {
  DEPLOY_ROLE_VARIABLE,
  PUBLISH_ROLE_VARIABLE,
  allNeeds,
  assumedRoleVariable,
  checkActionPins,
  checkAdministratorTargets,
  checkCredentialsLast,
  checkDependabot,
  checkDeploysOnlyFromMain,
  checkPipefail,
  checkPrivilegedJob,
  checkReleaseRefs,
  checkRoleUse,
  collectPins,
  isPrivileged,
  readDependabot,
  readWorkspacePackages,
  type DependabotConfig,
} from './workflow-rules';
import {
  WORKFLOWS_DIR,
  listWorkflowFiles,
  readWorkflow,
  type Workflow,
  type WorkflowJob,
  type WorkflowStep,
} from './workflows';

const validatorCli = require.resolve('@action-validator/cli/cli.mjs');

/** Runs the real @action-validator/cli (GitHub's workflow JSON schema) on one file. */
function validate(path: string) {
  return spawnSync(process.execPath, [validatorCli, path], { encoding: 'utf8' });
}

const files = listWorkflowFiles(workspaceRoot);
const workflow = (file: string): Workflow => readWorkflow(workspaceRoot, file);
const text = (file: string) => readFileSync(join(workspaceRoot, WORKFLOWS_DIR, file), 'utf8');
/** A deep copy to break on purpose: each rule must reject something. */
const copy = (file: string): Workflow => structuredClone(workflow(file));
const allSteps = (job: WorkflowJob) => job.steps ?? [];
const runText = (job: WorkflowJob) =>
  allSteps(job)
    .map((s) => s.run ?? '')
    .join('\n');
const usesOf = (job: WorkflowJob) => allSteps(job).flatMap((s) => (s.uses ? [s.uses] : []));
const stepUsing = (job: WorkflowJob, action: string) =>
  allSteps(job).find((s) => s.uses?.startsWith(`${action}@`)) as WorkflowStep;
const stepNamed = (job: WorkflowJob, name: string) =>
  allSteps(job).find((s) => s.name === name) as WorkflowStep;
const group = (job: WorkflowJob) =>
  typeof job.concurrency === 'string' ? job.concurrency : job.concurrency?.group;
const environmentName = (job: WorkflowJob) =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;
/** Every job of every workflow as [file, id, job, workflow]. */
const everyJob = files.flatMap((file) =>
  Object.entries(workflow(file).jobs).map(
    ([id, job]) => [file, id, job, workflow(file)] as [string, string, WorkflowJob, Workflow],
  ),
);

describe('workflow files against the GitHub Actions schema', () => {
  it('finds the six workflows', () => {
    expect(files).toEqual([
      'ci.yml',
      'deploy.yml',
      'preview-sweep.yml',
      'preview.yml',
      'release.yml',
      'rollback.yml',
    ]);
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
      const broken = text('ci.yml').replace('runs-on:', 'runs-onn:');
      writeFileSync(join(dir, 'ci.yml'), broken);
      const run = validate(join(dir, 'ci.yml'));
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toContain("Additional property 'runs-onn' is not allowed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('actions pinned to full commit shas', () => {
  it.each(files)('%s pins every action to a 40-hex sha with its version in a comment', (file) => {
    expect(checkActionPins(text(file))).toEqual([]);
  });

  it('pins each action to one sha and version across the workflows', () => {
    const pins = collectPins(files.map(text));
    expect([...pins.keys()].sort()).toEqual([
      'actions/checkout',
      'actions/download-artifact',
      'actions/github-script',
      'actions/setup-node',
      'actions/upload-artifact',
      'aws-actions/configure-aws-credentials',
      'docker/setup-buildx-action',
      'nrwl/nx-set-shas',
    ]);
    for (const [action, seen] of pins) {
      expect([action, seen.size]).toEqual([action, 1]);
    }
  });

  it.each([
    ['a tag', 'actions/checkout@v6'],
    ['a tag with a comment', 'actions/checkout@v6 # v6.1.0'],
    ['a short sha', 'actions/checkout@d23441a # v6.1.0'],
    ['a sha without its version', 'actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803'],
    ['a branch', 'actions/checkout@main # v6.1.0'],
    [
      'a major-only version comment',
      'actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6',
    ],
  ])('rejects %s (the rule can fail)', (_, uses) => {
    // GIVEN ci.yml with its first checkout pinned another way  WHEN checked  THEN it is named
    const mutated = text('ci.yml').replace(/actions\/checkout@[0-9a-f]{40} # v[\d.]+/, uses);
    expect(checkActionPins(mutated)).toEqual([
      `uses: ${uses} is not pinned as owner/repo@<40-hex sha> # vX.Y.Z`,
    ]);
  });

  it('rejects a uses: the line scan cannot read, rather than missing it', () => {
    // GIVEN a step written in flow style  WHEN checked  THEN the count no longer agrees
    const mutated = text('ci.yml').replace(
      '      - name: Format check',
      "      - { uses: 'actions/checkout@v6' }\n      - name: Format check",
    );
    expect(checkActionPins(mutated)).toEqual([
      expect.stringMatching(/actions are used but .* plain "uses:" lines were found/),
    ]);
  });

  it('rejects two pins of one action (Dependabot bumps them together)', () => {
    const older = text('ci.yml').replace(
      /actions\/setup-node@[0-9a-f]{40} # v[\d.]+/,
      'actions/setup-node@2028fbc5c25fe9cf00d9f06a71cc4710d4507903 # v6.0.0',
    );
    expect(collectPins([older, text('deploy.yml')]).get('actions/setup-node')?.size).toBe(2);
  });
});

describe('privileged jobs: repository writes and OIDC tokens', () => {
  const privileged = everyJob.filter(([, , job, wf]) => isPrivileged(wf, job));

  it('are exactly the GitHub release job and the jobs that assume an AWS role', () => {
    expect(privileged.map(([file, id]) => `${file} › ${id}`)).toEqual([
      'deploy.yml › publish',
      'deploy.yml › deploy',
      'preview-sweep.yml › list',
      'preview-sweep.yml › destroy',
      'preview.yml › deploy',
      'preview.yml › destroy',
      'release.yml › github-release',
      'release.yml › promote',
      'rollback.yml › rollback',
      'rollback.yml › abort',
    ]);
  });

  it.each(privileged.map(([file, id, job]) => [`${file} › ${id}`, id, job] as const))(
    '%s checks out without persisting the token and installs without lifecycle scripts',
    (_, id, job) => {
      expect(checkPrivilegedJob(id, job)).toEqual([]);
    },
  );

  it.each(everyJob.map(([file, id, job]) => [`${file} › ${id}`, id, job] as const))(
    '%s runs no action after the AWS credentials are configured',
    (_, id, job) => {
      expect(checkCredentialsLast(id, job)).toEqual([]);
    },
  );

  it('every workflow declares its token permissions; every job installs as the privileged ones do', () => {
    // The unprivileged jobs follow the same rules, so CI proves what the releases run.
    for (const file of files) expect(workflow(file).permissions).toBeDefined();
    for (const [, id, job] of everyJob) expect(checkPrivilegedJob(id, job)).toEqual([]);
  });

  it('rejects a persisted token, npm ci with scripts and a later action (the rules can fail)', () => {
    // GIVEN the continuous deploy's publish job broken three ways
    const docker = copy('deploy.yml').jobs['publish'] as WorkflowJob;
    delete stepUsing(docker, 'actions/checkout').with?.['persist-credentials'];
    const install = allSteps(docker).find((s) => s.run?.startsWith('npm ci')) as WorkflowStep;
    install.run = 'npm ci';
    const steps = allSteps(docker);
    const buildx = steps.findIndex((s) => s.uses?.startsWith('docker/setup-buildx-action@'));
    steps.push(...steps.splice(buildx, 1));
    // WHEN checked  THEN each is named
    expect(checkPrivilegedJob('docker', docker)).toEqual([
      'docker: actions/checkout without persist-credentials: false',
      'docker: "npm ci" runs install scripts (add --ignore-scripts)',
    ]);
    expect(checkCredentialsLast('docker', docker)).toEqual([
      expect.stringMatching(
        /^docker: docker\/setup-buildx-action@\w+ runs after the AWS credentials/,
      ),
    ]);
    // AND an install of one package counts too
    install.run = 'npm ci --ignore-scripts && npm install left-pad';
    expect(checkPrivilegedJob('docker', docker)).toContain(
      'docker: "npm install left-pad" runs install scripts (add --ignore-scripts)',
    );
  });

  it('counts a job with no permissions anywhere as privileged (the repository default applies)', () => {
    const ci = copy('ci.yml');
    expect(isPrivileged(ci, ci.jobs['checks'] as WorkflowJob)).toBe(false);
    delete ci.permissions;
    expect(isPrivileged(ci, ci.jobs['checks'] as WorkflowJob)).toBe(true);
  });
});

describe('two AWS roles: publish pushes images, deploy changes the service stack', () => {
  const roleOf = (variable: string) =>
    everyJob
      .filter(([, , job]) => assumedRoleVariable(job) === variable)
      .map(([file, id]) => `${file} › ${id}`);

  it('publish jobs assume AWS_PUBLISH_ROLE_ARN, deploy jobs AWS_DEPLOY_ROLE_ARN, none any other', () => {
    expect(roleOf(PUBLISH_ROLE_VARIABLE)).toEqual(['deploy.yml › publish']);
    expect(roleOf(DEPLOY_ROLE_VARIABLE)).toEqual([
      'deploy.yml › deploy',
      'preview-sweep.yml › list',
      'preview-sweep.yml › destroy',
      'preview.yml › deploy',
      'preview.yml › destroy',
      'release.yml › promote',
      'rollback.yml › rollback',
      'rollback.yml › abort',
    ]);
  });

  it('assumes each deploy role in its own GitHub environment', () => {
    const environments = everyJob
      .filter(([, , job]) => assumedRoleVariable(job) === DEPLOY_ROLE_VARIABLE)
      .map(([file, id, job]) => `${file} › ${id} › ${environmentName(job)}`);
    expect(environments).toEqual([
      'deploy.yml › deploy › staging',
      'preview-sweep.yml › list › preview',
      'preview-sweep.yml › destroy › preview',
      'preview.yml › deploy › preview',
      'preview.yml › destroy › preview',
      'release.yml › promote › production',
      'rollback.yml › rollback › production',
      'rollback.yml › abort › production',
    ]);
  });

  it.each(everyJob.map(([file, id, job, wf]) => [`${file} › ${id}`, id, job, wf] as const))(
    '%s uses its role only as that role allows',
    (_, id, job, wf) => {
      expect(checkRoleUse(id, job, wf.env)).toEqual([]);
    },
  );

  it.each(files)('%s never deploys the registry or CI stacks, nor reads AWS_ROLE_ARN', (file) => {
    expect(checkAdministratorTargets(workflow(file))).toEqual([]);
  });

  it('rejects a publish job that deploys or runs in an environment (the rule can fail)', () => {
    const docker = copy('deploy.yml').jobs['publish'] as WorkflowJob;
    stepNamed(docker, 'Push the image unless its tag is in ECR').run =
      'npx nx run hello-world:docker-push';
    docker.environment = 'staging';
    expect(checkRoleUse('docker', docker)).toEqual([
      'docker: the publish role trusts refs, not environments: drop the environment',
      'docker: the publish role deploys no stack',
    ]);
  });

  it('rejects a deploy job that deploys everything, or outside its environment (the rule can fail)', () => {
    const preview = copy('preview.yml');
    const deploy = preview.jobs['deploy'] as WorkflowJob;
    stepNamed(deploy, 'Deploy the preview').run =
      'npx nx run infra:deploy -- --image-tag="$DEPLOY_IMAGE_TAG" --json';
    expect(checkRoleUse('deploy', deploy, preview.env)).toEqual([
      'deploy: "npx nx run infra:deploy -- --image-tag="$DEPLOY_IMAGE_TAG" --json" must be --service-only --image-tag=<published tag>',
      'deploy: "npx nx run infra:deploy -- --image-tag="$DEPLOY_IMAGE_TAG" --json" must run with --exclude-task-dependencies: deploy-registry and docker-push, the tasks before deploy, are not the deploy role\'s',
    ]);
    delete deploy.environment;
    expect(checkRoleUse('deploy', deploy, preview.env)).toEqual([
      'deploy: the deploy role is trusted only in environments staging, production, preview',
    ]);
  });

  it("rejects a deploy job acting on another environment's stacks (the rule can fail)", () => {
    // GIVEN staging's deploy made to deploy production, and a preview job made to act on staging
    const staging = copy('deploy.yml');
    const deploy = staging.jobs['deploy'] as WorkflowJob;
    expect(checkRoleUse('deploy', deploy, { ...staging.env, DEPLOY_ENV: 'production' })).toEqual([
      'deploy: DEPLOY_ENV "production" is not the stacks of environment staging',
    ]);
    const preview = copy('preview.yml');
    expect(
      checkRoleUse('destroy', preview.jobs['destroy'] as WorkflowJob, {
        ...preview.env,
        DEPLOY_ENV: 'staging',
      }),
    ).toEqual(['destroy: DEPLOY_ENV "staging" is not the stacks of environment preview']);
  });

  it('rejects a deploy in production, a promotion elsewhere and a destroy of more than a preview (the rules can fail)', () => {
    const release = copy('release.yml');
    const promote = release.jobs['promote'] as WorkflowJob;
    stepNamed(promote, 'Promote').run =
      'npx nx run infra:deploy --exclude-task-dependencies -- --service-only --image-tag="$RELEASE_IMAGE" --json';
    expect(checkRoleUse('promote', promote, release.env)).toContain(
      "promote: production never deploys a build: promote staging's image (infra:promote --from=staging --to=production)",
    );
    const staging = copy('deploy.yml');
    const deploy = staging.jobs['deploy'] as WorkflowJob;
    stepNamed(deploy, 'Deploy what changed').run =
      'npx nx run infra:promote --exclude-task-dependencies -- --from=staging --to=production';
    expect(checkRoleUse('deploy', deploy, staging.env)).toEqual([
      'deploy: "npx nx run infra:promote --exclude-task-dependencies -- --from=staging --to=production" promotes outside environment production',
    ]);
    const preview = copy('preview.yml');
    const destroy = preview.jobs['destroy'] as WorkflowJob;
    stepNamed(destroy, 'Destroy the preview').run =
      'npx nx run infra:destroy -- --env="$PREVIEW_ENV" --yes --delete-images';
    expect(checkRoleUse('destroy', destroy, preview.env)).toEqual([
      'destroy: "npx nx run infra:destroy -- --env="$PREVIEW_ENV" --yes --delete-images" must destroy --env="$PREVIEW_ENV" --yes, and never --delete-images',
    ]);
    stepNamed(destroy, 'Destroy the preview').run =
      'npx nx run infra:destroy -- --env=staging --yes';
    expect(checkRoleUse('destroy', destroy, preview.env)).toEqual([
      'destroy: "npx nx run infra:destroy -- --env=staging --yes" must destroy --env="$PREVIEW_ENV" --yes, and never --delete-images',
    ]);
  });

  it('rejects a deploy-role job that builds or pushes an image (the rule can fail)', () => {
    const release = copy('release.yml');
    const promote = release.jobs['promote'] as WorkflowJob;
    (promote.steps as WorkflowStep[]).splice(4, 0, {
      name: 'Build',
      run: 'npx tsx libs/image/src/docker-push.ts',
    });
    expect(checkRoleUse('promote', promote, release.env)).toEqual([
      'promote: the deploy role builds and pushes nothing',
    ]);
    // AND the preview role pushes its image with docker-push.ts itself, nothing else
    const preview = copy('preview.yml');
    const deploy = preview.jobs['deploy'] as WorkflowJob;
    stepNamed(deploy, 'Push the image unless its tag is in ECR').run =
      'npx nx run hello-world:docker-push';
    expect(checkRoleUse('deploy', deploy, preview.env)).toEqual([
      'deploy: the preview role pushes the pull request\'s image with docker-push.ts --env="$PREVIEW_ENV" itself (into the previews\' repository), and builds or deploys nothing else',
    ]);
  });

  it("rejects a preview push that does not name the preview's environment (the rule can fail)", () => {
    // GIVEN the preview's push without --env, which would leave the repository to whatever
    // DEPLOY_ENV says
    const preview = copy('preview.yml');
    const deploy = preview.jobs['deploy'] as WorkflowJob;
    stepNamed(deploy, 'Push the image unless its tag is in ECR').run =
      'npx tsx libs/image/src/docker-push.ts | tee "$RUNNER_TEMP/push.log"';
    // WHEN checked  THEN refused: the push must name pr-<number>, whose repository is the previews'
    expect(checkRoleUse('deploy', deploy, preview.env)).toEqual([
      'deploy: the preview role pushes the pull request\'s image with docker-push.ts --env="$PREVIEW_ENV" itself (into the previews\' repository), and builds or deploys nothing else',
    ]);
  });

  it('rejects a deploy job that deploys without building and synthesizing first (the rule can fail)', () => {
    const preview = copy('preview.yml');
    const deploy = preview.jobs['deploy'] as WorkflowJob;
    stepNamed(
      deploy,
      'Build the app bundle and synthesize the stacks (before any credentials)',
    ).run = 'echo skipped';
    expect(checkRoleUse('deploy', deploy, preview.env)).toEqual([
      'deploy: build and synth (nx run-many -t build synth) must run before the deploy',
    ]);
  });

  it('rejects a deploy job whose deploy would run the chain before it (the rule can fail)', () => {
    // GIVEN the preview deploy without --exclude-task-dependencies: Nx would run deploy-registry
    // and docker-push first, with the deploy role's credentials
    const preview = copy('preview.yml');
    const deploy = preview.jobs['deploy'] as WorkflowJob;
    stepNamed(deploy, 'Deploy the preview').run =
      'npx nx run infra:deploy -- --service-only --image-tag="$DEPLOY_IMAGE_TAG" --json';
    expect(checkRoleUse('deploy', deploy, preview.env)).toEqual([
      'deploy: "npx nx run infra:deploy -- --service-only --image-tag="$DEPLOY_IMAGE_TAG" --json" must run with --exclude-task-dependencies: deploy-registry and docker-push, the tasks before deploy, are not the deploy role\'s',
    ]);
  });

  it('rejects a deploy-role job running another ops command, or nothing (the rule can fail)', () => {
    // GIVEN the rollback job made to destroy the stack, then to run a command read from a variable
    const rollbackWorkflow = copy('rollback.yml');
    const rollback = rollbackWorkflow.jobs['rollback'] as WorkflowJob;
    const ops = stepNamed(rollback, 'Roll back');
    ops.run = 'cd apps/infra\nnpx tsx ../../libs/fargate/src/ops/main.ts destroy --yes';
    expect(checkRoleUse('rollback', rollback, rollbackWorkflow.env)).toEqual([
      'rollback: "npx tsx ../../libs/fargate/src/ops/main.ts destroy --yes" runs ops command "destroy": the deploy role runs only rollback and abort',
    ]);
    ops.run = 'npx tsx ../../libs/fargate/src/ops/main.ts "$COMMAND" --json';
    expect(checkRoleUse('rollback', rollback, rollbackWorkflow.env)).toEqual([
      'rollback: "npx tsx ../../libs/fargate/src/ops/main.ts "$COMMAND" --json" runs ops command ""$COMMAND"": the deploy role runs only rollback and abort',
    ]);
    // AND with the command gone, the role is assumed for nothing
    ops.run = 'echo nothing';
    expect(checkRoleUse('rollback', rollback, rollbackWorkflow.env)).toEqual([
      'rollback: assumes the deploy role but deploys, promotes, destroys, rolls back, aborts or lists nothing',
    ]);
  });

  it('rejects a role check naming another variable, and the old single role (the rules can fail)', () => {
    const release = copy('release.yml');
    const deploy = release.jobs['promote'] as WorkflowJob;
    (allSteps(deploy)[0] as WorkflowStep).if = "vars.AWS_PUBLISH_ROLE_ARN == ''";
    expect(checkRoleUse('promote', deploy, release.env)).toEqual([
      'promote: the first step must fail naming AWS_DEPLOY_ROLE_ARN when it is not set',
    ]);
    const credentials = stepUsing(deploy, 'aws-actions/configure-aws-credentials');
    (credentials.with as Record<string, unknown>)['role-to-assume'] = '${{ vars.AWS_ROLE_ARN }}';
    expect(checkRoleUse('promote', deploy, release.env)).toContain(
      'promote: assumes AWS_ROLE_ARN, neither AWS_PUBLISH_ROLE_ARN nor AWS_DEPLOY_ROLE_ARN',
    );
    expect(checkAdministratorTargets(release)).toEqual([
      'reads vars.AWS_ROLE_ARN: use AWS_PUBLISH_ROLE_ARN or AWS_DEPLOY_ROLE_ARN',
    ]);
  });

  it('rejects a workflow that deploys the registry stack (the rule can fail)', () => {
    const release = copy('release.yml');
    stepNamed(
      release.jobs['build'] as WorkflowJob,
      'Build the app bundle and synthesize the stacks',
    ).run = 'npx nx run infra:deploy-registry';
    expect(checkAdministratorTargets(release)).toEqual([
      "runs deploy-registry, an administrator's target",
    ]);
  });
});

describe('pipes fail the step', () => {
  it.each(files)('%s runs its scripts in explicit bash (-o pipefail)', (file) => {
    expect(workflow(file).defaults?.run?.shell).toBe('bash');
    expect(checkPipefail(workflow(file))).toEqual([]);
  });

  it('rejects `deploy | tee` in the default shell, which would pass a failed deploy', () => {
    const release = copy('release.yml');
    delete release.defaults;
    expect(checkPipefail(release)).toContain('promote › Promote: a pipe without pipefail');
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
      expect(stepUsing(job, 'actions/setup-node').with).toEqual({
        'node-version-file': '.nvmrc',
        cache: 'npm',
      });
      expect(runText(job)).toContain('npm ci --ignore-scripts');
    }
    expect(readFileSync(join(workspaceRoot, '.nvmrc'), 'utf8').trim()).toBe('24');
  });

  it('checks format and runs lint, typecheck, test, build and synth on affected projects', () => {
    const checks = ci.jobs['checks'] as WorkflowJob;
    expect(stepUsing(checks, 'nrwl/nx-set-shas')).toBeDefined();
    expect(runText(checks)).toContain('npm run format:check');
    expect(runText(checks)).toContain('npx nx affected -t lint typecheck test build synth');
    expect(runText(checks)).toContain('npx nx run tools:shellcheck');
  });

  it('builds the container image and runs the engine tests when the app is affected', () => {
    expect(runText(ci.jobs['container'] as WorkflowJob)).toContain(
      'npx nx affected -t docker-build container-test',
    );
  });

  it('checks the PR title and the commits with commitlint, the title through env only', () => {
    const commits = ci.jobs['commits'] as WorkflowJob;
    const title = stepNamed(commits, 'Pull request title');
    expect(title.run).toContain('npx commitlint');
    expect(title.run).not.toContain('${{');
    expect(runText(commits)).toContain('npx commitlint --from "$BASE_SHA" --to "$HEAD_SHA"');
  });
});

describe('release.yml: tag check, lint and test → build → GitHub release → promote', () => {
  const release = workflow('release.yml');
  const jobs = release.jobs as Record<string, WorkflowJob>;

  it('runs on release tags and by hand', () => {
    expect(Object.keys(release.on).sort()).toEqual(['push', 'workflow_dispatch']);
  });

  it('chains the stages in the reference order, every one after the tag check', () => {
    expect(Object.keys(jobs)).toEqual(['verify', 'build', 'github-release', 'promote']);
    expect(jobs['build']?.needs).toBe('verify');
    expect(jobs['github-release']?.needs).toEqual(['verify', 'build']);
    expect(jobs['promote']?.needs).toEqual(['verify', 'build', 'github-release']);
    for (const id of Object.keys(jobs).filter((id) => id !== 'verify')) {
      expect([id, allNeeds(release, id).has('verify')]).toEqual([id, true]);
    }
  });

  it('grants the OIDC token and write access only to the jobs that need them', () => {
    const withToken = Object.entries(jobs)
      .filter(([, job]) => job.permissions?.['id-token'] === 'write')
      .map(([id]) => id);
    expect(withToken).toEqual(['promote']);
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(jobs['github-release']?.permissions).toEqual({ contents: 'write' });
  });

  it('the job that writes to the repository checks out nothing and runs no npm', () => {
    const github = jobs['github-release'] as WorkflowJob;
    expect(usesOf(github).map((u) => u.split('@')[0])).toEqual(['actions/download-artifact']);
    expect(runText(github)).not.toMatch(/\bnpm|npx\b/);
    expect(runText(github)).toContain('--notes-file artifacts/release-notes.md');
    expect(runText(jobs['build'] as WorkflowJob)).toContain(
      'write-release-notes.ts "$VERSION" CHANGELOG.md > dist/release-notes.md',
    );
  });

  it('checks the tag first, then checks out refs/tags/<tag> in every job', () => {
    expect(checkReleaseRefs(release)).toEqual([]);
    const verify = jobs['verify'] as WorkflowJob;
    expect(allSteps(verify)[1]?.uses).toMatch(/^actions\/checkout@/);
    expect(runText(verify)).toContain(
      'git rev-parse --verify --quiet "refs/tags/$RELEASE_TAG^{commit}"',
    );
    expect(runText(verify)).toContain(
      'npx tsx tools/src/release/read-release-tag.ts "$RELEASE_TAG"',
    );
  });

  it('rejects a checkout of a bare name, and a tag check after the checkout (the rule can fail)', () => {
    const mutated = structuredClone(release);
    const build = mutated.jobs['build'] as WorkflowJob;
    (stepUsing(build, 'actions/checkout').with as Record<string, unknown>)['ref'] =
      '${{ env.RELEASE_TAG }}';
    const verifySteps = (mutated.jobs['verify'] as WorkflowJob).steps as WorkflowStep[];
    verifySteps.push(...verifySteps.splice(0, 1));
    expect(checkReleaseRefs(mutated)).toEqual([
      'build: checkout ref must be refs/tags/${{ env.RELEASE_TAG }}',
      'verify: the first step must check $RELEASE_TAG, before any checkout',
    ]);
  });

  describe('the first step, run by bash on the tag a user typed', () => {
    const script = (allSteps(jobs['verify'] as WorkflowJob)[0] as WorkflowStep).run as string;
    const check = (tag: string, event = 'push', ref = `refs/tags/${tag}`) =>
      spawnSync('bash', ['-e', '-c', script], {
        env: {
          PATH: process.env['PATH'],
          RELEASE_TAG: tag,
          GITHUB_EVENT_NAME: event,
          GITHUB_REF: ref,
        },
        encoding: 'utf8',
      }).status;
    const readable = (tag: string) => {
      try {
        readReleaseVersion(tag);
        return true;
      } catch {
        return false;
      }
    };

    it.each([
      'v1.2.3-ecr-ecs-fargate',
      'v0.1.1-ecr-ecs-fargate',
      'v2.0.0-rc.1-ecr-ecs-fargate',
      'v1.2-ecr-ecs-fargate',
      'v1.2.3',
      'main',
      'refs/tags/v1.2.3-ecr-ecs-fargate',
      'v1.2.3-ecr-ecs-fargate; curl evil.example',
      '$(id)-v1.2.3-ecr-ecs-fargate',
      'v1.2.3-ecr-ecs-fargate/../main',
      '',
    ])('agrees with read-release-tag on %j', (tag) => {
      expect(check(tag) === 0).toBe(readable(tag));
    });

    it('refuses a tag with a line break that read-release-tag would trim', () => {
      expect(check('v1.2.3-ecr-ecs-fargate\nmain')).toBe(1);
      expect(check('v1.2.3-ecr-ecs-fargate\n')).toBe(1);
    });

    it('refuses a run by hand from another branch than main', () => {
      const tag = 'v1.2.3-ecr-ecs-fargate';
      expect(check(tag, 'workflow_dispatch', 'refs/heads/main')).toBe(0);
      expect(check(tag, 'workflow_dispatch', 'refs/heads/feature')).toBe(1);
    });
  });

  it('names the image of the release commit in the build job, without building an image', () => {
    const build = jobs['build'] as WorkflowJob;
    expect(build.env).toEqual({ DEPLOY_ENV: 'production' });
    expect(build.outputs).toEqual({ 'image-tag': '${{ steps.image.outputs.tag }}' });
    expect(stepNamed(build, "The release's image tag").run).toContain(
      'npx tsx libs/image/src/docker-push.ts --print-tag',
    );
    expect(runText(build)).not.toMatch(/docker-push\.ts(?! --print-tag)|docker-build/);
  });

  describe('promote: production gets the image staging runs, never a build of its own', () => {
    const promote = jobs['promote'] as WorkflowJob;
    const run = runText(promote);

    it("runs in the protected environment production, on production's stacks, with its deploy role", () => {
      expect(environmentName(promote)).toBe('production');
      expect(promote.env).toEqual({ DEPLOY_ENV: 'production' });
      expect(assumedRoleVariable(promote)).toBe(DEPLOY_ROLE_VARIABLE);
      expect(promote.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    });

    it('promotes staging to production with infra:promote, receipt to the summary', () => {
      expect(stepNamed(promote, 'Promote').run).toContain(
        'npx nx run infra:promote --exclude-task-dependencies --output-style=stream -- --from=staging --to=production --release-tag="$RELEASE_TAG" --json',
      );
      expect(run).toContain('write-deploy-summary.ts');
    });

    describe("first requires staging to run the release's image (ECR says which tags it carries)", () => {
      const check = stepNamed(promote, "Require staging to run the release's image");
      const release = 'sha-1a2b3c4-ecr-ecs-fargate';
      let dir = '';
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'release-check-'));
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));
      /**
       * Runs the step with an `aws` on PATH that answers describe-images for staging's marker
       * tag with these tags (the --query's result), or as ECR does when no image carries it.
       */
      const checkWith = (tags: string[] | undefined) => {
        const answer = join(dir, 'answer.json');
        writeFileSync(answer, JSON.stringify(tags ?? null));
        writeFileSync(
          join(dir, 'aws'),
          [
            '#!/bin/sh',
            '[ "$*" = "ecr describe-images --repository-name hello-world-ecr-ecs-fargate --image-ids imageTag=deployed-hello-world-ecr-ecs-fargate-staging --query imageDetails[0].imageTags --output json" ] || { echo "unexpected: $*" >&2; exit 3; }',
            tags === undefined
              ? "echo \"An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageTag:'deployed-hello-world-ecr-ecs-fargate-staging'} does not exist within the repository with name 'hello-world-ecr-ecs-fargate' in the registry with id '123456789012'\" >&2; exit 254"
              : `cat "${answer}"`,
            '',
          ].join('\n'),
        );
        chmodSync(join(dir, 'aws'), 0o755);
        return spawnSync(
          'bash',
          ['--noprofile', '--norc', '-eo', 'pipefail', '-c', check.run as string],
          {
            cwd: workspaceRoot,
            env: { ...process.env, PATH: `${dir}:${process.env['PATH']}`, RELEASE_IMAGE: release },
            encoding: 'utf8',
          },
        );
      };

      it('reads the release image from the build job, before the promotion', () => {
        expect(check.env).toEqual({ RELEASE_IMAGE: '${{ needs.build.outputs.image-tag }}' });
        const steps = allSteps(promote);
        expect(steps.indexOf(check)).toBeLessThan(steps.indexOf(stepNamed(promote, 'Promote')));
      });

      it('GIVEN staging runs the release image WHEN checked THEN it goes on', () => {
        const result = checkWith([release, 'deployed-hello-world-ecr-ecs-fargate-staging']);
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      }, 30_000);

      it('GIVEN staging runs a newer main WHEN checked THEN it stops, naming both images', () => {
        const result = checkWith([
          'sha-9f3c2b1-ecr-ecs-fargate',
          'deployed-hello-world-ecr-ecs-fargate-staging',
        ]);
        expect(result.stdout).toContain(
          `::error::Staging runs sha-9f3c2b1-ecr-ecs-fargate, not ${release} (this release's image): wait for deploy.yml to deploy this commit to staging, then re-run this workflow.`,
        );
        expect(result.status).toBe(1);
      }, 30_000);

      it('GIVEN staging runs nothing WHEN checked THEN it stops, saying to deploy staging first', () => {
        const result = checkWith(undefined);
        expect(result.stdout).toContain(
          '::error::No image in hello-world-ecr-ecs-fargate carries deployed-hello-world-ecr-ecs-fargate-staging: staging runs nothing yet.',
        );
        expect(result.status).toBe(1);
      }, 30_000);
    });

    it('never builds or pushes an image, nor deploys a build', () => {
      expect(usesOf(promote).map((u) => u.split('@')[0])).toEqual([
        'actions/checkout',
        'actions/setup-node',
        'aws-actions/configure-aws-credentials',
      ]);
      expect(run).not.toMatch(/docker|buildx|infra:deploy\b(?!-)|-t deploy\b/);
    });

    it("shares production's never-cancelled concurrency group with the rollback", () => {
      const rollback = workflow('rollback.yml').jobs['rollback'] as WorkflowJob;
      expect(group(promote)).toBe('deploy-hello-world-ecr-ecs-fargate-production');
      expect(group(rollback)).toBe(group(promote));
      expect(promote.concurrency).toEqual(expect.objectContaining({ 'cancel-in-progress': false }));
    });
  });
});

describe('deploy.yml: continuous deployment of main to staging, off by default', () => {
  const deploy = workflow('deploy.yml');
  const jobs = deploy.jobs as Record<string, WorkflowJob>;

  it('runs on pushes to main and by hand', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
  });

  it('runs every job only on main and only when CONTINUOUS_DEPLOY is "true"', () => {
    expect(checkDeploysOnlyFromMain(deploy)).toEqual([]);
    expect(jobs['deploy']?.if).toBe(
      "github.ref == 'refs/heads/main' && vars.CONTINUOUS_DEPLOY == 'true' && needs.publish.outputs.deploy == 'true'",
    );
  });

  it.each([
    ['without the ref check', "vars.CONTINUOUS_DEPLOY == 'true'"],
    [
      'with an alternative',
      "github.ref == 'refs/heads/main' && vars.CONTINUOUS_DEPLOY == 'true' || github.event_name == 'workflow_dispatch'",
    ],
    ['negated', "!(github.ref == 'refs/heads/main') && vars.CONTINUOUS_DEPLOY == 'true'"],
  ])('rejects a deploy job %s (the rule can fail)', (_, condition) => {
    const mutated = copy('deploy.yml');
    (mutated.jobs['deploy'] as WorkflowJob).if = condition;
    expect(checkDeploysOnlyFromMain(mutated)).toEqual([
      "deploy: if: must require github.ref == 'refs/heads/main' && CONTINUOUS_DEPLOY",
    ]);
  });

  it('publish decides with Nx what the change affects and names the image tag for deploy', () => {
    const publish = jobs['publish'] as WorkflowJob;
    expect(environmentName(publish)).toBeUndefined();
    expect(runText(publish)).toContain('npx nx show projects --affected --withTarget=deploy');
    expect(runText(publish)).toContain('npx tsx libs/image/src/docker-push.ts --print-tag');
    expect(publish.outputs).toEqual({
      deploy: '${{ steps.affected.outputs.deploy }}',
      'image-tag': '${{ steps.image.outputs.tag }}',
      base: '${{ steps.shas.outputs.base }}',
      head: '${{ steps.shas.outputs.head }}',
    });
    // Every AWS step waits for the decision: a docs-only change reaches no AWS at all.
    const credentials = stepUsing(publish, 'aws-actions/configure-aws-credentials');
    expect(credentials.if).toBe("steps.affected.outputs.deploy == 'true'");
    expect(stepNamed(publish, 'Push the image unless its tag is in ECR').if).toBe(
      "steps.affected.outputs.deploy == 'true'",
    );
  });

  it("works on the staging environment's stacks, building and pushing the image once (publish)", () => {
    expect(deploy.env?.['DEPLOY_ENV']).toBe('staging');
    expect(
      Object.entries(jobs)
        .filter(([, job]) => /docker-push\.ts(?! --print-tag)/.test(runText(job)))
        .map(([id]) => id),
    ).toEqual(['publish']);
  });

  it("deploy runs the affected deploy of staging's service stack with the tag publish named", () => {
    const job = jobs['deploy'] as WorkflowJob;
    expect(job.needs).toBe('publish');
    expect(environmentName(job)).toBe('staging');
    expect(job.env).toEqual({
      DEPLOY_IMAGE_TAG: '${{ needs.publish.outputs.image-tag }}',
      NX_BASE: '${{ needs.publish.outputs.base }}',
      NX_HEAD: '${{ needs.publish.outputs.head }}',
    });
    expect(runText(job)).toContain(
      'npx nx affected -t deploy --exclude-task-dependencies --output-style=stream -- --env=staging --service-only --image-tag="$DEPLOY_IMAGE_TAG" --json',
    );
  });

  it('never sets IMAGE_TAG, which synth and deploy read as the tag to deploy', () => {
    for (const file of files) expect(JSON.stringify(workflow(file))).not.toMatch(/"IMAGE_TAG"/);
  });

  it("deploys in staging's own never-cancelled concurrency group, not production's", () => {
    const job = jobs['deploy'] as WorkflowJob;
    expect(group(job)).toBe('deploy-hello-world-ecr-ecs-fargate-staging');
    expect(group(job)).not.toBe(group(workflow('release.yml').jobs['promote'] as WorkflowJob));
    expect(job.concurrency).toEqual(expect.objectContaining({ 'cancel-in-progress': false }));
  });
});

describe('rollback.yml: roll back or abort by hand, with the deploy role', () => {
  const rollbackWorkflow = workflow('rollback.yml');
  const jobs = rollbackWorkflow.jobs as Record<string, WorkflowJob>;
  const rollback = jobs['rollback'] as WorkflowJob;
  const abort = jobs['abort'] as WorkflowJob;
  const script = (job: WorkflowJob, name: string) => stepNamed(job, name).run as string;
  const runBash = (source: string, env: Record<string, string>) =>
    spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', source], {
      env: { PATH: process.env['PATH'], ...env },
      encoding: 'utf8',
    });

  it('runs only by hand, with the action to take and an optional tag', () => {
    expect(Object.keys(rollbackWorkflow.on)).toEqual(['workflow_dispatch']);
    const inputs = (rollbackWorkflow.on['workflow_dispatch'] as { inputs: Record<string, unknown> })
      .inputs;
    expect(inputs['action']).toEqual(
      expect.objectContaining({
        type: 'choice',
        options: ['rollback', 'abort'],
        default: 'rollback',
      }),
    );
    expect(inputs['to']).toEqual(expect.objectContaining({ type: 'string', required: false }));
    expect(rollback.if).toBe("inputs.action == 'rollback'");
    expect(abort.if).toBe("inputs.action == 'abort'");
  });

  it('runs both jobs in the production environment with the deploy role and an OIDC token only', () => {
    expect(rollbackWorkflow.permissions).toEqual({ contents: 'read' });
    for (const job of [rollback, abort]) {
      expect(environmentName(job)).toBe('production');
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(assumedRoleVariable(job)).toBe(DEPLOY_ROLE_VARIABLE);
    }
  });

  it('reads the typed tag from the environment only, never spliced into a script', () => {
    expect(rollbackWorkflow.env?.['ROLLBACK_TO']).toBe('${{ inputs.to }}');
    const scripts = [rollback, abort].map(runText).join('\n');
    expect(scripts).not.toContain('${{');
    expect(JSON.stringify(rollbackWorkflow).match(/inputs\.to\b/g)).toHaveLength(1);
  });

  it('runs the ops CLI from the deployment project: rollback --json (with --to), abort --json', () => {
    const rollbackRun = script(rollback, 'Roll back');
    expect(rollbackRun).toContain(
      'cd apps/infra && npx tsx ../../libs/fargate/src/ops/main.ts rollback --json "${to[@]}"',
    );
    expect(rollbackRun).toContain('to=("--to=$ROLLBACK_TO")');
    const abortRun = script(abort, 'Abort');
    expect(abortRun).toContain(
      'cd apps/infra && npx tsx ../../libs/fargate/src/ops/main.ts abort --json',
    );
    // Nothing else of the deploy: no build, no synth, no Nx deploy target.
    expect(runText(rollback) + runText(abort)).not.toMatch(/synth|infra:deploy\b(?!-)|-t deploy/);
  });

  it("rolls back production's stacks in its deploys group and aborts outside it, neither ever cancelled", () => {
    expect(rollbackWorkflow.env?.['DEPLOY_ENV']).toBe('production');
    const deployGroup = group(workflow('release.yml').jobs['promote'] as WorkflowJob);
    expect(group(rollback)).toBe(deployGroup);
    expect(group(abort)).toBe('abort-hello-world-ecr-ecs-fargate-production');
    for (const job of [rollback, abort]) {
      expect(job.concurrency).toEqual(expect.objectContaining({ 'cancel-in-progress': false }));
    }
    expect(rollbackWorkflow.concurrency).toBeUndefined();
  });

  describe('the check of the typed tag, run by bash before any checkout', () => {
    const check = (to: string, ref = 'refs/heads/main') =>
      runBash(script(rollback, 'Refuse anything but main and an image tag'), {
        ROLLBACK_TO: to,
        GITHUB_REF: ref,
      }).status;

    it('comes before the checkout', () => {
      const steps = allSteps(rollback);
      const at = steps.findIndex((s) => s.name === 'Refuse anything but main and an image tag');
      const checkout = steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'));
      expect(at).toBeGreaterThan(-1);
      expect(at).toBeLessThan(checkout);
    });

    it.each([
      'sha-1a2b3c4-ecr-ecs-fargate',
      'v1.2.3-ecr-ecs-fargate',
      '_x',
      'a'.repeat(128),
      'a'.repeat(129),
      '-flag',
      '.hidden',
      'tag; curl evil.example',
      '$(id)',
      'a b',
      'a/b',
    ])('agrees with isImageTag on %j', (to) => {
      expect(check(to) === 0).toBe(isImageTag(to));
    });

    it('takes an empty tag (the previous image), and refuses a line break and another branch', () => {
      expect(check('')).toBe(0);
      expect(check('sha-1a2b3c4-ecr-ecs-fargate\nmain')).toBe(1);
      expect(check('sha-1a2b3c4-ecr-ecs-fargate', 'refs/heads/feature')).toBe(1);
    });

    it('abort refuses a tag, and another branch', () => {
      const abortCheck = (to: string, ref = 'refs/heads/main') =>
        runBash(script(abort, 'Refuse anything but main, and a tag'), {
          ROLLBACK_TO: to,
          GITHUB_REF: ref,
        }).status;
      expect(abortCheck('')).toBe(0);
      expect(abortCheck('sha-1a2b3c4-ecr-ecs-fargate')).toBe(1);
      expect(abortCheck('', 'refs/heads/feature')).toBe(1);
    });
  });

  describe('the receipt in the job summary', () => {
    const summaryStep = 'Receipt to the job summary';
    let dir = '';
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rollback-summary-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const summarize = (job: WorkflowJob, jobId: string, files: Record<string, string>) => {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      const run = runBash(script(job, summaryStep), {
        RUNNER_TEMP: dir,
        GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
        GITHUB_JOB: jobId,
        ROLLBACK_TO: '',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      return readFileSync(join(dir, 'summary.md'), 'utf8');
    };

    it('runs after the command, even when it failed, and is the same script in both jobs', () => {
      for (const job of [rollback, abort]) {
        expect(stepNamed(job, summaryStep).if).toBe("always() && steps.ops.outcome != 'skipped'");
      }
      expect(script(abort, summaryStep)).toBe(script(rollback, summaryStep));
    });

    it('shows a rollback receipt as a table, with the JSON folded below', () => {
      const receipt = {
        outcome: 'rolled-back',
        stackName: 'hello-world-ecr-ecs-fargate',
        region: 'eu-west-1',
        from: { repository: 'r', tag: 'sha-2222222-ecr-ecs-fargate', digest: 'sha256:bb' },
        to: { repository: 'r', tag: 'sha-1111111-ecr-ecs-fargate', digest: 'sha256:aa' },
        chosenBy: 'history',
        changeSetName: 'rollback-sha-1111111-ecr-ecs-fargate-1764780000',
        deploymentId: 'ecs-svc/1234567890',
        url: 'http://203.0.113.10:3000',
        answersFromHere: false,
        warnings: ['URL not answering | from here'],
        phases: [],
        totalMs: 187000,
      };
      const summary = summarize(rollback, 'rollback', { 'receipt.json': JSON.stringify(receipt) });
      expect(summary).toContain('### rollback\n**rolled-back**\n');
      expect(summary).toContain('| from | sha-2222222-ecr-ecs-fargate sha256:bb |');
      expect(summary).toContain('| to | sha-1111111-ecr-ecs-fargate sha256:aa (history) |');
      expect(summary).toContain('| url | http://203.0.113.10:3000 |');
      expect(summary).toContain('| warning | URL not answering \\| from here |');
      expect(summary).toContain(
        `\`\`\`json\n${JSON.stringify(receipt, null, 2)}\n\`\`\`\n</details>`,
      );
    });

    it('shows an abort result and a failed rollback with their one-line reasons', () => {
      const aborted = summarize(abort, 'abort', {
        'receipt.json': JSON.stringify({
          outcome: 'rolled-back',
          stopped: 'stack-update',
          stackName: 'hello-world-ecr-ecs-fargate',
          stackStatus: 'UPDATE_ROLLBACK_COMPLETE',
          cluster: 'c',
          service: 's',
          message: 'cancelled the update; the stack rolled back',
        }),
      });
      expect(aborted).toContain('**rolled-back**: cancelled the update; the stack rolled back');
      expect(aborted).toContain('| stackStatus | UPDATE_ROLLBACK_COMPLETE |');
      const failed = summarize(rollback, 'rollback', {
        'receipt.json': JSON.stringify({
          outcome: 'failed',
          ok: false,
          phase: 'rollout',
          problem: { kind: 'unknown', message: 'the rollout failed: circuit breaker' },
          phases: [],
        }),
      });
      expect(failed).toContain('**failed** in rollout: the rollout failed: circuit breaker');
    });

    it('shows the last error line when the command wrote no receipt (a refusal, exit 2)', () => {
      const summary = summarize(rollback, 'rollback', {
        'receipt.json': '',
        'ops.err': '==> target\ninfra:rollback: nothing to roll back to: pass --to=TAG\n',
      });
      expect(summary).toContain(
        'No receipt: the command stopped before writing one.\n```\ninfra:rollback: nothing to roll back to: pass --to=TAG\n```',
      );
    });
  });
});

describe('.github/dependabot.yml', () => {
  const rootManifest = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const workspaceDirs = rootManifest.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(workspaceRoot, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
  const packages = readWorkspacePackages(workspaceRoot, workspaceDirs);
  const config = readDependabot(workspaceRoot) as DependabotConfig;

  it('exists and updates actions and npm weekly, nx and @aws-sdk each in one pull request', () => {
    expect(config).toBeDefined();
    expect(packages).toEqual(expect.arrayContaining(['nx', '@nx/jest', '@aws-sdk/client-ecs']));
    expect(checkDependabot(config, packages)).toEqual([]);
  });

  it('uses conventional commit prefixes, as commitlint and nx release expect', () => {
    const prefixes = Object.fromEntries(
      config.updates.map((u) => [
        u['package-ecosystem'],
        (u as { 'commit-message'?: { prefix?: string } })['commit-message']?.prefix,
      ]),
    );
    expect(prefixes).toEqual({ 'github-actions': 'ci', npm: 'build' });
  });

  it('rejects a missing file, a missing ecosystem and split nx updates (the rule can fail)', () => {
    expect(checkDependabot(undefined, packages)).toEqual(['.github/dependabot.yml is missing']);
    const noActions = structuredClone(config);
    noActions.updates = noActions.updates.filter((u) => u['package-ecosystem'] === 'npm');
    expect(checkDependabot(noActions, packages)).toEqual(['no github-actions updates']);
    const split = structuredClone(config);
    const npm = split.updates.find((u) => u['package-ecosystem'] === 'npm');
    (npm?.groups?.['nx'] as { patterns: string[] }).patterns = ['nx'];
    expect(checkDependabot(split, packages)).toEqual([
      'nx packages must share one group, got (none), nx',
    ]);
    const monthly = parse(JSON.stringify(config)) as DependabotConfig;
    (monthly.updates[0] as { schedule: { interval: string } }).schedule.interval = 'monthly';
    expect(checkDependabot(monthly, packages)).toEqual(['github-actions updates must be weekly']);
  });
});
