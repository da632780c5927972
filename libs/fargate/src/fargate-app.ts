import {
  CONTAINER_HEALTHCHECK_COMMAND,
  CONTAINER_USER,
  LOG_RETENTION_DAYS,
  LOG_STREAM_PREFIX,
  STOP_TIMEOUT_SECONDS,
} from '@hello-world/shared';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ControlTowerMode, CpuArchitecture } from './config';
import { STRICT_LOG_RETENTION_DAYS } from './control-tower';
import { LogGroupKey } from './log-encryption';

export interface FargateAppProps {
  /** Pulls the image and writes logs; it must already allow both (imported roles get no grants). */
  readonly executionRole: iam.IRole;
  /** The application's own AWS identity. */
  readonly taskRole: iam.IRole;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly repository: ecr.IRepository;
  /** May be a CloudFormation parameter token. */
  readonly imageTag: string;
  /** Cluster and service name. */
  readonly name: string;
  readonly containerName: string;
  readonly logGroupName: string;
  readonly port: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly architecture: CpuArchitecture;
  readonly spot: boolean;
  /** `strict` adds a KMS key and a year of retention to the logs, and Container Insights. */
  readonly controlTower: ControlTowerMode;
  /**
   * How long the log group keeps events, in days.
   * @default 7, or 365 under controlTower strict
   */
  readonly logRetentionDays?: number;
}

/**
 * Container health check timing: first probe 5 s after start, so a healthy task counts as
 * healthy within ~10 s; three failed probes (15 s) after a 10 s grace mark it unhealthy.
 */
export const HEALTH_CHECK = {
  interval: Duration.seconds(5),
  timeout: Duration.seconds(3),
  retries: 3,
  startPeriod: Duration.seconds(10),
} as const;

/** Cluster, task definition, service and log group of the reference, with safer settings. */
export class FargateApp extends Construct {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;
  readonly logGroup: logs.LogGroup;
  /** The log group's customer managed key, under controlTower=strict only. */
  readonly logKey?: LogGroupKey;

  constructor(scope: Construct, id: string, props: FargateAppProps) {
    super(scope, id);
    // The AWS Control Tower controls the reference's defaults are exempted from (control-tower.ts).
    const strict = props.controlTower === 'strict';

    if (strict) {
      this.logKey = new LogGroupKey(this, 'LogGroupKey', { logGroupName: props.logGroupName });
    }
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      retention: (props.logRetentionDays ??
        (strict ? STRICT_LOG_RETENTION_DAYS : LOG_RETENTION_DAYS)) as logs.RetentionDays,
      encryptionKey: this.logKey?.key,
      // Application logs of a teardown are not worth keeping (and billing) for ever.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: props.name,
      vpc: props.vpc,
      enableFargateCapacityProviders: props.spot,
      containerInsightsV2: strict ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: props.containerName,
      executionRole: props.executionRole,
      taskRole: props.taskRole,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: {
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture:
          props.architecture === 'ARM64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
      },
    });

    // An init process reaps zombies and forwards signals, so node is never PID 1. The app binds an
    // unprivileged port as a non-root user and needs no Linux capability: all are dropped.
    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters', {
      initProcessEnabled: true,
    });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);

    // The execution role is imported immutably, so the pull and log grants CDK would add here
    // are dropped: the registry stack's TaskRoles grant exactly these two.
    this.taskDefinition.addContainer('App', {
      containerName: props.containerName,
      image: ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag),
      essential: true,
      // The task's whole memory as the container's hard limit: one container, and a limit the
      // task definition states (AWS Control Tower CT.ECS.PR.7) rather than leaves implied.
      memoryLimitMiB: props.memoryMiB,
      portMappings: [{ containerPort: props.port, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: LOG_STREAM_PREFIX }),
      // node runs the probe itself: the image carries no curl or wget.
      healthCheck: { command: ['CMD', ...CONTAINER_HEALTHCHECK_COMMAND], ...HEALTH_CHECK },
      // The service drains for its budget after SIGTERM; ECS waits a little longer before SIGKILL.
      stopTimeout: Duration.seconds(STOP_TIMEOUT_SECONDS),
      linuxParameters,
      readonlyRootFilesystem: true,
      user: CONTAINER_USER,
    });

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: props.name,
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.desiredCount,
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [props.securityGroup],
      // A task that never gets healthy rolls the deployment back instead of retrying for hours.
      circuitBreaker: { enable: true, rollback: true },
      // Start the new task before stopping the old one: no gap in service during a rollout.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      capacityProviderStrategies: props.spot
        ? [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]
        : undefined,
    });
  }
}
