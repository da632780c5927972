import type { ImageTag } from './image-tags';
import { ImageError } from './image-error';
import { checkExistingPlatforms, planPush } from './push-plan';

const sha: ImageTag = { name: 'sha-0f2e1f0-ecr-ecs-fargate', immutable: true };
const version: ImageTag = { name: 'v4.4.0-ecr-ecs-fargate', immutable: true };
const minor: ImageTag = { name: 'v4.4-ecr-ecs-fargate', immutable: false };
const built = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
const other = 'sha256:2222222222222222222222222222222222222222222222222222222222222222';

describe('planPush', () => {
  it('builds and pushes when the sha tag is not in the registry', () => {
    // GIVEN an empty registry WHEN planned THEN build and push the sha tag
    expect(planPush([{ tag: sha }])).toEqual({
      build: true,
      pull: false,
      push: [sha.name],
      skip: [],
      immovable: [],
    });
  });

  it('skips build and push when the sha tag is already in the registry', () => {
    // GIVEN the sha tag already pushed (an infra-only commit) WHEN planned THEN nothing to do
    expect(planPush([{ tag: sha, digest: built }])).toEqual({
      build: false,
      pull: false,
      push: [],
      skip: [{ name: sha.name, digest: built }],
      immovable: [],
    });
  });

  it('adds release tags to an image already pushed by pulling it, without rebuilding', () => {
    // GIVEN the commit's image is in the registry and then gets released
    const plan = planPush([
      { tag: sha, digest: built },
      { tag: version },
      { tag: minor, digest: other },
    ]);
    // THEN the version tag is added and the floating tag moves to it, from the pulled image
    expect(plan).toEqual({
      build: false,
      pull: true,
      push: [version.name, minor.name],
      skip: [{ name: sha.name, digest: built }],
      immovable: [],
    });
  });

  it('skips a version tag that already points at this image', () => {
    // GIVEN a re-run of a release push WHEN planned THEN everything is skipped
    const plan = planPush([
      { tag: sha, digest: built },
      { tag: version, digest: built },
      { tag: minor, digest: built },
    ]);
    expect(plan.push).toEqual([]);
    expect(plan.skip.map((s) => s.name)).toEqual([sha.name, version.name, minor.name]);
  });

  it('refuses to overwrite a version tag that points at another image', () => {
    // GIVEN v4.4.0 already pushed from other content WHEN a new build plans the same version
    // THEN the push is refused before anything is built
    expect(() => planPush([{ tag: sha }, { tag: version, digest: other }])).toThrow(
      'version tags are never overwritten',
    );
  });

  it('leaves out the floating tags a registry with every tag immutable could never move', () => {
    // GIVEN a release build and a registry that keeps every tag immutable
    const major: ImageTag = { name: 'v4-ecr-ecs-fargate', immutable: false };
    const plan = planPush(
      [{ tag: sha }, { tag: version }, { tag: minor }, { tag: major }],
      () => false,
    );
    // THEN the sha and version tags are pushed, the floating ones are named and left out
    expect([plan.push, plan.immovable]).toEqual([
      [sha.name, version.name],
      [minor.name, major.name],
    ]);
  });

  it('still skips a floating tag that already points at this image', () => {
    // GIVEN v4.4 already on this build in an all-immutable registry WHEN planned THEN skipped, not left out
    const plan = planPush(
      [
        { tag: sha, digest: built },
        { tag: minor, digest: built },
      ],
      () => false,
    );
    expect([plan.skip.map((s) => s.name), plan.immovable]).toEqual([[sha.name, minor.name], []]);
  });
});

describe('checkExistingPlatforms', () => {
  it('GIVEN the tag holds the platform built for (arm64/v8 for linux/arm64, or an index with it) THEN the skip stands', () => {
    expect(() => checkExistingPlatforms('r:t', ['linux/arm64'], ['linux/arm64/v8'])).not.toThrow();
    expect(() =>
      checkExistingPlatforms('r:t', ['linux/amd64'], ['linux/amd64', 'linux/arm64']),
    ).not.toThrow();
  });

  it('GIVEN an arm64 image under the amd64 build tag THEN refused in one line, exit 2, never a silent skip', () => {
    expect(() => checkExistingPlatforms('r:t', ['linux/amd64'], ['linux/arm64'])).toThrow(
      new ImageError(
        'r:t is already in the registry built for linux/arm64, not linux/amd64, and its tag never moves: delete that tag from the repository, then push again',
        'environment',
      ),
    );
  });

  it('GIVEN a multi-platform build and a single-platform image under its tag THEN refused', () => {
    expect(() =>
      checkExistingPlatforms('r:t', ['linux/amd64', 'linux/arm64'], ['linux/amd64']),
    ).toThrow(/not linux\/amd64, linux\/arm64/);
  });
});
