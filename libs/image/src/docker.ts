import { CONTAINER_USER } from '@hello-world/shared';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_IMAGE_APP, type ImageApp } from './build-context';
import { CommandError, runCapture, runShown, type RunOptions } from './exec';
import { ImageError } from './image-error';
import type { ImageSource } from './image-source';
import type { BuildCache } from './image-options';

export { BUILD_CONTEXT_FILES, DOCKERFILE } from './build-context';

/** `docker run` flags that give a container the Fargate task's limits: read-only root, no Linux capabilities, 0.25 vCPU, 512 MiB, uid 1000. */
export const FARGATE_LIKE_RUN_FLAGS = [
  '--read-only',
  '--cap-drop=ALL',
  '--cpus',
  '0.25',
  '--memory',
  '512m',
  '--user',
  CONTAINER_USER,
];

/** The local name of a build: hello-world-ecr-ecs-fargate:<tag> for hello-world. */
export function localImageRef(
  tag: string,
  app: Pick<ImageApp, 'localImage'> = DEFAULT_IMAGE_APP,
): string {
  return `${app.localImage}:${tag}`;
}

/** docker build from the workspace root (the root .dockerignore sends only the bundle). */
export async function buildImage(
  root: string,
  ref: string,
  source: ImageSource,
  baseImage: string | undefined,
  cache?: BuildCache,
): Promise<void> {
  try {
    await runDockerShown(dockerBuildArgs(ref, source, baseImage, cache), { cwd: root });
  } catch (error) {
    throw explainBaseImageFailure(error, baseImage, source.platforms);
  }
  checkBuiltPlatform(ref, source.platforms[0] ?? '', readLocalImagePlatform(root, ref), baseImage);
}

/**
 * The built image must be of the platform asked for: an engine may build FROM a local base image
 * of another architecture and only warn, and that image would die on the task with `exec format
 * error`. One line naming the base image, exit 2.
 */
export function checkBuiltPlatform(
  ref: string,
  wanted: string,
  built: string,
  baseImage: string | undefined,
): void {
  if (built === wanted) return;
  const base = baseImage ? `BASE_IMAGE ${baseImage}` : "the Dockerfile's base image";
  throw new ImageError(
    `${ref} was built for ${built}, not ${wanted}: ${base} is not a ${wanted} image; use one that is (or has a ${wanted} variant)`,
    'environment',
  );
}

// What BuildKit and the legacy builder print when the FROM image cannot be fetched: no route to
// the registry (offline, DNS), no such image or tag, or no access to it.
const BASE_PULL_FAILED =
  /failed to resolve source metadata|load metadata for|failed to do request|pull access denied|manifest unknown|not found: manifest/i;

/**
 * A build that failed fetching its base image is the machine's setup (network, login, a mistyped
 * BASE_IMAGE), not the app: one line naming the image and the way out, exit 2.
 */
export function explainBaseImageFailure(
  error: unknown,
  baseImage: string | undefined,
  platforms: readonly string[] = ['linux/amd64'],
): unknown {
  if (!(error instanceof CommandError)) return error;
  const lines = error.output.split('\n').filter((text) => BASE_PULL_FAILED.test(text));
  const line = lines.at(-1)?.trim();
  if (line === undefined) return error;
  const image = baseImage ? `the base image ${baseImage}` : "the Dockerfile's base image";
  return new ImageError(
    `cannot fetch ${image} for ${platforms.join(',')} (${line}): check the network and \`docker login\`, or set BASE_IMAGE to a ${platforms.join(' + ')} Node 24 image the engine already has`,
    'environment',
  );
}

/**
 * `docker build` arguments for one platform, always named (`--platform`): the engine's own
 * architecture is not the task's. With a layer cache the build goes through buildx, which alone
 * can export a cache (e.g. GitHub Actions' `type=gha`), and `--load`s the result for the push.
 */
export function dockerBuildArgs(
  ref: string,
  source: ImageSource,
  baseImage: string | undefined,
  cache?: BuildCache,
): string[] {
  const args = cache ? ['buildx', 'build', '--load'] : ['build'];
  args.push('-f', source.app.dockerfile, '-t', ref, '--platform', source.platforms.join(','));
  return [...args, ...commonBuildArgs(source, baseImage, cache)];
}

