import { EC2Client, paginateDescribeNetworkInterfaces } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, Task, paginateListTasks } from '@aws-sdk/client-ecs';

/** The clients findServicePublicIps reads through. */
export interface TaskClients {
  ecs: ECSClient;
  ec2: EC2Client;
}

/** DescribeTasks takes at most this many tasks a call; the ENI lookup follows the same batches. */
const DESCRIBE_TASKS_BATCH = 100;

/** The task's ENI, from the awsvpc attachment ECS reports for a Fargate task. */
function networkInterfaceIdOf(task: Task): string | undefined {
  const attachment = task.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  return attachment?.details?.find((d) => d.name === 'networkInterfaceId')?.value;
}

/** Public IPs of the given ENIs; an ENI without one yet (or already gone) is left out. */
async function publicIpsOf(ec2: EC2Client, networkInterfaceIds: string[]): Promise<string[]> {
  const ips: string[] = [];
  // A filter rather than NetworkInterfaceIds: EC2 fails the whole call when one listed ENI is
  // gone (a task that stopped meanwhile), whereas a filter just matches fewer.
  const pages = paginateDescribeNetworkInterfaces(
    { client: ec2 },
    { Filters: [{ Name: 'network-interface-id', Values: networkInterfaceIds }] },
  );
  for await (const page of pages) {
    for (const eni of page.NetworkInterfaces ?? []) {
      if (eni.Association?.PublicIp) ips.push(eni.Association.PublicIp);
    }
  }
  return ips;
}

/**
 * The public IPs of the service's running tasks (desired and last status RUNNING), sorted. A task
 * whose ENI has no public IP yet is skipped: its own RUNNING event runs the updater again.
 */
export async function findServicePublicIps(
  clients: TaskClients,
  cluster: string,
  service: string,
): Promise<string[]> {
  const arns: string[] = [];
  const pages = paginateListTasks(
    { client: clients.ecs },
    { cluster, serviceName: service, desiredStatus: 'RUNNING' },
  );
  for await (const page of pages) arns.push(...(page.taskArns ?? []));

  const ips: string[] = [];
  for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_BATCH) {
    const { tasks } = await clients.ecs.send(
      new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + DESCRIBE_TASKS_BATCH) }),
    );
    const enis = (tasks ?? [])
      .filter((task) => task.lastStatus === 'RUNNING' && task.desiredStatus === 'RUNNING')
      .map(networkInterfaceIdOf)
      .filter((id): id is string => id !== undefined);
    if (enis.length > 0) ips.push(...(await publicIpsOf(clients.ec2, enis)));
  }
  // Plain string order: the record's values are compared in the same order (readServiceRecord).
  return [...new Set(ips)].sort();
}
