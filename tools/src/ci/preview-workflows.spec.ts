// The pull-request previews' life cycle, played through the parsed workflows: each event's
// payload (GitHub's shape) goes through the jobs' `if:` conditions as GitHub evaluates them, and
// the plan job's script really runs in bash, so what is asserted is which jobs would run.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace';
import { evaluate, evaluateCondition, interpolate, type Value } from './expressions';
import { simulateRun } from './simulate-run';
import {
  DEPLOY_ROLE_VARIABLE,
  PUBLISH_ROLE_VARIABLE,
  SAME_REPOSITORY_CONDITION,
  assumedRoleVariable,
  checkForkSafety,
} from './workflow-rules';
import { listWorkflowFiles, readWorkflow, type WorkflowJob, type WorkflowStep } from './workflows';

const REPOSITORY = 'octo-org/hello-world';
const preview = readWorkflow(workspaceRoot, 'preview.yml');
const sweep = readWorkflow(workspaceRoot, 'preview-sweep.yml');
const job = (workflow: typeof preview, id: string) => workflow.jobs[id] as WorkflowJob;
const stepNamed = (j: WorkflowJob, name: string) =>
  (j.steps ?? []).find((s) => s.name === name) as WorkflowStep;
const withToken = (workflow: typeof preview) =>
  Object.entries(workflow.jobs)
    .filter(([, j]) => j.permissions?.['id-token'] === 'write')
    .map(([id]) => id);

interface PullRequestEvent {
  labels?: string[];
  /** The label added or removed (labeled, unlabeled). */
  label?: string;
  state?: 'open' | 'closed';
  merged?: boolean;
  /** The head branch lives in a fork. */
  fork?: boolean;
}

/** A pull_request webhook payload, as GitHub sends it (the fields the workflow reads, and some). */
function pullRequestEvent(action: string, options: PullRequestEvent = {}): Record<string, Value> {
  const { labels = ['preview'], label, state = 'open', merged = false, fork = false } = options;
  const headRepository = fork ? 'mallory/hello-world' : REPOSITORY;
  const pullRequest = {
    url: `https://api.github.com/repos/${REPOSITORY}/pulls/12`,
    id: 2140383211,
    number: 12,
    state,
    locked: false,
    title: 'feat(hello-world): greet in Welsh',
    user: { login: fork ? 'mallory' : 'octocat', type: 'User' },
    labels: labels.map((name, i) => ({ id: 7000 + i, name, color: '0e8a16', default: false })),
    merged,
    draft: false,
    head: {
      label: fork ? 'mallory:welsh' : 'octo-org:welsh',
      ref: 'welsh',
      sha: '9f3c2b1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
      repo: { full_name: headRepository, fork },
    },
    base: {
      label: 'octo-org:main',
      ref: 'main',
      sha: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
      repo: { full_name: REPOSITORY, fork: false },
    },
  };
  return {
    event_name: 'pull_request',
    repository: REPOSITORY,
    ref: 'refs/pull/12/merge',
    sha: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f',
    run_id: '7016253948',
    event: {
      action,
      number: 12,
      pull_request: pullRequest,
      ...(label ? { label: { id: 7100, name: label, color: '0e8a16', default: false } } : {}),
      repository: { full_name: REPOSITORY },
      sender: { login: 'octocat', type: 'User' },
    },
  };
}

/** The jobs that would run for this event (the plan job's script run for real). */
const jobsFor = (action: string, options: PullRequestEvent = {}) =>
  simulateRun(preview, { github: pullRequestEvent(action, options), execute: ['plan'] });

