import { APP_NAME } from '@hello-world/shared';

// Its own module so image-source (which hashes these) and docker (which builds them) do not import each other.
export const DOCKERFILE = `apps/${APP_NAME}/Dockerfile`;

/** Everything the build sends to the engine (the root .dockerignore lets only the bundle in). */
export const BUILD_CONTEXT_FILES = [
  DOCKERFILE,
  '.dockerignore',
  `dist/apps/${APP_NAME}/main.js`,
  `dist/apps/${APP_NAME}/healthcheck.js`,
];
