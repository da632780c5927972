import {
  DescribeImagesCommand,
  ECRClient,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { findImageDigest } from './ecr-images';

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: 'eu-west-1' });
const repositoryName = 'hello-world-ecr-ecs-fargate';
const tag = 'sha-0f2e1f0-ecr-ecs-fargate';
const digest = 'sha256:3c2f1b4e9a1d5e0f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f';

beforeEach(() => ecr.reset());

describe('findImageDigest', () => {
  it('returns the digest of a tag that is in the repository', async () => {
    // GIVEN ECR describes the image behind the tag
    ecr.on(DescribeImagesCommand, { repositoryName, imageIds: [{ imageTag: tag }] }).resolves({
      imageDetails: [
        {
          registryId: '123456789012',
          repositoryName,
          imageDigest: digest,
          imageTags: [tag, 'v1.2.3-ecr-ecs-fargate'],
          imageSizeInBytes: 52_428_800,
          imagePushedAt: new Date('2026-11-25T18:00:00Z'),
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        },
      ],
    });
    // WHEN the tag is looked up THEN its digest comes back
    await expect(findImageDigest(client, repositoryName, tag)).resolves.toBe(digest);
  });

  it('returns undefined when ECR answers ImageNotFoundException', async () => {
    // GIVEN the tag is not in the repository
    ecr.on(DescribeImagesCommand).rejects(
      new ImageNotFoundException({
        $metadata: { httpStatusCode: 400 },
        message: `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist within the repository with name '${repositoryName}' in the registry with id '123456789012'`,
      }),
    );
    // WHEN / THEN the lookup says "not there" instead of failing
    await expect(findImageDigest(client, repositoryName, tag)).resolves.toBeUndefined();
  });

  it('says to deploy the registry stack when the repository does not exist', async () => {
    // GIVEN no repository
    ecr.on(DescribeImagesCommand).rejects(
      new RepositoryNotFoundException({
        $metadata: { httpStatusCode: 400 },
        message: `The repository with name '${repositoryName}' does not exist in the registry with id '123456789012'`,
      }),
    );
    // WHEN / THEN the error gives the next step
    await expect(findImageDigest(client, repositoryName, tag)).rejects.toThrow(
      'deploy the registry stack first',
    );
  });
});