describe('preview.yml: the life cycle of a pull request preview', () => {
  it('runs on the pull request events of a preview life, with pull_request (never _target)', () => {
    expect(preview.on).toEqual({
      pull_request: {
        types: ['opened', 'reopened', 'synchronize', 'labeled', 'unlabeled', 'closed'],
      },
    });
  });

  it('GIVEN the label preview added WHEN played THEN its image is built and pushed, and pr-12 deployed', () => {
    const run = jobsFor('labeled', { label: 'preview' });
    expect(run.outputs['plan']).toEqual({ action: 'deploy' });
    expect(run.ran).toEqual(['plan', 'deploy']);
    expect(run.env['deploy']?.['DEPLOY_ENV']).toBe('pr-12');
    expect(run.env['deploy']?.['PREVIEW_ENV']).toBe('pr-12');
  });

  it('GIVEN a push to a labelled pull request WHEN played THEN it is built and deployed again', () => {
    expect(jobsFor('synchronize').ran).toEqual(['plan', 'deploy']);
    expect(jobsFor('reopened').ran).toEqual(['plan', 'deploy']);
    expect(jobsFor('opened').ran).toEqual(['plan', 'deploy']);
  });

  it('GIVEN events that change nothing WHEN played THEN only the plan runs', () => {
    for (const [action, options] of [
      ['synchronize', { labels: [] }],
      ['opened', { labels: ['bug'] }],
      ['labeled', { label: 'bug' }],
      ['unlabeled', { label: 'bug' }],
      ['closed', { labels: ['bug'], state: 'closed' }],
      ['labeled', { label: 'preview', state: 'closed' }],
      ['unlabeled', { label: 'preview', labels: [], state: 'closed' }],
      ['edited', {}],
    ] as [string, PullRequestEvent][]) {
      expect([action, options, jobsFor(action, options).ran]).toEqual([action, options, ['plan']]);
    }
  });

  it('GIVEN the label removed, or the pull request closed or merged WHEN played THEN pr-12 is destroyed', () => {
    expect(jobsFor('unlabeled', { label: 'preview', labels: [] }).ran).toEqual(['plan', 'destroy']);
    expect(jobsFor('closed', { state: 'closed' }).ran).toEqual(['plan', 'destroy']);
    expect(jobsFor('closed', { state: 'closed', merged: true }).ran).toEqual(['plan', 'destroy']);
  });

  it('says in the comment why the preview was removed', () => {
    const reason = (action: string, options: PullRequestEvent) =>
      interpolate(String(job(preview, 'destroy').env?.['REMOVED_BECAUSE']), {
        contexts: { github: pullRequestEvent(action, options) },
      });
    expect(reason('closed', { state: 'closed' })).toBe('the pull request was closed');
    expect(reason('unlabeled', { label: 'preview', labels: [] })).toBe(
      'the preview label was removed',
    );
  });

  it.each([
    ['labeled', { label: 'preview' }],
    ['synchronize', {}],
    ['opened', {}],
    ['reopened', {}],
    ['unlabeled', { label: 'preview', labels: [] }],
    ['closed', { state: 'closed' }],
  ] as [string, PullRequestEvent][])(
    'GIVEN a fork pull request %s WHEN played THEN no job runs at all',
    (action, options) => {
      const run = jobsFor(action, { ...options, fork: true });
      expect(run.ran).toEqual([]);
    },
  );

  describe('deploy: its own image, pushed and deployed, then ONE comment with URL, tag and cost', () => {
    const deploy = job(preview, 'deploy');

    it("runs in the GitHub environment preview with its deploy role, in the pull request's group", () => {
      expect(deploy.environment).toEqual({
        name: 'preview',
        url: '${{ steps.receipt.outputs.url }}',
      });
      expect(assumedRoleVariable(deploy)).toBe(DEPLOY_ROLE_VARIABLE);
      expect(deploy.permissions).toEqual({
        contents: 'read',
        'id-token': 'write',
        'pull-requests': 'write',
      });
    });

    it("builds and pushes the pull request's own image with the preview role, never the publish role", () => {
      const steps = deploy.steps ?? [];
      const push = stepNamed(deploy, 'Push the image unless its tag is in ECR');
      expect(push.run).toBe(
        'npx tsx libs/image/src/docker-push.ts --env="$PREVIEW_ENV" | tee "$RUNNER_TEMP/push.log"',
      );
      expect(stepNamed(deploy, 'Image tag').run).toContain(
        'tag=$(npx tsx libs/image/src/docker-push.ts --print-tag)',
      );
      expect(stepNamed(deploy, 'Deploy the preview').env).toEqual({
        DEPLOY_IMAGE_TAG: '${{ steps.image.outputs.tag }}',
      });
      expect(steps.indexOf(push)).toBeLessThan(
        steps.indexOf(stepNamed(deploy, 'Deploy the preview')),
      );
      expect(JSON.stringify(preview)).not.toContain(PUBLISH_ROLE_VARIABLE);
      const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with?.['ref']).toBe('${{ github.event.pull_request.head.sha }}');
    });

    it("pushes for environment pr-<number>, so the image goes to the previews' repository, never the release one", () => {
      // GIVEN the push step and the environment it runs with
      const push = stepNamed(deploy, 'Push the image unless its tag is in ECR');
      // THEN it names the preview's environment, which docker-push maps to the previews' stack
      expect(push.run).toContain('--env="$PREVIEW_ENV"');
      expect(preview.env?.['PREVIEW_ENV']).toBe('pr-${{ github.event.pull_request.number }}');
      expect(preview.env?.['DEPLOY_ENV']).toBe('pr-${{ github.event.pull_request.number }}');
    });

    it('deploys the service stack of pr-<number> alone, with the published tag', () => {
      expect(stepNamed(deploy, 'Deploy the preview').run).toBe(
        'npx nx run infra:deploy --exclude-task-dependencies --output-style=stream -- --env="$PREVIEW_ENV" --service-only --image-tag="$DEPLOY_IMAGE_TAG" --json | tee "$RUNNER_TEMP/deploy.out"',
      );
      expect(stepNamed(deploy, 'Monthly cost estimate').run).toBe(
        'npx nx run infra:cost --output-style=stream -- --env="$PREVIEW_ENV" --json | tee "$RUNNER_TEMP/cost.out"',
      );
    });

    it('comments from the saved receipt and cost, also when the deploy failed', () => {
      const comment = stepNamed(deploy, 'Comment the URL, image tag and cost on the pull request');
      expect(comment.run).toBe(
        'npx tsx tools/src/ci/write-preview-comment.ts deployed --pull-request="$PR_NUMBER" --deploy-output="$RUNNER_TEMP/deploy.out" --cost-output="$RUNNER_TEMP/cost.out" --commit="$HEAD_SHA"',
      );
      expect(comment.env).toEqual({ GITHUB_TOKEN: '${{ github.token }}' });
      const runs = (live: string, status: 'success' | 'failure' | 'cancelled') =>
        evaluateCondition(comment.if, {
          contexts: { steps: { live: { outputs: { live } } } },
          status,
        });
      // Deployed, or failed (build, push or deploy): the comment says which. Not live, or
      // cancelled (a timeout): no comment.
      expect([runs('true', 'success'), runs('true', 'failure')]).toEqual([true, true]);
      expect([runs('false', 'success'), runs('true', 'cancelled')]).toEqual([false, false]);
    });

    describe('a deploy that waited behind a close or an unlabel does nothing', () => {
      const check = stepNamed(deploy, 'Still open and labelled');
      let dir = '';
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'preview-live-'));
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));
      /** Runs the step with a `gh` on PATH answering GET /repos/…/pulls/12 with this payload. */
      const live = (state: string, labels: string[]) => {
        const payload = {
          number: 12,
          state,
          labels: labels.map((name) => ({ name, color: '0e8a16' })),
          head: { sha: '9f3c2b1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c' },
        };
        writeFileSync(join(dir, 'github-answer.json'), JSON.stringify(payload));
        writeFileSync(
          join(dir, 'gh'),
          `#!/bin/sh\n[ "$1 $2" = "api repos/${REPOSITORY}/pulls/12" ] || exit 3\ncat "${join(dir, 'github-answer.json')}"\n`,
        );
        chmodSync(join(dir, 'gh'), 0o755);
        writeFileSync(join(dir, 'output'), '');
        const result = spawnSync(
          'bash',
          ['--noprofile', '--norc', '-eo', 'pipefail', '-c', check.run as string],
          {
            env: {
              PATH: `${dir}:${process.env['PATH']}`,
              GITHUB_REPOSITORY: REPOSITORY,
              PR_NUMBER: '12',
              PREVIEW_LABEL: 'preview',
              PREVIEW_ENV: 'pr-12',
              RUNNER_TEMP: dir,
              GITHUB_OUTPUT: join(dir, 'output'),
            },
            encoding: 'utf8',
          },
        );
        expect(result.status).toBe(0);
        return spawnSync('cat', [join(dir, 'output')], { encoding: 'utf8' }).stdout.trim();
      };

      it('GIVEN the pull request still open and labelled WHEN checked THEN live', () => {
        expect(live('open', ['bug', 'preview'])).toBe('live=true');
      });

      it('GIVEN it closed, or unlabelled, meanwhile WHEN checked THEN not live', () => {
        expect(live('closed', ['preview'])).toBe('live=false');
        expect(live('open', ['bug'])).toBe('live=false');
      });

      it('and every step after the check, up to the deploy, waits for it', () => {
        const steps = deploy.steps ?? [];
        const from = steps.indexOf(check);
        const to = steps.indexOf(stepNamed(deploy, 'Deploy the preview'));
        expect(from).toBe(1);
        for (const step of steps.slice(from + 1, to + 1)) {
          expect(step.if).toBe("steps.live.outputs.live == 'true'");
        }
      });
    });
  });

  describe('destroy: pr-<number> only, then the comment says so', () => {
    const destroy = job(preview, 'destroy');

    it('runs in the GitHub environment preview with its deploy role', () => {
      expect(destroy.environment).toBe('preview');
      expect(assumedRoleVariable(destroy)).toBe(DEPLOY_ROLE_VARIABLE);
    });

    it("destroys the preview's stacks with --yes, never the shared images, when it is deployed", () => {
      const step = stepNamed(destroy, 'Destroy the preview');
      expect(step.run).toBe(
        'npx nx run infra:destroy --output-style=stream -- --env="$PREVIEW_ENV" --yes',
      );
      expect(step.if).toBe("steps.deployed.outputs.deployed == 'true'");
    });

    describe("first asks CloudFormation for the pull request's own stack, by name", () => {
      const check = stepNamed(destroy, 'Is the preview deployed');
      let dir = '';
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'preview-deployed-'));
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));
      /** Runs the step with an `aws` on PATH answering describe-stacks as CloudFormation does. */
      const ask = (answer: 'exists' | 'missing' | 'denied') => {
        const stderr = {
          exists: '',
          missing:
            'An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id hello-world-ecr-ecs-fargate-pr-12 does not exist',
          denied:
            'An error occurred (AccessDenied) when calling the DescribeStacks operation: User: arn:aws:sts::123456789012:assumed-role/github-actions-hello-world-ecr-ecs-fargate-pr-deploy/pr-12-destroy-1 is not authorized to perform: cloudformation:DescribeStacks',
        }[answer];
        writeFileSync(
          join(dir, 'aws'),
          [
            '#!/bin/sh',
            '[ "$*" = "cloudformation describe-stacks --stack-name hello-world-ecr-ecs-fargate-pr-12" ] || { echo "unexpected: $*" >&2; exit 3; }',
            answer === 'exists'
              ? 'echo \'{"Stacks":[{"StackName":"hello-world-ecr-ecs-fargate-pr-12","StackStatus":"UPDATE_COMPLETE"}]}\''
              : `echo "${stderr}" >&2; exit 254`,
            '',
          ].join('\n'),
        );
        chmodSync(join(dir, 'aws'), 0o755);
        writeFileSync(join(dir, 'output'), '');
        const result = spawnSync(
          'bash',
          ['--noprofile', '--norc', '-eo', 'pipefail', '-c', check.run as string],
          {
            cwd: workspaceRoot,
            env: {
              ...process.env,
              PATH: `${dir}:${process.env['PATH']}`,
              PREVIEW_ENV: 'pr-12',
              RUNNER_TEMP: dir,
              GITHUB_OUTPUT: join(dir, 'output'),
            },
            encoding: 'utf8',
          },
        );
        return {
          status: result.status,
          output: spawnSync('cat', [join(dir, 'output')], { encoding: 'utf8' }).stdout.trim(),
        };
      };

      it('GIVEN the stack there WHEN asked THEN deployed', () => {
        expect(ask('exists')).toEqual({ status: 0, output: 'deployed=true' });
      }, 30_000);

      it('GIVEN no such stack WHEN asked THEN not deployed: nothing to destroy', () => {
        expect(ask('missing')).toEqual({ status: 0, output: 'deployed=false' });
      }, 30_000);

      it('GIVEN another error (access denied) WHEN asked THEN the step fails, never reads false', () => {
        expect(ask('denied')).toEqual({ status: 1, output: '' });
      }, 30_000);
    });

    it('updates the same comment: removed, and why', () => {
      expect(stepNamed(destroy, "Say so in the pull request's comment").run).toBe(
        'npx tsx tools/src/ci/write-preview-comment.ts removed --pull-request="$PR_NUMBER" --reason="$REMOVED_BECAUSE"',
      );
    });
  });

  it('serializes deploy and destroy of one pull request in one group, never cancelled', () => {
    const github = pullRequestEvent('synchronize');
    for (const id of ['deploy', 'destroy']) {
      const concurrency = job(preview, id).concurrency as { group: string };
      expect(interpolate(concurrency.group, { contexts: { github } })).toBe('preview-pr-12');
      expect(concurrency).toEqual(expect.objectContaining({ 'cancel-in-progress': false }));
    }
    // The plan stays out of it: an event that changes nothing never takes the place of a
    // destroy waiting there.
    expect(job(preview, 'plan').concurrency).toBeUndefined();
    expect(preview.concurrency).toBeUndefined();
  });
});

