import { BatchGetImageCommand, PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { deployedImageTag } from '@hello-world/shared';
import { OpsError } from '../errors';

/**
 * Every manifest type an image here can be stored as. BatchGetImage answers only in an accepted
 * type; listing them all gets the stored manifest back byte for byte, so PutImage re-tags the
 * same image (same digest) instead of converting it into a new one.
 */
const MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

export interface DeployedMarkerRequest {
  repositoryName: string;
  /** The image the service stack now runs. */
  imageDigest: string;
  serviceStackName: string;
}

export interface DeployedMarker {
  /** `deployed-<service stack>`. */
  tag: string;
  /** `already-tagged`: the marker was on this image before (ECR's ImageAlreadyExistsException). */
  result: 'tagged' | 'already-tagged';
}

/**
 * Moves the mutable `deployed-<service stack>` tag onto the image the stack runs, so the ECR
 * lifecycle policy keeps it however many builds follow. ECR has no "add a tag" call: the image's
 * manifest is read (BatchGetImage) and put again under the new tag (PutImage) with its media type
 * and digest. Needs ecr:BatchGetImage and ecr:PutImage on the repository.
 */
export async function markDeployedImage(
  client: ECRClient,
  request: DeployedMarkerRequest,
): Promise<DeployedMarker> {
  const { repositoryName, imageDigest } = request;
  const tag = deployedImageTag(request.serviceStackName);
  const { images, failures } = await client.send(
    new BatchGetImageCommand({
      repositoryName,
      imageIds: [{ imageDigest }],
      acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
    }),
  );
  const image = images?.find((i) => i.imageId?.imageDigest === imageDigest) ?? images?.[0];
  if (!image?.imageManifest) {
    const failure = failures?.[0];
    const why = failure ? ` (${failure.failureCode}: ${failure.failureReason})` : '';
    throw new OpsError('unknown', `image ${imageDigest} is not in ${repositoryName}${why}`);
  }
  try {
    await client.send(
      new PutImageCommand({
        repositoryName,
        imageTag: tag,
        imageManifest: image.imageManifest,
        ...(image.imageManifestMediaType
          ? { imageManifestMediaType: image.imageManifestMediaType }
          : {}),
        imageDigest,
      }),
    );
    return { tag, result: 'tagged' };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ImageAlreadyExistsException') return { tag, result: 'already-tagged' };
    if (name === 'ImageTagAlreadyExistsException') {
      throw new OpsError(
        'unknown',
        `${tag} is immutable in ${repositoryName}, so it cannot move to the new image: leave ${tag} out of the repository's immutable tag filters`,
      );
    }
    throw error;
  }
}
