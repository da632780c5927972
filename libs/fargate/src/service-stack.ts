import {
  ALB_KEEP_ALIVE_TIMEOUT_MS,
  ALERT_EMAIL_PATTERN,
  IMAGE_TAG_PATTERN,
  IPV4_CIDR_PATTERN,
  STACK_OUTPUTS,
  STACK_PARAMETERS,
  monitoringNames,
  type DeploymentNames,
} from '@hello-world/shared';
import { CfnOutput, CfnParameter, LegacyStackSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IngressSettings } from './config';
import { FargateApp, type FargateAppProps } from './fargate-app';
import { AlbIngress } from './ingress/alb-ingress';
import { ServiceAutoscaling } from './ingress/autoscaling';
import { DnsIngress } from './ingress/dns-ingress';
import { ServiceMonitoring } from './monitoring/service-monitoring';
import { Network } from './network';
import type { TaskRoleNames } from './task-roles';

/** The app's settings, passed through to FargateApp unchanged. */
type AppSettings = Pick<
  FargateAppProps,
  | 'name'
  | 'containerName'
  | 'logGroupName'
  | 'port'
  | 'cpu'
  | 'memoryMiB'
  | 'desiredCount'
  | 'architecture'
  | 'spot'
  | 'controlTower'
  | 'logRetentionDays'
  | 'variables'
  | 'secrets'
  | 'exec'
>;

export interface ServiceStackProps extends StackProps, AppSettings {
  /** The registry stack's repository, referenced by name so neither stack exports to the other. */
  readonly repositoryName: string;
  /**
   * The registry stack's task roles, imported by name and immutably: this stack passes them to
   * ECS and never creates or changes a role, so deploying it needs no IAM write.
   */
  readonly taskRoleNames: TaskRoleNames;
  readonly vpcCidr: string;
  readonly publicSubnetCidr: string;
  /** ingress alb: the second public subnet's CIDR (the load balancer's second AZ). */
  readonly secondPublicSubnetCidr: string;
  /**
   * How traffic reaches the tasks: public-ip (the reference's template, unchanged), dns (a
   * record that follows the tasks) or alb (load balancer, HTTPS, autoscaling).
   */
  readonly ingress: IngressSettings;
  /**
   * ingress dns: the record updater's names (its role is the roles stack's, or the registry's).
   * @default none; required with ingress dns
   */
  readonly dnsUpdaterNames?: DeploymentNames['dnsUpdater'];
  /** Default of the ImageTag parameter. */
  readonly defaultImageTag: string;
  /** Default of the AllowedIP parameter. */
  readonly defaultAllowedIp: string;
  /** Default of the AlertEmail parameter: who the alarms email, '' for no one. */
  readonly defaultAlertEmail: string;
  /**
   * Whether the cluster has Container Insights on (controlTower=strict always has): the
   * tasks-below-desired alarm then compares desired and running counts.
   */
  readonly containerInsights: boolean;
}

/**
 * The reference's main stack: network, cluster, task definition, service, log group, outputs;
 * and the environment's alarms, their topic and dashboard.
 */
