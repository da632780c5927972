import { APP_NAME, deploymentNames } from '@hello-world/shared';

/** One app's image: where its Dockerfile and bundle are, and its local image name. */
export interface ImageApp {
  /** The Nx project (--project). */
  project: string;
  /** Its root in the workspace, as Nx reports it (apps/hello-world). */
  root: string;
  dockerfile: string;
  /** Everything the build sends to the engine (the root .dockerignore lets only the bundle in). */
  contextFiles: string[];
  /** `<name>` of the local `<name>:<tag>` (libs/shared's deploymentNames(project).localImage). */
  localImage: string;
  /** Where docker-push writes what it did, for infra:deploy: dist/<root>/image-push.json. */
  pushReport: string;
}

// Its own module so image-source (which hashes these) and docker (which builds them) do not import each other.
/** The image of an app whose Nx project `project` has its root at `root`. */
export function imageApp(project: string, root: string): ImageApp {
  const dockerfile = `${root}/Dockerfile`;
  return {
    project,
    root,
    dockerfile,
    contextFiles: [
      dockerfile,
      '.dockerignore',
      `dist/${root}/main.js`,
      `dist/${root}/healthcheck.js`,
    ],
    localImage: deploymentNames(project).localImage,
    pushReport: `dist/${root}/image-push.json`,
  };
}

/** hello-world's, the default app. */
export const DEFAULT_IMAGE_APP = imageApp(APP_NAME, `apps/${APP_NAME}`);
export const DOCKERFILE = DEFAULT_IMAGE_APP.dockerfile;
export const BUILD_CONTEXT_FILES = DEFAULT_IMAGE_APP.contextFiles;