describe('forks never get AWS credentials', () => {
  it('the plan has no permissions at all; the OIDC token goes only to the jobs assuming a role', () => {
    expect(preview.permissions).toEqual({ contents: 'read' });
    expect(job(preview, 'plan').permissions).toEqual({});
    expect(withToken(preview)).toEqual(['deploy', 'destroy']);
    for (const id of withToken(preview)) {
      expect(assumedRoleVariable(job(preview, id))).toBeDefined();
    }
  });

  it('every job with id-token: write requires the head repository to be this one', () => {
    for (const id of withToken(preview)) {
      const condition = job(preview, id).if ?? '';
      expect(condition.split('&&').map((t) => t.trim())).toContain(SAME_REPOSITORY_CONDITION);
      // Evaluated as GitHub would, with the plan asking for every action.
      for (const action of ['deploy', 'destroy']) {
        const scope = (full_name: string) => ({
          contexts: {
            github: {
              repository: REPOSITORY,
              event: { pull_request: { head: { repo: { full_name } } } },
            },
            needs: { plan: { result: 'success', outputs: { action } } },
          },
        });
        expect(evaluateCondition(condition, scope('mallory/hello-world'))).toBe(false);
      }
    }
  });

  it.each(listWorkflowFiles(workspaceRoot))('%s passes the fork rule', (file) => {
    expect(checkForkSafety(readWorkflow(workspaceRoot, file))).toEqual([]);
  });

  it('rejects pull_request_target, and a privileged job a fork could reach (the rule can fail)', () => {
    const mutated = structuredClone(preview);
    mutated.on = { pull_request_target: mutated.on['pull_request'] };
    expect(checkForkSafety(mutated)).toEqual([
      'runs on pull_request_target, which hands forks a privileged token: use pull_request',
    ]);
    const bypass = structuredClone(preview);
    (bypass.jobs['destroy'] as WorkflowJob).if =
      `${SAME_REPOSITORY_CONDITION} || github.event.action == 'closed'`;
    delete (bypass.jobs['deploy'] as WorkflowJob).if;
    expect(checkForkSafety(bypass)).toEqual([
      `deploy: if: must require ${SAME_REPOSITORY_CONDITION}`,
      `destroy: if: must require ${SAME_REPOSITORY_CONDITION}`,
    ]);
  });
});

