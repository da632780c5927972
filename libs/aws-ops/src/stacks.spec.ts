import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { OpsError } from './errors';
import {
  findStack,
  findStackFailure,
  getStack,
  getStackOutputs,
  isFailedStackStatus,
} from './stacks';
import {
  NAME,
  REPOSITORY_URI,
  TAG,
  stack,
  stackEvent,
  stackMissingError,
} from './testing/fixtures';

const cfnMock = mockClient(CloudFormationClient);
const cfn = new CloudFormationClient({ region: 'eu-west-1' });
beforeEach(() => cfnMock.reset());

describe('getStackOutputs', () => {
  it('GIVEN a deployed stack THEN returns its outputs by key', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [stack()] });
    const outputs = await getStackOutputs(cfn, NAME, 'eu-west-1');
    expect(outputs).toMatchObject({ ECRRepositoryUri: REPOSITORY_URI, ECSClusterName: NAME });
  });

  it('GIVEN no such stack THEN throws a stack-not-found OpsError naming the deploy command', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(stackMissingError());
    const error = await getStackOutputs(cfn, NAME, 'eu-west-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsError);
    expect((error as OpsError).kind).toBe('stack-not-found');
    expect((error as OpsError).message).toMatch(
      /not deployed in eu-west-1: run `npx nx run infra:deploy`/,
    );
  });

  it('lets other errors through', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(getStackOutputs(cfn, NAME, 'eu-west-1')).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});

describe("getStack for another deployment's project (greeter-infra)", () => {
  it('GIVEN no such stack THEN the error names greeter-infra:deploy', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(stackMissingError('greeter-ecr-ecs-fargate'));
    await expect(
      getStack(cfn, 'greeter-ecr-ecs-fargate', 'eu-west-1', 'greeter-infra'),
    ).rejects.toMatchObject({
      kind: 'stack-not-found',
      message:
        'stack greeter-ecr-ecs-fargate is not deployed in eu-west-1: run `npx nx run greeter-infra:deploy`, or pass --region if it lives elsewhere',
    });
  });
});

describe('findStack', () => {
  it('reads parameters, status and reason', async () => {
    cfnMock.on(DescribeStacksCommand).resolves({
      Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE', StackStatusReason: 'x' })],
    });
    expect(await findStack(cfn, NAME)).toMatchObject({
      status: 'UPDATE_ROLLBACK_COMPLETE',
      statusReason: 'x',
      parameters: { ImageTag: TAG, AllowedIP: '0.0.0.0/0' },
    });
  });
});

describe('findStackFailure', () => {
  it('GIVEN events of several operations THEN returns the first failure of the latest one', async () => {
    cfnMock.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        stackEvent({
          LogicalResourceId: NAME,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_ROLLBACK_COMPLETE',
        }),
        stackEvent({
          LogicalResourceId: 'Service',
          ResourceType: 'AWS::ECS::Service',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'Resource update cancelled',
        }),
        stackEvent({
          LogicalResourceId: 'TaskDef',
          ResourceType: 'AWS::ECS::TaskDefinition',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'Invalid request provided: memory',
        }),
        stackEvent({
          LogicalResourceId: NAME,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_IN_PROGRESS',
          ResourceStatusReason: 'User Initiated',
        }),
        stackEvent({
          LogicalResourceId: 'Old',
          ResourceType: 'AWS::EC2::VPC',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'older operation',
        }),
      ],
    });
    expect(await findStackFailure(cfn, NAME)).toMatchObject({
      LogicalResourceId: 'TaskDef',
      ResourceStatusReason: 'Invalid request provided: memory',
    });
  });
});

describe('isFailedStackStatus', () => {
  it.each([
    ['ROLLBACK_COMPLETE', true],
    ['UPDATE_ROLLBACK_COMPLETE', true],
    ['DELETE_FAILED', true],
    ['CREATE_COMPLETE', false],
    ['UPDATE_COMPLETE', false],
  ])('%s → %s', (status, failed) => expect(isFailedStackStatus(status)).toBe(failed));
});
