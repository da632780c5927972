import {
  BatchGetImageCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { OpsError } from '../errors';
import { ACCOUNT, IMAGE_MANIFEST, NAME, REGION, TAG } from '../testing/fixtures';
import { MANIFEST_MEDIA_TYPES, readImagePlatforms, type FetchText } from './image-platform';

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: REGION });
const ARM64_TAG = 'sha-1a2b3c4-arm64-ecr-ecs-fargate';
const DIGEST = 'sha256:3c2f1b4e9a1d5e0f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f';
const INDEX_DIGEST = 'sha256:9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c';
/** IMAGE_MANIFEST's config digest: the blob GetDownloadUrlForLayer is asked for. */
const CONFIG_DIGEST = 'sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7';
/** A presigned S3 URL as GetDownloadUrlForLayer answers it (shortened signature). */
const DOWNLOAD_URL = `https://prod-${REGION}-starport-layer-bucket.s3.${REGION}.amazonaws.com/a1b2-${ACCOUNT}-c3d4/${CONFIG_DIGEST.slice(7)}?X-Amz-Security-Token=IQoJb3JpZ2luX2Vj&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261203T160000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=0f1e2d3c`;

/** An image config blob as BuildKit writes it for an arm64 image (trimmed to what matters). */
const ARM64_CONFIG = JSON.stringify({
  architecture: 'arm64',
  os: 'linux',
  variant: 'v8',
  config: {
    User: '1000:1000',
    Env: [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'NODE_ENV=production',
    ],
    Cmd: ['node', '/app/main.js'],
    WorkingDir: '/app',
  },
  created: '2026-12-03T16:00:00.000Z',
  rootfs: { type: 'layers', diff_ids: [`sha256:${'a'.repeat(64)}`] },
});

/** `docker buildx build --platform linux/amd64,linux/arm64 --push`'s OCI index, attestations included. */
const MULTI_PLATFORM_INDEX = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${'1'.repeat(64)}`,
      size: 1057,
      platform: { architecture: 'amd64', os: 'linux' },
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${'2'.repeat(64)}`,
      size: 1057,
      platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${'3'.repeat(64)}`,
      size: 566,
      annotations: {
        'vnd.docker.reference.digest': `sha256:${'1'.repeat(64)}`,
        'vnd.docker.reference.type': 'attestation-manifest',
      },
      platform: { architecture: 'unknown', os: 'unknown' },
    },
  ],
});

function imageFound(imageManifest: string, imageManifestMediaType: string, imageDigest: string) {
  return {
    images: [
      {
        registryId: ACCOUNT,
        repositoryName: NAME,
        imageId: { imageDigest, imageTag: TAG },
        imageManifest,
        imageManifestMediaType,
      },
    ],
    failures: [],
  };
}

/** A fetch that serves `body` at DOWNLOAD_URL only, and records what it was asked. */
function fakeFetch(body: string, status = 200): FetchText & { urls: string[] } {
  const urls: string[] = [];
  const fn = async (url: string) => {
    urls.push(url);
    const found = url === DOWNLOAD_URL;
    return {
      ok: found && status === 200,
      status: found ? status : 404,
      text: async () => (found ? body : '<Error><Code>NoSuchKey</Code></Error>'),
    };
  };
  return Object.assign(fn, { urls });
}

beforeEach(() => ecr.reset());

describe('readImagePlatforms', () => {
  it('GIVEN a single-platform image THEN reads its config blob through the presigned URL: linux/arm64/v8', async () => {
    // GIVEN ECR holds a Docker schema 2 manifest under the tag, and serves its config blob
    ecr
      .on(BatchGetImageCommand, {
        repositoryName: NAME,
        imageIds: [{ imageTag: ARM64_TAG }],
        acceptedMediaTypes: [...MANIFEST_MEDIA_TYPES],
      })
      .resolves(
        imageFound(IMAGE_MANIFEST, 'application/vnd.docker.distribution.manifest.v2+json', DIGEST),
      );
    ecr
      .on(GetDownloadUrlForLayerCommand, { repositoryName: NAME, layerDigest: CONFIG_DIGEST })
      .resolves({ downloadUrl: DOWNLOAD_URL, layerDigest: CONFIG_DIGEST });
    const fetchText = fakeFetch(ARM64_CONFIG);
    // WHEN its platforms are read
    const found = await readImagePlatforms(client, NAME, ARM64_TAG, fetchText);
    // THEN the config's os/architecture/variant, under the manifest's digest
    expect(found).toEqual({ digest: DIGEST, platforms: ['linux/arm64/v8'] });
    expect(fetchText.urls).toEqual([DOWNLOAD_URL]);
  });

  it('GIVEN a multi-platform OCI index THEN its images platforms, without the attestation manifests, and no download', async () => {
    ecr
      .on(BatchGetImageCommand)
      .resolves(
        imageFound(MULTI_PLATFORM_INDEX, 'application/vnd.oci.image.index.v1+json', INDEX_DIGEST),
      );
    const fetchText = fakeFetch('');
    await expect(readImagePlatforms(client, NAME, TAG, fetchText)).resolves.toEqual({
      digest: INDEX_DIGEST,
      platforms: ['linux/amd64', 'linux/arm64/v8'],
    });
    expect(ecr.commandCalls(GetDownloadUrlForLayerCommand)).toHaveLength(0);
    expect(fetchText.urls).toEqual([]);
  });

  it('GIVEN a Docker manifest list THEN its platforms too', async () => {
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [
        {
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          digest: `sha256:${'4'.repeat(64)}`,
          size: 1574,
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    });
    ecr
      .on(BatchGetImageCommand)
      .resolves(
        imageFound(list, 'application/vnd.docker.distribution.manifest.list.v2+json', INDEX_DIGEST),
      );
    await expect(readImagePlatforms(client, NAME, TAG, fakeFetch(''))).resolves.toMatchObject({
      platforms: ['linux/amd64'],
    });
  });

  it('GIVEN a tag that is not in the repository THEN undefined (BatchGetImage reports it as a failure)', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [
        {
          imageId: { imageTag: TAG },
          failureCode: 'ImageNotFound',
          failureReason: 'Requested image not found',
        },
      ],
    });
    await expect(readImagePlatforms(client, NAME, TAG, fakeFetch(''))).resolves.toBeUndefined();
  });

  it('GIVEN no repository THEN one line naming the registry stack deploy', async () => {
    ecr.on(BatchGetImageCommand).rejects(
      new RepositoryNotFoundException({
        message: `The repository with name '${NAME}' does not exist in the registry with id '${ACCOUNT}'`,
        $metadata: {},
      }),
    );
    await expect(readImagePlatforms(client, NAME, TAG, fakeFetch(''))).rejects.toEqual(
      new OpsError(
        'stack-not-found',
        `ECR repository ${NAME} does not exist: deploy the registry stack first (\`npx nx run infra:deploy\`)`,
      ),
    );
  });

  it('GIVEN the presigned URL answers 403 THEN one line with the status, not a parse error', async () => {
    ecr
      .on(BatchGetImageCommand)
      .resolves(
        imageFound(IMAGE_MANIFEST, 'application/vnd.docker.distribution.manifest.v2+json', DIGEST),
      );
    ecr
      .on(GetDownloadUrlForLayerCommand)
      .resolves({ downloadUrl: DOWNLOAD_URL, layerDigest: CONFIG_DIGEST });
    await expect(readImagePlatforms(client, NAME, TAG, fakeFetch('', 403))).rejects.toThrow(
      `cannot download ${NAME}:${TAG}'s image config: HTTP 403 from its presigned URL`,
    );
  });
});
