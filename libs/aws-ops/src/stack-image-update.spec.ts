import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type DescribeChangeSetOutput,
} from '@aws-sdk/client-cloudformation';
import { createImageChangeSet, executeChangeSetAndWait } from './stack-image-update';
import { fakeClock } from './testing/fake-clock';
import { NAME, stack, stackEvent } from './testing/fixtures';
import { mockAwsClients } from './testing/mock-aws';

const aws = mockAwsClients();
const STACK_ID = stack().StackId as string;
const CHANGE_SET = 'rollback-sha-2-1764093600';
const CHANGE_SET_ID = `arn:aws:cloudformation:eu-west-1:123456789012:changeSet/${CHANGE_SET}/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f`;
/** Milliseconds between the SDK waiters' polls, so the specs do not wait for real. */
const delays = { minDelay: 0.001, maxDelay: 0.002 };

function changeSet(overrides: Partial<DescribeChangeSetOutput>): DescribeChangeSetOutput {
  return {
    ChangeSetName: CHANGE_SET,
    ChangeSetId: CHANGE_SET_ID,
    StackId: STACK_ID,
    StackName: NAME,
    ExecutionStatus: 'UNAVAILABLE',
    Status: 'CREATE_PENDING',
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    ...overrides,
  };
}

const READY = changeSet({
  ExecutionStatus: 'AVAILABLE',
  Status: 'CREATE_COMPLETE',
  Changes: [
    {
      Type: 'Resource',
      ResourceChange: {
        Action: 'Modify',
        LogicalResourceId: 'TaskDefinitionB36D86D9',
        PhysicalResourceId: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-world:7',
        ResourceType: 'AWS::ECS::TaskDefinition',
        Replacement: 'True',
        Scope: ['Properties'],
      },
    },
    {
      Type: 'Resource',
      ResourceChange: {
        Action: 'Modify',
        LogicalResourceId: 'ServiceD69D759B',
        ResourceType: 'AWS::ECS::Service',
        Replacement: 'False',
        Scope: ['Properties'],
      },
    },
  ],
});

/** DescribeChangeSet answers each of `answers` in turn, then the last one forever. */
function changeSetAnswers(...answers: DescribeChangeSetOutput[]): void {
  let call = 0;
  aws.cfn
    .on(DescribeChangeSetCommand)
    .callsFake(() => answers[Math.min(call++, answers.length - 1)]);
}

/** DescribeStacks by id answers each status in turn, then the last one forever. */
function stackStatuses(...statuses: string[]): void {
  let call = 0;
  aws.cfn.on(DescribeStacksCommand).callsFake(() => ({
    Stacks: [stack({ StackStatus: statuses[Math.min(call++, statuses.length - 1)] as never })],
  }));
}

const request = {
  stackName: NAME,
  imageTag: 'sha-2',
  parameterKeys: ['ImageTag', 'AllowedIP'],
  changeSetName: CHANGE_SET,
  delays,
};

beforeEach(() => {
  aws.reset();
  aws.cfn.on(CreateChangeSetCommand).resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
  aws.cfn.on(DeleteChangeSetCommand).resolves({});
  aws.cfn.on(ExecuteChangeSetCommand).resolves({});
  aws.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
});

describe('createImageChangeSet', () => {
  it('GIVEN a new tag THEN asks for the deployed template with only ImageTag changed and CDK capabilities', async () => {
    changeSetAnswers(changeSet({}), READY);
    await createImageChangeSet(aws.clients().cfn, request);
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).toEqual({
      StackName: NAME,
      ChangeSetName: CHANGE_SET,
      ChangeSetType: 'UPDATE',
      UsePreviousTemplate: true,
      Parameters: [
        { ParameterKey: 'ImageTag', ParameterValue: 'sha-2' },
        { ParameterKey: 'AllowedIP', UsePreviousValue: true },
      ],
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    });
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).not.toHaveProperty(
      'RoleARN',
    );
  });

  it('GIVEN the change set becomes ready THEN answers its resource changes', async () => {
    changeSetAnswers(changeSet({}), changeSet({ Status: 'CREATE_IN_PROGRESS' }), READY);
    expect(await createImageChangeSet(aws.clients().cfn, request)).toEqual({
      outcome: 'created',
      changeSetName: CHANGE_SET,
      changeSetId: CHANGE_SET_ID,
      changes: [
        {
          action: 'Modify',
          resource: 'TaskDefinitionB36D86D9',
          type: 'AWS::ECS::TaskDefinition',
          replacement: 'True',
        },
        {
          action: 'Modify',
          resource: 'ServiceD69D759B',
          type: 'AWS::ECS::Service',
          replacement: 'False',
        },
      ],
    });
    expect(aws.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(0);
  });

  it('GIVEN the stack already has that ImageTag THEN the change set has no changes and is deleted', async () => {
    changeSetAnswers(
      changeSet({
        Status: 'FAILED',
        StatusReason:
          "The submitted information didn't contain changes. Submit different information to create a change set.",
      }),
    );
    const result = await createImageChangeSet(aws.clients().cfn, request);
    expect(result).toMatchObject({ outcome: 'no-change', changeSetName: CHANGE_SET });
    expect(aws.cfn.commandCalls(DeleteChangeSetCommand)[0]?.args[0].input).toEqual({
      StackName: NAME,
      ChangeSetName: CHANGE_SET,
    });
  });

  it('GIVEN CloudFormation refuses the change set for another reason THEN throws that reason', async () => {
    changeSetAnswers(
      changeSet({
        Status: 'FAILED',
        StatusReason:
          'Parameter validation failed: parameter value sha 2 for parameter name ImageTag does not match pattern',
      }),
    );
    await expect(createImageChangeSet(aws.clients().cfn, request)).rejects.toThrow(
      `CloudFormation could not make change set ${CHANGE_SET} of ${NAME}: Parameter validation failed`,
    );
    expect(aws.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(0);
  });
});

