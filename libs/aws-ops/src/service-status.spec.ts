import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { OpsError } from './errors';
import { findStatusProblems, getServiceStatus, summarizeService } from './service-status';
import {
  ENI_ID,
  NAME,
  PUBLIC_IP,
  STOPPED_TASK_ARN,
  TAG,
  TASK_ARN,
  TASK_ID,
  failedRolloutService,
  networkInterface,
  runningTask,
  service,
  stoppedTask,
} from './testing/fixtures';

const ecsMock = mockClient(ECSClient);
const ec2Mock = mockClient(EC2Client);
const clients = { ecs: new ECSClient({}), ec2: new EC2Client({}) };
const ref = { cluster: NAME, service: NAME };

beforeEach(() => {
  ecsMock.reset();
  ec2Mock.reset();
  ecsMock.on(DescribeServicesCommand).resolves({ services: [service()], failures: [] });
  ecsMock.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [TASK_ARN] });
  ecsMock
    .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
    .resolves({ taskArns: [STOPPED_TASK_ARN] });
  ecsMock.on(DescribeTasksCommand, { tasks: [TASK_ARN] }).resolves({ tasks: [runningTask()] });
  ecsMock.on(DescribeTasksCommand, { tasks: [STOPPED_TASK_ARN] }).resolves({
    tasks: [
      stoppedTask('OutOfMemoryError: Container killed due to memory usage', {
        exitCode: 137,
        reason: 'OutOfMemoryError: Container killed due to memory usage',
      }),
    ],
  });
  ec2Mock
    .on(DescribeNetworkInterfacesCommand, { NetworkInterfaceIds: [ENI_ID] })
    .resolves(networkInterface());
});

describe('getServiceStatus', () => {
  it('GIVEN a healthy service THEN reports counts and the deployment with its rollout state', async () => {
    const status = await getServiceStatus(clients, ref);
    expect(status).toMatchObject({
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      status: 'ACTIVE',
    });
    expect(status.deployments[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      taskDefinition: expect.stringContaining('hello-world:7'),
    });
  });

  it('GIVEN a Fargate task THEN follows task → ENI → public IP and reads health, tag and start', async () => {
    const status = await getServiceStatus(clients, ref);
    expect(status.tasks).toEqual([
      expect.objectContaining({
        taskId: TASK_ID,
        lastStatus: 'RUNNING',
        healthStatus: 'HEALTHY',
        imageTag: TAG,
        startedAt: new Date('2026-11-25T18:01:40.000Z'),
        networkInterfaceId: ENI_ID,
        privateIp: '10.0.1.23',
        publicIp: PUBLIC_IP,
      }),
    ]);
  });

  it('GIVEN a task killed for memory THEN lists it with stop reason, exit code 137 and reason', async () => {
    const status = await getServiceStatus(clients, ref);
    expect(status.stoppedTasks[0]).toMatchObject({
      stoppedReason: 'OutOfMemoryError: Container killed due to memory usage',
      containers: [
        expect.objectContaining({ exitCode: 137, reason: expect.stringContaining('OutOfMemory') }),
      ],
    });
    // A stopped task's ENI is gone: it is never looked up.
    expect(ec2Mock.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(1);
  });

  it('keeps only the latest events', async () => {
    const status = await getServiceStatus(clients, ref, { eventLimit: 1 });
    expect(status.events.map((e) => e.message)).toEqual([
      `(service ${NAME}) has reached a steady state.`,
    ]);
  });

  it('GIVEN the ENI vanished between calls THEN the task simply has no public IP', async () => {
    ec2Mock.on(DescribeNetworkInterfacesCommand).rejects(
      Object.assign(new Error(`The networkInterface ID '${ENI_ID}' does not exist`), {
        name: 'InvalidNetworkInterfaceID.NotFound',
      }),
    );
    const status = await getServiceStatus(clients, ref);
    expect(status.tasks[0].publicIp).toBeUndefined();
  });

  it('GIVEN the service is missing THEN throws service-not-found', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [
        { arn: `arn:aws:ecs:eu-west-1:123456789012:service/${NAME}/${NAME}`, reason: 'MISSING' },
      ],
    });
    await expect(getServiceStatus(clients, ref)).rejects.toBeInstanceOf(OpsError);
    await expect(getServiceStatus(clients, ref)).rejects.toMatchObject({
      kind: 'service-not-found',
      message: expect.stringContaining('(MISSING): run `npx nx run infra:deploy`'),
    });
  });
});

describe("getServiceStatus for another deployment's project (greeter-infra)", () => {
  it('GIVEN the service is missing THEN the fix is greeter-infra:deploy', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    await expect(
      getServiceStatus(clients, ref, { project: 'greeter-infra' }),
    ).rejects.toMatchObject({
      kind: 'service-not-found',
      message: expect.stringMatching(/\(MISSING\): run `npx nx run greeter-infra:deploy`$/),
    });
  });
});

describe('findStatusProblems', () => {
  const url = `http://${PUBLIC_IP}:49000`;

  it('GIVEN the desired count runs and a URL THEN no problem', () => {
    expect(findStatusProblems(summarizeService(NAME, service()), url)).toEqual([]);
  });

  it('GIVEN no task runs of one desired THEN an error that points at doctor', () => {
    const status = summarizeService(NAME, service({ runningCount: 0, pendingCount: 1 }));
    expect(findStatusProblems(status, undefined)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'no-running-task',
        what: '0 of 1 desired task(s) running',
        fix: '`npx nx run infra:doctor` finds why',
      }),
    ]);
  });

  it('GIVEN a rollout the circuit breaker failed THEN an error naming the deployment and its reason', () => {
    const status = summarizeService(NAME, failedRolloutService());
    expect(findStatusProblems(status, url, 'greeter-infra')).toEqual([
      expect.objectContaining({
        code: 'deployment-failed',
        what: 'deployment ecs-svc/1234567890123456789 failed: ECS deployment circuit breaker: tasks failed to start.',
        fix: '`npx nx run greeter-infra:doctor` shows why its tasks stopped',
      }),
    ]);
  });

  it('GIVEN the task runs without a public IP THEN an error (no URL to check)', () => {
    expect(findStatusProblems(summarizeService(NAME, service()), undefined)).toEqual([
      expect.objectContaining({ code: 'no-public-ip' }),
    ]);
  });
});
