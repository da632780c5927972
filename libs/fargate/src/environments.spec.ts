import { Match } from 'aws-cdk-lib/assertions';
import { synthesizeApp } from './synth-for-test';

// Synthesis runs cdk-nag and the Control Tower controls: a finding in any stack throws here.
const byDefault = synthesizeApp();
const staging = synthesizeApp({ environment: 'staging' });
const preview = synthesizeApp({ environment: 'pr-12' });

const stackNames = (app: typeof staging) => app.assembly.stacks.map((s) => s.stackName).sort();

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
            .filter(([key, value]) => /Name$/.test(key) && typeof value === 'string')
            .map(([, value]) => value as string),
        ]);
    const shared = physicalNames(staging).filter((name) => physicalNames(byDefault).includes(name));
    expect(shared).toEqual([]);
  });

  it('GIVEN any environment THEN the registry template is byte for byte the default one', () => {
    expect([staging.registry.toJSON(), preview.registry.toJSON()]).toEqual([
      byDefault.registry.toJSON(),
      byDefault.registry.toJSON(),
    ]);
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

  it('GIVEN a preview THEN the roles are the shared preview ones, writing only pr-* log groups', () => {
    expect(stackNames(preview)).toContain('hello-world-ecr-ecs-fargate-pr-roles');
    preview.roles?.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'hello-world-ecr-ecs-fargate-pr-execution',
      Policies: [
        Match.objectLike({
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([
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
  });

  it('GIVEN two previews THEN their roles stacks are the same template', () => {
    const other = synthesizeApp({ environment: 'pr-13' });
    expect(other.roles?.toJSON()).toEqual(preview.roles?.toJSON());
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
