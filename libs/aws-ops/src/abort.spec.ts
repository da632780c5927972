import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeServiceDeploymentsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { abortDeployment, findDeployInProgress } from './abort';
import { fakeClock } from './testing/fake-clock';
import {
  ACCOUNT,
  CLUSTER_ARN,
  NAME,
  REGION,
  stack,
  stackEvent,
  stackMissingError,
} from './testing/fixtures';

const cfnMock = mockClient(CloudFormationClient);
const ecsMock = mockClient(ECSClient);
const clients = { cfn: new CloudFormationClient({}), ecs: new ECSClient({}) };
const STACK_ID = stack().StackId as string;
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${NAME}/${NAME}`;
const SERVICE_DEPLOYMENT_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${NAME}/${NAME}/Kx3vPq9ZtR7mW2bYcD8eF`;
const NEW_REVISION = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${NAME}/${NAME}/4120937516282930174`;
const OLD_REVISION = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${NAME}/${NAME}/8571093648162048713`;
const options = { stackName: NAME, region: REGION, timeoutMs: 600_000, pollIntervalMs: 5_000 };

/** A service deployment as DescribeServiceDeployments returns it. */
function serviceDeployment(
  status: ServiceDeploymentStatus,
  overrides: Partial<ServiceDeployment> = {},
): ServiceDeployment {
  return {
    serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
    serviceArn: SERVICE_ARN,
    clusterArn: CLUSTER_ARN,
    createdAt: new Date('2026-11-25T18:00:30Z'),
    startedAt: new Date('2026-11-25T18:00:31Z'),
    updatedAt: new Date('2026-11-25T18:03:00Z'),
    sourceServiceRevisions: [
      { arn: OLD_REVISION, requestedTaskCount: 1, runningTaskCount: 1, pendingTaskCount: 0 },
    ],
    targetServiceRevision: {
      arn: NEW_REVISION,
      requestedTaskCount: 1,
      runningTaskCount: 0,
      pendingTaskCount: 1,
    },
    status,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    ...overrides,
  };
}

function stackIs(status: StackStatus) {
  cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
    Stacks: [stack({ StackStatus: status, LastUpdatedTime: new Date('2026-11-25T18:00:20Z') })],
  });
}

/** The service's in-progress deployments, as ListServiceDeployments filters them. */
function rolloutsInProgress(arns: string[]) {
  ecsMock.on(ListServiceDeploymentsCommand, { cluster: NAME, service: NAME }).resolves({
    serviceDeployments: arns.map((arn) => ({
      serviceDeploymentArn: arn,
      serviceArn: SERVICE_ARN,
      clusterArn: CLUSTER_ARN,
      createdAt: new Date('2026-11-25T18:00:30Z'),
      startedAt: new Date('2026-11-25T18:00:31Z'),
      targetServiceRevisionArn: NEW_REVISION,
      status: 'IN_PROGRESS',
    })),
  });
}

beforeEach(() => {
  cfnMock.reset();
  ecsMock.reset();
  cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  rolloutsInProgress([]);
});

describe('abortDeployment during the CloudFormation update', () => {
  it('GIVEN the service stack is UPDATE_IN_PROGRESS THEN cancels the update and waits for UPDATE_ROLLBACK_COMPLETE', async () => {
    stackIs('UPDATE_IN_PROGRESS');
    cfnMock.on(CancelUpdateStackCommand).resolves({});
    cfnMock
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })] });
    const progress: string[] = [];
    const result = await abortDeployment(clients, {
      ...options,
      onProgress: (l) => progress.push(l),
    });
    expect(cfnMock.commandCalls(CancelUpdateStackCommand)[0]?.args[0].input).toEqual({
      StackName: STACK_ID,
    });
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      stopped: 'stack-update',
      stackStatus: 'UPDATE_ROLLBACK_COMPLETE',
    });
    expect(result.message).toMatch(
      /^aborted: the update of hello-world-ecr-ecs-fargate was cancelled and rolled back/,
    );
    expect(progress[0]).toMatch(/CancelUpdateStack/);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
  });

  it('GIVEN the rollback fails THEN the outcome is rollback-failed, naming the resource and the doctor', async () => {
    stackIs('UPDATE_IN_PROGRESS');
    cfnMock.on(CancelUpdateStackCommand).resolves({});
    cfnMock
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_FAILED' })] });
    cfnMock.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        stackEvent({
          LogicalResourceId: 'Service',
          ResourceType: 'AWS::ECS::Service',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: 'Resource timed out waiting for completion',
          Timestamp: new Date('2026-11-25T18:20:00Z'),
        }),
      ],
    });
    const result = await abortDeployment(clients, options);
    expect(result.outcome).toBe('rollback-failed');
    expect(result.stackStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect(result.message).toMatch(/ended UPDATE_ROLLBACK_FAILED.*npx nx run infra:doctor/);
  });

  it('GIVEN the stack is already rolling back THEN waits for it without cancelling', async () => {
    stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
    cfnMock
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })] });
    const result = await abortDeployment(clients, options);
    expect(cfnMock.commandCalls(CancelUpdateStackCommand)).toHaveLength(0);
    expect(result.outcome).toBe('rolled-back');
  });
});

