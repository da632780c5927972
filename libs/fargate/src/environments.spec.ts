import { Match } from 'aws-cdk-lib/assertions';
import { REGISTRY_OUTPUTS } from '@hello-world/shared';
import { readValidationReport } from './control-tower';
import { PREVIEWS_TAG_MUTABILITY_REASON } from './previews-stack';
import { synthesizeApp } from './synth-for-test';

// Synthesis runs cdk-nag and the Control Tower controls: a finding in any stack throws here.
const byDefault = synthesizeApp();
const staging = synthesizeApp({ environment: 'staging' });
const preview = synthesizeApp({ environment: 'pr-12' });

const stackNames = (app: typeof staging) => app.assembly.stacks.map((s) => s.stackName).sort();
const repositoryId = (app: typeof staging) =>
  Object.keys(app.registry.findResources('AWS::ECR::Repository'))[0];

describe('synth in an environment', () => {
  it('GIVEN staging THEN its own service and roles stacks beside the shared registry', () => {
    expect(stackNames(staging)).toEqual([
      'hello-world-ecr-ecs-fargate-registry',
      'hello-world-ecr-ecs-fargate-staging',
      'hello-world-ecr-ecs-fargate-staging-roles',
    ]);
  });

  it('GIVEN staging and the default THEN no name of one is a name of the other, but the registry', () => {
    const physicalNames = (app: typeof staging) =>
      app.assembly.stacks
        .filter((s) => !s.stackName.endsWith('-registry'))
        .flatMap((s) => [
          s.stackName,
          ...Object.values(s.template.Resources as Record<string, { Properties?: object }>)
            .flatMap((r) => Object.entries(r.Properties ?? {}))
            // A metric's name (AWS/ECS CPUUtilization) is AWS's, the same in every environment.
            .filter(
              ([key, value]) =>
                /Name$/.test(key) && key !== 'MetricName' && typeof value === 'string',
            )
            .map(([, value]) => value as string),
        ]);
    const shared = physicalNames(staging).filter((name) => physicalNames(byDefault).includes(name));
    expect(shared).toEqual([]);
  });

  it('GIVEN another named environment THEN the registry template is byte for byte the default one', () => {
    expect(staging.registry.toJSON()).toEqual(byDefault.registry.toJSON());
  });

  it("GIVEN staging THEN its service runs staging's roles and has staging's log group", () => {
    staging.service.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ExecutionRoleArn: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([':role/hello-world-ecr-ecs-fargate-staging-execution'])],
      }),
    });
    staging.service.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/hello-world-ecr-ecs-fargate-staging',
    });
  });

  it("GIVEN staging THEN its roles stack's execution role writes only staging's log group", () => {
    staging.roles?.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'hello-world-ecr-ecs-fargate-staging-execution',
      Policies: [
        Match.objectLike({
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([
              Match.objectLike({
                Sid: 'WriteThisLogGroup',
                Resource: [
                  Match.objectLike({
                    'Fn::Join': [
                      '',
                      Match.arrayWith([':log-group:/ecs/hello-world-ecr-ecs-fargate-staging']),
                    ],
                  }),
                  Match.anyValue(),
                ],
              }),
            ]),
          }),
        }),
      ],
    });
    expect(staging.roles).toBeDefined();
  });

  it("GIVEN a preview THEN its service stack beside the previews' stack, and no release registry", () => {
    expect(stackNames(preview)).toEqual([
      'hello-world-ecr-ecs-fargate-pr-12',
      'hello-world-ecr-ecs-fargate-previews',
    ]);
    // AND the previews' stack is deployed first
    expect(
      preview.assembly
        .getStackByName('hello-world-ecr-ecs-fargate-pr-12')
        .dependencies.map((d) => d.id),
    ).toEqual(['hello-world-ecr-ecs-fargate-previews']);
  });

  it("GIVEN a preview THEN its task pulls from the previews' repository with the previews' roles", () => {
    preview.service.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Image: Match.objectLike({
            'Fn::Join': [
              '',
              Match.arrayWith(['/hello-world-ecr-ecs-fargate-previews:', { Ref: 'ImageTag' }]),
            ],
          }),
        }),
      ],
      ExecutionRoleArn: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([':role/hello-world-ecr-ecs-fargate-pr-execution'])],
      }),
      TaskRoleArn: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([':role/hello-world-ecr-ecs-fargate-pr-task'])],
      }),
    });
  });

  it("GIVEN a preview THEN the previews' repository scans on push and keeps every tag but the deployed markers immutable", () => {
    preview.registry.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'hello-world-ecr-ecs-fargate-previews',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        {
          ImageTagMutabilityExclusionFilterType: 'WILDCARD',
          ImageTagMutabilityExclusionFilterValue: 'deployed-*',
        },
      ],
    });
  });

  it("GIVEN a preview THEN the previews' images go: untagged after a day, every one 14 days after its push", () => {
    const [repository] = Object.values(preview.registry.findResources('AWS::ECR::Repository'));
    const policy = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText) as {
      rules: { rulePriority: number; selection: object }[];
    };
    expect(
      policy.rules.map(({ rulePriority, selection }) => ({ rulePriority, selection })),
    ).toEqual([
      {
        rulePriority: 1,
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countNumber: 1,
          countUnit: 'days',
        },
      },
      {
        rulePriority: 2,
        selection: {
          tagStatus: 'any',
          countType: 'sinceImagePushed',
          countNumber: 14,
          countUnit: 'days',
        },
      },
    ]);
  });

  it("GIVEN a preview THEN deleting the previews' stack deletes the repository with its images", () => {
    preview.registry.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ EmptyOnDelete: true }),
    });
    // AND the release registry keeps refusing to delete a repository that holds images
    byDefault.registry.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ EmptyOnDelete: false }),
    });
  });

  it("GIVEN a preview THEN the previews' stack names its repository as the registry stack does", () => {
    expect(Object.keys(preview.registry.findOutputs('*')).sort()).toEqual([
      REGISTRY_OUTPUTS.repositoryName,
      REGISTRY_OUTPUTS.repositoryUri,
    ]);
  });

  it("GIVEN a preview THEN the shared roles pull only the previews' repository and write only pr-* log groups", () => {
    preview.roles?.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'hello-world-ecr-ecs-fargate-pr-execution',
      Policies: [
        Match.objectLike({
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([
              Match.objectLike({
                Sid: 'PullThisRepository',
                Resource: { 'Fn::GetAtt': [repositoryId(preview), 'Arn'] },
              }),
              Match.objectLike({
                Sid: 'WriteThisLogGroup',
                Resource: Match.arrayWith([
                  Match.objectLike({
                    'Fn::Join': [
                      '',
                      Match.arrayWith([':log-group:/ecs/hello-world-ecr-ecs-fargate-pr-*']),
                    ],
                  }),
                ]),
              }),
            ]),
          }),
        }),
      ],
    });
    expect(preview.roles?.toJSON()).toEqual(preview.registry.toJSON());
  });

  it("GIVEN a preview under controlTower=strict THEN the previews' repository is IMMUTABLE and synth passes", () => {
    const strict = synthesizeApp({
      environment: 'pr-12',
      controlTower: 'strict',
      logRetentionDays: 365,
    });
    strict.registry.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE',
      ImageTagMutabilityExclusionFilters: Match.absent(),
    });
  });

  it("GIVEN a preview THEN the previews' repository is exempt from CT.ECR.PR.3 with its own reason, not the releases'", () => {
    const report = readValidationReport(preview.assembly.directory) as {
      pluginReports: {
        suppressedViolations?: { acknowledgedId: string; reason: string }[];
      }[];
    };
    const ecr = report.pluginReports
      .flatMap((r) => r.suppressedViolations ?? [])
      .filter((v) => v.acknowledgedId.endsWith('ecr_private_tag_immutability_enabled_check'));
    expect(ecr.map((v) => v.reason)).toEqual([PREVIEWS_TAG_MUTABILITY_REASON]);
  });

  it('GIVEN two previews THEN they share one previews stack, the same template', () => {
    const other = synthesizeApp({ environment: 'pr-13' });
    expect(other.registry.toJSON()).toEqual(preview.registry.toJSON());
  });

  it('GIVEN any environment THEN the service stack carries the service and environment as stack tags', () => {
    const tags = (app: typeof staging, name: string) => app.assembly.getStackByName(name).tags;
    expect([
      tags(byDefault, 'hello-world-ecr-ecs-fargate'),
      tags(staging, 'hello-world-ecr-ecs-fargate-staging'),
    ]).toEqual([
      { 'ecr-ecs-fargate:service': 'hello-world', 'ecr-ecs-fargate:environment': 'default' },
      { 'ecr-ecs-fargate:service': 'hello-world', 'ecr-ecs-fargate:environment': 'staging' },
    ]);
  });

  it("GIVEN an environment's settings THEN its task has them and the default keeps its own", () => {
    const sized = synthesizeApp({
      environment: 'production',
      environments: { production: { cpu: 512, memoryMiB: 1024, desiredCount: 2 } },
    });
    sized.service.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
    sized.service.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2 });
    byDefault.service.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256',
      Memory: '512',
    });
  });

  it('GIVEN a year of logs in the reference mode THEN synth passes without the retention exemption', () => {
    const kept = synthesizeApp({ environment: 'production', logRetentionDays: 365 });
    kept.service.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});
