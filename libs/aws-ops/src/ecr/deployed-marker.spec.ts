import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { IMAGE_MANIFEST as dockerManifest } from '../testing/fixtures';
import { markDeployedImage } from './deployed-marker';

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: 'eu-west-1' });
const repositoryName = 'hello-world-ecr-ecs-fargate';
const serviceStackName = 'hello-world-ecr-ecs-fargate';
const MARKER = 'deployed-hello-world-ecr-ecs-fargate';
const digest = 'sha256:3c2f1b4e9a1d5e0f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f';
const request = { repositoryName, imageDigest: digest, serviceStackName };

/** A BuildKit push with provenance: an OCI index over the image and its attestation. */
const ociIndex = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: 'sha256:1f0d3a8c4b7e2a9d6c5b4a39281706f5e4d3c2b1a0987654321fedcba9876543',
      size: 1041,
      platform: { architecture: 'amd64', os: 'linux' },
    },
  ],
});

function storedImage(imageManifest: string, imageManifestMediaType: string) {
  return {
    images: [
      {
        registryId: '123456789012',
        repositoryName,
        imageId: { imageDigest: digest },
        imageManifest,
        imageManifestMediaType,
      },
    ],
    failures: [],
  };
}

beforeEach(() => {
  ecr.reset();
  ecr
    .on(BatchGetImageCommand)
    .resolves(storedImage(dockerManifest, 'application/vnd.docker.distribution.manifest.v2+json'));
  ecr.on(PutImageCommand).resolves({
    image: {
      registryId: '123456789012',
      repositoryName,
      imageId: { imageDigest: digest, imageTag: MARKER },
      imageManifest: dockerManifest,
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    },
  });
});

describe('markDeployedImage', () => {
  it('GIVEN the deployed image THEN puts its own manifest again under deployed-<stack>', async () => {
    // WHEN the marker is put
    const marker = await markDeployedImage(client, request);
    // THEN the image was read by digest, and PutImage got the same manifest, type and digest
    expect(marker).toEqual({ tag: MARKER, result: 'tagged' });
    expect(ecr.commandCalls(BatchGetImageCommand)[0]?.args[0].input).toMatchObject({
      repositoryName,
      imageIds: [{ imageDigest: digest }],
    });
    expect(ecr.commandCalls(PutImageCommand)[0]?.args[0].input).toEqual({
      repositoryName,
      imageTag: MARKER,
      imageManifest: dockerManifest,
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      imageDigest: digest,
    });
  });

  it('GIVEN the marker on an older image THEN that image is tagged deployed-<stack>-previous first, then the marker moves', async () => {
    // GIVEN ECR says deployed-<stack> names another image
    const older = 'sha256:' + '7e'.repeat(32);
    ecr.on(DescribeImagesCommand, { repositoryName, imageIds: [{ imageTag: MARKER }] }).resolves({
      imageDetails: [
        { repositoryName, imageDigest: older, imageTags: [MARKER, 'sha-0a1b2c3-ecr-ecs-fargate'] },
      ],
    });
    // WHEN the marker is put on the new image
    const marker = await markDeployedImage(client, request);
    // THEN the older image keeps a deployed- tag (the lifecycle keeps it), before the marker moves
    expect(marker).toEqual({
      tag: MARKER,
      result: 'tagged',
      previous: { tag: `${MARKER}-previous`, digest: older },
    });
    const puts = ecr.commandCalls(PutImageCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.imageTag, p.imageDigest])).toEqual([
      [`${MARKER}-previous`, older],
      [MARKER, digest],
    ]);
  });

  it('GIVEN the marker already on this image THEN no previous tag is put', async () => {
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [{ repositoryName, imageDigest: digest, imageTags: [MARKER] }],
    });
    const marker = await markDeployedImage(client, request);
    expect(marker.previous).toBeUndefined();
    expect(ecr.commandCalls(PutImageCommand).map((c) => c.args[0].input.imageTag)).toEqual([
      MARKER,
    ]);
  });

  it('GIVEN an OCI image index THEN asks for and keeps its media type, so the digest stays the same', async () => {
    ecr
      .on(BatchGetImageCommand)
      .resolves(storedImage(ociIndex, 'application/vnd.oci.image.index.v1+json'));
    await markDeployedImage(client, request);
    expect(ecr.commandCalls(BatchGetImageCommand)[0]?.args[0].input.acceptedMediaTypes).toContain(
      'application/vnd.oci.image.index.v1+json',
    );
    expect(ecr.commandCalls(PutImageCommand)[0]?.args[0].input).toMatchObject({
      imageManifest: ociIndex,
      imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
    });
  });

  it('GIVEN the marker is already on this image (ImageAlreadyExistsException) THEN that is success', async () => {
    ecr.on(PutImageCommand).rejects(
      new ImageAlreadyExistsException({
        $metadata: { httpStatusCode: 400 },
        message: `Image with digest '${digest}' and tag '${MARKER}' already exists in the repository with name '${repositoryName}' in registry with id '123456789012'`,
      }),
    );
    await expect(markDeployedImage(client, request)).resolves.toEqual({
      tag: MARKER,
      result: 'already-tagged',
    });
  });

  it('GIVEN ECR does not have the digest THEN fails naming it and ECR’s reason, without PutImage', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [
        {
          imageId: { imageDigest: digest },
          failureCode: 'ImageNotFound',
          failureReason: 'Requested image not found',
        },
      ],
    });
    await expect(markDeployedImage(client, request)).rejects.toThrow(
      `image ${digest} is not in ${repositoryName} (ImageNotFound: Requested image not found)`,
    );
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(0);
  });

  it('GIVEN the marker tag is immutable in the repository THEN says to leave it out of the immutable filters', async () => {
    ecr.on(PutImageCommand).rejects(
      new ImageTagAlreadyExistsException({
        $metadata: { httpStatusCode: 400 },
        message: `The image tag '${MARKER}' already exists in the '${repositoryName}' repository and cannot be overwritten because the tag is immutable.`,
      }),
    );
    await expect(markDeployedImage(client, request)).rejects.toThrow(
      `${MARKER} is immutable in ${repositoryName}, so it cannot move to the new image`,
    );
  });
});
