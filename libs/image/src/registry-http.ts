import { readConfigPlatform, readManifestPlatforms } from '@hello-world/aws-ops';
import { ImageError } from './image-error';

// Every manifest type a tag can point at; without them the registry may convert or refuse.
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The Registry HTTP API URL of a tag's manifest; loopback registries speak plain HTTP. */
export function manifestUrl(repository: string, reference: string): string {
  const slash = repository.indexOf('/');
  const host = repository.slice(0, slash);
  const name = repository.slice(slash + 1);
  const hostname = host.replace(/:\d+$/, '');
  const plain = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '[::1]';
  return `${plain ? 'http' : 'https'}://${host}/v2/${name}/manifests/${reference}`;
}

/**
 * The digest a tag points at in a registry reached over the Registry HTTP API (the
 * IMAGE_REGISTRY override), or undefined when the tag is not there.
 */
export async function findRegistryDigest(
  repository: string,
  tag: string,
  fetchFn: typeof fetch = fetch,
): Promise<string | undefined> {
  const url = manifestUrl(repository, tag);
  const response = await reachRegistry(url, fetchFn, {
    method: 'HEAD',
    headers: { Accept: MANIFEST_TYPES },
  });
  if (response.status === 404) return undefined;
  if (response.status === 401 || response.status === 403) {
    throw new ImageError(
      `the registry at ${url} wants credentials to read tags (HTTP ${response.status}); IMAGE_REGISTRY supports registries that allow anonymous reads`,
      'environment',
    );
  }
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest) {
    throw new ImageError(`unexpected answer from the registry at ${url}: HTTP ${response.status}`);
  }
  return digest;
}

/**
 * The platform(s) of the image a tag names in a registry reached over the Registry HTTP API: an
 * index's entries (attestations left out), else its config blob's os/architecture. Undefined when
 * the tag is not there.
 */
export async function readRegistryPlatforms(
  repository: string,
  tag: string,
  fetchFn: typeof fetch = fetch,
): Promise<string[] | undefined> {
  const url = manifestUrl(repository, tag);
  const manifest = await getOk(url, fetchFn, { Accept: MANIFEST_TYPES });
  if (manifest === undefined) return undefined;
  const read = readManifestPlatforms(
    await manifest.text(),
    manifest.headers.get('content-type') ?? undefined,
  );
  if ('platforms' in read) return read.platforms;
  const blob = url.replace(/\/manifests\/[^/]+$/, `/blobs/${read.configDigest}`);
  const config = await getOk(blob, fetchFn, {});
  if (config === undefined) {
    throw new ImageError(`the registry has ${repository}:${tag} but not its config blob ${blob}`);
  }
  return [readConfigPlatform(await config.text())];
}

/** A GET that must answer 200; 404 is undefined, anything else one line. */
async function getOk(
  url: string,
  fetchFn: typeof fetch,
  headers: Record<string, string>,
): Promise<Response | undefined> {
  const response = await reachRegistry(url, fetchFn, { headers });
  if (response.status === 404) return undefined;
  if (!response.ok) {
    throw new ImageError(`unexpected answer from the registry at ${url}: HTTP ${response.status}`);
  }
  return response;
}

/** fetch, with a registry that does not answer as one line naming it (exit 2). */
async function reachRegistry(
  url: string,
  fetchFn: typeof fetch,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetchFn(url, init);
  } catch (error) {
    // fetch wraps the socket error: its cause carries the code (ECONNREFUSED, ENOTFOUND…).
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ImageError(
      `cannot reach the registry at ${url} (${reason}): is it running?`,
      'environment',
    );
  }
}
