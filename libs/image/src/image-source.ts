import { APP_NAME } from '@hello-world/shared';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_CONTEXT_FILES } from './build-context';
import { runCapture } from './exec';
import { ImageError } from './image-error';
import { computeImageTags, findReleaseVersion, type ImageTag } from './image-tags';
import { nxBin } from './nx-run';
import { hashDirtyFiles, parsePorcelainPaths } from './work-tree';

/** The target whose resolved inputs decide the image tag (declared in apps/hello-world/package.json). */
export const IMAGE_INPUTS_TARGET = `${APP_NAME}:docker-build`;

/** Where an image comes from: its tags and the values for its OCI labels. */
export interface ImageSource {
  tags: ImageTag[];
  /** Full sha of the newest input commit (+ "-dirty" for a dirty build): the revision label. */
  revision: string;
  /** The release version, else the app's package.json version: the version label. */
  version: string;
  /** The repository's web address for the source label, when origin has one. */
  sourceUrl?: string;
}

/** What decides an image: its inputs for the tag, and what a dirty build's tag should name. */
export interface ImageInputs {
  /** Source files (readInputFiles): their newest commit names the image. */
  files: readonly string[];
  /** The build context (bundle, Dockerfile…) and base image: what a dirty tag names. */
  contextFiles: readonly string[];
  baseImage?: string;
}

/**
 * Tags and labels from the git history of exactly the image's input files, so a commit that
 * changes only infra or docs maps to the image already built. A dirty build (allowed only on
 * request) is tagged by the hash of what goes into the image, so repeating it reuses the tag.
 */
export function readImageSource(
  root: string,
  image: ImageInputs,
  allowDirty: boolean,
): ImageSource {
  const inputs = image.files;
  const git = (...args: string[]) => runCapture('git', args, { cwd: root }).trim();
  if (git('rev-parse', '--is-shallow-repository') === 'true') {
    throw new ImageError(
      'this clone is shallow, so the newest commit of the image inputs is unknown: run `git fetch --unshallow` (CI: actions/checkout with fetch-depth: 0)',
      'environment',
    );
  }
  const log = git('log', '-1', '--format=%h %H', '--', ...inputs);
  if (!log) {
    throw new ImageError(
      'no commit contains the image inputs yet: commit them first',
      'environment',
    );
  }
  const [shortSha, fullSha] = log.split(' ') as [string, string];

  const dirtyPaths = parsePorcelainPaths(
    runCapture(
      'git',
      ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...inputs],
      {
        cwd: root,
      },
    ),
  );
  if (dirtyPaths.length > 0 && !allowDirty) {
    const shown =
      dirtyPaths.slice(0, 3).join(', ') +
      (dirtyPaths.length > 3 ? `, +${dirtyPaths.length - 3} more` : '');
    throw new ImageError(
      `uncommitted changes in the image's inputs (${shown}): commit them, or pass --allow-dirty for a sha-…-dirty image`,
      'environment',
    );
  }
  const dirtyHash =
    dirtyPaths.length > 0
      ? hashDirtyFiles([
          ...image.contextFiles.map((path) => ({
            path,
            content: existsSync(join(root, path)) ? readFileSync(join(root, path)) : null,
          })),
          { path: 'BASE_IMAGE', content: Buffer.from(image.baseImage ?? '') },
        ])
      : undefined;
  const release = findReleaseVersion(git('tag', '--points-at', 'HEAD').split('\n'));
  const appVersion = (
    JSON.parse(readFileSync(join(root, 'apps', APP_NAME, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const sourceUrl = toWebUrl(tryGit(root, 'config', '--get', 'remote.origin.url'));
  return {
    tags: computeImageTags({
      shortSha,
      ...(dirtyHash ? { dirtyHash } : {}),
      ...(release ? { version: release } : {}),
    }),
    revision: dirtyHash ? `${fullSha}-dirty` : fullSha,
    version: (!dirtyHash && release) || appVersion,
    ...(sourceUrl ? { sourceUrl } : {}),
  };
}

/**
 * The image source of this workspace as docker-build and docker-push see it: Nx's inputs of the
 * docker-build target, the build context and the base image.
 */
export function readWorkspaceImageSource(
  root: string,
  options: { allowDirty: boolean; baseImage?: string },
): ImageSource {
  const inputs: ImageInputs = {
    files: readInputFiles(root),
    contextFiles: BUILD_CONTEXT_FILES,
    ...(options.baseImage ? { baseImage: options.baseImage } : {}),
  };
  return readImageSource(root, inputs, options.allowDirty);
}

/** The files Nx resolves as the docker-build target's inputs (sources, Dockerfile, lockfile…). */
export function readInputFiles(root: string): string[] {
  const output = runCapture(
    process.execPath,
    [nxBin(), 'show', 'target', 'inputs', IMAGE_INPUTS_TARGET, '--json'],
    { cwd: root, env: { ...process.env, NX_DAEMON: 'false' } },
  );
  const { files } = JSON.parse(output) as { files?: string[] };
  if (!files?.length) throw new ImageError(`nx resolved no input files for ${IMAGE_INPUTS_TARGET}`);
  return files;
}

function tryGit(root: string, ...args: string[]): string | undefined {
  try {
    return runCapture('git', args, { cwd: root }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** git@github.com:o/r.git or https://github.com/o/r.git → https://github.com/o/r; paths → undefined. */
export function toWebUrl(remote: string | undefined): string | undefined {
  if (!remote) return undefined;
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?$/.exec(remote);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  const web = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([\w.-]+(?::\d+)?)\/(.+?)(?:\.git)?$/.exec(
    remote,
  );
  return web ? `https://${web[1]?.replace(/:\d+$/, '')}/${web[2]}` : undefined;
}
