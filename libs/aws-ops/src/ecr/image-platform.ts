import {
  BatchGetImageCommand,
  GetDownloadUrlForLayerCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { OpsError } from '../errors';
import { deploymentCommand } from '../findings';

// Every manifest type a tag can point at. Without acceptedMediaTypes ECR answers with a Docker
// schema 2 manifest and fails (UnsupportedImageTypeException) for an OCI index.
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

const INDEX_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/** What a tag in a registry holds, for the deploy's "can the task run it" check. */
export interface ImagePlatforms {
  /** The digest the tag points at (of the index, for a multi-platform image). */
  digest: string;
  /** `linux/amd64`, `linux/arm64/v8`…: one for an image, each image's for an index. */
  platforms: string[];
}

/** `os/architecture[/variant]`, as Docker writes a platform. */
export function formatPlatform(platform: {
  os?: string;
  architecture?: string;
  variant?: string;
}): string {
  return [platform.os ?? 'unknown', platform.architecture ?? 'unknown', platform.variant]
    .filter((part) => part !== undefined && part !== '')
    .join('/');
}

interface Manifest {
  mediaType?: string;
  config?: { digest?: string };
  manifests?: {
    platform?: { os?: string; architecture?: string; variant?: string };
    annotations?: Record<string, string>;
  }[];
}

/**
 * Reads a manifest: an index or manifest list lists its images' platforms (leaving out buildx's
 * attestation manifests, `unknown/unknown`); a single image's manifest names its config blob,
 * where the platform is. `mediaType` is the registry's (the manifest may omit its own).
 */
export function readManifestPlatforms(
  manifestJson: string,
  mediaType?: string,
): { platforms: string[] } | { configDigest: string } {
  const manifest = JSON.parse(manifestJson) as Manifest;
  const type = mediaType ?? manifest.mediaType ?? '';
  if (INDEX_MEDIA_TYPES.has(type) || Array.isArray(manifest.manifests)) {
    const platforms = (manifest.manifests ?? [])
      .filter(
        (entry) => entry.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
      )
      .map((entry) => formatPlatform(entry.platform ?? {}))
      .filter((platform) => platform !== 'unknown/unknown');
    return { platforms: [...new Set(platforms)] };
  }
  const configDigest = manifest.config?.digest;
  if (!configDigest) throw new Error(`a ${type || 'manifest'} without a config digest`);
  return { configDigest };
}

/** The platform an image config blob (`{"architecture":"arm64","os":"linux",…}`) names. */
export function readConfigPlatform(configJson: string): string {
  const config = JSON.parse(configJson) as { os?: string; architecture?: string; variant?: string };
  return formatPlatform(config);
}

/** fetch as far as it is used here, so a test can pass a fake. */
export type FetchText = (
  url: string,
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/**
 * The platform(s) of the image a tag names in an ECR repository, or undefined when the tag is not
 * there. ecr:BatchGetImage reads the manifest; for a single image, ecr:GetDownloadUrlForLayer
 * gives a presigned URL of its config blob, read with `fetchText` (no AWS credentials on it).
 */
export async function readImagePlatforms(
  client: ECRClient,
  repositoryName: string,
  tag: string,
  fetchText: FetchText = fetch,
  /** The deployment project whose deploy a missing repository names. @default infra */
  project?: string,
): Promise<ImagePlatforms | undefined> {
  let answer;
  try {
    answer = await client.send(
      new BatchGetImageCommand({
        repositoryName,
        imageIds: [{ imageTag: tag }],
        acceptedMediaTypes: [...MANIFEST_MEDIA_TYPES],
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') {
      throw new OpsError(
        'stack-not-found',
        `ECR repository ${repositoryName} does not exist: deploy the registry stack first (\`${deploymentCommand('deploy', project)}\`)`,
      );
    }
    throw error;
  }
  const image = answer.images?.[0];
  if (!image?.imageManifest) {
    const failure = answer.failures?.[0];
    // A tag that is not there is a failure of the batch, not an error.
    if (!failure || failure.failureCode === 'ImageNotFound') {
      return undefined;
    }
    throw new OpsError(
      'unknown',
      `cannot read ${repositoryName}:${tag}'s manifest (${failure.failureCode}: ${failure.failureReason ?? 'no reason given'})`,
    );
  }
  const digest = image.imageId?.imageDigest ?? '';
  const read = readManifestPlatforms(image.imageManifest, image.imageManifestMediaType);
  if ('platforms' in read) return { digest, platforms: read.platforms };

  const { downloadUrl } = await client.send(
    new GetDownloadUrlForLayerCommand({ repositoryName, layerDigest: read.configDigest }),
  );
  if (!downloadUrl) {
    throw new OpsError('unknown', `ECR gave no download URL for ${repositoryName}:${tag}'s config`);
  }
  let response;
  try {
    response = await fetchText(downloadUrl);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new OpsError(
      'network',
      `cannot download ${repositoryName}:${tag}'s image config (${cause ?? (error as Error).message}): check the network`,
    );
  }
  if (!response.ok) {
    throw new OpsError(
      'unknown',
      `cannot download ${repositoryName}:${tag}'s image config: HTTP ${response.status} from its presigned URL`,
    );
  }
  return { digest, platforms: [readConfigPlatform(await response.text())] };
}
