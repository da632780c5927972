import { FLAVOUR_SUFFIX, type ImagePlatform } from '@hello-world/shared';
import { ImageError } from './image-error';

/** One tag of the image; immutable tags (sha, version) are never moved once in the registry. */
export interface ImageTag {
  name: string;
  immutable: boolean;
}

/** What the tags are computed from; read from git at the edge. */
export interface TagSource {
  /** Short sha of the newest commit that changed the image's inputs. */
  shortSha: string;
  /** Set when building from uncommitted inputs (--allow-dirty): a hash of their content. */
  dirtyHash?: string;
  /** Release version, when HEAD carries a release git tag. */
  version?: string;
  /** What the image is built for; anything but linux/amd64 alone is named in every tag. */
  platforms?: readonly ImagePlatform[];
}

/**
 * The tag part naming an image's platforms (`arm64`, `amd64-arm64`), undefined for linux/amd64
 * alone, whose tags stay as they were. A build for another platform gets tags of its own, so the
 * amd64 image of a commit never makes the push of its arm64 image a no-op, and an immutable tag
 * never has to move to switch architectures.
 */
export function platformTagPart(platforms: readonly ImagePlatform[]): string | undefined {
  const arches = [
    ...new Set(platforms.map((platform) => platform.split('/')[1] ?? platform)),
  ].sort();
  return arches.length === 0 || (arches.length === 1 && arches[0] === 'amd64')
    ? undefined
    : arches.join('-');
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;
// Docker's rule for a tag: https://docs.docker.com/reference/cli/docker/image/tag/
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const escapedSuffix = FLAVOUR_SUFFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const RELEASE_GIT_TAG = new RegExp(`^v(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+?)?)${escapedSuffix}$`);

/**
 * The tags of one build, the sha tag first. On a release also v{version}, and for a final
 * release the floating v{major}.{minor} and v{major}; every tag ends with the platform part (none
 * for linux/amd64) and the flavour suffix.
 */
export function computeImageTags(source: TagSource): ImageTag[] {
  if (!/^[0-9a-f]{4,40}$/.test(source.shortSha)) {
    throw new ImageError(`"${source.shortSha}" is not a git short sha`);
  }
  const dirty = source.dirtyHash ? `-dirty-${source.dirtyHash}` : '';
  const platform = platformTagPart(source.platforms ?? []);
  // Before the flavour suffix, which ends every tag.
  const suffix = `${platform ? `-${platform}` : ''}${FLAVOUR_SUFFIX}`;
  const tags: ImageTag[] = [{ name: `sha-${source.shortSha}${dirty}${suffix}`, immutable: true }];
  // A dirty build is never a release: its content is not what the release tag names.
  if (source.version && !source.dirtyHash) {
    const match = SEMVER.exec(source.version);
    if (!match) throw new ImageError(`release version "${source.version}" is not semver (1.2.3)`);
    const [, major, minor, , prerelease] = match;
    tags.push({ name: `v${source.version}${suffix}`, immutable: true });
    // A pre-release never moves the floating tags users deploy from.
    if (!prerelease) {
      tags.push({ name: `v${major}.${minor}${suffix}`, immutable: false });
      tags.push({ name: `v${major}${suffix}`, immutable: false });
    }
  }
  for (const tag of tags) {
    if (!DOCKER_TAG.test(tag.name)) throw new ImageError(`"${tag.name}" is not a valid image tag`);
  }
  return tags;
}

/**
 * The release version named by the git tags on HEAD (`v1.2.3-ecr-ecs-fargate`), or undefined.
 * Two release tags on one commit is ambiguous, so it is refused.
 */
export function findReleaseVersion(gitTags: readonly string[]): string | undefined {
  const versions = gitTags.flatMap((tag) => RELEASE_GIT_TAG.exec(tag.trim())?.[1] ?? []);
  if (versions.length > 1) {
    throw new ImageError(
      `HEAD carries several release tags (${versions.map((v) => `v${v}${FLAVOUR_SUFFIX}`).join(', ')}); delete all but one`,
      'environment',
    );
  }
  return versions[0];
}
