import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ExecuteCommandCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ecsEndpoint,
  findExecTarget,
  sessionManagerPluginArgs,
  startExecSession,
  type ExecTarget,
} from './exec';
import { ACCOUNT, CLUSTER_ARN, NAME, REGION, TASK_ARN, TASK_ID, service } from './testing/fixtures';
import {
  EXEC_SESSION_ID,
  EXEC_SESSION_TOKEN,
  executeCommandAnswer,
  execTask,
} from './testing/secrets-fixtures';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({});
const request = { cluster: NAME, service: NAME, defaultContainer: 'hello-world' };
const OTHER_ID = '9f8e7d6c5b4a43219876fedcba012345';
const OTHER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${NAME}/${OTHER_ID}`;
const RUNTIME_ID = `${TASK_ID}-1234567890`;

function arrange(tasks = [execTask()], execOn = true): void {
  ecsMock.reset();
  ecsMock
    .on(DescribeServicesCommand)
    .resolves({ services: [service({ enableExecuteCommand: execOn })] });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: tasks.map((t) => t.taskArn as string) });
  ecsMock.on(DescribeTasksCommand).resolves({ tasks });
}

describe('findExecTarget', () => {
  it('GIVEN exec on and a task whose agent runs THEN targets its service container and runtime id', async () => {
    arrange();
    expect(await findExecTarget(ecs, request)).toEqual({
      cluster: NAME,
      taskArn: TASK_ARN,
      taskId: TASK_ID,
      container: 'hello-world',
      runtimeId: RUNTIME_ID,
      startedAt: new Date('2026-11-25T18:01:40.000Z'),
    });
  });

  it('GIVEN the service runs without ECS Exec THEN refuses exec-off before looking at tasks', async () => {
    arrange([execTask()], false);
    expect(await findExecTarget(ecs, request)).toEqual({ refused: 'exec-off', service: NAME });
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(0);
  });

  it('GIVEN two running tasks and no --task THEN picks the newest', async () => {
    arrange([
      execTask(),
      execTask({ taskArn: OTHER_ARN, startedAt: new Date('2026-11-25T18:05:00.000Z') }),
    ]);
    expect(await findExecTarget(ecs, request)).toMatchObject({ taskId: OTHER_ID });
  });

  it('GIVEN --task as the start of an id THEN picks that task', async () => {
    arrange([
      execTask(),
      execTask({ taskArn: OTHER_ARN, startedAt: new Date('2026-11-25T18:05:00.000Z') }),
    ]);
    expect(await findExecTarget(ecs, { ...request, task: TASK_ID.slice(0, 8) })).toMatchObject({
      taskId: TASK_ID,
    });
  });

  it('GIVEN --task matching no running task THEN refuses with the running ids', async () => {
    arrange();
    expect(await findExecTarget(ecs, { ...request, task: 'ffff' })).toEqual({
      refused: 'task-not-found',
      task: 'ffff',
      running: [TASK_ID],
    });
  });

  it('GIVEN --task matching two tasks THEN refuses as ambiguous', async () => {
    const twin = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${NAME}/${TASK_ID.slice(0, 4)}0000000000000000000000000000`;
    arrange([execTask(), execTask({ taskArn: twin })]);
    expect(await findExecTarget(ecs, { ...request, task: TASK_ID.slice(0, 4) })).toMatchObject({
      refused: 'task-ambiguous',
    });
  });

  it('GIVEN no running task THEN refuses no-running-task', async () => {
    arrange([]);
    expect(await findExecTarget(ecs, request)).toEqual({
      refused: 'no-running-task',
      service: NAME,
    });
  });

  it('GIVEN a task started before exec was on THEN refuses task-without-exec', async () => {
    arrange([execTask({ enableExecuteCommand: false })]);
    expect(await findExecTarget(ecs, request)).toEqual({
      refused: 'task-without-exec',
      taskId: TASK_ID,
    });
  });

  it('GIVEN the agent is STOPPED THEN refuses with its status and reason', async () => {
    const task = execTask({}, 'STOPPED');
    const agent = task.containers?.[0].managedAgents?.[0];
    if (agent) agent.reason = 'Agent exited: permission denied on /var/lib/amazon/ssm';
    arrange([task]);
    expect(await findExecTarget(ecs, request)).toEqual({
      refused: 'agent-not-running',
      taskId: TASK_ID,
      container: 'hello-world',
      status: 'STOPPED',
      reason: 'Agent exited: permission denied on /var/lib/amazon/ssm',
    });
  });

  it('GIVEN --container naming no container of the task THEN refuses with the names there are', async () => {
    arrange();
    expect(await findExecTarget(ecs, { ...request, container: 'sidecar' })).toEqual({
      refused: 'container-not-found',
      taskId: TASK_ID,
      container: 'sidecar',
      containers: ['hello-world'],
    });
  });
});

describe('startExecSession', () => {
  it('GIVEN a target THEN asks ECS for an interactive session of the command in that container', async () => {
    arrange();
    ecsMock.on(ExecuteCommandCommand).resolves(executeCommandAnswer());
    const target: ExecTarget = {
      cluster: NAME,
      taskArn: TASK_ARN,
      taskId: TASK_ID,
      container: 'hello-world',
      runtimeId: RUNTIME_ID,
    };
    await startExecSession(ecs, target, '/bin/sh');
    expect(ecsMock.commandCalls(ExecuteCommandCommand)[0].args[0].input).toEqual({
      cluster: NAME,
      task: TASK_ARN,
      container: 'hello-world',
      command: '/bin/sh',
      interactive: true,
    });
  });
});

describe('sessionManagerPluginArgs', () => {
  const target = { cluster: NAME, taskArn: TASK_ARN, runtimeId: RUNTIME_ID };

  it('GIVEN ExecuteCommand answered THEN builds the AWS CLI arguments: session, region, StartSession, profile, target, endpoint', () => {
    const args = sessionManagerPluginArgs(executeCommandAnswer(), target, { region: REGION });
    expect(args).toHaveLength(6);
    expect(JSON.parse(args[0])).toEqual({
      sessionId: EXEC_SESSION_ID,
      streamUrl: expect.stringContaining('wss://ssmmessages.eu-west-1.amazonaws.com/'),
      tokenValue: EXEC_SESSION_TOKEN,
    });
    expect(args.slice(1)).toEqual([
      'eu-west-1',
      'StartSession',
      '',
      JSON.stringify({ Target: `ecs:${NAME}_${TASK_ID}_${RUNTIME_ID}` }),
      'https://ecs.eu-west-1.amazonaws.com',
    ]);
  });

  it('GIVEN a named profile THEN passes it as the fourth argument', () => {
    const args = sessionManagerPluginArgs(executeCommandAnswer(), target, {
      region: REGION,
      profile: 'dev',
    });
    expect(args[3]).toBe('dev');
  });

  it('GIVEN the cluster ARN in the answer THEN the target names the cluster by its name', () => {
    expect(CLUSTER_ARN.endsWith(`/${NAME}`)).toBe(true);
    const args = sessionManagerPluginArgs(
      { ...executeCommandAnswer(), clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/other` },
      target,
      { region: REGION },
    );
    expect(JSON.parse(args[4])).toEqual({ Target: `ecs:other_${TASK_ID}_${RUNTIME_ID}` });
  });
});

describe('ecsEndpoint', () => {
  it('GIVEN a China region THEN uses the amazonaws.com.cn suffix', () => {
    expect(ecsEndpoint('cn-north-1')).toBe('https://ecs.cn-north-1.amazonaws.com.cn');
  });
});
