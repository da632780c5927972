import { tagCanMove, type TagMutability } from '@hello-world/aws-ops';
import { choosePromotableTag, environmentCommand } from './source-image';

/** The registry stack's repository: release and build tags cannot move, others can. */
const REGISTRY: TagMutability = {
  mode: 'MUTABLE_WITH_EXCLUSION',
  exclusions: ['v*.*.*-ecr-ecs-fargate', 'sha-*-ecr-ecs-fargate'],
};
const canMoveIn = (mutability: TagMutability) => (tag: string) => tagCanMove(mutability, tag);
const BUILD = 'sha-1a2b3c4-ecr-ecs-fargate';
const RELEASE = 'v1.4.0-ecr-ecs-fargate';
const MARKER = 'deployed-hello-world-ecr-ecs-fargate-staging';

describe('choosePromotableTag', () => {
  it('GIVEN a release, a build, a floating and a marker tag THEN the build tag, which cannot move', () => {
    expect(
      choosePromotableTag(
        ['latest', MARKER, RELEASE, 'v1-ecr-ecs-fargate', BUILD],
        canMoveIn(REGISTRY),
      ),
    ).toBe(BUILD);
  });

  it('GIVEN only a release tag cannot move THEN the release tag', () => {
    expect(choosePromotableTag(['latest', RELEASE], canMoveIn(REGISTRY))).toBe(RELEASE);
  });

  it('GIVEN a repository where every tag may move THEN still the build tag, which builds never push again', () => {
    expect(
      choosePromotableTag(['latest', BUILD], canMoveIn({ mode: 'MUTABLE', exclusions: [] })),
    ).toBe(BUILD);
  });

  it('GIVEN only floating tags and deployed markers THEN none: each could move again', () => {
    expect(choosePromotableTag(['latest', MARKER], canMoveIn(REGISTRY))).toBeUndefined();
  });

  it('GIVEN an IMMUTABLE repository THEN never a deployed marker, though it cannot move there either', () => {
    expect(
      choosePromotableTag([MARKER, 'latest'], canMoveIn({ mode: 'IMMUTABLE', exclusions: [] })),
    ).toBe('latest');
  });
});

describe('environmentCommand', () => {
  it('GIVEN a named environment THEN the target with --env', () => {
    expect(environmentCommand('infra', 'deploy', 'staging')).toBe(
      'npx nx run infra:deploy -- --env=staging',
    );
  });

  it('GIVEN the default environment THEN the target as it always was', () => {
    expect(environmentCommand('infra', 'status', 'default')).toBe('npx nx run infra:status');
  });
});
