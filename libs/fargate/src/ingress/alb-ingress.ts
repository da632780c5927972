import {
  ALB_IDLE_TIMEOUT_SECONDS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  HEALTH_PATH,
  HTTP_PORT,
  HTTPS_PORT,
  INGRESS_OUTPUTS,
  STOP_TIMEOUT_SECONDS,
} from '@hello-world/shared';
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { DnsRecordSettings } from '../config';
import { acknowledgedId } from '../control-tower';

export interface AlbIngressProps {
  /** The VPC with its two public subnets (Network with `loadBalancer`), one per AZ. */
  readonly vpc: ec2.IVpc;
  /** The service the target group sends requests to; its port is `port`. */
  readonly service: ecs.FargateService;
  /** The service's security group: it gains the service port from the load balancer's. */
  readonly serviceSecurityGroup: ec2.ISecurityGroup;
  /** The container port the target group forwards to (plain HTTP inside the VPC). */
  readonly port: number;
  /** CIDR allowed to reach the load balancer on 80 and 443; may be a CloudFormation parameter token. */
  readonly allowedCidr: string;
  /** The name the certificate is for and the alias record is at, in its hosted zone. */
  readonly record: DnsRecordSettings;
  /**
   * Seconds the load balancer keeps an idle connection (client side and to the targets).
   * The app's keep-alive timeout must outlast it (KEEP_ALIVE_TIMEOUT_MS: ALB_KEEP_ALIVE_TIMEOUT_MS in libs/shared).
   * @default 60 (ALB_IDLE_TIMEOUT_SECONDS)
   */
  readonly idleTimeoutSeconds?: number;
}

/**
 * How long a deregistered target keeps its in-flight requests: when ECS stops a task (scale-in,
 * deploy), it first deregisters it and waits this long before SIGTERM, while the balancer sends
 * it nothing new. A request the balancer sent just before deregistration gets the app's own
 * drain budget (DEFAULT_DRAIN_TIMEOUT_MS) to finish, and the balancer's nodes take a few seconds
 * to stop routing to a draining target: the budget rounded up plus 5 s, which is
 * STOP_TIMEOUT_SECONDS (ECS's SIGTERM-to-SIGKILL wait, sized the same way), at most.
 * A longer delay would only slow every deploy and scale-in; by SIGTERM the task has no request
 * left from the balancer, and the app's drain closes its idle keep-alive connections.
 */
export const ALB_DEREGISTRATION_DELAY_SECONDS = Math.min(
  Math.ceil(DEFAULT_DRAIN_TIMEOUT_MS / 1000) + 5,
  STOP_TIMEOUT_SECONDS,
);

/**
 * The target group's health check: the app's /health every 5 s (ELB's minimum), healthy after
 * 2 passes, so a new task takes traffic ~10 s after it starts listening and a deploy is quick;
 * unhealthy after 3 failures (15 s), one slow answer does not evict a task.
 */
export const ALB_HEALTH_CHECK = {
  path: HEALTH_PATH,
  interval: Duration.seconds(5),
  timeout: Duration.seconds(3),
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 3,
  healthyHttpCodes: '200',
} as const;

/** TLS 1.3 and 1.2 (AWS's recommended TLS 1.3 policy): TLS 1.3-only would turn away older clients. */
export const ALB_SSL_POLICY = elbv2.SslPolicy.RECOMMENDED_TLS;

/** The AwsSolutions findings the load balancer's design accepts, each with its reason. */
export const ALB_NAG_FINDINGS = {
  ELB2:
    'No access logs: ELB writes them only to an S3 bucket, which this product does not create ' +
    '(it creates no bucket at all, and destroy would have to empty one); the service logs every ' +
    'request it answers to its CloudWatch log group.',
  EC23:
    'Inbound is TCP 80 (redirected to HTTPS) and 443 only, from the AllowedIP parameter ' +
    "(AllowedPattern-checked IPv4 CIDR); its 0.0.0.0/0 default keeps the service public, as the reference's is, " +
    'and operators narrow it per deploy.',
} as const;

/** The Control Tower controls the load balancer's design breaks, by rule, with the reason. */
export const ALB_CONTROL_TOWER_EXEMPTIONS = {
  deletionProtection: {
    control: 'CT.ELASTICLOADBALANCING.PR.5',
    rule: 'elbv2_deletion_protection_enabled_check',
    reason:
      'Deletion protection is off so infra:destroy (and a mode switch away from alb) can delete ' +
      'the load balancer with its stack; nothing else deletes it.',
  },
  accessLogs: {
    control: 'CT.ELASTICLOADBALANCING.PR.6',
    rule: 'elbv2_logging_enabled_check',
    reason: ALB_NAG_FINDINGS.ELB2,
  },
} as const;

