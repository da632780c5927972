import { computeImageTags, findReleaseVersion } from './image-tags';

describe('computeImageTags', () => {
  it('tags an ordinary build with the immutable sha tag only', () => {
    // GIVEN the newest input commit WHEN tags are computed THEN only the sha tag, with the suffix
    expect(computeImageTags({ shortSha: '0f2e1f0' })).toEqual([
      { name: 'sha-0f2e1f0-ecr-ecs-fargate', immutable: true },
    ]);
  });

  it('adds the version tag and moves the floating major.minor and major tags on a release', () => {
    // GIVEN a release 4.4.0 WHEN tags are computed THEN the reference's scheme with the suffix
    expect(computeImageTags({ shortSha: '0f2e1f0', version: '4.4.0' })).toEqual([
      { name: 'sha-0f2e1f0-ecr-ecs-fargate', immutable: true },
      { name: 'v4.4.0-ecr-ecs-fargate', immutable: true },
      { name: 'v4.4-ecr-ecs-fargate', immutable: false },
      { name: 'v4-ecr-ecs-fargate', immutable: false },
    ]);
  });

  it('leaves the floating tags alone on a pre-release', () => {
    // GIVEN a release candidate WHEN tags are computed THEN no floating tag moves
    expect(
      computeImageTags({ shortSha: '0f2e1f0', version: '5.0.0-rc.1' }).map((t) => t.name),
    ).toEqual(['sha-0f2e1f0-ecr-ecs-fargate', 'v5.0.0-rc.1-ecr-ecs-fargate']);
  });

  it('marks a build from uncommitted inputs as dirty and never as a release', () => {
    // GIVEN uncommitted changes on a release commit WHEN tags are computed
    // THEN one dirty sha tag that cannot be mistaken for the commit's image
    expect(
      computeImageTags({ shortSha: '0f2e1f0', dirtyHash: 'a1b2c3d', version: '4.4.0' }),
    ).toEqual([{ name: 'sha-0f2e1f0-dirty-a1b2c3d-ecr-ecs-fargate', immutable: true }]);
  });

  it('keeps the tags of a linux/amd64 build as they were: no platform in them', () => {
    expect(
      computeImageTags({ shortSha: '0f2e1f0', platforms: ['linux/amd64'] }).map((t) => t.name),
    ).toEqual(['sha-0f2e1f0-ecr-ecs-fargate']);
  });

  it('names another platform in every tag, before the suffix, so it never shares a tag with the amd64 image', () => {
    // GIVEN an arm64 release build WHEN tags are computed THEN each names arm64
    expect(
      computeImageTags({ shortSha: '0f2e1f0', version: '4.4.0', platforms: ['linux/arm64'] }).map(
        (t) => t.name,
      ),
    ).toEqual([
      'sha-0f2e1f0-arm64-ecr-ecs-fargate',
      'v4.4.0-arm64-ecr-ecs-fargate',
      'v4.4-arm64-ecr-ecs-fargate',
      'v4-arm64-ecr-ecs-fargate',
    ]);
  });

  it('names both platforms of a multi-platform build, after the dirty hash', () => {
    expect(
      computeImageTags({
        shortSha: '0f2e1f0',
        dirtyHash: 'a1b2c3d',
        platforms: ['linux/arm64', 'linux/amd64'],
      })[0]?.name,
    ).toBe('sha-0f2e1f0-dirty-a1b2c3d-amd64-arm64-ecr-ecs-fargate');
  });

  it('refuses a release version that is not semver', () => {
    expect(() => computeImageTags({ shortSha: '0f2e1f0', version: '4.4' })).toThrow(
      'release version "4.4" is not semver',
    );
  });
});

describe('findReleaseVersion', () => {
  it('reads the version from the release git tag on HEAD and ignores other tags', () => {
    // GIVEN HEAD's tags WHEN searched THEN the flavour's release tag names the version
    expect(findReleaseVersion(['nightly', 'v4.4.0-ecr-ecs-fargate', 'v4.4.0'])).toBe('4.4.0');
  });

  it('reads a pre-release version', () => {
    expect(findReleaseVersion(['v5.0.0-rc.1-ecr-ecs-fargate'])).toBe('5.0.0-rc.1');
  });

  it('finds no release when HEAD has no release tag', () => {
    expect(findReleaseVersion(['v4.4.0', 'latest'])).toBeUndefined();
  });

  it('refuses two release tags on one commit', () => {
    expect(() => findReleaseVersion(['v4.4.0-ecr-ecs-fargate', 'v4.4.1-ecr-ecs-fargate'])).toThrow(
      'several release tags',
    );
  });
});
