import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { OpsError } from '../errors';
import { deploymentCommand } from '../findings';

/**
 * The digest the tag points at in the repository, or undefined when the tag is not there.
 * DescribeImages with an imageId answers ImageNotFoundException for a missing tag.
 */
export async function findImageDigest(
  client: ECRClient,
  repositoryName: string,
  tag: string,
  /** The deployment project whose deploy a missing repository names. @default infra */
  project?: string,
): Promise<string | undefined> {
  try {
    const { imageDetails } = await client.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
    );
    return imageDetails?.[0]?.imageDigest;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ImageNotFoundException') return undefined;
    if (name === 'RepositoryNotFoundException') {
      throw new OpsError(
        'stack-not-found',
        `ECR repository ${repositoryName} does not exist: deploy the registry stack first (\`${deploymentCommand('deploy', project)}\`)`,
      );
    }
    throw error;
  }
}
