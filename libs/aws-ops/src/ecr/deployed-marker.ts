import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  PutImageCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { deployedImageTag, previousDeployedImageTag } from '@hello-world/shared';
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
  /**
   * The image the marker moved off, now tagged `deployed-<stack>-previous` so the lifecycle
   * policy keeps it too: what `rollback` goes back to. Absent when the marker stayed or was new.
   */
  previous?: { tag: string; digest: string };
}

/**
 * Moves the mutable `deployed-<service stack>` tag onto the image the stack runs, so the ECR
 * lifecycle policy keeps it however many builds follow; the image it moves off gets
 * `deployed-<service stack>-previous` first (the policy keeps every `deployed-*` tag), so the
 * release a rollback returns to is never expired either. Needs ecr:DescribeImages,
 * ecr:BatchGetImage and ecr:PutImage on the repository.
 */
export async function markDeployedImage(
  client: ECRClient,
  request: DeployedMarkerRequest,
): Promise<DeployedMarker> {
  const { repositoryName, imageDigest } = request;
  const tag = deployedImageTag(request.serviceStackName);
  const holder = await findTaggedDigest(client, repositoryName, tag);
  let previous: DeployedMarker['previous'];
  if (holder && holder !== imageDigest) {
    const previousTag = previousDeployedImageTag(request.serviceStackName);
    await putTag(client, repositoryName, holder, previousTag);
    previous = { tag: previousTag, digest: holder };
  }
  const result = await putTag(client, repositoryName, imageDigest, tag);
  return { tag, result, ...(previous ? { previous } : {}) };
}

/** The digest a tag names in the repository, or undefined when no image has it. */
async function findTaggedDigest(
  client: ECRClient,
  repositoryName: string,
  imageTag: string,
): Promise<string | undefined> {
  try {
    const answer = await client.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag }] }),
    );
    return answer?.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if ((error as Error).name === 'ImageNotFoundException') return undefined;
    throw error;
  }
}

/**
 * Adds `tag` to the image `imageDigest` of the repository without pulling or pushing it (a
 * release tag on the image a promote deployed). `already-tagged` when the tag is on that image;
 * an immutable tag already on another image is an OpsError saying so. Needs ecr:BatchGetImage
 * and ecr:PutImage.
 */
export async function tagImage(
  client: ECRClient,
  repositoryName: string,
  imageDigest: string,
  tag: string,
): Promise<DeployedMarker['result']> {
  return putTag(
    client,
    repositoryName,
    imageDigest,
    tag,
    () =>
      `${tag} already names another image in ${repositoryName} and cannot move (it is immutable): release a new version instead`,
  );
}

/**
 * ECR has no "add a tag" call: the image's manifest is read (BatchGetImage) and put again under
 * the new tag (PutImage) with its media type and digest, so it stays the same image.
 */
async function putTag(
  client: ECRClient,
  repositoryName: string,
  imageDigest: string,
  tag: string,
  immutable: () => string = () =>
    `${tag} is immutable in ${repositoryName}, so it cannot move to the new image: leave ${tag} out of the repository's immutable tag filters`,
): Promise<DeployedMarker['result']> {
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
    return 'tagged';
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ImageAlreadyExistsException') return 'already-tagged';
    if (name === 'ImageTagAlreadyExistsException') throw new OpsError('unknown', immutable());
    throw error;
  }
}
