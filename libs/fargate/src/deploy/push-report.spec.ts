import { parsePushReport } from './push-report';

const DIGEST = 'sha256:dcba0163cad14974cced31f70b06cbca0f75527b2a36334e63418424e2ca5915';
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate';

describe('parsePushReport', () => {
  it('reads a push of the sha tag, as docker-push prints it', () => {
    // GIVEN docker-push's output after a push (lines as captured from a real run)
    const output = [
      'The push refers to repository [123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate]',
      `sha-bd9bfc0-ecr-ecs-fargate: digest: ${DIGEST} size: 1570`,
      `pushed: ${ECR}:sha-bd9bfc0-ecr-ecs-fargate (${DIGEST})`,
    ].join('\n');
    // WHEN parsed THEN the tag, digest and action are known
    expect(parsePushReport(output)).toEqual({
      repository: ECR,
      tag: 'sha-bd9bfc0-ecr-ecs-fargate',
      digest: DIGEST,
      pushed: true,
    });
  });

  it('reads a skip when the tag is already in the registry, behind an Nx prefix', () => {
    const output = `hello-world:docker-push: skipped: ${ECR}:sha-bd9bfc0-ecr-ecs-fargate is already in the registry (${DIGEST})\nskipped build and push: nothing new to push`;
    expect(parsePushReport(output)).toEqual({
      repository: ECR,
      tag: 'sha-bd9bfc0-ecr-ecs-fargate',
      digest: DIGEST,
      pushed: false,
    });
  });

  it('takes the sha tag, not a release tag pushed alongside', () => {
    const output = [
      `skipped: ${ECR}:v1.2.3-ecr-ecs-fargate is already in the registry (${DIGEST})`,
      `pushed: ${ECR}:sha-bd9bfc0-ecr-ecs-fargate (${DIGEST})`,
    ].join('\n');
    expect(parsePushReport(output)?.tag).toBe('sha-bd9bfc0-ecr-ecs-fargate');
  });

  it('finds nothing in output without a report line', () => {
    expect(parsePushReport('docker-push: no AWS credentials found')).toBeUndefined();
  });
});
