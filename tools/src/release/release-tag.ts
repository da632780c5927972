import { RELEASE_TAG_PATTERN } from '@hello-world/shared';
import { findReleaseVersion } from '@hello-world/image';
import { ReleaseError } from './release-error';

/** The git tag nx release creates for a version. */
export function formatReleaseTag(version: string): string {
  return RELEASE_TAG_PATTERN.replace('{version}', version);
}

/**
 * The version a release tag names (`v1.2.3-ecr-ecs-fargate` → `1.2.3`), read by the same code
 * docker-push uses, so the workflow and the image tags cannot disagree.
 */
export function readReleaseVersion(tag: string): string {
  const version = findReleaseVersion([tag]);
  if (!version) {
    throw new ReleaseError(
      `"${tag}" is not a release tag like ${formatReleaseTag('1.2.3')}: create one with \`npm run release\``,
    );
  }
  return version;
}
