import {
  DescribeRepositoriesCommand,
  ECRClient,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { readTagMutability, tagCanMove, type TagMutability } from './tag-mutability';

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: 'eu-west-1' });
const repositoryName = 'hello-world-ecr-ecs-fargate';

beforeEach(() => ecr.reset());

describe('readTagMutability', () => {
  it('GIVEN a repository with exclusion filters WHEN read THEN its mode and wildcards come back', async () => {
    ecr.on(DescribeRepositoriesCommand, { repositoryNames: [repositoryName] }).resolves({
      repositories: [
        {
          repositoryName,
          imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
          imageTagMutabilityExclusionFilters: [
            { filterType: 'WILDCARD', filter: 'v*.*.*-ecr-ecs-fargate' },
            { filterType: 'WILDCARD', filter: 'sha-*-ecr-ecs-fargate' },
          ],
        },
      ],
    });
    await expect(readTagMutability(client, repositoryName)).resolves.toEqual({
      mode: 'MUTABLE_WITH_EXCLUSION',
      exclusions: ['v*.*.*-ecr-ecs-fargate', 'sha-*-ecr-ecs-fargate'],
    });
  });

  it('GIVEN an IMMUTABLE repository WHEN read THEN no exclusion comes back', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName, imageTagMutability: 'IMMUTABLE' }],
    });
    await expect(readTagMutability(client, repositoryName)).resolves.toEqual({
      mode: 'IMMUTABLE',
      exclusions: [],
    });
  });

  it('GIVEN no repository WHEN read THEN it says to deploy the registry stack', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'not found', $metadata: {} }));
    await expect(readTagMutability(client, repositoryName)).rejects.toThrow(
      /does not exist: deploy the registry stack first/,
    );
  });
});

describe('tagCanMove', () => {
  const reference: TagMutability = {
    mode: 'MUTABLE_WITH_EXCLUSION',
    exclusions: ['v*.*.*-ecr-ecs-fargate', 'sha-*-ecr-ecs-fargate'],
  };

  it.each([
    ['v4-ecr-ecs-fargate', true],
    ['v4.4-ecr-ecs-fargate', true],
    ['v4.4.0-ecr-ecs-fargate', false],
    ['sha-0f2e1f0-ecr-ecs-fargate', false],
  ])('GIVEN the reference repository WHEN asked about %s THEN it can move: %s', (tag, movable) => {
    expect(tagCanMove(reference, tag)).toBe(movable);
  });

  it('GIVEN an IMMUTABLE repository WHEN asked about a floating tag THEN it cannot move', () => {
    expect(tagCanMove({ mode: 'IMMUTABLE', exclusions: [] }, 'v4-ecr-ecs-fargate')).toBe(false);
  });

  it('GIVEN IMMUTABLE_WITH_EXCLUSION WHEN asked THEN only the excluded tags move', () => {
    const mutability: TagMutability = {
      mode: 'IMMUTABLE_WITH_EXCLUSION',
      exclusions: ['deployed-*'],
    };
    expect(tagCanMove(mutability, 'deployed-hello-world-ecr-ecs-fargate')).toBe(true);
    expect(tagCanMove(mutability, 'v4-ecr-ecs-fargate')).toBe(false);
  });

  it('GIVEN a MUTABLE repository WHEN asked about any tag THEN it can move', () => {
    expect(tagCanMove({ mode: 'MUTABLE', exclusions: [] }, 'sha-0f2e1f0-ecr-ecs-fargate')).toBe(
      true,
    );
  });
});
