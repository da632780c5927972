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
