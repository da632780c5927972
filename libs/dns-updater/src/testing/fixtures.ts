// Realistic payloads for the dns updater's specs (and for specs of code that reads the record),
// shaped after the ECS, EC2 and Route 53 API references' examples.
import type { NetworkInterface } from '@aws-sdk/client-ec2';
import type { Task } from '@aws-sdk/client-ecs';
import {
  InvalidChangeBatch,
  type ChangeResourceRecordSetsCommandInput,
  type ChangeResourceRecordSetsResponse,
  type ListResourceRecordSetsCommandInput,
  type ListResourceRecordSetsResponse,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { dnsOwnerRecordValue } from '@hello-world/shared';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const DEPLOYMENT = 'hello-world-ecr-ecs-fargate-staging';
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${DEPLOYMENT}`;
export const HOSTED_ZONE_ID = 'Z0123456789ABCDEFGHIJ';
export const ZONE_NAME = 'example.com';
export const DOMAIN = 'api.example.com';

/** The updater's target as the service stack configures it. */
export const TARGET = {
  cluster: DEPLOYMENT,
  service: DEPLOYMENT,
  hostedZoneId: HOSTED_ZONE_ID,
  domainName: DOMAIN,
  owner: DEPLOYMENT,
};

/** Three tasks' ids, ENIs and public IPs, in the order ECS lists them. */
export const TASKS = [
  { id: 'a1b2c3d4e5f64718293a4b5c6d7e8f90', eni: 'eni-0a1b2c3d4e5f67890', ip: '54.170.12.34' },
  { id: '0f9e8d7c6b5a49382716f5e4d3c2b1a0', eni: 'eni-0f1e2d3c4b5a69788', ip: '34.245.9.201' },
  { id: '5e6f7a8b9c0d41e2f3a4b5c6d7e8f901', eni: 'eni-05a6b7c8d9e0f1a2b', ip: '52.18.200.7' },
] as const;

export function taskArn(id: string): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${DEPLOYMENT}/${id}`;
}

