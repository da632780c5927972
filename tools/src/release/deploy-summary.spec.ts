import { extractDeployJson, formatDeploySummary, type ReceiptJson } from './deploy-summary';

const receipt: ReceiptJson = {
  stackName: 'hello-world-ecr-ecs-fargate',
  region: 'eu-west-1',
  gitSha: '1a2b3c4d5e6f',
  image: {
    repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate',
    tag: 'v1.2.3-ecr-ecs-fargate',
    digest: 'sha256:' + 'a'.repeat(64),
    pushed: false,
  },
  taskDefinition: { family: 'hello-world', revision: 7 },
  deploymentId: 'ecs-svc/1234567890',
  url: 'http://203.0.113.7:49000',
  answersFromHere: true,
  warnings: ['AllowedIP 0.0.0.0/0 lets anyone reach the service'],
  totalMs: 95_000,
};

/** What `nx run infra:deploy --json` prints: Nx's lines around the task's JSON. */
const nxOutput = (json: unknown, prefix = '') =>
  [
    '',
    '> nx run infra:deploy --json',
    '',
    ...JSON.stringify(json, null, 2)
      .split('\n')
      .map((line) => `${prefix}${line}`),
    '',
    ' NX   Successfully ran target deploy for project infra',
  ].join('\n');

describe('extractDeployJson', () => {
  it('finds the receipt among the lines Nx prints around it', () => {
    expect(extractDeployJson(nxOutput(receipt))).toEqual(receipt);
  });

  it('reads it with the project prefix and colours nx affected adds', () => {
    expect(extractDeployJson(nxOutput(receipt, '\u001b[36minfra:\u001b[39m '))).toEqual(receipt);
  });

  it('finds nothing in output without a receipt', () => {
    expect(extractDeployJson('> nx run infra:deploy\nerror: no credentials\n')).toBeUndefined();
  });
});

describe('formatDeploySummary', () => {
  it('shows the URL, image, digest, sha, task definition and warnings, and returns the URL', () => {
    const { markdown, url } = formatDeploySummary('v1.2.3-ecr-ecs-fargate', receipt);
    expect(url).toBe('http://203.0.113.7:49000');
    expect(markdown).toContain(
      '### Deployed v1.2.3-ecr-ecs-fargate to hello-world-ecr-ecs-fargate (eu-west-1)',
    );
    expect(markdown).toContain('| URL | http://203.0.113.7:49000 (answered from the runner) |');
    expect(markdown).toContain(`| Image | ${receipt.image.repository}:v1.2.3-ecr-ecs-fargate |`);
    expect(markdown).toContain('| Task definition | hello-world:7 |');
    expect(markdown).toContain('| Warning | AllowedIP 0.0.0.0/0 lets anyone reach the service |');
    expect(markdown).toContain('| Took | 95s |');
  });

  it('says which phase failed and why, with no URL', () => {
    const { markdown, url } = formatDeploySummary('v1.2.3-ecr-ecs-fargate', {
      ok: false,
      phase: 'wait',
      problem: { kind: 'rollout-failed', message: 'circuit breaker rolled back: exit code 1' },
    });
    expect(url).toBe('');
    expect(markdown).toContain('failed in the wait phase');
    expect(markdown).toContain('rollout-failed: circuit breaker rolled back: exit code 1');
  });

  it('says there is no receipt when the deploy stopped before printing one', () => {
    expect(formatDeploySummary('x', undefined).markdown).toContain('no receipt');
  });
});

describe('formatDeploySummary of an infra:promote receipt', () => {
  // libs/fargate/src/promote/promote-receipt.ts's shape: the target's stack under `to`.
  const promoted = {
    outcome: 'promoted',
    region: 'eu-west-1',
    from: {
      environment: 'staging',
      stackName: 'hello-world-ecr-ecs-fargate-staging',
      taskDefinition: 'hello-world-ecr-ecs-fargate-staging:14',
      runningTasks: 1,
    },
    to: {
      environment: 'production',
      stackName: 'hello-world-ecr-ecs-fargate-production',
      taskDefinition: {
        arn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-world-ecr-ecs-fargate-production:9',
        family: 'hello-world-ecr-ecs-fargate-production',
        revision: 9,
      },
      deploymentId: 'ecs-svc/9876543210',
      runningTasks: 1,
    },
    image: {
      repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate',
      tag: 'sha-1a2b3c4-ecr-ecs-fargate',
      digest: 'sha256:' + 'b'.repeat(64),
      rebuilt: false,
      platforms: ['linux/amd64'],
    },
    url: 'http://203.0.113.9:3000',
    answersFromHere: true,
    openToInternet: false,
    warnings: [],
    gitSha: '1a2b3c4d5e6f',
    phases: [],
  };

  it('GIVEN a promotion WHEN summarized THEN the target stack, the source and "not rebuilt"', () => {
    const { markdown, url } = formatDeploySummary(
      'v1.2.3-ecr-ecs-fargate (staging to production)',
      extractDeployJson(nxOutput(promoted)),
    );
    expect(url).toBe('http://203.0.113.9:3000');
    expect(markdown).toContain(
      '### Deployed v1.2.3-ecr-ecs-fargate (staging to production) to hello-world-ecr-ecs-fargate-production (eu-west-1)',
    );
    expect(markdown).toContain(
      '| Promoted from | staging (hello-world-ecr-ecs-fargate-staging), not rebuilt |',
    );
    expect(markdown).toContain('| Task definition | hello-world-ecr-ecs-fargate-production:9 |');
    expect(markdown).toContain('| Deployment | ecs-svc/9876543210 |');
    expect(markdown).toContain('| Took | - |');
  });
});
