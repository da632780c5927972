import {
  checkPushReportIsCurrent,
  parsePushReportFile,
  parseRegistryReportFile,
} from './push-report';

const DIGEST = 'sha256:dcba0163cad14974cced31f70b06cbca0f75527b2a36334e63418424e2ca5915';
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate';
const PATH = 'dist/apps/hello-world/image-push.json';
const HELLO_WORLD = { project: 'infra', service: 'hello-world' };
const GREETER = { project: 'greeter-infra', service: 'greeter' };
const TIMING = {
  startedAt: '2026-12-03T13:40:00.000Z',
  finishedAt: '2026-12-03T13:40:45.000Z',
  durationMs: 45_000,
};

describe('parsePushReportFile', () => {
  it('reads the report docker-push writes: repository, tag, digest, pushed and its timing', () => {
    // GIVEN docker-push's file after a push (the shape libs/image/src/push-report-file.ts writes)
    const text = JSON.stringify({
      repository: ECR,
      tag: 'sha-bd9bfc0-ecr-ecs-fargate',
      digest: DIGEST,
      pushed: true,
      ...TIMING,
    });
    // WHEN read THEN every field is there for the receipt
    expect(parsePushReportFile(text, PATH, HELLO_WORLD)).toEqual({
      repository: ECR,
      tag: 'sha-bd9bfc0-ecr-ecs-fargate',
      digest: DIGEST,
      pushed: true,
      ...TIMING,
    });
  });

  it('reads a skipped push (tag already in the registry) without timing as such', () => {
    const text = JSON.stringify({
      repository: ECR,
      tag: 'sha-bd9bfc0-ecr-ecs-fargate',
      pushed: false,
    });
    expect(parsePushReportFile(text, PATH, HELLO_WORLD)).toEqual({
      repository: ECR,
      tag: 'sha-bd9bfc0-ecr-ecs-fargate',
      pushed: false,
    });
  });

  it.each([
    ['not JSON', 'pushed: x'],
    ['no tag', JSON.stringify({ repository: ECR, pushed: true })],
    [
      'a digest that is not one',
      JSON.stringify({ repository: ECR, tag: 't', pushed: true, digest: 'abc' }),
    ],
  ])('GIVEN %s THEN one line naming the file and how to push again', (_, text) => {
    expect(() => parsePushReportFile(text, PATH, HELLO_WORLD)).toThrow(
      /^dist\/apps\/hello-world\/image-push\.json is not a report this workspace writes: run `npx nx run infra:deploy` again, which pushes first$/,
    );
  });
});

describe('checkPushReportIsCurrent', () => {
  const report = { repository: ECR, tag: 'sha-1111111-ecr-ecs-fargate', pushed: true };

  it('GIVEN the report of this build THEN it is taken', () => {
    expect(() =>
      checkPushReportIsCurrent(report, 'sha-1111111-ecr-ecs-fargate', PATH, HELLO_WORLD),
    ).not.toThrow();
  });

  it('GIVEN the report of an earlier build THEN one line says it is stale and how to push this one', () => {
    expect(() =>
      checkPushReportIsCurrent(report, 'sha-2222222-ecr-ecs-fargate', PATH, HELLO_WORLD),
    ).toThrow(
      /^dist\/apps\/hello-world\/image-push\.json is stale: it reports sha-1111111-ecr-ecs-fargate, but the current build is sha-2222222-ecr-ecs-fargate: run `npx nx run infra:deploy`/,
    );
  });
});

describe('push report messages for another deployment (greeter-infra)', () => {
  const report = { repository: ECR, tag: 'sha-1111111-ecr-ecs-fargate', pushed: true };

  it("GIVEN greeter's stale report THEN the line names greeter-infra:deploy and greeter:docker-push, not hello-world's", () => {
    const path = 'dist/apps/greeter/image-push.json';
    expect(() =>
      checkPushReportIsCurrent(report, 'sha-2222222-ecr-ecs-fargate', path, GREETER),
    ).toThrow(
      'dist/apps/greeter/image-push.json is stale: it reports sha-1111111-ecr-ecs-fargate, but the current build is sha-2222222-ecr-ecs-fargate: run `npx nx run greeter-infra:deploy` (it pushes first), or `npx nx run greeter:docker-push` before deploying with --exclude-task-dependencies',
    );
  });

  it("GIVEN a report greeter's chain cannot read THEN the line says to run greeter-infra:deploy", () => {
    expect(() => parsePushReportFile('{', 'dist/apps/greeter/image-push.json', GREETER)).toThrow(
      'dist/apps/greeter/image-push.json is not a report this workspace writes: run `npx nx run greeter-infra:deploy` again, which pushes first',
    );
  });
});

describe('parseRegistryReportFile', () => {
  it('reads the stack, region and timing infra:deploy-registry wrote', () => {
    const report = {
      stack: 'hello-world-ecr-ecs-fargate-registry',
      region: 'eu-west-1',
      ...TIMING,
    };
    expect(parseRegistryReportFile(JSON.stringify(report))).toEqual(report);
  });

  it('GIVEN anything else THEN it is not used (the receipt says the step did not run)', () => {
    expect(parseRegistryReportFile('{')).toBeUndefined();
    expect(parseRegistryReportFile(JSON.stringify({ stack: 's', region: 'r' }))).toBeUndefined();
  });
});