describe('preview-sweep.yml: previews older than the maximum age are destroyed', () => {
  const list = job(sweep, 'list');
  const destroy = job(sweep, 'destroy');

  it('runs daily and by hand, with an age of your own', () => {
    expect(Object.keys(sweep.on)).toEqual(['schedule', 'workflow_dispatch']);
    expect(sweep.on['schedule']).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    const inputs = (sweep.on['workflow_dispatch'] as { inputs: Record<string, unknown> }).inputs;
    expect(inputs['older-than']).toEqual(
      expect.objectContaining({ type: 'string', required: false, default: '' }),
    );
  });

  it('takes the age from the input, else the PREVIEW_MAX_AGE variable, else 7d', () => {
    const age = (inputs: Record<string, Value>, vars: Record<string, Value>) =>
      interpolate(String(sweep.env?.['PREVIEW_MAX_AGE']), { contexts: { inputs, vars } });
    expect(age({}, {})).toBe('7d');
    expect(age({ 'older-than': '' }, { PREVIEW_MAX_AGE: '3d' })).toBe('3d');
    expect(age({ 'older-than': '12h' }, { PREVIEW_MAX_AGE: '3d' })).toBe('12h');
  });

  it.each([
    ['7d', 0],
    ['12h', 0],
    ['90m', 0],
    ['7 days', 1],
    ['0d', 1],
    ['', 1],
    ['7d; rm -rf /', 1],
    ['$(id)', 1],
  ])('refuses an age that is not a duration before any checkout: %j → exit %d', (age, status) => {
    const step = stepNamed(list, 'Refuse an age that is not a duration');
    const result = spawnSync('bash', ['-eo', 'pipefail', '-c', step.run as string], {
      env: { PATH: process.env['PATH'], PREVIEW_MAX_AGE: age },
      encoding: 'utf8',
    });
    expect(result.status).toBe(status);
    const steps = list.steps ?? [];
    expect(steps.indexOf(step)).toBeLessThan(
      steps.findIndex((s) => s.uses?.startsWith('actions/checkout@')),
    );
  });

  it('lists the old previews with infra:envs and the one parser of its JSON', () => {
    const run = stepNamed(list, 'List them').run as string;
    expect(run).toContain(
      'npx nx run infra:envs --output-style=stream -- --previews --older-than="$PREVIEW_MAX_AGE" --json',
    );
    expect(run).toContain(
      'npx tsx tools/src/ci/read-environments.ts previews "$RUNNER_TEMP/envs.out"',
    );
    expect(list.outputs).toEqual({ environments: '${{ steps.stale.outputs.environments }}' });
  });

  it('GIVEN two old previews WHEN listed THEN one destroy job each; GIVEN none THEN no destroy job', () => {
    const withList = (environments: string) =>
      evaluateCondition(destroy.if, {
        contexts: { needs: { list: { result: 'success', outputs: { environments } } } },
      });
    expect(withList('["pr-3","pr-12"]')).toBe(true);
    expect(withList('[]')).toBe(false);
    expect(withList('')).toBe(false);
    const matrix = (destroy as { strategy?: { matrix?: Record<string, string> } }).strategy?.matrix;
    expect(
      evaluate(String(matrix?.['environment']).replace(/^\$\{\{|\}\}$/g, ''), {
        contexts: { needs: { list: { outputs: { environments: '["pr-3","pr-12"]' } } } },
      }),
    ).toEqual(['pr-3', 'pr-12']);
  });

  it("destroys each in its pull request's group (preview.yml's), after checking it is still old", () => {
    const concurrency = destroy.concurrency as { group: string };
    expect(interpolate(concurrency.group, { contexts: { matrix: { environment: 'pr-12' } } })).toBe(
      interpolate((job(preview, 'deploy').concurrency as { group: string }).group, {
        contexts: { github: pullRequestEvent('synchronize') },
      }),
    );
    expect(concurrency).toEqual(expect.objectContaining({ 'cancel-in-progress': false }));
    expect(destroy.env).toEqual({
      PREVIEW_ENV: '${{ matrix.environment }}',
      DEPLOY_ENV: '${{ matrix.environment }}',
    });
    expect(stepNamed(destroy, 'Still older than the maximum age').run).toContain(
      'read-environments.ts has "$PREVIEW_ENV" "$RUNNER_TEMP/envs.out"',
    );
    const step = stepNamed(destroy, 'Destroy the preview');
    expect(step.if).toBe("steps.stale.outputs.stale == 'true'");
    expect(step.run).toBe(
      'npx nx run infra:destroy --output-style=stream -- --env="$PREVIEW_ENV" --yes',
    );
  });

  it("says so in the preview's comment, on the pull request the name gives", () => {
    const step = stepNamed(destroy, "Say so in the pull request's comment");
    expect(step.if).toBe("steps.destroy.outcome == 'success'");
    const echoed = spawnSync(
      'bash',
      ['-c', `npx() { printf '%s\\n' "$@"; }\n${step.run as string}`],
      {
        env: { PATH: process.env['PATH'], PREVIEW_ENV: 'pr-12', PREVIEW_MAX_AGE: '7d' },
        encoding: 'utf8',
      },
    ).stdout;
    expect(echoed.split('\n')).toEqual([
      'tsx',
      'tools/src/ci/write-preview-comment.ts',
      'removed',
      '--pull-request=12',
      '--reason=no deploy for longer than 7d (preview sweep)',
      '',
    ]);
  });

  it('uses the preview deploy role, and the OIDC token, in both jobs only', () => {
    expect(withToken(sweep)).toEqual(['list', 'destroy']);
    for (const j of [list, destroy]) {
      expect(j.environment).toBe('preview');
      expect(assumedRoleVariable(j)).toBe(DEPLOY_ROLE_VARIABLE);
    }
  });
});

