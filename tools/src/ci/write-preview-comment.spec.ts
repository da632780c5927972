// The preview comment's command line end to end: real files from the deploy and cost steps, a
// local server answering GitHub's REST calls (the CLI runs as a child process, as in the job).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub, type FakeGitHub } from './github-api-for-test';

const REPOSITORY = 'octo-org/hello-world';
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const TSX_CLI = join(__dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
const SCRIPT = join(__dirname, 'write-preview-comment.ts');

/** infra:deploy --json inside Nx's lines, as `tee` saved it in the job. */
const deployOutput = (tag: string) =>
  [
    '> nx run infra:deploy --exclude-task-dependencies -- --env=pr-12 --service-only --json',
    '',
    JSON.stringify(
      {
        stackName: 'hello-world-ecr-ecs-fargate-pr-12',
        region: 'eu-west-1',
        gitSha: '9f3c2b1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
        image: {
          repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate',
          tag,
          digest: 'sha256:3b5e1f0c2d4a6b8c0e2f4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a',
          pushed: false,
          platforms: ['linux/amd64'],
        },
        deploymentId: 'ecs-svc/4412178461870361822',
        nothingChanged: false,
        url: 'http://203.0.113.24:3000',
        answersFromHere: true,
        warnings: [],
        phases: [],
        totalMs: 241000,
      },
      null,
      2,
    ),
    '',
    ' NX   Successfully ran target deploy for project infra (4m)',
  ].join('\n');

/** infra:cost --json (libs/fargate/src/cost/estimate.ts), abridged, inside Nx's lines. */
const costOutput = [
  '> nx run infra:cost -- --env=pr-12 --json',
  JSON.stringify(
    {
      environment: 'pr-12',
      monthlyTotal: 16.42,
      stacks: ['hello-world-ecr-ecs-fargate-pr-12'],
      sharedStacks: ['hello-world-ecr-ecs-fargate-registry'],
      region: 'eu-west-1',
      currency: 'USD',
      hoursPerMonth: 730,
      lines: [
        {
          item: 'Fargate vCPU',
          quantity: 182.5,
          unit: 'vCPU-hours',
          unitPrice: 0.04048,
          monthly: 7.3876,
        },
      ],
      total: 16.42,
      free: [],
      assumptions: [],
    },
    null,
    2,
  ),
].join('\n');

describe('write-preview-comment.ts', () => {
  let github: FakeGitHub;
  let dir = '';
  beforeEach(async () => {
    github = await startFakeGitHub(REPOSITORY, TOKEN);
    dir = mkdtempSync(join(tmpdir(), 'preview-comment-'));
  });
  afterEach(async () => {
    await github.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [TSX_CLI, SCRIPT, ...args],
        {
          env: {
            PATH: process.env['PATH'],
            GITHUB_TOKEN: TOKEN,
            GITHUB_REPOSITORY: REPOSITORY,
            GITHUB_API_URL: github.url,
            GITHUB_SERVER_URL: 'https://github.com',
            GITHUB_RUN_ID: '7016253948',
            ...env,
          },
          encoding: 'utf8',
        },
        (error, stdout, stderr) =>
          resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const bodies = () => (github.comments.get(12) ?? []).map((c) => c.body);

  it('GIVEN a labelled deploy, then a push WHEN deployed twice THEN one comment, updated with the new tag', async () => {
    const cost = file('cost.out', costOutput);
    // GIVEN the first deploy (label added)
    const first = await run([
      'deployed',
      '--pull-request=12',
      `--deploy-output=${file('deploy.out', deployOutput('sha-9f3c2b1-ecr-ecs-fargate'))}`,
      `--cost-output=${cost}`,
      '--commit=9f3c2b1',
    ]);
    expect(first).toEqual(expect.objectContaining({ status: 0, stderr: '' }));
    expect(first.stdout).toMatch(
      /^write-preview-comment: created comment \d+ on pull request #12 \(pr-12\)\n$/,
    );
    // WHEN a push redeploys
    const second = await run([
      'deployed',
      '--pull-request=12',
      `--deploy-output=${file('deploy.out', deployOutput('sha-4d5e6f7-ecr-ecs-fargate'))}`,
      `--cost-output=${cost}`,
      '--commit=4d5e6f7',
    ]);
    // THEN the one comment now names the new image, with the URL, cost and run link
    expect(second.stdout).toMatch(/updated comment \d+ on pull request #12/);
    expect(bodies()).toHaveLength(1);
    const [body] = bodies();
    expect(body).toContain('<!-- preview:pr-12 -->');
    expect(body).toContain('| Image tag | `sha-4d5e6f7-ecr-ecs-fargate` |');
    expect(body).toContain('| URL | http://203.0.113.24:3000 |');
    expect(body).toContain('about 16.42 USD a month (eu-west-1)');
    expect(body).toContain(
      '[Workflow run](https://github.com/octo-org/hello-world/actions/runs/7016253948)',
    );
  }, 30_000);

  it('GIVEN a deployed preview WHEN removed THEN the same comment says removed, and why', async () => {
    await run([
      'deployed',
      '--pull-request=12',
      `--deploy-output=${file('deploy.out', deployOutput('sha-9f3c2b1-ecr-ecs-fargate'))}`,
    ]);
    const removed = await run([
      'removed',
      '--pull-request=12',
      '--reason=the pull request was closed',
    ]);
    expect(removed.status).toBe(0);
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).toContain('### Preview `pr-12` removed');
    expect(bodies()[0]).toContain('Removed: the pull request was closed.');
  }, 30_000);

  it('GIVEN no token WHEN run THEN exit 2, one line, no call to GitHub', async () => {
    const result = await run(['removed', '--pull-request=12', '--reason=x'], { GITHUB_TOKEN: '' });
    expect(result.stderr).toBe(
      'write-preview-comment: GITHUB_TOKEN is not set: set it (e.g. ${{ github.token }}) and run again\n',
    );
    expect(result.status).toBe(2);
    expect(github.requests).toEqual([]);
  }, 30_000);

  it('GIVEN GitHub refusing the token WHEN run THEN exit 1 with its answer in one line', async () => {
    const result = await run(['removed', '--pull-request=12', '--reason=x'], {
      GITHUB_TOKEN: 'ghs_wrong',
    });
    expect(result.stderr).toBe(
      `write-preview-comment: GitHub answered 401 to GET /repos/${REPOSITORY}/issues/12/comments: Bad credentials\n`,
    );
    expect(result.status).toBe(1);
  }, 30_000);

  it('GIVEN bad usage WHEN run THEN exit 2 before any call', async () => {
    expect((await run(['removed', '--pull-request=abc', '--reason=x'])).stderr).toBe(
      'write-preview-comment: --pull-request "abc" is not a whole number ≥ 1, e.g. --pull-request 12\n',
    );
    expect((await run(['removed', '--pull-request=12'])).stderr).toBe(
      'write-preview-comment: removed needs --reason=TEXT, e.g. --reason="pull request closed"\n',
    );
    expect((await run(['deployed', '--pull-request=12', '--reason=x'])).stderr).toBe(
      'write-preview-comment: --reason does not apply to deployed (only removed): leave it out\n',
    );
    expect(github.requests).toEqual([]);
  }, 30_000);
});