describe('abortDeployment during the ECS rollout', () => {
  it('GIVEN the stack is done and a service deployment is IN_PROGRESS THEN stops it with ROLLBACK and follows it to ROLLBACK_SUCCESSFUL', async () => {
    stackIs('UPDATE_COMPLETE');
    rolloutsInProgress([SERVICE_DEPLOYMENT_ARN]);
    ecsMock
      .on(StopServiceDeploymentCommand)
      .resolves({ serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [serviceDeployment('ROLLBACK_REQUESTED')], failures: [] })
      .resolvesOnce({
        serviceDeployments: [serviceDeployment('ROLLBACK_IN_PROGRESS')],
        failures: [],
      })
      .resolves({
        serviceDeployments: [
          serviceDeployment('ROLLBACK_SUCCESSFUL', {
            finishedAt: new Date('2026-11-25T18:05:00Z'),
            rollback: {
              reason: 'Service deployment rolled back because of a StopServiceDeployment request.',
              startedAt: new Date('2026-11-25T18:03:10Z'),
              serviceRevisionArn: OLD_REVISION,
            },
          }),
        ],
        failures: [],
      });
    const clock = fakeClock();
    const result = await abortDeployment(clients, { ...options, clock });
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
      stopType: 'ROLLBACK',
    });
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      stopped: 'rollout',
      serviceDeploymentStatus: 'ROLLBACK_SUCCESSFUL',
    });
    expect(result.message).toContain(`it runs ${OLD_REVISION} again`);
    expect(clock.sleeps).toEqual([5_000, 5_000]);
    expect(cfnMock.commandCalls(CancelUpdateStackCommand)).toHaveLength(0);
  });

  it('GIVEN the rollback fails THEN the outcome is rollback-failed with ECS reason', async () => {
    stackIs('UPDATE_COMPLETE');
    rolloutsInProgress([SERVICE_DEPLOYMENT_ARN]);
    ecsMock
      .on(StopServiceDeploymentCommand)
      .resolves({ serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        serviceDeployment('ROLLBACK_FAILED', {
          statusReason: 'Service deployment rollback failed: tasks failed to start.',
        }),
      ],
    });
    const result = await abortDeployment(clients, { ...options, clock: fakeClock() });
    expect(result.outcome).toBe('rollback-failed');
    expect(result.message).toMatch(
      /ended ROLLBACK_FAILED \(Service deployment rollback failed: tasks failed to start\.\)/,
    );
  });

  it('GIVEN the rollback outlasts the timeout THEN timed-out, saying ECS goes on', async () => {
    stackIs('UPDATE_COMPLETE');
    rolloutsInProgress([SERVICE_DEPLOYMENT_ARN]);
    ecsMock
      .on(StopServiceDeploymentCommand)
      .resolves({ serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [serviceDeployment('ROLLBACK_IN_PROGRESS')] });
    const clock = fakeClock();
    const result = await abortDeployment(clients, { ...options, timeoutMs: 12_000, clock });
    expect(result.outcome).toBe('timed-out');
    expect(clock.sleeps).toEqual([5_000, 5_000, 2_000]);
    expect(result.message).toMatch(
      /still ROLLBACK_IN_PROGRESS after 12 s: ECS goes on; watch it with `npx nx run infra:status`/,
    );
  });
});

describe('abortDeployment with nothing in progress', () => {
  it('GIVEN UPDATE_COMPLETE and no service deployment in progress THEN nothing-to-abort, calling no stop', async () => {
    stackIs('UPDATE_COMPLETE');
    const result = await abortDeployment(clients, { ...options, project: 'greeter-infra' });
    expect(result).toMatchObject({ outcome: 'nothing-to-abort' });
    expect(result.message).toBe(
      `nothing to abort: ${NAME} is UPDATE_COMPLETE and ${NAME} has no deployment in progress`,
    );
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)[0]?.args[0].input).toEqual({
      cluster: NAME,
      service: NAME,
      status: ['PENDING', 'IN_PROGRESS'],
    });
    expect(cfnMock.commandCalls(CancelUpdateStackCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
  });

  it('GIVEN no service stack THEN stack-not-found', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError());
    await expect(findDeployInProgress(clients, NAME, { region: REGION })).rejects.toMatchObject({
      kind: 'stack-not-found',
      message: expect.stringMatching(/is not deployed in eu-west-1: nothing to abort/),
    });
  });
});
