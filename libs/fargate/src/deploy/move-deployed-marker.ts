import type { ECRClient } from '@aws-sdk/client-ecr';
import { explainError, markDeployedImage, parseRepositoryUri } from '@hello-world/aws-ops';
import { deployedImageTag } from '@hello-world/shared';

export interface MarkerMove {
  /** The repository URI and the digest of the image the service stack now runs. */
  repositoryUri: string;
  imageDigest: string;
  serviceStackName: string;
  /** For the warning's wording: where and which deployment project. */
  region: string;
  project: string;
}

/**
 * After a deploy or a rollback: moves `deployed-<stack>` onto the image the stack now runs (the
 * image it moved off keeps `deployed-<stack>-previous`), so the ECR lifecycle never expires
 * either. Not being able to is a warning: the service runs either way.
 */
export async function moveDeployedMarker(
  ecr: ECRClient,
  move: MarkerMove,
  progress: (line: string) => void,
): Promise<{ tag?: string; warning?: string }> {
  try {
    const marker = await markDeployedImage(ecr, {
      repositoryName: parseRepositoryUri(move.repositoryUri).repositoryName,
      imageDigest: move.imageDigest,
      serviceStackName: move.serviceStackName,
    });
    if (marker.previous) {
      progress(
        `tagged ${move.repositoryUri}@${marker.previous.digest} ${marker.previous.tag}: the image it ran before, kept for a rollback`,
      );
    }
    progress(
      `${marker.result === 'tagged' ? 'tagged' : 'already tagged'} ${move.repositoryUri}@${move.imageDigest} ${marker.tag}: the ECR lifecycle keeps it`,
    );
    return { tag: marker.tag };
  } catch (error) {
    const { message } = explainError(error, { region: move.region, project: move.project });
    const warning = `could not tag the deployed image ${deployedImageTag(move.serviceStackName)} (${message}): until it is, the ECR lifecycle keeps that image only while it is among the newest builds`;
    progress(`WARNING: ${warning}`);
    return { warning };
  }
}
