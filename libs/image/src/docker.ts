import { CONTAINER_USER } from '@hello-world/shared';
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
    throw explainBaseImageFailure(error, baseImage);
  }
}

// What BuildKit and the legacy builder print when the FROM image cannot be fetched: no route to
// the registry (offline, DNS), no such image or tag, or no access to it.
const BASE_PULL_FAILED =
  /failed to resolve source metadata|load metadata for|failed to do request|pull access denied|manifest unknown|not found: manifest/i;

/**
 * A build that failed fetching its base image is the machine's setup (network, login, a mistyped
 * BASE_IMAGE), not the app: one line naming the image and the way out, exit 2.
 */
export function explainBaseImageFailure(error: unknown, baseImage: string | undefined): unknown {
  if (!(error instanceof CommandError)) return error;
  const lines = error.output.split('\n').filter((text) => BASE_PULL_FAILED.test(text));
  const line = lines.at(-1)?.trim();
  if (line === undefined) return error;
  const image = baseImage ? `the base image ${baseImage}` : "the Dockerfile's base image";
  return new ImageError(
    `cannot fetch ${image} (${line}): check the network and \`docker login\`, or set BASE_IMAGE to a Node 24 image the engine already has`,
    'environment',
  );
}

/**
 * `docker build` arguments. With a layer cache the build goes through buildx, which alone can
 * export a cache (e.g. GitHub Actions' `type=gha`), and `--load`s the result for the push.
 */
export function dockerBuildArgs(
  ref: string,
  source: ImageSource,
  baseImage: string | undefined,
  cache?: BuildCache,
): string[] {
  const args = cache ? ['buildx', 'build', '--load'] : ['build'];
  args.push('-f', source.app.dockerfile, '-t', ref);
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

export async function pullImage(root: string, ref: string): Promise<void> {
  await runDockerShown(['pull', ref], { cwd: root });
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
  const line = error.output
    .split('\n')
    .find((text) => ENGINE_UNREACHABLE.test(text))
    ?.trim()
    .replace(SEVERITY_PREFIX, '');
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
