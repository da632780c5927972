import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findRegistryDigest, manifestUrl, readRegistryPlatforms } from './registry-http';

const digest = 'sha256:3c2f1b4e9a1d5e0f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f';
let server: Server;
let repository: string;
let requests: IncomingMessage[];
let answer: (url: string) => { status: number; headers?: Record<string, string>; body?: string };

// A real HTTP server on a real socket answering like the Registry HTTP API (distribution v2).
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    const { status, headers, body } = answer(req.url ?? '');
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  repository = `127.0.0.1:${(server.address() as AddressInfo).port}/ci/hello-world-ecr-ecs-fargate`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
});

describe('manifestUrl', () => {
  it('speaks plain HTTP to a loopback registry and HTTPS to any other', () => {
    expect(manifestUrl('127.0.0.1:5050/ns/app', 't')).toBe(
      'http://127.0.0.1:5050/v2/ns/app/manifests/t',
    );
    expect(manifestUrl('ghcr.io/acme/app', 't')).toBe('https://ghcr.io/v2/acme/app/manifests/t');
  });
});

describe('findRegistryDigest', () => {
  it('returns the Docker-Content-Digest of a tag that is there', async () => {
    // GIVEN the registry has the tag
    answer = (url) =>
      url === '/v2/ci/hello-world-ecr-ecs-fargate/manifests/sha-0f2e1f0-ecr-ecs-fargate'
        ? { status: 200, headers: { 'Docker-Content-Digest': digest } }
        : { status: 404 };
    // WHEN it is looked up THEN its digest comes back, asked for with the manifest types
    await expect(findRegistryDigest(repository, 'sha-0f2e1f0-ecr-ecs-fargate')).resolves.toBe(
      digest,
    );
    expect(requests[0]?.method).toBe('HEAD');
    expect(requests[0]?.headers.accept).toContain(
      'application/vnd.docker.distribution.manifest.v2+json',
    );
  });

  it('returns undefined for a tag the registry does not have', async () => {
    answer = () => ({ status: 404 });
    await expect(
      findRegistryDigest(repository, 'sha-1234567-ecr-ecs-fargate'),
    ).resolves.toBeUndefined();
  });

  it('explains that a registry asking for credentials is not supported', async () => {
    answer = () => ({ status: 401, headers: { 'WWW-Authenticate': 'Basic realm="registry"' } });
    await expect(findRegistryDigest(repository, 'latest')).rejects.toThrow('wants credentials');
  });

  it('says the registry is unreachable when nothing listens', async () => {
    // GIVEN a port nothing listens on (this server's, once closed)
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    // WHEN / THEN the error says what to check
    await expect(findRegistryDigest(`127.0.0.1:${port}/app`, 'latest')).rejects.toThrow(
      'ECONNREFUSED): is it running?',
    );
  });

  it('GIVEN nothing listens at IMAGE_REGISTRY WHEN a tag is looked up THEN it is a setup problem (exit 2)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    await expect(findRegistryDigest(`127.0.0.1:${port}/app`, 'latest')).rejects.toMatchObject({
      kind: 'environment',
    });
  });

  it('GIVEN the registry fails with a 500 WHEN a tag is looked up THEN it is a failed operation (exit 1)', async () => {
    answer = () => ({ status: 500 });

    await expect(findRegistryDigest(repository, 'latest')).rejects.toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('HTTP 500'),
    });
  });
});

describe('readRegistryPlatforms', () => {
  const name = '/v2/ci/hello-world-ecr-ecs-fargate';
  const config = `sha256:${'c'.repeat(64)}`;
  /** What `docker push` of an arm64 image stores: a schema 2 manifest naming its config blob. */
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: 1469,
      digest: config,
    },
    layers: [],
  });

  it("GIVEN a single-platform image THEN its config blob's os/architecture", async () => {
    answer = (url) =>
      url === `${name}/manifests/sha-0f2e1f0-arm64-ecr-ecs-fargate`
        ? {
            status: 200,
            headers: { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' },
            body: manifest,
          }
        : url === `${name}/blobs/${config}`
          ? { status: 200, body: JSON.stringify({ architecture: 'arm64', os: 'linux' }) }
          : { status: 404 };
    await expect(
      readRegistryPlatforms(repository, 'sha-0f2e1f0-arm64-ecr-ecs-fargate'),
    ).resolves.toEqual(['linux/arm64']);
  });

  it('GIVEN an OCI index THEN the platforms it lists, without attestations', async () => {
    answer = () => ({
      status: 200,
      headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
      body: JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { digest: `sha256:${'1'.repeat(64)}`, platform: { architecture: 'amd64', os: 'linux' } },
          { digest: `sha256:${'2'.repeat(64)}`, platform: { architecture: 'arm64', os: 'linux' } },
          {
            digest: `sha256:${'3'.repeat(64)}`,
            annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
            platform: { architecture: 'unknown', os: 'unknown' },
          },
        ],
      }),
    });
    await expect(readRegistryPlatforms(repository, 't')).resolves.toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
  });

  it('GIVEN a tag the registry does not have THEN undefined', async () => {
    answer = () => ({ status: 404 });
    await expect(readRegistryPlatforms(repository, 't')).resolves.toBeUndefined();
  });
});
