import { Duration } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { ScalingSettings } from '../config';

export interface ServiceAutoscalingProps {
  /** The service whose task count follows load (it must have no DesiredCount of its own). */
  readonly service: ecs.FargateService;
  /** The load balancer's target group of the service, for requests per target. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly scaling: ScalingSettings;
}

/**
 * Cooldowns of both policies. Out fast: a minute after a scale-out, the next may follow, since
 * a new task is taking traffic within a minute of starting. In slow: five minutes between
 * scale-ins, so a dip between bursts does not stop tasks that are needed again a minute later
 * (each scale-in drains a task for the deregistration delay and loses no request, but starting
 * it again costs a deploy's worth of time).
 */
export const SCALING_COOLDOWNS = {
  scaleOutCooldown: Duration.minutes(1),
  scaleInCooldown: Duration.minutes(5),
} as const;

/**
 * The service's task count between `minTasks` and `maxTasks`, by target tracking on the tasks'
 * average CPU and on the load balancer's requests per target (per minute): whichever asks for
 * more tasks wins, and a scale-in happens only when both allow it. Application Auto Scaling acts
 * through its ECS service-linked role (AWSServiceRoleForApplicationAutoScaling_ECSService), which
 * CDK references by ARN: this stack creates no IAM role.
 */
export class ServiceAutoscaling extends Construct {
  readonly taskCount: ecs.ScalableTaskCount;

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    const { scaling } = props;
    this.taskCount = props.service.autoScaleTaskCount({
      minCapacity: scaling.minTasks,
      maxCapacity: scaling.maxTasks,
    });
    this.taskCount.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: scaling.cpuPercent,
      ...SCALING_COOLDOWNS,
    });
    this.taskCount.scaleOnRequestCount('Requests', {
      requestsPerTarget: scaling.requestsPerTarget,
      targetGroup: props.targetGroup,
      ...SCALING_COOLDOWNS,
    });
  }
}