/**
 * ingress alb: an internet-facing Application Load Balancer in both public subnets with its own
 * security group (80 and 443 from AllowedIP; out only to the service port of the service's
 * group), an ACM certificate for the domain validated by DNS in the hosted zone (CloudFormation
 * writes the validation record), HTTP redirected to HTTPS, HTTPS to a target group of the
 * service's tasks (by IP), and an alias A record at the domain. The zone is named by id and name:
 * synth makes no lookup.
 */
export class AlbIngress extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly certificate: acm.Certificate;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly httpsListener: elbv2.ApplicationListener;
  readonly httpListener: elbv2.ApplicationListener;
  readonly record: route53.ARecord;

  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    super(scope, id);
    const { record, port } = props;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `HTTP and HTTPS from AllowedIP; out to the service port ${port} only`,
      allowAllOutbound: false,
    });
    for (const [listenerPort, why] of [
      [HTTP_PORT, 'HTTP from AllowedIP (redirected to HTTPS)'],
      [HTTPS_PORT, 'HTTPS from AllowedIP'],
    ] as const) {
      this.securityGroup.addIngressRule(
        ec2.Peer.ipv4(props.allowedCidr),
        ec2.Port.tcp(listenerPort),
        why,
      );
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
      idleTimeout: Duration.seconds(props.idleTimeoutSeconds ?? ALB_IDLE_TIMEOUT_SECONDS),
      // Requests with header names that are not valid HTTP are dropped, not passed to the app.
      dropInvalidHeaderFields: true,
      // infra:destroy deletes the stack, load balancer included.
      deletionProtection: false,
    });

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: record.hostedZoneId,
      zoneName: record.hostedZoneName,
    });
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: record.domainName,
      validation: acm.CertificateValidation.fromDns(zone),
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      healthCheck: { ...ALB_HEALTH_CHECK, port: String(port) },
      deregistrationDelay: Duration.seconds(ALB_DEREGISTRATION_DELAY_SECONDS),
    });

    // open: false everywhere: CDK would otherwise admit 0.0.0.0/0 on each listener's port.
    this.httpListener = this.loadBalancer.addListener('Http', {
      port: HTTP_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({
        protocol: elbv2.ApplicationProtocol.HTTPS,
        port: String(HTTPS_PORT),
        permanent: true,
      }),
    });
    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: HTTPS_PORT,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [this.certificate],
      sslPolicy: ALB_SSL_POLICY,
      open: false,
      defaultTargetGroups: [this.targetGroup],
    });

    // The only way into a task: the service port from this group (an egress rule here, an
    // ingress rule on the service's group). Before addTarget, which would add the same rule
    // with CDK's generic description.
    this.securityGroup.connections.allowTo(
      props.serviceSecurityGroup,
      ec2.Port.tcp(port),
      'Service port from the load balancer only',
    );
    // The service's container and port, its tasks registered by IP as ECS starts them.
    this.targetGroup.addTarget(props.service);

    this.record = new route53.ARecord(this, 'AliasRecord', {
      zone,
      recordName: record.domainName,
      target: route53.RecordTarget.fromAlias(
        new route53Targets.LoadBalancerTarget(this.loadBalancer),
      ),
      comment: 'The service, through its load balancer',
    });

    const outputs: [string, string, string][] = [
      [INGRESS_OUTPUTS.ingressMode, 'alb', 'How traffic reaches the tasks'],
      [INGRESS_OUTPUTS.domainName, record.domainName, 'The name the service answers at (HTTPS)'],
      [INGRESS_OUTPUTS.hostedZoneId, record.hostedZoneId, 'Route 53 hosted zone of the name'],
      [INGRESS_OUTPUTS.hostedZoneName, record.hostedZoneName, 'Name of that hosted zone'],
      [
        INGRESS_OUTPUTS.loadBalancerDnsName,
        this.loadBalancer.loadBalancerDnsName,
        "The load balancer's own DNS name",
      ],
      [INGRESS_OUTPUTS.loadBalancerArn, this.loadBalancer.loadBalancerArn, 'Load balancer ARN'],
      [
        INGRESS_OUTPUTS.targetGroupArn,
        this.targetGroup.targetGroupArn,
        "The service's target group ARN",
      ],
    ];
    for (const [key, value, description] of outputs) {
      // Ops read outputs by key: the logical ID is the key, wherever the construct sits.
      new CfnOutput(this, key, { value, description }).overrideLogicalId(key);
    }

    this.acknowledgeFindings();
  }

  private acknowledgeFindings(): void {
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions::AwsSolutions-ELB2',
      reason: ALB_NAG_FINDINGS.ELB2,
    });
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC23',
      reason: ALB_NAG_FINDINGS.EC23,
    });
    for (const exemption of Object.values(ALB_CONTROL_TOWER_EXEMPTIONS)) {
      Validations.of(this.loadBalancer).acknowledge({
        id: acknowledgedId(exemption),
        reason: `${exemption.control}: ${exemption.reason}`,
      });
    }
  }
}
