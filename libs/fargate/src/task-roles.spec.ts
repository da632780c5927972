import { Match, type Template } from 'aws-cdk-lib/assertions';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  decide,
  inlinePoliciesOfRole,
  type IamRequest,
} from './iam-simulation-for-test';
import { synthesizeApp } from './synth-for-test';
import { taskRoleNames } from './task-roles';

const SERVICE = 'hello-world-ecr-ecs-fargate';
const NAMES = taskRoleNames(SERVICE);
const at = (service: string, resource: string) =>
  `arn:aws:${service}:${TEST_REGION}:${TEST_ACCOUNT}:${resource}`;
const STREAM = at('logs', `log-group:/ecs/${SERVICE}:log-stream:ecs/hello-world/0123456789abcdef`);

let registry: Template;
let service: Template;

beforeAll(() => {
  ({ registry, service } = synthesizeApp());
});

type Template_ = Parameters<typeof inlinePoliciesOfRole>[0];
const policiesOf = (name: string) => inlinePoliciesOfRole(registry.toJSON() as Template_, name);

describe('task roles: where they live', () => {
  it('creates both roles in the registry stack, under fixed names', () => {
    for (const name of [NAMES.execution, NAMES.task]) {
      registry.hasResourceProperties('AWS::IAM::Role', { RoleName: name });
    }
  });

  it('lets the service stack only refer to them by ARN, creating no IAM resource of its own', () => {
    // GIVEN the synthesized service stack  THEN its task definition names the two roles
    const [taskDefinition] = Object.values(service.findResources('AWS::ECS::TaskDefinition'));
    const roleArn = (name: string) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:role/${name}`],
      ],
    });
    expect(taskDefinition.Properties.ExecutionRoleArn).toEqual(roleArn(NAMES.execution));
    expect(taskDefinition.Properties.TaskRoleArn).toEqual(roleArn(NAMES.task));
    // AND no role or policy is created there, so deploying it needs no IAM write
    const types = Object.values(service.toJSON().Resources as Record<string, { Type: string }>).map(
      (r) => r.Type,
    );
    expect(types.filter((t) => t.startsWith('AWS::IAM::'))).toEqual([]);
  });

  it('lets only ECS tasks of this account and region assume them (no confused deputy)', () => {
    for (const name of [NAMES.execution, NAMES.task]) {
      registry.hasResourceProperties('AWS::IAM::Role', {
        RoleName: name,
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'ecs-tasks.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: { 'aws:SourceArn': Match.anyValue() },
              },
            },
          ],
        },
      });
    }
  });

  it('uses no managed policy and no separate policy resource', () => {
    registry.resourceCountIs('AWS::IAM::Policy', 0);
    registry.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    for (const role of Object.values(registry.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('execution role: pull this image, write this log group, nothing else', () => {
  const allowed: [string, IamRequest][] = [
    ['logs in to ECR', { action: 'ecr:GetAuthorizationToken', resource: '*' }],
    [
      'pulls image layers of this repository',
      { action: 'ecr:GetDownloadUrlForLayer', resource: at('ecr', `repository/${SERVICE}`) },
    ],
    [
      'reads the image manifest',
      { action: 'ecr:BatchGetImage', resource: at('ecr', `repository/${SERVICE}`) },
    ],
    [
      'creates a log stream in this log group',
      { action: 'logs:CreateLogStream', resource: STREAM },
    ],
    ['writes log events to it', { action: 'logs:PutLogEvents', resource: STREAM }],
  ];
  const denied: [string, IamRequest][] = [
    [
      'cannot pull from another repository',
      { action: 'ecr:BatchGetImage', resource: at('ecr', 'repository/payments') },
    ],
    [
      'cannot push to this repository',
      { action: 'ecr:PutImage', resource: at('ecr', `repository/${SERVICE}`) },
    ],
    [
      'cannot write another log group',
      {
        action: 'logs:PutLogEvents',
        resource: at('logs', 'log-group:/ecs/payments:log-stream:ecs/x'),
      },
    ],
    [
      'cannot read a secret',
      {
        action: 'secretsmanager:GetSecretValue',
        resource: at('secretsmanager', 'secret:db-AbCdEf'),
      },
    ],
  ];

  it.each(allowed)('%s', async (_, request) => {
    expect(await decide(policiesOf(NAMES.execution), request)).toBe('Allowed');
  });

  it.each(denied)('%s', async (_, request) => {
    expect(await decide(policiesOf(NAMES.execution), request)).not.toBe('Allowed');
  });
});

describe('task role: the application calls no AWS API', () => {
  it('has no policy at all', () => {
    expect(policiesOf(NAMES.task)).toEqual([]);
  });

  it.each([
    ['s3:GetObject', 'arn:aws:s3:::any-bucket/any-key'],
    ['ecr:GetAuthorizationToken', '*'],
  ])('cannot call %s', async (action, resource) => {
    expect(await decide(policiesOf(NAMES.task), { action, resource })).toBe('ImplicitlyDenied');
  });
});
