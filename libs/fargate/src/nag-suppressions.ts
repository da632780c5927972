import { Validations } from 'aws-cdk-lib';
import type { ControlTowerMode } from './config';
import type { ServiceStack } from './service-stack';

/** Rule IDs as the cdk-nag AwsSolutions pack reports them. */
const rule = (id: string) => `AwsSolutions::AwsSolutions-${id}`;

/**
 * Every AwsSolutions finding this design accepts, each with the reason it is right here.
 * Anything not listed fails synth.
 */
export function acknowledgeNagFindings(
  service: ServiceStack,
  controlTower: ControlTowerMode,
  containerInsights = false,
): void {
  const { network, app } = service;

  // ingress alb: the load balancer's own findings are acknowledged by AlbIngress.
  Validations.of(network.vpc).acknowledge({
    id: rule('VPC7'),
    reason: service.alb
      ? "No VPC flow logs: the VPC's only inbound path is the load balancer's AllowedIP security " +
        "group rules (the tasks admit the load balancer's group only), and flow logs would add " +
        'CloudWatch ingestion cost the reference does not have.'
      : 'No VPC flow logs: the VPC holds one public task whose only inbound path is the AllowedIP ' +
        'security group rule, and flow logs would add CloudWatch ingestion cost the reference does not have.',
  });

  // Behind a load balancer the service's group admits the balancer's group only: nothing to
  // acknowledge (AllowedIP is at the balancer, AlbIngress acknowledges it there).
  if (!service.alb) {
    Validations.of(network.securityGroup).acknowledge({
      id: rule('EC23'),
      reason:
        'Inbound is TCP on the service port only, from the AllowedIP parameter (AllowedPattern-checked ' +
        "IPv4 CIDR); its 0.0.0.0/0 default keeps the reference's public hello-world endpoint, and " +
        'operators narrow it per deploy.',
    });
  }

  // containerInsights or controlTower=strict turn Container Insights on, and ECS4 then has nothing
  // to report: the acknowledgement (whose reason says it is off) is made only while it is off.
  if (controlTower !== 'strict' && !containerInsights) {
    Validations.of(app.cluster).acknowledge({
      id: rule('ECS4'),
      reason: service.alb
        ? 'Container Insights is off: it bills custom metrics per task, and this service already ' +
          'ships its logs to the awslogs group, reports health through the container and target ' +
          "group health checks, and scales on ECS's free CPU metric and the load balancer's request count."
        : 'Container Insights is off: it bills custom metrics per task, and this single-task service ' +
          'already ships its logs to the awslogs group and reports health through the container health check.',
    });
  }
}
