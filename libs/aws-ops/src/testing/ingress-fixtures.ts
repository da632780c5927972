// Realistic payloads of the dns and alb modes: stack outputs, Route 53 record sets as
// ListResourceRecordSets returns them (trailing dots, quoted TXT), target health and scalable
// targets as the API reference shows them.
import type { ScalableTarget } from '@aws-sdk/client-application-auto-scaling';
import type { Stack } from '@aws-sdk/client-cloudformation';
import type {
  TargetHealthDescription,
  TargetHealthReasonEnum,
  TargetHealthStateEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  ListResourceRecordSetsCommandInput,
  ListResourceRecordSetsResponse,
  ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { dnsOwnerRecordName, dnsOwnerRecordValue, normalizeDomainName } from '@hello-world/shared';
import { ACCOUNT, NAME, REGION, stack } from './fixtures';

export const HOSTED_ZONE_ID = 'Z0123456789ABCDEFGHIJ';
export const ZONE_NAME = 'example.com';
export const DOMAIN = 'api.example.com';
/** The default environment's deployment name: the owner its TXT carries. */
export const OWNER = NAME;
export const LB_DNS_NAME = 'hello-Alb-1A2B3C4D5E6F-1234567890.eu-west-1.elb.amazonaws.com';
export const LB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/hello-Alb-1A2B3C4D5E6F/50dc6c495c0c9188`;
export const TARGET_GROUP_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/hello-Targe-ABCDEF123456/73e2d6bc24d8a067`;
/** Route 53's hosted zone of eu-west-1's application load balancers (alias targets). */
export const ELB_ZONE_ID = 'Z32O12XQLNTSW2';

/** A dns-mode service stack: the public-ip stack's outputs plus the ingress ones. */
export function dnsStack(overrides: Partial<Stack> = {}): Stack {
  const base = stack();
  return {
    ...base,
    Outputs: [
      ...(base.Outputs ?? []),
      { OutputKey: 'IngressMode', OutputValue: 'dns' },
      { OutputKey: 'DomainName', OutputValue: DOMAIN },
      { OutputKey: 'HostedZoneId', OutputValue: HOSTED_ZONE_ID },
    ],
    ...overrides,
  };
}

export function albStack(overrides: Partial<Stack> = {}): Stack {
  const base = stack();
  return {
    ...base,
    Outputs: [
      ...(base.Outputs ?? []),
      { OutputKey: 'IngressMode', OutputValue: 'alb' },
      { OutputKey: 'DomainName', OutputValue: DOMAIN },
      { OutputKey: 'HostedZoneId', OutputValue: HOSTED_ZONE_ID },
      { OutputKey: 'LoadBalancerDnsName', OutputValue: LB_DNS_NAME },
      { OutputKey: 'LoadBalancerArn', OutputValue: LB_ARN },
      { OutputKey: 'TargetGroupArn', OutputValue: TARGET_GROUP_ARN },
    ],
    ...overrides,
  };
}

/** The zone's own records, which every hosted zone has. */
export function zoneApexRecords(zone = ZONE_NAME): ResourceRecordSet[] {
  return [
    {
      Name: `${zone}.`,
      Type: 'NS',
      TTL: 172800,
      ResourceRecords: [
        { Value: 'ns-2048.awsdns-64.com.' },
        { Value: 'ns-2049.awsdns-65.net.' },
        { Value: 'ns-2050.awsdns-66.org.' },
        { Value: 'ns-2051.awsdns-67.co.uk.' },
      ],
    },
    {
      Name: `${zone}.`,
      Type: 'SOA',
      TTL: 900,
      ResourceRecords: [
        { Value: 'ns-2048.awsdns-64.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' },
      ],
    },
  ];
}

export function aRecord(ips: string[], name = DOMAIN, ttl = 60): ResourceRecordSet {
  return {
    Name: `${name}.`,
    Type: 'A',
    TTL: ttl,
    ResourceRecords: ips.map((Value) => ({ Value })),
  };
}

/** The owner marker as Route 53 stores it: at `_ecs-owner.<domain>.`, the value in quotes. */
export function ownerRecord(owner = OWNER, domain = DOMAIN): ResourceRecordSet {
  return {
    Name: `${dnsOwnerRecordName(domain)}.`,
    Type: 'TXT',
    TTL: 60,
    ResourceRecords: [{ Value: dnsOwnerRecordValue(owner) }],
  };
}

/** The alb stack's alias record as Route 53 answers it (dualstack., lowercase, trailing dot). */
export function aliasRecord(lbDnsName = LB_DNS_NAME, name = DOMAIN): ResourceRecordSet {
  return {
    Name: `${name}.`,
    Type: 'A',
    AliasTarget: {
      HostedZoneId: ELB_ZONE_ID,
      DNSName: `dualstack.${lbDnsName.toLowerCase()}.`,
      EvaluateTargetHealth: false,
    },
  };
}

/** Route 53's order: names compared label by label from the right, then the type. */
function compareRecords(a: { name: string; type: string }, b: { name: string; type: string }) {
  const labels = (name: string) => normalizeDomainName(name).split('.').reverse();
  const [x, y] = [labels(a.name), labels(b.name)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  if (x.length !== y.length) return x.length - y.length;
  return a.type === b.type ? 0 : a.type < b.type ? -1 : 1;
}

/**
 * A hosted zone answering ListResourceRecordSets as Route 53 does: its records in Route 53's
 * order from (StartRecordName, StartRecordType) on, MaxItems of them (default 300), the next
 * record's name and type when truncated. For `mocks.route53.on(...).callsFake(...)`.
 */
export function hostedZone(records: ResourceRecordSet[]) {
  const all = [...zoneApexRecords(), ...records].sort((a, b) =>
    compareRecords(
      { name: a.Name ?? '', type: a.Type ?? '' },
      { name: b.Name ?? '', type: b.Type ?? '' },
    ),
  );
  return (input: ListResourceRecordSetsCommandInput): ListResourceRecordSetsResponse => {
    const from = { name: input.StartRecordName ?? '', type: input.StartRecordType ?? '' };
    const start = input.StartRecordName
      ? all.findIndex((r) => compareRecords({ name: r.Name ?? '', type: r.Type ?? '' }, from) >= 0)
      : 0;
    const max = input.MaxItems ?? 300;
    const page = start === -1 ? [] : all.slice(start, start + max);
    const next = start === -1 ? undefined : all[start + max];
    return {
      ResourceRecordSets: page,
      IsTruncated: next !== undefined,
      MaxItems: max,
      ...(next ? { NextRecordName: next.Name, NextRecordType: next.Type } : {}),
    };
  };
}

/** A target of the alb's group: a task's private IP on the service port. */
export function targetHealth(
  ip: string,
  state: TargetHealthStateEnum,
  reason?: TargetHealthReasonEnum,
  description?: string,
): TargetHealthDescription {
  return {
    Target: { Id: ip, Port: 49000, AvailabilityZone: 'eu-west-1a' },
    HealthCheckPort: '49000',
    TargetHealth: {
      State: state,
      ...(reason ? { Reason: reason } : {}),
      ...(description ? { Description: description } : {}),
    },
  };
}

/** The alb service's scalable target as DescribeScalableTargets returns it. */
export function scalableTarget(minTasks = 1, maxTasks = 4): ScalableTarget {
  return {
    ServiceNamespace: 'ecs',
    ResourceId: `service/${NAME}/${NAME}`,
    ScalableDimension: 'ecs:service:DesiredCount',
    MinCapacity: minTasks,
    MaxCapacity: maxTasks,
    RoleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
    CreationTime: new Date('2026-11-25T18:00:00Z'),
    SuspendedState: {
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false,
    },
    ScalableTargetARN: `arn:aws:application-autoscaling:${REGION}:${ACCOUNT}:scalable-target/0ec5a1b2c3d4e5f60718293a4b5c6d7e`,
  };
}