/**
 * `docker buildx build` arguments for a multi-platform image: the engine's image store holds one
 * platform per name, so such an image is pushed (`--push`, every tag at once, its digest written
 * to `metadataFile`) or, without `push`, only built into buildx's cache.
 */
export function multiPlatformBuildArgs(
  refs: readonly string[],
  source: ImageSource,
  baseImage: string | undefined,
  cache?: BuildCache,
  push?: { metadataFile: string },
): string[] {
  const args = [
    'buildx',
    'build',
    '--platform',
    source.platforms.join(','),
    '-f',
    source.app.dockerfile,
  ];
  for (const ref of refs) args.push('-t', ref);
  if (push) args.push('--push', '--metadata-file', push.metadataFile);
  return [...args, ...commonBuildArgs(source, baseImage, cache)];
}

function commonBuildArgs(
  source: ImageSource,
  baseImage: string | undefined,
  cache: BuildCache | undefined,
): string[] {
  const args: string[] = [];
  if (cache?.from) args.push('--cache-from', cache.from);
  if (cache?.to) args.push('--cache-to', cache.to);
  if (baseImage) args.push('--build-arg', `BASE_IMAGE=${baseImage}`);
  args.push(
    '--build-arg',
    `VERSION=${source.version}`,
    '--build-arg',
    `REVISION=${source.revision}`,
  );
  if (source.sourceUrl) args.push('--build-arg', `SOURCE=${source.sourceUrl}`);
  args.push('.');
  return args;
}

/** More than one platform: a multi-platform image, which only buildx builds. */
export function isMultiPlatform(source: Pick<ImageSource, 'platforms'>): boolean {
  return source.platforms.length > 1;
}

/**
 * Refuses a multi-platform build in one line, exit 2, when the docker CLI has no buildx (Debian's
 * docker.io 20.10 has none; `docker buildx version` then fails whatever the CLI's wording).
 */
export function requireBuildx(
  platforms: readonly string[],
  capture: (args: readonly string[]) => string,
): void {
  try {
    capture(['buildx', 'version']);
  } catch (error) {
    // No docker at all is explained already; any other failure means no buildx.
    if (error instanceof ImageError && !(error instanceof CommandError)) throw error;
    throw new ImageError(
      `--platform=${platforms.join(',')} builds a multi-platform image, which needs docker buildx, and this docker CLI has none: install the buildx plugin (docker-buildx-plugin), or build one platform at a time (--platform=${platforms.at(-1) ?? 'linux/arm64'})`,
      'environment',
    );
  }
}

// What buildx says when its builder (the engine's own `docker` driver) cannot build several
// platforms at once; the wording varies by version, the meaning does not.
const NO_MULTI_PLATFORM_DRIVER = /multi(?:ple|-)?\s*platform.*not supported|docker driver/i;

/** A builder that cannot build several platforms: one line naming the builder to create, exit 2. */
export function explainMultiPlatformFailure(error: unknown): unknown {
  if (!(error instanceof CommandError)) return error;
  const line = findOutputLine(error, NO_MULTI_PLATFORM_DRIVER);
  if (line === undefined) return error;
  return new ImageError(
    `the buildx builder cannot build several platforms at once (${line}): create one that can (docker buildx create --use), or build one platform at a time`,
    'environment',
  );
}

/** Builds a multi-platform image into buildx's cache only (docker-build): nothing is loaded. */
export async function buildMultiPlatformImage(
  root: string,
  ref: string,
  source: ImageSource,
  baseImage: string | undefined,
  cache?: BuildCache,
): Promise<void> {
  requireBuildx(source.platforms, (args) => runDockerCapture(args, { cwd: root }));
  try {
    await runDockerShown(multiPlatformBuildArgs([ref], source, baseImage, cache), { cwd: root });
  } catch (error) {
    throw explainMultiPlatformFailure(explainBaseImageFailure(error, baseImage, source.platforms));
  }
}

/**
 * Builds a multi-platform image and pushes it under every ref at once (one image index); returns
 * the index's digest from buildx's metadata file.
 */
