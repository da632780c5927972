import {
  CONTAINER_HEALTHCHECK_COMMAND,
  CONTAINER_USER,
  LOG_RETENTION_DAYS,
  LOG_STREAM_PREFIX,
  STOP_TIMEOUT_SECONDS,
} from '@hello-world/shared';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { ControlTowerMode, CpuArchitecture, SecretRef } from './config';
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
  /**
   * Plain environment variables of the container.
   * @default none: the task definition has no Environment
   */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * Secrets ECS injects as environment variables at each task start, from SSM Parameter Store or
   * Secrets Manager. The execution role must already allow reading exactly these (TaskRoles).
   * @default none: the task definition has no Secrets
   */
  readonly secrets?: readonly SecretRef[];
  /**
   * ECS Exec: the service's enableExecuteCommand, the cluster's session logging to the service's
   * log group, and writable volumes for the agent (the root filesystem stays read-only). The
   * task role must already allow the agent's channels and logging (TaskRoles).
   * @default false
   */
  readonly exec?: boolean;
  /**
   * Container Insights on the cluster.
   * @default false, but always on under controlTower strict
   */
  readonly containerInsights?: boolean;
  /**
   * ingress alb: the service sits behind a load balancer's target group (AlbIngress attaches
   * it). It then has no DesiredCount (autoscaling owns the count, and a deploy must not reset
   * it), ECS ignores the balancer's health checks for HEALTH_CHECK_GRACE_PERIOD after a task
   * starts, and the container's keep-alive timeout outlasts the balancer's idle timeout.
   * @default undefined: the reference's service, reached at its tasks' public IPs
   */
  readonly loadBalancer?: { readonly keepAliveTimeoutMs: number };
}

/**
 * Where ECS Exec's agent (the SSM agent Fargate runs inside the container) writes: its binaries'
 * working copy, its state and its logs. With the root filesystem read-only, each gets a writable
 * task volume (Fargate task storage, nothing from a host) and nothing else of the image is
 * writable (containers-roadmap#1359, amazon-ecs-exec-checker#71).
 */
export const EXEC_AGENT_PATHS = [
  { volume: 'exec-managed-agents', path: '/managed-agents' },
  { volume: 'exec-ssm-state', path: '/var/lib/amazon/ssm' },
  { volume: 'exec-ssm-logs', path: '/var/log/amazon/ssm' },
] as const;

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

/**
 * Behind a load balancer: how long ECS ignores the target group's health after a task starts.
 * Node listens within a few seconds and two passing checks 5 s apart make the target healthy;
 * 30 s covers that with room, and a task that never passes is still replaced within a minute.
 */
export const HEALTH_CHECK_GRACE_PERIOD = Duration.seconds(30);

/** Cluster, task definition, service and log group of the reference, with safer settings. */
export class FargateApp extends Construct {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;
  readonly logGroup: logs.LogGroup;
  /** The log group's customer managed key, under controlTower=strict only. */
  readonly logKey?: LogGroupKey;
  /** How long the log group keeps events: the environment's, or the mode's default. */
  readonly logRetentionDays: number;