describe('executeChangeSetAndWait', () => {
  const execute = {
    stackName: NAME,
    changeSetName: CHANGE_SET,
    timeoutMs: 600_000,
    delays,
  };

  it('GIVEN the update completes THEN executes the change set and answers UPDATE_COMPLETE', async () => {
    stackStatuses('UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE');
    const result = await executeChangeSetAndWait(aws.clients().cfn, {
      ...execute,
      clock: fakeClock(),
    });
    expect(result).toEqual({ stackId: STACK_ID, status: 'UPDATE_COMPLETE' });
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)[0]?.args[0].input).toEqual({
      StackName: NAME,
      ChangeSetName: CHANGE_SET,
    });
  });

  it('GIVEN resource events during the update THEN reports each once, oldest first', async () => {
    stackStatuses('UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE');
    const clock = fakeClock();
    const started = clock.now();
    aws.cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        stackEvent({
          EventId: 'e2',
          LogicalResourceId: 'ServiceD69D759B',
          ResourceType: 'AWS::ECS::Service',
          ResourceStatus: 'UPDATE_IN_PROGRESS',
          Timestamp: new Date(started + 1),
        }),
        stackEvent({
          EventId: 'e1',
          LogicalResourceId: 'TaskDefinitionB36D86D9',
          ResourceType: 'AWS::ECS::TaskDefinition',
          ResourceStatus: 'UPDATE_COMPLETE',
          Timestamp: new Date(started),
        }),
        stackEvent({ EventId: 'old', Timestamp: new Date(started - 60_000) }),
      ],
    });
    const seen: string[] = [];
    await executeChangeSetAndWait(aws.clients().cfn, {
      ...execute,
      clock,
      progressIntervalMs: 1_000,
      onProgress: (p) => p.events.forEach((e) => seen.push(`${e.resource} ${e.status}`)),
    });
    expect(seen).toEqual([
      'TaskDefinitionB36D86D9 UPDATE_COMPLETE',
      'ServiceD69D759B UPDATE_IN_PROGRESS',
    ]);
  });

  it('GIVEN the update rolls back THEN throws the resource that failed first', async () => {
    stackStatuses('UPDATE_COMPLETE', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE');
    aws.cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        stackEvent({
          LogicalResourceId: 'ServiceD69D759B',
          ResourceType: 'AWS::ECS::Service',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason:
            'Resource handler returned message: "Error occurred during operation \'ECS Deployment Circuit Breaker was triggered\'."',
        }),
        stackEvent({
          LogicalResourceId: NAME,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_IN_PROGRESS',
          ResourceStatusReason: 'User Initiated',
        }),
      ],
    });
    await expect(
      executeChangeSetAndWait(aws.clients().cfn, { ...execute, clock: fakeClock() }),
    ).rejects.toThrow(
      `updating stack ${NAME} failed, it is UPDATE_ROLLBACK_COMPLETE: ServiceD69D759B (AWS::ECS::Service): Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'."`,
    );
  });

  it('GIVEN the update outlasts the timeout THEN throws that the stack is still updating', async () => {
    stackStatuses('UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS');
    await expect(
      executeChangeSetAndWait(aws.clients().cfn, {
        ...execute,
        timeoutMs: 20,
        clock: fakeClock(),
      }),
    ).rejects.toThrow(`stack ${NAME} is still UPDATE_IN_PROGRESS after 0 s`);
  });
});
