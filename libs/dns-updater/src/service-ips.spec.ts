import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { findServicePublicIps } from './service-ips';
import {
  DEPLOYMENT,
  TASKS,
  arrangeAccount,
  fargateTask,
  mockDnsUpdaterClients,
  taskArn,
} from './testing';

const mocks = mockDnsUpdaterClients();

describe('findServicePublicIps', () => {
  it("GIVEN three running tasks WHEN read THEN lists the service's RUNNING tasks and returns their ENIs' public IPs, sorted", async () => {
    arrangeAccount(mocks, { tasks: TASKS.map((t) => ({ task: fargateTask(t), ip: t.ip })) });

    const ips = await findServicePublicIps(mocks.clients(), DEPLOYMENT, DEPLOYMENT);

    expect(ips).toEqual(['34.245.9.201', '52.18.200.7', '54.170.12.34']);
    expect(mocks.ecs.commandCalls(ListTasksCommand)[0]?.args[0].input).toEqual({
      cluster: DEPLOYMENT,
      serviceName: DEPLOYMENT,
      desiredStatus: 'RUNNING',
    });
    expect(mocks.ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]?.args[0].input).toEqual({
      Filters: [{ Name: 'network-interface-id', Values: TASKS.map((t) => t.eni) }],
    });
  });

  it('GIVEN a task still starting (PENDING) and one being stopped WHEN read THEN only the RUNNING one counts', async () => {
    const [running, pending, stopping] = TASKS;
    arrangeAccount(mocks, {
      tasks: [
        { task: fargateTask(running), ip: running.ip },
        { task: fargateTask(pending, { lastStatus: 'PENDING' }), ip: pending.ip },
        { task: fargateTask(stopping, { desiredStatus: 'STOPPED' }), ip: stopping.ip },
      ],
    });

    expect(await findServicePublicIps(mocks.clients(), DEPLOYMENT, DEPLOYMENT)).toEqual([
      running.ip,
    ]);
  });

  it('GIVEN no running task WHEN read THEN returns [] without describing anything', async () => {
    arrangeAccount(mocks, { tasks: [] });

    expect(await findServicePublicIps(mocks.clients(), DEPLOYMENT, DEPLOYMENT)).toEqual([]);
    expect(mocks.ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });

  it('GIVEN a task without its ENI attachment yet WHEN read THEN skips it', async () => {
    arrangeAccount(mocks, {
      tasks: [
        { task: fargateTask(TASKS[0]), ip: TASKS[0].ip },
        { task: fargateTask(TASKS[1], { attachments: [] }) },
      ],
    });

    expect(await findServicePublicIps(mocks.clients(), DEPLOYMENT, DEPLOYMENT)).toEqual([
      TASKS[0].ip,
    ]);
  });

  it('GIVEN ListTasks answers in two pages and 101 tasks WHEN read THEN follows nextToken and describes them in batches of 100', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `${i.toString(16).padStart(32, '0')}`);
    const tasks = ids.map((id, i) => ({
      task: fargateTask({ id, eni: `eni-${i.toString(16).padStart(17, '0')}` }),
      ip: `52.18.${Math.floor(i / 100)}.${i % 100}`,
    }));
    arrangeAccount(mocks, { tasks });
    const arns = ids.map(taskArn);
    mocks.ecs
      .on(ListTasksCommand)
      .resolves({ taskArns: arns.slice(0, 60), nextToken: 'page-2' })
      .on(ListTasksCommand, { nextToken: 'page-2' })
      .resolves({ taskArns: arns.slice(60) });

    const ips = await findServicePublicIps(mocks.clients(), DEPLOYMENT, DEPLOYMENT);

    expect(ips).toHaveLength(101);
    expect(
      mocks.ecs.commandCalls(DescribeTasksCommand).map((call) => call.args[0].input.tasks?.length),
    ).toEqual([100, 1]);
  });
});