  constructor(scope: Construct, id: string, props: FargateAppProps) {
    super(scope, id);
    // The AWS Control Tower controls the reference's defaults are exempted from (control-tower.ts).
    const strict = props.controlTower === 'strict';

    if (strict) {
      this.logKey = new LogGroupKey(this, 'LogGroupKey', { logGroupName: props.logGroupName });
    }
    this.logRetentionDays =
      props.logRetentionDays ?? (strict ? STRICT_LOG_RETENTION_DAYS : LOG_RETENTION_DAYS);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      retention: this.logRetentionDays as logs.RetentionDays,
      encryptionKey: this.logKey?.key,
      // Application logs of a teardown are not worth keeping (and billing) for ever.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: props.name,
      vpc: props.vpc,
      enableFargateCapacityProviders: props.spot,
      containerInsightsV2:
        strict || props.containerInsights
          ? ecs.ContainerInsights.ENABLED
          : ecs.ContainerInsights.DISABLED,
      // ECS Exec sessions are logged beside the application's own lines, in its log group
      // (its key encrypts them under strict).
      executeCommandConfiguration: props.exec
        ? {
            logging: ecs.ExecuteCommandLogging.OVERRIDE,
            logConfiguration: {
              cloudWatchLogGroup: this.logGroup,
              cloudWatchEncryptionEnabled: strict,
            },
          }
        : undefined,
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

    // Behind a load balancer the app keeps idle connections longer than the balancer does.
    const environment: Record<string, string> = {
      ...props.variables,
      ...(props.loadBalancer
        ? { KEEP_ALIVE_TIMEOUT_MS: String(props.loadBalancer.keepAliveTimeoutMs) }
        : {}),
    };
    const hasEnvironment = Object.keys(environment).length > 0;

    // The execution role is imported immutably, so the pull, log and secret grants CDK would add
    // here are dropped: the roles stack's TaskRoles grant exactly those.
    const container = this.taskDefinition.addContainer('App', {
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
      environment: hasEnvironment ? environment : undefined,
      secrets: this.containerSecrets(props.secrets ?? []),
    });
    if (props.variables && Object.keys(props.variables).length > 0) {
      Validations.of(this.taskDefinition).acknowledge({
        id: 'AwsSolutions::AwsSolutions-ECS2',
        reason: props.loadBalancer
          ? "The Environment holds only the environment's plain `variables` from cdk.json, which " +
            'are reviewed with the code and public in the repository anyway, and the keep-alive ' +
            'timeout the load balancer needs (KEEP_ALIVE_TIMEOUT_MS); every secret reaches the ' +
            'container through Secrets (SSM Parameter Store or Secrets Manager), never the template.'
          : "The Environment holds only the environment's plain `variables` from cdk.json, which " +
            'are reviewed with the code and public in the repository anyway; every secret reaches ' +
            'the container through Secrets (SSM Parameter Store or Secrets Manager), never the template.',
      });
    } else if (props.loadBalancer) {
      Validations.of(this.taskDefinition).acknowledge({
        id: 'AwsSolutions::AwsSolutions-ECS2',
        reason:
          'The Environment holds only KEEP_ALIVE_TIMEOUT_MS, the keep-alive timeout the load ' +
          'balancer needs (a number, no secret); every secret reaches the container through Secrets ' +
          '(SSM Parameter Store or Secrets Manager), never the template.',
      });
    }
    if (props.exec) {
      for (const { volume, path } of EXEC_AGENT_PATHS) {
        this.taskDefinition.addVolume({ name: volume });
        container.addMountPoints({ sourceVolume: volume, containerPath: path, readOnly: false });
      }
    }

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: props.name,
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      // Behind a load balancer none: CloudFormation starts the service at one task (autoscaling
      // then raises it to minTasks) and keeps the running count on every later update.
      desiredCount: props.loadBalancer ? undefined : props.desiredCount,
      healthCheckGracePeriod: props.loadBalancer ? HEALTH_CHECK_GRACE_PERIOD : undefined,
      // With no NAT gateway the tasks pull their image and send their logs over their public
      // IP; behind a load balancer nothing else reaches them (the security group).
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
      // Absent rather than false when off: the default template stays as it was.
      enableExecuteCommand: props.exec ? true : undefined,
    });
  }

  /** ECS secrets by name: the SSM parameter's ARN, or the secret's ARN (`:jsonKey::`). */
  private containerSecrets(secrets: readonly SecretRef[]): Record<string, ecs.Secret> | undefined {
    if (secrets.length === 0) return undefined;
    return Object.fromEntries(
      secrets.map((secret) => [
        secret.name,
        secret.kind === 'ssm'
          ? ecs.Secret.fromSsmParameter(
              ssm.StringParameter.fromSecureStringParameterAttributes(
                this,
                `Secret${secret.name}`,
                { parameterName: secret.parameterName },
              ),
            )
          : ecs.Secret.fromSecretsManager(
              secretsmanager.Secret.fromSecretAttributes(this, `Secret${secret.name}`, {
                secretPartialArn: secret.secretArn,
              }),
              secret.jsonKey,
            ),
      ]),
    );
  }
}
