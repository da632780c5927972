import {
  CancelUpdateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import {
  NAME,
  REGION,
  arrangeHealthyDeployment,
  awsError,
  fakeClock,
  mockAwsClients,
  stack,
  stackEvent,
  stackMissingError,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import { opsHarness, type OpsHarness } from './ops-harness-for-test';
import { runOps } from './run';

const aws = mockAwsClients();
const { cfn: cfnMock, ecs: ecsMock } = aws;
const STACK_ID = stack().StackId as string;
const SERVICE_DEPLOYMENT_ARN = `arn:aws:ecs:${REGION}:123456789012:service-deployment/${NAME}/${NAME}/Kx3vPq9ZtR7mW2bYcD8eF`;

/** `npx nx run <project>:abort` (libs/fargate/src/ops/main.ts abort) with fakes around it. */
function harness(project = 'infra', service = 'hello-world'): OpsHarness {
  return opsHarness(aws.clients(), {
    env: { AWS_REGION: REGION },
    clock: fakeClock(),
    deployment: { project, names: deploymentNames(service), port: 49000 },
  });
}

function serviceStackIs(status: 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE') {
  cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
    Stacks: [stack({ StackStatus: status, LastUpdatedTime: new Date('2026-11-25T18:00:20Z') })],
  });
}

function rolloutInProgress() {
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      {
        serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
        serviceArn: `arn:aws:ecs:${REGION}:123456789012:service/${NAME}/${NAME}`,
        clusterArn: `arn:aws:ecs:${REGION}:123456789012:cluster/${NAME}`,
        createdAt: new Date('2026-11-25T18:00:30Z'),
        startedAt: new Date('2026-11-25T18:00:31Z'),
        status: 'IN_PROGRESS',
      },
    ],
  });
  ecsMock
    .on(StopServiceDeploymentCommand)
    .resolves({ serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN });
}

beforeEach(() => {
  arrangeHealthyDeployment(aws);
  cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
});

describe('infra:abort', () => {
  it('GIVEN nothing in progress THEN exit 0 and one line saying so on stdout', async () => {
    serviceStackIs('UPDATE_COMPLETE');
    const h = harness();
    expect(await runOps(['abort'], h.deps)).toBe(0);
    expect(h.out).toEqual([
      `nothing to abort: ${NAME} is UPDATE_COMPLETE and ${NAME} has no deployment in progress`,
    ]);
  });

  it('GIVEN a stack update in progress THEN cancels it, progress on stderr, the result on stdout, exit 0', async () => {
    serviceStackIs('UPDATE_IN_PROGRESS');
    cfnMock
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })] });
    cfnMock.on(CancelUpdateStackCommand).resolves({});
    const h = harness();
    expect(await runOps(['abort'], h.deps)).toBe(0);
    expect(h.err[0]).toBe(`looking for a deploy in progress on ${NAME} in ${REGION}`);
    expect(h.err.join('\n')).toMatch(/cancelling the update of .* \(CancelUpdateStack\)/);
    expect(h.out).toEqual([
      `aborted: the update of ${NAME} was cancelled and rolled back (UPDATE_ROLLBACK_COMPLETE); the service runs the previous version`,
    ]);
  });

  it('GIVEN a rollout whose rollback fails THEN exit 1, and --json carries the outcome', async () => {
    serviceStackIs('UPDATE_COMPLETE');
    rolloutInProgress();
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
          status: 'ROLLBACK_FAILED',
          statusReason: 'Service deployment rollback failed: tasks failed to start.',
        },
      ],
    });
    const h = harness();
    expect(await runOps(['abort', '--json'], h.deps)).toBe(1);
    expect(JSON.parse(h.out.join('\n'))).toMatchObject({
      outcome: 'rollback-failed',
      stopped: 'rollout',
      serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
      serviceDeploymentStatus: 'ROLLBACK_FAILED',
    });
  });

  it("GIVEN --timeout shorter than the rollback THEN exit 1, saying ECS goes on and the project's status", async () => {
    serviceStackIs('UPDATE_COMPLETE');
    rolloutInProgress();
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN, status: 'ROLLBACK_IN_PROGRESS' },
      ],
    });
    const h = harness('greeter-infra', 'greeter');
    cfnMock.on(DescribeStacksCommand, { StackName: 'greeter-ecr-ecs-fargate' }).resolves({
      Stacks: [stack({ StackName: 'greeter-ecr-ecs-fargate', StackStatus: 'UPDATE_COMPLETE' })],
    });
    expect(
      await runOps(['abort', '--stack', 'greeter-ecr-ecs-fargate', '--timeout', '30s'], h.deps),
    ).toBe(1);
    expect(h.out.at(-1)).toMatch(
      /still ROLLBACK_IN_PROGRESS after 30 s: ECS goes on; watch it with `npx nx run greeter-infra:status`$/,
    );
  });

  it('GIVEN no service stack THEN exit 2 with one line', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError(NAME));
    const h = harness();
    expect(await runOps(['abort'], h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:abort: stack ${NAME} is not deployed in ${REGION}: nothing to abort (pass --region if it lives elsewhere)`,
    );
  });

  it('GIVEN the role may not cancel the update THEN exit 2 naming the action', async () => {
    serviceStackIs('UPDATE_IN_PROGRESS');
    cfnMock
      .on(CancelUpdateStackCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::123456789012:assumed-role/github-actions-deploy/GitHubActions is not authorized to perform: cloudformation:CancelUpdateStack on resource: ${STACK_ID} because no identity-based policy allows the cloudformation:CancelUpdateStack action`,
        ),
      );
    cfnMock.on(DescribeStackEventsCommand).resolves({
      StackEvents: [stackEvent({ ResourceStatus: 'UPDATE_IN_PROGRESS' })],
    });
    const h = harness();
    expect(await runOps(['abort'], h.deps)).toBe(2);
    expect(h.err.at(-1)).toMatch(
      /^infra:abort: access denied: your AWS identity may not call cloudformation:CancelUpdateStack/,
    );
  });
});
