import { APP_NAME, type ImagePlatform } from '@hello-world/shared';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IMAGE_APP, imageApp, type ImageApp } from './build-context';
import { runCapture } from './exec';
import { ImageError } from './image-error';
import { computeImageTags, findReleaseVersion, type ImageTag } from './image-tags';
import { nxBin } from './nx-run';
import { hashDirtyFiles, parsePorcelainPaths } from './work-tree';

/** The target whose resolved inputs decide an app's image tag (apps/hello-world/package.json declares hello-world's). */
export function imageInputsTarget(project: string): string {
  return `${project}:docker-build`;
}

/** hello-world's. */
export const IMAGE_INPUTS_TARGET = imageInputsTarget(APP_NAME);

/** Where an image comes from: its tags and the values for its OCI labels. */
export interface ImageSource {
  tags: ImageTag[];
  /** Full sha of the newest input commit (+ "-dirty" for a dirty build): the revision label. */
  revision: string;
  /** The release version, else the app's package.json version: the version label. */
  version: string;
  /** The repository's web address for the source label, when origin has one. */
  sourceUrl?: string;
  /** The app the image is built from: its Dockerfile, bundle and local name. */
  app: ImageApp;
  /** The platforms it is built for (`docker build --platform`), named by its tags. */
  platforms: ImagePlatform[];
}

/** What decides an image: its inputs for the tag, and what a dirty build's tag should name. */
export interface ImageInputs {
  /** Source files (readInputFiles): their newest commit names the image. */
  files: readonly string[];
  /** The build context (bundle, Dockerfile…) and base image: what a dirty tag names. */
  contextFiles: readonly string[];
  baseImage?: string;
  /** The app; its package.json's version labels an image that is not a release. */
  app?: ImageApp;
  /** The platforms to build for. @default ['linux/amd64'] */
  platforms?: readonly ImagePlatform[];
}

/** Fargate's default architecture (X86_64). */
const DEFAULT_PLATFORMS: readonly ImagePlatform[] = ['linux/amd64'];

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
  const app = image.app ?? DEFAULT_IMAGE_APP;
  const appPackage = join(root, app.root, 'package.json');
  // An app declared by project.json alone has no package.json: its image is version 0.0.0.
  const appVersion = existsSync(appPackage)
    ? ((JSON.parse(readFileSync(appPackage, 'utf8')) as { version?: string }).version ?? '0.0.0')
    : '0.0.0';
  const sourceUrl = toWebUrl(tryGit(root, 'config', '--get', 'remote.origin.url'));
  const platforms = [...(image.platforms ?? DEFAULT_PLATFORMS)];
  return {
    tags: computeImageTags({
      shortSha,
      ...(dirtyHash ? { dirtyHash } : {}),
      ...(release ? { version: release } : {}),
      platforms,
    }),
    revision: dirtyHash ? `${fullSha}-dirty` : fullSha,
    version: (!dirtyHash && release) || appVersion,
    ...(sourceUrl ? { sourceUrl } : {}),
    app,
    platforms,
  };
}

/**
 * The image source of this workspace as docker-build and docker-push see it for one app
 * (`project`, default hello-world): Nx's inputs of its docker-build target, its build context
 * (Dockerfile and bundle under its root, which Nx reports) and the base image.
 */
export function readWorkspaceImageSource(
  root: string,
  options: {
    allowDirty: boolean;
    baseImage?: string;
    project?: string;
    platforms?: readonly ImagePlatform[];
  },
): ImageSource {
  const project = options.project ?? APP_NAME;
  const app = imageApp(project, readProjectRoot(root, project));
  const inputs: ImageInputs = {
    files: readInputFiles(root, project),
    contextFiles: app.contextFiles,
    ...(options.baseImage ? { baseImage: options.baseImage } : {}),
    app,
    ...(options.platforms ? { platforms: options.platforms } : {}),
  };
  return readImageSource(root, inputs, options.allowDirty);
}

function runNx(root: string, args: string[]): string {
  return runCapture(process.execPath, [nxBin(), ...args], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false' },
  });
}

/** An app project's root as Nx reports it (`nx show project P --json`); one line if there is none. */
export function readProjectRoot(root: string, project: string): string {
  let output: string;
  try {
    output = runNx(root, ['show', 'project', project, '--json']);
  } catch {
    throw new ImageError(
      `no Nx project named ${project}: name an app with --project (npx nx show projects --type=app)`,
      'environment',
    );
  }
  const { root: projectRoot, targets } = JSON.parse(output) as {
    root?: string;
    targets?: Record<string, unknown>;
  };
  if (!projectRoot || !targets?.['docker-build']) {
    throw new ImageError(
      `project ${project} has no docker-build target, so no image: name an app with a Dockerfile with --project`,
      'environment',
    );
  }
  return projectRoot;
}

/** The files Nx resolves as an app's docker-build inputs (sources, Dockerfile, lockfile…). */
export function readInputFiles(root: string, project: string = APP_NAME): string[] {
  const target = imageInputsTarget(project);
  const output = runNx(root, ['show', 'target', 'inputs', target, '--json']);
  const { files } = JSON.parse(output) as { files?: string[] };
  if (!files?.length) throw new ImageError(`nx resolved no input files for ${target}`);
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