/** A Fargate task with its awsvpc ENI attachment, as DescribeTasks returns it. */
export function fargateTask(
  { id, eni }: { id: string; eni: string },
  overrides: Partial<Task> = {},
): Task {
  const arn = taskArn(id);
  return {
    taskArn: arn,
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/hello-world-staging:3`,
    group: `service:${DEPLOYMENT}`,
    startedBy: 'ecs-svc/1234567890123456789',
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    cpu: '256',
    memory: '512',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'HEALTHY',
    connectivity: 'CONNECTED',
    availabilityZone: 'eu-west-1a',
    createdAt: new Date('2026-11-25T18:01:00.000Z'),
    startedAt: new Date('2026-11-25T18:01:40.000Z'),
    attachments: [
      {
        id: 'b9a8c7d6-e5f4-4321-9876-0fedcba98765',
        type: 'ElasticNetworkInterface',
        status: 'ATTACHED',
        details: [
          { name: 'subnetId', value: 'subnet-0123456789abcdef0' },
          { name: 'networkInterfaceId', value: eni },
          { name: 'macAddress', value: '0a:1b:2c:3d:4e:5f' },
          { name: 'privateDnsName', value: 'ip-10-0-1-23.eu-west-1.compute.internal' },
          { name: 'privateIPv4Address', value: '10.0.1.23' },
        ],
      },
    ],
    containers: [
      {
        containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/${DEPLOYMENT}/${id}/5f4e3d2c-1b0a-4f9e-8d7c-6b5a49382716`,
        taskArn: arn,
        name: 'hello-world',
        image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/hello-world-ecr-ecs-fargate:sha-1a2b3c4-ecr-ecs-fargate`,
        lastStatus: 'RUNNING',
        healthStatus: 'HEALTHY',
        networkInterfaces: [
          { attachmentId: 'b9a8c7d6-e5f4-4321-9876-0fedcba98765', privateIpv4Address: '10.0.1.23' },
        ],
      },
    ],
    ...overrides,
  };
}

/** A task's ENI as DescribeNetworkInterfaces returns it; no `ip` means no public IP (yet). */
export function taskNetworkInterface(eni: string, ip?: string): NetworkInterface {
  return {
    NetworkInterfaceId: eni,
    InterfaceType: 'interface',
    Status: 'in-use',
    AvailabilityZone: 'eu-west-1a',
    SubnetId: 'subnet-0123456789abcdef0',
    VpcId: 'vpc-0123456789abcdef0',
    OwnerId: ACCOUNT,
    RequesterId: '578734482556',
    RequesterManaged: true,
    Description: `arn:aws:ecs:${REGION}:${ACCOUNT}:attachment/b9a8c7d6-e5f4-4321-9876-0fedcba98765`,
    MacAddress: '0a:1b:2c:3d:4e:5f',
    PrivateIpAddress: '10.0.1.23',
    PrivateDnsName: 'ip-10-0-1-23.eu-west-1.compute.internal',
    Groups: [{ GroupId: 'sg-0123456789abcdef0', GroupName: `${DEPLOYMENT}-service` }],
    Attachment: {
      AttachmentId: 'ela-attach-0a1b2c3d4e5f67890',
      DeviceIndex: 1,
      Status: 'attached',
      InstanceOwnerId: 'amazon-aws',
    },
    ...(ip && {
      Association: {
        IpOwnerId: 'amazon',
        PublicIp: ip,
        PublicDnsName: `ec2-${ip.replaceAll('.', '-')}.eu-west-1.compute.amazonaws.com`,
      },
    }),
    PrivateIpAddresses: [
      {
        Primary: true,
        PrivateIpAddress: '10.0.1.23',
        ...(ip && { Association: { IpOwnerId: 'amazon', PublicIp: ip } }),
      },
    ],
  };
}

/** An A record set as ListResourceRecordSets returns it: the name ends with a dot. */
export function aRecordSet(values: readonly string[], ttl = 60, name = DOMAIN): ResourceRecordSet {
  return {
    Name: `${name}.`,
    Type: 'A',
    TTL: ttl,
    ResourceRecords: values.map((Value) => ({ Value })),
  };
}

/** The owner marker TXT record set as Route 53 stores it: the value in double quotes. */
export function ownerRecordSet(owner = DEPLOYMENT, name = DOMAIN): ResourceRecordSet {
  return {
    Name: `_ecs-owner.${name}.`,
    Type: 'TXT',
    TTL: 60,
    ResourceRecords: [{ Value: dnsOwnerRecordValue(owner) }],
  };
}

/** The records every hosted zone starts with. */
export function zoneApexRecordSets(zone = ZONE_NAME): ResourceRecordSet[] {
  return [
    {
      Name: `${zone}.`,
      Type: 'NS',
      TTL: 172800,
      ResourceRecords: [
        { Value: 'ns-1536.awsdns-00.co.uk.' },
        { Value: 'ns-0.awsdns-00.com.' },
        { Value: 'ns-1024.awsdns-00.org.' },
        { Value: 'ns-512.awsdns-00.net.' },
      ],
    },
    {
      Name: `${zone}.`,
      Type: 'SOA',
      TTL: 900,
      ResourceRecords: [
        {
          Value: 'ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400',
        },
      ],
    },
  ];
}

/** Route 53's listing order: names compared label by label from the right, then the type. */
function listingKey(set: ResourceRecordSet): string {
  const name = (set.Name ?? '').toLowerCase().replace(/\.$/, '');
  return `${name.split('.').reverse().join('\u0001')}\u0000${set.Type}`;
}

/**
 * ListResourceRecordSets over a zone holding `sets`, as Route 53 answers it: the zone in listing
 * order from StartRecordName/StartRecordType, at most MaxItems sets (default 300), and where to
 * continue when more follow. For `mocks.route53.on(ListResourceRecordSetsCommand).callsFake(...)`.
 */
export function listRecordSets(
  sets: readonly ResourceRecordSet[],
): (input: ListResourceRecordSetsCommandInput) => ListResourceRecordSetsResponse {
  const ordered = [...sets].sort((a, b) => (listingKey(a) < listingKey(b) ? -1 : 1));
  return (input) => {
    const start = input.StartRecordName
      ? listingKey({ Name: input.StartRecordName, Type: input.StartRecordType ?? ('' as never) })
      : '';
    const from = ordered.filter((set) => listingKey(set) >= start);
    const maxItems = input.MaxItems ?? 300;
    const page = from.slice(0, maxItems);
    const next = from[maxItems];
    return {
      ResourceRecordSets: page,
      IsTruncated: next !== undefined,
      MaxItems: maxItems,
      ...(next && { NextRecordName: next.Name, NextRecordType: next.Type }),
    };
  };
}

/**
 * ChangeResourceRecordSets over a zone holding `zone`, applied in place as Route 53 applies a
 * batch: all or nothing, CREATE refused when the set exists, DELETE refused unless it matches
 * exactly. Names are stored as Route 53 lists them (trailing dot). For
 * `mocks.route53.on(ChangeResourceRecordSetsCommand).callsFake(...)`, with the zone's listing
 * faked by `listRecordSets` over the same array (read at each call).
 */
export function changeRecordSets(
  zone: ResourceRecordSet[],
): (input: ChangeResourceRecordSetsCommandInput) => ChangeResourceRecordSetsResponse {
  const refuse = (message: string) =>
    new InvalidChangeBatch({ message: `[${message}]`, $metadata: { httpStatusCode: 400 } });
  return (input) => {
    const next = [...zone];
    for (const { Action, ResourceRecordSet: set } of input.ChangeBatch?.Changes ?? []) {
      if (!set) throw refuse('ResourceRecordSet is required');
      const name = `${(set.Name ?? '').toLowerCase().replace(/\.$/, '')}.`;
      const stored: ResourceRecordSet = { ...set, Name: name };
      const at = next.findIndex((s) => s.Name === name && s.Type === set.Type);
      if (Action === 'CREATE' && at >= 0) {
        throw refuse(
          `Tried to create resource record set [name='${name}', type='${set.Type}'] but it already exists`,
        );
      }
      if (Action === 'DELETE') {
        if (at < 0 || JSON.stringify(next[at]) !== JSON.stringify(stored)) {
          throw refuse(
            `Tried to delete resource record set [name='${name}', type='${set.Type}'] but the values provided do not match the current values`,
          );
        }
        next.splice(at, 1);
      } else if (at >= 0) {
        next[at] = stored;
      } else {
        next.push(stored);
      }
    }
    zone.splice(0, zone.length, ...next);
    return {
      ChangeInfo: {
        Id: '/change/C2682N5HXP0BZ4',
        Status: 'PENDING',
        SubmittedAt: new Date('2026-11-25T18:01:45.000Z'),
        Comment: input.ChangeBatch?.Comment,
      },
    };
  };
}
