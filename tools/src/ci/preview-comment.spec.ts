import type { FailureJson, ReceiptJson } from '../release/deploy-summary';
import { startFakeGitHub, type FakeGitHub, type StoredComment } from './github-api-for-test';
import {
  WORKFLOW_BOT,
  createGitHubCommentApi,
  findMarkedComment,
  formatDeployedComment,
  formatRemovedComment,
  previewMarker,
  upsertComment,
} from './preview-comment';

const REPOSITORY = 'octo-org/hello-world';
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

/** infra:deploy --json's receipt of a preview (libs/fargate/src/deploy/receipt.ts), abridged. */
const receipt: ReceiptJson = {
  stackName: 'hello-world-ecr-ecs-fargate-pr-12',
  region: 'eu-west-1',
  gitSha: '9f3c2b1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
  image: {
    repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate',
    tag: 'sha-9f3c2b1-ecr-ecs-fargate',
    digest: 'sha256:3b5e1f0c2d4a6b8c0e2f4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a',
    pushed: false,
  },
  taskDefinition: { family: 'hello-world-ecr-ecs-fargate-pr-12', revision: 3 },
  deploymentId: 'ecs-svc/4412178461870361822',
  url: 'http://203.0.113.24:3000',
  answersFromHere: true,
  warnings: [],
  totalMs: 241_000,
};
const failure: FailureJson = {
  ok: false,
  phase: 'wait',
  problem: { kind: 'rollout', message: 'the circuit breaker rolled the deployment back' },
};
const cost = { total: 16.42, currency: 'USD', region: 'eu-west-1' };
const runUrl = 'https://github.com/octo-org/hello-world/actions/runs/7016253948';

describe('the preview comment text', () => {
  it('GIVEN a receipt and a cost WHEN formatted THEN it starts with the marker and shows URL, tag and cost', () => {
    const body = formatDeployedComment({
      environment: 'pr-12',
      deploy: receipt,
      cost,
      commit: '9f3c2b1',
      runUrl,
    });
    expect(body.split('\n')[0]).toBe('<!-- preview:pr-12 -->');
    expect(body).toContain('### Preview `pr-12` deployed');
    expect(body).toContain('| URL | http://203.0.113.24:3000 |');
    expect(body).toContain('| Image tag | `sha-9f3c2b1-ecr-ecs-fargate` |');
    expect(body).toContain(
      '| Monthly cost | about 16.42 USD a month (eu-west-1), an estimate from the synthesized templates |',
    );
    expect(body).toContain('| Commit | `9f3c2b1` |');
    expect(body).toContain(`[Workflow run](${runUrl})`);
  });

  it('GIVEN no cost estimate WHEN formatted THEN the cost says unavailable, the rest is there', () => {
    const body = formatDeployedComment({
      environment: 'pr-12',
      deploy: receipt,
      cost: undefined,
      commit: undefined,
      runUrl: undefined,
    });
    expect(body).toContain('| Monthly cost | unavailable (infra:cost printed no estimate) |');
    expect(body).toContain('| URL | http://203.0.113.24:3000 |');
    expect(body).not.toContain('| Commit |');
  });

  it('GIVEN a failed deploy WHEN formatted THEN it says where and why, keeping the marker', () => {
    const body = formatDeployedComment({
      environment: 'pr-12',
      deploy: failure,
      cost: undefined,
      commit: '9f3c2b1',
      runUrl,
    });
    expect(body.startsWith(previewMarker('pr-12'))).toBe(true);
    expect(body).toContain(
      'The deploy of `9f3c2b1` failed in the wait phase: rollout: the circuit breaker rolled the deployment back.',
    );
  });

  it('GIVEN no receipt (the build or push failed first) WHEN formatted THEN it says the deploy stopped', () => {
    const body = formatDeployedComment({
      environment: 'pr-12',
      deploy: undefined,
      cost: undefined,
      commit: '9f3c2b1',
      runUrl,
    });
    expect(body).toContain('### Preview `pr-12`: deploy failed');
    expect(body).toContain(
      'The deploy of `9f3c2b1` stopped before infra:deploy printed a receipt (the build, the push or the deploy failed).',
    );
  });

  it('GIVEN the preview removed WHEN formatted THEN it says so and why', () => {
    const body = formatRemovedComment('pr-12', 'the pull request was closed', runUrl);
    expect(body).toContain('### Preview `pr-12` removed');
    expect(body).toContain('Removed: the pull request was closed.');
  });
});

describe('finding the comment again', () => {
  it("GIVEN a person's comment quoting the marker WHEN searched THEN only the bot's comment counts", () => {
    const marker = previewMarker('pr-12');
    const comments = [
      { id: 1, body: `${marker}\nquoted by hand`, user: { login: 'octocat' } },
      { id: 2, body: 'unrelated', user: { login: WORKFLOW_BOT } },
      { id: 3, body: `${marker}\n### Preview`, user: { login: WORKFLOW_BOT } },
    ];
    expect(findMarkedComment(comments, marker)?.id).toBe(3);
    // pr-1's marker is not a prefix match of pr-12's
    expect(findMarkedComment(comments, previewMarker('pr-1'))).toBeUndefined();
  });
});

describe('upsertComment against a GitHub REST server', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub(REPOSITORY, TOKEN);
  });
  afterEach(() => github.close());
  const api = () =>
    createGitHubCommentApi({ apiUrl: github.url, repository: REPOSITORY, token: TOKEN });
  const marker = previewMarker('pr-12');

  it('GIVEN no preview comment WHEN upserted twice THEN one comment is created, then edited in place', async () => {
    // GIVEN a pull request with a review comment of a person
    github.comments.set(12, [{ id: 100, body: 'LGTM', user: { login: 'octocat', type: 'User' } }]);
    // WHEN the first deploy comments, then the next push's deploy
    const first = await upsertComment(api(), 12, marker, `${marker}\nfirst`);
    const second = await upsertComment(api(), 12, marker, `${marker}\nsecond`);
    // THEN the same comment holds the newest text
    expect(first.action).toBe('created');
    expect(second).toEqual({ action: 'updated', id: first.id });
    expect(github.comments.get(12)?.map((c) => c.body)).toEqual(['LGTM', `${marker}\nsecond`]);
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/${REPOSITORY}/issues/12/comments?per_page=100`,
      `POST /repos/${REPOSITORY}/issues/12/comments`,
      `GET /repos/${REPOSITORY}/issues/12/comments?per_page=100`,
      `PATCH /repos/${REPOSITORY}/issues/comments/${first.id}`,
    ]);
  });

  it('GIVEN the comment on the third page WHEN upserted THEN the Link pages are followed to it', async () => {
    const many: StoredComment[] = Array.from({ length: 230 }, (_, i) => ({
      id: i + 1,
      body: `comment ${i + 1}`,
      user: { login: 'octocat', type: 'User' },
    }));
    many[215] = { id: 216, body: `${marker}\nold`, user: { login: WORKFLOW_BOT, type: 'Bot' } };
    github.comments.set(12, many);
    const result = await upsertComment(api(), 12, marker, `${marker}\nnew`);
    expect(result).toEqual({ action: 'updated', id: 216 });
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
  });

  it('GIVEN GitHub refusing WHEN upserted THEN the error names the status, the call and the message', async () => {
    github.failNext(403, 'Resource not accessible by integration');
    await expect(upsertComment(api(), 12, marker, 'x')).rejects.toThrow(
      `GitHub answered 403 to GET /repos/${REPOSITORY}/issues/12/comments: Resource not accessible by integration`,
    );
  });
});
