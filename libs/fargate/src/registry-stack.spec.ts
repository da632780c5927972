import { DEPLOYMENT_NAME, REGISTRY_OUTPUTS, deployedImageTag } from '@hello-world/shared';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthesizeApp } from './synth-for-test';

let registry: Template;

beforeAll(() => {
  ({ registry } = synthesizeApp());
});

/** ECR's wildcard filter: `*` matches any run of characters, everything else is literal. */
function matchesWildcard(filter: string, tag: string): boolean {
  const escaped = filter.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(tag);
}

function immutableFilters(): string[] {
  const [repository] = Object.values(registry.findResources('AWS::ECR::Repository'));
  expect(repository.Properties.ImageTagMutability).toBe('MUTABLE_WITH_EXCLUSION');
  return repository.Properties.ImageTagMutabilityExclusionFilters.map(
    (filter: { ImageTagMutabilityExclusionFilterValue: string }) =>
      filter.ImageTagMutabilityExclusionFilterValue,
  );
}

const isImmutable = (tag: string) =>
  immutableFilters().some((filter) => matchesWildcard(filter, tag));

describe('registry stack: the reference ECR repository', () => {
  it('creates one repository named hello-world-ecr-ecs-fargate with scan on push', () => {
    registry.resourceCountIs('AWS::ECR::Repository', 1);
    registry.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'hello-world-ecr-ecs-fargate',
      ImageScanningConfiguration: { ScanOnPush: true },
    });
  });

  it('outputs the repository URI and name', () => {
    registry.hasOutput(REGISTRY_OUTPUTS.repositoryUri, { Value: Match.anyValue() });
    registry.hasOutput(REGISTRY_OUTPUTS.repositoryName, {
      Value: { Ref: Match.stringLikeRegexp('^Repository') },
    });
  });
});

describe('registry stack: images are never lost or overwritten by accident', () => {
  it.each(['v4.4.0-ecr-ecs-fargate', 'v4.4.0-rc.1-ecr-ecs-fargate', 'sha-1a2b3c4-ecr-ecs-fargate'])(
    'makes the version or build tag %s immutable',
    (tag) => {
      expect(isImmutable(tag)).toBe(true);
    },
  );

  it.each(['latest', 'v4-ecr-ecs-fargate', 'v4.4-ecr-ecs-fargate'])(
    'lets the floating tag %s move to a newer image',
    (tag) => {
      expect(isImmutable(tag)).toBe(false);
    },
  );

  it('lets CloudFormation delete the repository only when it holds no images', () => {
    // GIVEN the registry stack is deleted  THEN the repository goes only if empty (no force delete)
    registry.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Delete' });
    const [repository] = Object.values(registry.findResources('AWS::ECR::Repository'));
    expect(repository.Properties.EmptyOnDelete).not.toBe(true);
  });

  it('has no custom resource that could empty the repository', () => {
    expect(Object.keys(registry.findResources('Custom::ECRAutoDeleteImages'))).toHaveLength(0);
    registry.resourceCountIs('AWS::Lambda::Function', 0);
  });
});

interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection: {
    tagStatus: 'tagged' | 'untagged' | 'any';
    tagPatternList?: string[];
    tagPrefixList?: string[];
    countType: 'imageCountMoreThan' | 'sinceImagePushed';
    countUnit?: 'days';
    countNumber: number;
  };
  action: { type: 'expire' };
}

function lifecycleRules(): LifecycleRule[] {
  const [repository] = Object.values(registry.findResources('AWS::ECR::Repository'));
  return JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
}

interface StoredImage {
  name: string;
  tags: string[];
  pushedDaysAgo: number;
}

/**
 * ECR's documented lifecycle evaluation ("Lifecycle policy evaluation rules"), for the rule kinds
 * the policy uses: rules in priority order; a tagged rule selects an image when every pattern in
 * its list matches ANY of the image's tags; a count rule marks the oldest pushes beyond its
 * count, an age rule those pushed longer ago than its days; a rule still counts images an earlier
 * rule selected, but can never expire them.
 */
function expiredBy(rules: LifecycleRule[], images: StoredImage[]): string[] {
  const claimed = new Set<string>();
  const expired: string[] = [];
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const { selection } = rule;
    const patterns = [
      ...(selection.tagPatternList ?? []),
      ...(selection.tagPrefixList ?? []).map((prefix) => `${prefix}*`),
    ];
    const selected = images
      .filter((image) =>
        selection.tagStatus === 'untagged'
          ? image.tags.length === 0
          : selection.tagStatus === 'any' ||
            (image.tags.length > 0 &&
              patterns.every((p) => image.tags.some((tag) => matchesWildcard(p, tag)))),
      )
      .sort((a, b) => a.pushedDaysAgo - b.pushedDaysAgo);
    const marked =
      selection.countType === 'imageCountMoreThan'
        ? selected.slice(selection.countNumber)
        : selected.filter((image) => image.pushedDaysAgo > selection.countNumber);
    expired.push(...marked.filter((image) => !claimed.has(image.name)).map((image) => image.name));
    selected.forEach((image) => claimed.add(image.name));
  }
  return expired.sort();
}

