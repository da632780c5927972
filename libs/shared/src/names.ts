/** The application, container and task family name. */
export const APP_NAME = 'hello-world';

/** Every deployed name and every image/release tag of this flavour carries this suffix. */
export const FLAVOUR_SUFFIX = '-ecr-ecs-fargate';

/** Main stack, ECS cluster, ECS service and ECR repository share this name (the reference's). */
export const DEPLOYMENT_NAME = `${APP_NAME}${FLAVOUR_SUFFIX}`;

/** The registry lives in its own stack so it exists before the first image is pushed. */
export const REGISTRY_STACK_NAME = `${DEPLOYMENT_NAME}-registry`;

/** Optional stack with the GitHub OIDC role for CI. */
export const CI_STACK_NAME = `${DEPLOYMENT_NAME}-ci`;

export const LOG_GROUP_NAME = `/ecs/${DEPLOYMENT_NAME}`;
export const LOG_STREAM_PREFIX = 'ecs';
export const LOG_RETENTION_DAYS = 7;

export const DEFAULT_REGION = 'eu-west-1';

/** The git tag nx release writes for a version (nx.json `release.releaseTag.pattern`). */
export const RELEASE_TAG_PATTERN = `v{version}${FLAVOUR_SUFFIX}`;

/** The same tags as a git/GitHub glob: the release workflow's trigger and the CI role's trust. */
export const RELEASE_TAG_GLOB = RELEASE_TAG_PATTERN.replace('{version}', '*');
