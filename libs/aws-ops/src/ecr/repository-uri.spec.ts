import { parseRepositoryUri } from './repository-uri';

describe('parseRepositoryUri', () => {
  it('splits an ECR repository URI into registry, name, account and region', () => {
    // GIVEN the registry stack's output WHEN parsed THEN each part is named
    expect(
      parseRepositoryUri(
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate',
      ),
    ).toEqual({
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      repositoryName: 'hello-world-ecr-ecs-fargate',
      accountId: '123456789012',
      region: 'eu-west-1',
    });
  });

  it('rejects a URI that is not ECR with the expected shape', () => {
    // GIVEN a Docker Hub name WHEN parsed THEN the error shows the expected shape
    expect(() => parseRepositoryUri('docker.io/library/node')).toThrow(
      '<account>.dkr.ecr.<region>.amazonaws.com/<name>',
    );
  });
});
