import { REGISTRY_OUTPUTS } from '@hello-world/shared';
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

  it('keeps the newest 10 images with a lifecycle rule', () => {
    const [repository] = Object.values(registry.findResources('AWS::ECR::Repository'));
    const policy = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText);
    expect(policy.rules).toEqual([
      expect.objectContaining({
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
        action: { type: 'expire' },
      }),
    ]);
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
