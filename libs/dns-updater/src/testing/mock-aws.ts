// aws-sdk-client-mock stubs for the updater's three clients, and an account arranged from a list
// of tasks and a hosted zone's records, so each spec states only its case.
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, Task } from '@aws-sdk/client-ecs';
import {
  ListResourceRecordSetsCommand,
  ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { listRecordSets, taskNetworkInterface, zoneApexRecordSets } from './fixtures';

/** Stubs ECS, EC2 and Route 53 (clients made later included). Call once per spec file. */
export function mockDnsUpdaterClients() {
  const stubs = {
    ecs: mockClient(ECSClient),
    ec2: mockClient(EC2Client),
    route53: mockClient(Route53Client),
  };
  return {
    ...stubs,
    reset: (): void => Object.values(stubs).forEach((stub) => stub.reset()),
    clients: () => ({
      ecs: new ECSClient({ region: 'eu-west-1' }),
      ec2: new EC2Client({ region: 'eu-west-1' }),
      route53: new Route53Client({ region: 'us-east-1' }),
    }),
  };
}

export type DnsUpdaterMocks = ReturnType<typeof mockDnsUpdaterClients>;

/** A task the service runs, and the public IP its ENI has (none yet when undefined). */
export interface ArrangedTask {
  task: Task;
  ip?: string;
}

/**
 * Resets the stubs to an account where the service's RUNNING tasks are `tasks` (one ListTasks
 * page), DescribeTasks and DescribeNetworkInterfaces answer for exactly the tasks and ENIs asked
 * for, and the hosted zone holds its NS and SOA records plus `records`.
 */
export function arrangeAccount(
  mocks: DnsUpdaterMocks,
  { tasks = [], records = [] }: { tasks?: ArrangedTask[]; records?: ResourceRecordSet[] },
): void {
  mocks.reset();
  mocks.ecs
    .on(ListTasksCommand)
    .resolves({ taskArns: tasks.map(({ task }) => task.taskArn ?? '') });
  mocks.ecs.on(DescribeTasksCommand).callsFake((input: { tasks?: string[] }) => ({
    tasks: tasks.filter(({ task }) => input.tasks?.includes(task.taskArn ?? '')).map((t) => t.task),
    failures: [],
  }));
  const enis = tasks.map(({ task, ip }) => {
    const eni = task.attachments?.[0]?.details?.find((d) => d.name === 'networkInterfaceId');
    return taskNetworkInterface(eni?.value ?? '', ip);
  });
  mocks.ec2
    .on(DescribeNetworkInterfacesCommand)
    .callsFake((input: { Filters?: { Name?: string; Values?: string[] }[] }) => {
      const ids = input.Filters?.find((f) => f.Name === 'network-interface-id')?.Values ?? [];
      return {
        NetworkInterfaces: enis.filter((eni) => ids.includes(eni.NetworkInterfaceId ?? '')),
      };
    });
  mocks.route53
    .on(ListResourceRecordSetsCommand)
    .callsFake(listRecordSets([...zoneApexRecordSets(), ...records]));
}