describe('the steps that read infra:envs, run by bash on its real output', () => {
  const TSX_CLI = join(workspaceRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'envs-steps-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** infra:envs --json's report (libs/fargate/src/ops/envs.ts) inside Nx's lines. */
  const envsOutput = (environments: string[]) =>
    [
      '> nx run infra:envs -- --previews --json',
      '',
      JSON.stringify(
        {
          service: 'hello-world',
          region: 'eu-west-1',
          environments: environments.map((environment) => ({
            environment,
            preview: environment.startsWith('pr-'),
            stackName: `hello-world-ecr-ecs-fargate-${environment}`,
            stackStatus: 'UPDATE_COMPLETE',
            lastDeployed: '2026-11-20T09:14:03.000Z',
            url: null,
            imageTag: 'sha-9f3c2b1-ecr-ecs-fargate',
            stackImageTag: 'sha-9f3c2b1-ecr-ecs-fargate',
            desiredCount: 1,
            runningCount: 0,
            monthlyCost: null,
            costNote: 'no task runs',
          })),
          currency: 'USD',
          costAssumptions: [],
        },
        null,
        2,
      ),
      '',
      ' NX   Successfully ran target envs for project infra',
    ].join('\n');

  /**
   * Runs a step with an `npx` on PATH whose `npx nx run infra:envs …` prints `output`, and whose
   * `npx tsx` is the real one: the scripts read what infra:envs would have printed.
   */
  const runStep = (step: WorkflowStep, output: string, env: Record<string, string> = {}) => {
    writeFileSync(join(dir, 'envs-answer.txt'), output);
    writeFileSync(
      join(dir, 'npx'),
      [
        '#!/bin/sh',
        `if [ "$1" = nx ]; then cat "${join(dir, 'envs-answer.txt')}"; exit 0; fi`,
        `if [ "$1" = tsx ]; then shift; exec "${process.execPath}" "${TSX_CLI}" "$@"; fi`,
        'echo "unexpected npx $*" >&2; exit 3',
        '',
      ].join('\n'),
    );
    chmodSync(join(dir, 'npx'), 0o755);
    writeFileSync(join(dir, 'output'), '');
    writeFileSync(join(dir, 'summary'), '');
    const result = spawnSync(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run as string],
      {
        cwd: workspaceRoot,
        env: {
          PATH: `${dir}:${process.env['PATH']}`,
          RUNNER_TEMP: dir,
          GITHUB_OUTPUT: join(dir, 'output'),
          GITHUB_STEP_SUMMARY: join(dir, 'summary'),
          PREVIEW_MAX_AGE: '7d',
          ...env,
        },
        encoding: 'utf8',
      },
    );
    return {
      status: result.status,
      output: spawnSync('cat', [join(dir, 'output')], { encoding: 'utf8' }).stdout.trim(),
    };
  };

  it('GIVEN output that is no report WHEN read THEN the step fails rather than reading false', () => {
    const stillOld = stepNamed(job(sweep, 'destroy'), 'Still older than the maximum age');
    expect(runStep(stillOld, 'nothing\n', { PREVIEW_ENV: 'pr-12' }).status).toBe(2);
  }, 30_000);

  it('GIVEN two old previews WHEN the sweep lists them THEN its output is the matrix list', () => {
    const step = stepNamed(job(sweep, 'list'), 'List them');
    expect(runStep(step, envsOutput(['pr-12', 'pr-3']))).toEqual({
      status: 0,
      output: 'environments=["pr-3","pr-12"]',
    });
    expect(runStep(step, envsOutput([]))).toEqual({ status: 0, output: 'environments=[]' });
  }, 30_000);

  it('GIVEN a list naming staging WHEN the sweep lists THEN the step fails and names nothing', () => {
    const step = stepNamed(job(sweep, 'list'), 'List them');
    expect(runStep(step, envsOutput(['pr-3', 'staging']))).toEqual({ status: 2, output: '' });
  }, 30_000);

  it('GIVEN a preview redeployed meanwhile WHEN the sweep checks again THEN it is kept', () => {
    const step = stepNamed(job(sweep, 'destroy'), 'Still older than the maximum age');
    expect(runStep(step, envsOutput(['pr-3']), { PREVIEW_ENV: 'pr-12' }).output).toBe(
      'stale=false',
    );
    expect(runStep(step, envsOutput(['pr-12']), { PREVIEW_ENV: 'pr-12' }).output).toBe(
      'stale=true',
    );
  }, 30_000);
});
