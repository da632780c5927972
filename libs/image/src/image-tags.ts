import { FLAVOUR_SUFFIX } from '@hello-world/shared';
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
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;
// Docker's rule for a tag: https://docs.docker.com/reference/cli/docker/image/tag/
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const escapedSuffix = FLAVOUR_SUFFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const RELEASE_GIT_TAG = new RegExp(`^v(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+?)?)${escapedSuffix}$`);

/**
 * The tags of one build, the sha tag first. On a release also v{version}, and for a final
 * release the floating v{major}.{minor} and v{major}; every tag ends with the flavour suffix.
 */
export function computeImageTags(source: TagSource): ImageTag[] {
  if (!/^[0-9a-f]{4,40}$/.test(source.shortSha)) {
    throw new ImageError(`"${source.shortSha}" is not a git short sha`);
  }
  const dirty = source.dirtyHash ? `-dirty-${source.dirtyHash}` : '';
  const tags: ImageTag[] = [
    { name: `sha-${source.shortSha}${dirty}${FLAVOUR_SUFFIX}`, immutable: true },
  ];
  // A dirty build is never a release: its content is not what the release tag names.
  if (source.version && !source.dirtyHash) {
    const match = SEMVER.exec(source.version);
    if (!match) throw new ImageError(`release version "${source.version}" is not semver (1.2.3)`);
    const [, major, minor, , prerelease] = match;
    tags.push({ name: `v${source.version}${FLAVOUR_SUFFIX}`, immutable: true });
    // A pre-release never moves the floating tags users deploy from.
    if (!prerelease) {
      tags.push({ name: `v${major}.${minor}${FLAVOUR_SUFFIX}`, immutable: false });
      tags.push({ name: `v${major}${FLAVOUR_SUFFIX}`, immutable: false });
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