export class ServiceStack extends Stack {
  readonly network: Network;
  readonly app: FargateApp;
  readonly monitoring: ServiceMonitoring;
  /** ingress dns only. */
  readonly dns?: DnsIngress;
  /** ingress alb only. */
  readonly alb?: AlbIngress;
  readonly autoscaling?: ServiceAutoscaling;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, {
      // No assets: the template deploys inline, so no `cdk bootstrap` is needed.
      synthesizer: new LegacyStackSynthesizer(),
      analyticsReporting: false,
      ...props,
    });

    const imageTag = new CfnParameter(this, STACK_PARAMETERS.imageTag, {
      type: 'String',
      default: props.defaultImageTag,
      description: 'Image tag in the ECR repository to run',
      allowedPattern: IMAGE_TAG_PATTERN,
      constraintDescription:
        'must be an image tag: 1-128 of A-Z a-z 0-9 _ . - not starting with . or - (e.g. sha-1a2b3c4-ecr-ecs-fargate)',
    });
    const allowedIp = new CfnParameter(this, STACK_PARAMETERS.allowedIp, {
      type: 'String',
      default: props.defaultAllowedIp,
      description: 'IPv4 CIDR allowed to reach the service port',
      allowedPattern: IPV4_CIDR_PATTERN,
      constraintDescription: 'must be an IPv4 CIDR such as 203.0.113.7/32, or 0.0.0.0/0 for anyone',
    });
    const alertEmail = new CfnParameter(this, STACK_PARAMETERS.alertEmail, {
      type: 'String',
      default: props.defaultAlertEmail,
      description: "Email address the environment's alarms notify (empty: no one)",
      allowedPattern: ALERT_EMAIL_PATTERN,
      constraintDescription:
        'must be an email address such as ops@example.com, or empty for no alarm emails',
    });

    const { ingress } = props;
    const alb = ingress.mode === 'alb' ? ingress : undefined;
    this.network = new Network(this, 'Network', {
      vpcCidr: props.vpcCidr,
      publicSubnetCidr: props.publicSubnetCidr,
      port: props.port,
      allowedCidr: allowedIp.valueAsString,
      ...(alb ? { loadBalancer: { secondPublicSubnetCidr: props.secondPublicSubnetCidr } } : {}),
    });

    const repository = ecr.Repository.fromRepositoryName(this, 'Repository', props.repositoryName);
    const importRole = (id: string, name: string) =>
      iam.Role.fromRoleName(this, id, name, { mutable: false });
    this.app = new FargateApp(this, 'App', {
      executionRole: importRole('ExecutionRole', props.taskRoleNames.execution),
      taskRole: importRole('TaskRole', props.taskRoleNames.task),
      vpc: this.network.vpc,
      securityGroup: this.network.securityGroup,
      repository,
      imageTag: imageTag.valueAsString,
      name: props.name,
      containerName: props.containerName,
      logGroupName: props.logGroupName,
      port: props.port,
      cpu: props.cpu,
      memoryMiB: props.memoryMiB,
      desiredCount: props.desiredCount,
      architecture: props.architecture,
      spot: props.spot,
      controlTower: props.controlTower,
      logRetentionDays: props.logRetentionDays,
      variables: props.variables,
      secrets: props.secrets,
      exec: props.exec,
      containerInsights: props.containerInsights,
      ...(alb ? { loadBalancer: { keepAliveTimeoutMs: ALB_KEEP_ALIVE_TIMEOUT_MS } } : {}),
    });

    if (ingress.mode === 'dns') {
      if (!props.dnsUpdaterNames) {
        throw new Error(`${id}: ingress dns needs the record updater's names (dnsUpdaterNames)`);
      }
      this.dns = new DnsIngress(this, 'Dns', {
        names: props.dnsUpdaterNames,
        record: {
          hostedZoneId: ingress.hostedZoneId,
          hostedZoneName: ingress.hostedZoneName,
          domainName: ingress.domainName,
        },
        owner: props.name,
        cluster: this.app.cluster,
        service: this.app.service,
        logRetentionDays: this.app.logRetentionDays,
        logKey: this.app.logKey?.key,
      });
    }
    if (alb) {
      this.alb = new AlbIngress(this, 'Alb', {
        vpc: this.network.vpc,
        service: this.app.service,
        serviceSecurityGroup: this.network.securityGroup,
        port: props.port,
        allowedCidr: allowedIp.valueAsString,
        record: alb,
      });
      this.autoscaling = new ServiceAutoscaling(this, 'Autoscaling', {
        service: this.app.service,
        targetGroup: this.alb.targetGroup,
        scaling: alb.scaling,
      });
    }

    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      // The same names deploymentNames(service, environment).monitoring gives ops and status.
      names: monitoringNames(props.name),
      cluster: this.app.cluster,
      serviceName: props.name,
      service: this.app.service,
      logGroup: this.app.logGroup,
      // Behind a load balancer autoscaling keeps at least minTasks running.
      desiredCount: alb ? alb.scaling.minTasks : props.desiredCount,
      containerInsights: props.containerInsights || props.controlTower === 'strict',
      alertEmail: alertEmail.valueAsString,
      encryptTopics: props.controlTower === 'strict',
    });

    const outputs: Record<keyof typeof STACK_OUTPUTS, { value: string; description: string }> = {
      repositoryUri: {
        value: repository.repositoryUri,
        description: 'ECR repository URI for pushing images',
      },
      clusterName: { value: this.app.cluster.clusterName, description: 'ECS cluster name' },
      serviceName: { value: this.app.service.serviceName, description: 'ECS service name' },
      vpcId: { value: this.network.vpc.vpcId, description: 'VPC ID' },
      subnetId: {
        value: this.network.vpc.publicSubnets[0].subnetId,
        description: 'Public subnet ID',
      },
      securityGroupId: {
        value: this.network.securityGroup.securityGroupId,
        description: 'Security group ID',
      },
    };
    for (const [key, output] of Object.entries(outputs)) {
      new CfnOutput(this, STACK_OUTPUTS[key as keyof typeof STACK_OUTPUTS], output);
    }
  }
}