const SUFFIX = '-ecr-ecs-fargate';
/** n sha- builds, the newest pushed `from` days ago, one a day. */
const builds = (n: number, from = 0): StoredImage[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `build ${from + i}`,
    tags: [`sha-${(0xa000000 + from + i).toString(16)}${SUFFIX}`],
    pushedDaysAgo: from + i,
  }));

describe('registry stack: the lifecycle policy never expires what matters', () => {
  it('is exactly: keep releases, keep deployed images, keep 10 builds, expire untagged after 7 days', () => {
    // Widening a selection, reordering or renumbering the rules fails here.
    expect(lifecycleRules()).toEqual([
      {
        rulePriority: 1,
        description: 'Keep every release image (v*.*.*)',
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['v*.*.*-ecr-ecs-fargate'],
          countType: 'imageCountMoreThan',
          countNumber: 9999,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: 'Keep the image each service stack runs (deployed-<stack>)',
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['deployed-*'],
          countType: 'imageCountMoreThan',
          countNumber: 9999,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 3,
        description: 'Keep the newest 10 sha- build images',
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['sha-*'],
          countType: 'imageCountMoreThan',
          countNumber: 10,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 4,
        description: 'Expire untagged images 7 days after their push',
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: 7,
        },
        action: { type: 'expire' },
      },
    ]);
  });

  it('GIVEN an old release among 30 newer builds THEN the release, also tagged sha-, is kept', () => {
    const release: StoredImage = {
      name: 'release 1.2.3',
      tags: [`sha-0ld0000${SUFFIX}`, `v1.2.3${SUFFIX}`, `v1.2${SUFFIX}`, `v1${SUFFIX}`],
      pushedDaysAgo: 400,
    };
    expect(expiredBy(lifecycleRules(), [...builds(30), release])).not.toContain(release.name);
  });

  it('GIVEN a pre-release THEN it is kept like a release', () => {
    const rc: StoredImage = {
      name: 'rc',
      tags: [`sha-1111111${SUFFIX}`, `v2.0.0-rc.1${SUFFIX}`],
      pushedDaysAgo: 90,
    };
    expect(expiredBy(lifecycleRules(), [...builds(30), rc])).not.toContain('rc');
  });

  it('GIVEN the running image is an old build behind 30 newer ones THEN its deployed- tag keeps it', () => {
    const running: StoredImage = {
      name: 'running',
      tags: [`sha-2222222${SUFFIX}`, deployedImageTag(DEPLOYMENT_NAME)],
      pushedDaysAgo: 60,
    };
    expect(expiredBy(lifecycleRules(), [...builds(30), running])).not.toContain('running');
  });

  it('GIVEN 25 builds THEN only the 15 oldest expire', () => {
    expect(expiredBy(lifecycleRules(), builds(25))).toEqual(
      builds(15, 10)
        .map((b) => b.name)
        .sort(),
    );
  });

  it('GIVEN the newest builds include releases THEN those fill build slots, and still no release expires', () => {
    // ECR counts images an earlier rule selected: 2 releases among the 12 newest sha- images
    // leave 8 slots for plain builds, so 2 plain builds go, the releases stay.
    const releases: StoredImage[] = [0, 1].map((i) => ({
      name: `release ${i}`,
      tags: [`sha-444444${i}${SUFFIX}`, `v1.0.${i}${SUFFIX}`],
      pushedDaysAgo: i,
    }));
    expect(expiredBy(lifecycleRules(), [...releases, ...builds(10, 2)])).toEqual([
      'build 10',
      'build 11',
    ]);
  });

  it('GIVEN untagged images THEN those pushed more than 7 days ago expire, newer ones stay', () => {
    const untagged = [
      { name: 'untagged 3 days', tags: [], pushedDaysAgo: 3 },
      { name: 'untagged 8 days', tags: [], pushedDaysAgo: 8 },
    ];
    expect(expiredBy(lifecycleRules(), untagged)).toEqual(['untagged 8 days']);
  });

  it('GIVEN images with only floating or hand-pushed tags THEN nothing expires them', () => {
    const others: StoredImage[] = [
      { name: 'latest', tags: ['latest'], pushedDaysAgo: 500 },
      { name: 'manual', tags: ['debug-build'], pushedDaysAgo: 500 },
    ];
    const expired = expiredBy(lifecycleRules(), [...builds(30), ...others]);
    expect(expired).not.toContain('latest');
    expect(expired).not.toContain('manual');
  });

  it('lets the deployed- marker move: it is not an immutable tag', () => {
    expect(isImmutable(deployedImageTag(DEPLOYMENT_NAME))).toBe(false);
  });
});
