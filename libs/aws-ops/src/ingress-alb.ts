import {
  ApplicationAutoScalingClient,
  paginateDescribeScalableTargets,
} from '@aws-sdk/client-application-auto-scaling';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { normalizeDomainName } from '@hello-world/shared';
import { findRecordSet } from './ingress-records';
import { ServiceRef } from './tasks';

/** One target of the load balancer's target group (a task's private IP and port). */
export interface TargetHealthState {
  id: string;
  port?: number;
  availabilityZone?: string;
  /** initial, healthy, unhealthy, unused, draining, unavailable, unhealthy.draining. */
  state: string;
  /** Why it is not healthy, as ELB codes it: Target.FailedHealthChecks, Target.Timeout, ... */
  reason?: string;
  description?: string;
}

/** DescribeTargetHealth of the target group, as plain data (the API answers in one page). */
export async function readTargetHealth(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
): Promise<TargetHealthState[]> {
  const { TargetHealthDescriptions } = await elbv2.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
  );
  return (TargetHealthDescriptions ?? []).map((d) => ({
    id: d.Target?.Id ?? '?',
    ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
    ...(d.Target?.AvailabilityZone ? { availabilityZone: d.Target.AvailabilityZone } : {}),
    state: d.TargetHealth?.State ?? 'unknown',
    ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
    ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {}),
  }));
}

/** Targets that cannot take requests and are not on their way in or out. */
export function isTargetUnhealthy(target: Pick<TargetHealthState, 'state'>): boolean {
  return target.state === 'unhealthy' || target.state === 'unavailable';
}

/** The bounds autoscaling keeps the service's task count within. */
export interface ScalingBounds {
  minTasks: number;
  maxTasks: number;
  /** Scaling in, out or scheduled is suspended (someone paused it by hand). */
  suspended: boolean;
}

/** Application Auto Scaling's resource id of an ECS service. */
export function scalableResourceId(ref: ServiceRef): string {
  return `service/${ref.cluster}/${ref.service}`;
}

/** The service's scalable target; undefined when nothing scales it. */
export async function readScalingBounds(
  autoScaling: ApplicationAutoScalingClient,
  ref: ServiceRef,
): Promise<ScalingBounds | undefined> {
  const pages = paginateDescribeScalableTargets(
    { client: autoScaling },
    {
      ServiceNamespace: 'ecs',
      ResourceIds: [scalableResourceId(ref)],
      ScalableDimension: 'ecs:service:DesiredCount',
    },
  );
  for await (const page of pages) {
    const target = page.ScalableTargets?.[0];
    if (target) {
      const s = target.SuspendedState;
      return {
        minTasks: target.MinCapacity ?? 0,
        maxTasks: target.MaxCapacity ?? 0,
        suspended: Boolean(
          s?.DynamicScalingInSuspended ||
          s?.DynamicScalingOutSuspended ||
          s?.ScheduledScalingSuspended,
        ),
      };
    }
  }
  return undefined;
}

/** Where the domain's A record sends users, against the load balancer. */
export type AliasCheck =
  | { state: 'points-here' }
  | { state: 'missing' }
  /** An alias to another target, or a plain A record: users do not reach this load balancer. */
  | { state: 'elsewhere'; target: string };

/**
 * An alias's DNS name as Route 53 stores it for a load balancer (`dualstack.` prefixed,
 * lowercase, trailing dot) compared to the load balancer's own DNSName.
 */
function sameLoadBalancer(aliasDnsName: string, loadBalancerDnsName: string): boolean {
  const plain = (name: string) => normalizeDomainName(name).replace(/^dualstack\./, '');
  return plain(aliasDnsName) === plain(loadBalancerDnsName);
}

/** The domain's A record in the zone: an alias to this load balancer, or what it is instead. */
export async function checkAliasRecord(
  route53: Route53Client,
  target: { hostedZoneId: string; domainName: string; loadBalancerDnsName: string },
): Promise<AliasCheck> {
  const record = await findRecordSet(route53, target.hostedZoneId, target.domainName, 'A');
  if (!record) return { state: 'missing' };
  const alias = record.AliasTarget?.DNSName;
  if (alias && sameLoadBalancer(alias, target.loadBalancerDnsName)) return { state: 'points-here' };
  const values = (record.ResourceRecords ?? []).map((r) => r.Value ?? '').join(', ');
  return { state: 'elsewhere', target: alias ? `alias ${alias}` : `A ${values}` };
}
