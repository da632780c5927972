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

/** Every image a build pushes carries `sha-<short sha>[-dirty-<hash>]${FLAVOUR_SUFFIX}`. */
export const BUILD_IMAGE_TAG_PREFIX = 'sha-';

/**
 * Release images (`v1.2.3…`, pre-releases too) in ECR's wildcard syntax, where `*` is any run of
 * characters; three dot-separated parts tell a release from the floating v1 and v1.2 tags.
 */
export const RELEASE_IMAGE_TAG_WILDCARD = `v*.*.*${FLAVOUR_SUFFIX}`;

/** Prefix of the marker tag `infra:deploy` moves onto the image a service stack runs. */
export const DEPLOYED_IMAGE_TAG_PREFIX = 'deployed-';

/**
 * The mutable marker on the image the service stack runs after its latest deploy, e.g.
 * `deployed-hello-world-ecr-ecs-fargate`; the ECR lifecycle policy never expires it.
 */
export function deployedImageTag(serviceStackName: string): string {
  return `${DEPLOYED_IMAGE_TAG_PREFIX}${serviceStackName}`;
}
