import { FLAVOUR_SUFFIX, RELEASE_TAG_GLOB, RELEASE_TAG_PATTERN } from '@hello-world/shared';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkflow } from '../ci/workflows';
import { computeImageTags } from '@hello-world/image';
import { workspaceRoot } from '../workspace';
import { formatReleaseTag, readReleaseVersion } from './release-tag';

/** GitHub's filter glob: `*` is any run of characters except `/`. */
const matchesGlob = (glob: string, tag: string) =>
  new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
      .join('[^/]*')}$`,
  ).test(tag);

const nxRelease = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')).release;

describe('one release tag pattern everywhere', () => {
  it('nx release tags v{version} plus the flavour suffix', () => {
    expect(RELEASE_TAG_PATTERN).toBe(`v{version}${FLAVOUR_SUFFIX}`);
    expect(nxRelease.releaseTag.pattern).toBe(RELEASE_TAG_PATTERN);
  });

  it('the release workflow triggers on exactly that pattern', () => {
    const release = readWorkflow(workspaceRoot, 'release.yml');
    expect(release.on['push']).toEqual({ tags: [RELEASE_TAG_GLOB] });
  });

  it('the release commit names the tag', () => {
    expect(nxRelease.git.commitMessage).toBe(`chore(release): ${RELEASE_TAG_PATTERN}`);
  });

  it.each(['1.2.3', '0.1.1', '10.20.30'])(
    'a %s release: nx tag → workflow trigger → docker-push version and floating tags',
    (version) => {
      // GIVEN the tag nx release creates for the version
      const tag = formatReleaseTag(version);
      // THEN the workflow starts on it, and docker-push reads the same version from it
      expect(matchesGlob(RELEASE_TAG_GLOB, tag)).toBe(true);
      expect(readReleaseVersion(tag)).toBe(version);
      const [major, minor] = version.split('.');
      const imageTags = computeImageTags({ shortSha: '1a2b3c4', version }).map((t) => t.name);
      // AND the deploy's --image-tag="$RELEASE_TAG" names an image docker-push pushed
      expect(imageTags).toEqual([
        `sha-1a2b3c4${FLAVOUR_SUFFIX}`,
        tag,
        `v${major}.${minor}${FLAVOUR_SUFFIX}`,
        `v${major}${FLAVOUR_SUFFIX}`,
      ]);
    },
  );

  it('a pre-release tag triggers the workflow but moves no floating image tag', () => {
    const tag = formatReleaseTag('2.0.0-rc.1');
    expect(matchesGlob(RELEASE_TAG_GLOB, tag)).toBe(true);
    const imageTags = computeImageTags({ shortSha: '1a2b3c4', version: readReleaseVersion(tag) });
    expect(imageTags.map((t) => t.name)).toEqual([`sha-1a2b3c4${FLAVOUR_SUFFIX}`, tag]);
  });

  it.each([
    'v1-ecr-ecs-fargate',
    'v1.2-ecr-ecs-fargate',
    'v1.2.3',
    'release-1.2.3-ecr-ecs-fargate',
  ])('refuses %s as a release tag with the next step', (tag) => {
    expect(() => readReleaseVersion(tag)).toThrow(
      /is not a release tag like v1\.2\.3-ecr-ecs-fargate.*npm run release/,
    );
  });
});