export async function pushMultiPlatformImage(
  root: string,
  refs: readonly string[],
  source: ImageSource,
  baseImage: string | undefined,
  cache?: BuildCache,
): Promise<string | undefined> {
  requireBuildx(source.platforms, (args) => runDockerCapture(args, { cwd: root }));
  const dir = mkdtempSync(join(tmpdir(), 'buildx-metadata-'));
  const metadataFile = join(dir, 'metadata.json');
  try {
    await runDockerShown(multiPlatformBuildArgs(refs, source, baseImage, cache, { metadataFile }), {
      cwd: root,
    });
    const metadata = JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
    const digest = metadata['containerimage.digest'];
    return typeof digest === 'string' ? digest : undefined;
  } catch (error) {
    throw explainMultiPlatformFailure(explainBaseImageFailure(error, baseImage, source.platforms));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds tags to a multi-platform image already in the registry, without pulling any platform. */
export async function tagMultiPlatformImage(
  root: string,
  sourceRef: string,
  targetRef: string,
): Promise<void> {
  await runDockerShown(['buildx', 'imagetools', 'create', '--tag', targetRef, sourceRef], {
    cwd: root,
  });
}

/** The os/architecture of an image in the engine's store (`linux/arm64`). */
export function readLocalImagePlatform(root: string, ref: string): string {
  return runDockerCapture(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', ref], {
    cwd: root,
  }).trim();
}

/** The password goes through stdin, never the command line or the process list. */
export function loginRegistry(
  root: string,
  login: { username: string; password: string; endpoint: string },
): void {
  runDockerCapture(['login', '--username', login.username, '--password-stdin', login.endpoint], {
    cwd: root,
    input: login.password,
  });
}

/** Pulls the platform asked for, not the engine's own: the image may be built for the task's. */
export async function pullImage(root: string, ref: string, platform?: string): Promise<void> {
  await runDockerShown(['pull', ...(platform ? ['--platform', platform] : []), ref], {
    cwd: root,
  });
}

/** Tags and pushes; returns the digest the registry stored (from docker push's last line). */
export async function pushImage(
  root: string,
  sourceRef: string,
  targetRef: string,
): Promise<string | undefined> {
  runDockerCapture(['tag', sourceRef, targetRef], { cwd: root });
  const output = await runDockerShown(['push', targetRef], { cwd: root });
  return /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}

// What the docker CLI prints when it has no engine to talk to: the daemon is down, DOCKER_HOST
// points nowhere, or the endpoint (DOCKER_HOST, context) cannot even be parsed. CLI versions word
// it differently (20.10 prefixes `ERROR: `, 28.x prefixes `Failed to initialize: `), so only the
// meaning is matched.
const ENGINE_UNREACHABLE =
  /Cannot connect to the Docker daemon|Failed to initialize|unable to resolve docker endpoint/i;
// A severity prefix some CLI versions put before the reason; the user's line leaves it out.
const SEVERITY_PREFIX = /^(?:ERROR|error):\s*/;

/** The CLI's first output line matching `pattern`, without the prefix only some versions print. */
function findOutputLine(error: CommandError, pattern: RegExp): string | undefined {
  return error.output
    .split('\n')
    .find((text) => pattern.test(text))
    ?.trim()
    .replace(SEVERITY_PREFIX, '');
}

/**
 * Rewords a docker failure that is the machine's setup, not the build or push: no docker binary,
 * or no engine behind it. Those become one line with the next step and exit 2; others pass as is.
 */
export function explainDockerFailure(error: unknown): unknown {
  if (!(error instanceof CommandError)) return error;
  const what = `docker ${error.args[0] ?? ''}`.trim();
  if (error.errno === 'ENOENT') {
    return new ImageError(
      `cannot run ${what}: the docker CLI is not on PATH: install Docker`,
      'environment',
    );
  }
  const line = findOutputLine(error, ENGINE_UNREACHABLE);
  if (line === undefined) return error;
  return new ImageError(
    `${what} cannot reach a container engine (${line}): start Docker, or point DOCKER_HOST at a running engine`,
    'environment',
  );
}

/** docker with its output shown as it comes; a missing engine is explained. */
export async function runDockerShown(
  args: readonly string[],
  options: RunOptions,
): Promise<string> {
  try {
    return await runShown('docker', args, options);
  } catch (error) {
    throw explainDockerFailure(error);
  }
}

/** docker with its output captured; a missing engine is explained. */
export function runDockerCapture(args: readonly string[], options: RunOptions): string {
  try {
    return runCapture('docker', args, options);
  } catch (error) {
    throw explainDockerFailure(error);
  }
}
