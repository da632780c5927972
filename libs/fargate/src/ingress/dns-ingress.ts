import { bundleDnsUpdater } from '@hello-world/dns-updater/bundle';
import { INGRESS_OUTPUTS, type DeploymentNames } from '@hello-world/shared';
import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DnsRecordSettings } from '../config';
import { acknowledgedId, STRICT_LOG_RETENTION_DAYS } from '../control-tower';

export interface DnsIngressProps {
  readonly names: DeploymentNames['dnsUpdater'];
  /** The A record the function keeps, and its zone. */
  readonly record: DnsRecordSettings;
  /** The deployment the record's owner marker names (`ecs-owner=<owner>`). */
  readonly owner: string;
  readonly cluster: ecs.ICluster;
  /** The service whose running tasks the record follows; it must have a literal serviceName. */
  readonly service: ecs.FargateService;
  /** The environment's log retention, for the function's log group too. */
  readonly logRetentionDays: number;
  /**
   * The environment's log key (controlTower strict): it encrypts the function's log group too,
   * and its policy gains CloudWatch Logs' use of it for that log group.
   * @default CloudWatch Logs' own encryption
   */
  readonly logKey?: kms.IKey;
}

/** The function's runtime: the newest Node.js aws-cdk-lib knows (cdk-nag AwsSolutions-L1). */
export const DNS_UPDATER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * How the rule retries delivering an event to the function before it lands in the dead-letter
 * queue. EventBridge fails to deliver only when Lambda refuses the asynchronous invoke (function
 * or permission missing, throttled): an hour of retries rides out a throttle, and since every run
 * reconciles from the current state, a late event is as good as a timely one.
 */
export const DNS_RULE_RETRY = { retryAttempts: 8, maxEventAge: Duration.hours(1) } as const;

/** How long an undelivered event waits in the dead-letter queue for someone to look (SQS's max). */
export const DNS_DEAD_LETTER_RETENTION = Duration.days(14);

/** The dead-letter queue's name: the rule's, with `-dlq`. */
export function dnsDeadLetterQueueName(names: DeploymentNames['dnsUpdater']): string {
  return `${names.rule}-dlq`;
}

/** Control Tower and cdk-nag findings the dns mode's resources carry, with the reason each is right. */
export const DNS_INGRESS_EXEMPTIONS = {
  lambdaInsideVpc: {
    control: 'CT.LAMBDA.PR.3',
    rule: 'lambda_inside_vpc_check',
    reason:
      'The updater calls only AWS APIs (ECS, EC2, Route 53, CloudWatch Logs) and serves no ' +
      "request. The environment's VPC has public subnets only, with no NAT gateway or VPC " +
      'endpoint, so a function inside it could reach none of those APIs; outside it, it runs ' +
      "in Lambda's own network with no inbound path at all.",
  },
  logRetention: {
    control: 'CT.CLOUDWATCH.PR.2',
    rule: 'cloudwatch_log_group_retention_period_check',
    reason:
      "The updater's log group keeps its one line per run as long as the environment keeps its " +
      'application logs (logRetentionDays, 7 days by default); controlTower=strict keeps both 365 days.',
  },
  logEncryption: {
    control: 'CT.CLOUDWATCH.PR.3',
    rule: 'cloudwatch_log_group_encrypted_check',
    reason:
      "CloudWatch Logs encrypts the updater's log group at rest with its own keys, as it does the " +
      "application's; controlTower=strict encrypts both with the environment's log key.",
  },
  deadLetterQueue: {
    control: 'CT.SQS.PR.1',
    rule: 'sqs_dlq_check',
    reason:
      "This queue is the dead-letter queue of the rule's target: it receives the task events " +
      'EventBridge could not deliver to the updater, and a dead-letter queue has no dead-letter ' +
      'queue of its own.',
  },
} as const;

/**
 * The dns ingress mode: a Route 53 A record at the user's domain that follows the service's
 * running tasks' public IPs. An EventBridge rule on the service's task state changes (RUNNING,
 * STOPPED) invokes a small Lambda that reconciles the record with the running tasks (TTL 60,
 * one value per task, the A record deleted when no task runs while its `_ecs-owner.` TXT marker
 * stays). The function's role is the administrator's (DnsUpdaterRole in the roles stack),
 * imported by name and immutably: this stack creates no IAM resource.
 *
 * The code is inline (esbuild bundle at synth) because the service stack uses no asset bucket.
 * No reserved concurrency: a new account's Lambda concurrency quota is 10, and Lambda refuses any
 * reservation that leaves less than 10 unreserved, so the first dns deploy there would fail. Runs
 * may overlap instead; each re-reads the tasks after writing the record and writes again if they
 * changed meanwhile (syncServiceRecord, at most 3 rounds), so an older run's stale IPs do not stay.
 */
export class DnsIngress extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  readonly logGroup: logs.LogGroup;
  /** Events the rule could not deliver to the function: a non-empty queue means a stale record. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DnsIngressProps) {
    super(scope, id);
    const { names, record } = props;
    // The literal name, not service.serviceName: that is the service's own attribute, and the
    // service depends on the rule and the function, so referring to it would be a cycle.
    const serviceName = (props.service.node.defaultChild as ecs.CfnService).serviceName;
    if (serviceName === undefined || Token.isUnresolved(serviceName)) {
      throw new Error(
        `DnsIngress needs the service's literal serviceName (${props.service.node.path})`,
      );
    }

    if (props.logKey) {
      props.logKey.addToResourcePolicy(
        logsMayUseKeyFor(Stack.of(this), names.logGroup),
        /* allowNoOp */ false,
      );
    }
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: names.logGroup,
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logKey,
      // Its lines are about records of this stack only: they go with it.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new lambda.Function(this, 'Function', {
      functionName: names.function,
      description: `Keeps the ${record.domainName} A record equal to the public IPs of the running tasks of ${serviceName}`,
      role: iam.Role.fromRoleName(this, 'Role', names.role, { mutable: false }),
      runtime: DNS_UPDATER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 128,
      timeout: Duration.seconds(30),
      // No reservedConcurrentExecutions: see the class comment (a new account could not deploy it).
      handler: 'index.handler',
      code: lambda.Code.fromInline(bundleDnsUpdater()),
      environment: {
        CLUSTER_NAME: props.cluster.clusterName,
        SERVICE_NAME: serviceName,
        HOSTED_ZONE_ID: record.hostedZoneId,
        DOMAIN_NAME: record.domainName,
        OWNER: props.owner,
      },
      logGroup: this.logGroup,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: dnsDeadLetterQueueName(names),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DNS_DEAD_LETTER_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.rule = new events.Rule(this, 'Rule', {
      ruleName: names.rule,
      description: `Runs ${names.function} when a task of ${serviceName} starts running or stops`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.cluster.clusterArn],
          group: [`service:${serviceName}`],
          lastStatus: ['RUNNING', 'STOPPED'],
        },
      },
    });
    // The target's permission is the function's resource policy for this rule's ARN only.
    this.rule.addTarget(
      new targets.LambdaFunction(this.function, {
        deadLetterQueue: this.deadLetterQueue,
        ...DNS_RULE_RETRY,
      }),
    );
    const permissions = this.function.permissionsNode.children.filter(
      (child): child is lambda.CfnPermission => child instanceof lambda.CfnPermission,
    );
    // The first task's RUNNING event must find the rule, the function and its permission.
    props.service.node.addDependency(this.rule, this.function, ...permissions);

    const outputs: [string, string, string][] = [
      [INGRESS_OUTPUTS.ingressMode, 'dns', 'How traffic reaches the tasks'],
      [INGRESS_OUTPUTS.domainName, record.domainName, 'The name the service answers at'],
      [INGRESS_OUTPUTS.hostedZoneId, record.hostedZoneId, 'Route 53 hosted zone of the name'],
      [INGRESS_OUTPUTS.hostedZoneName, record.hostedZoneName, 'Name of that hosted zone'],
    ];
    for (const [key, value, description] of outputs) {
      // Ops read outputs by key: the logical ID is the key, wherever the construct sits.
      new CfnOutput(this, key, { value, description }).overrideLogicalId(key);
    }

    this.acknowledgeFindings(props);
  }

  private acknowledgeFindings(props: DnsIngressProps): void {
    const acknowledge = (
      construct: Construct,
      exemption: (typeof DNS_INGRESS_EXEMPTIONS)[keyof typeof DNS_INGRESS_EXEMPTIONS],
    ) =>
      Validations.of(construct).acknowledge({
        id: acknowledgedId(exemption),
        reason: `${exemption.control}: ${exemption.reason}`,
      });
    acknowledge(this.function, DNS_INGRESS_EXEMPTIONS.lambdaInsideVpc);
    acknowledge(this.deadLetterQueue, DNS_INGRESS_EXEMPTIONS.deadLetterQueue);
    // Made only while the log group breaks the control, so none is ever left unused.
    if (props.logRetentionDays < STRICT_LOG_RETENTION_DAYS) {
      acknowledge(this.logGroup, DNS_INGRESS_EXEMPTIONS.logRetention);
    }
    if (!props.logKey) acknowledge(this.logGroup, DNS_INGRESS_EXEMPTIONS.logEncryption);
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: DNS_INGRESS_EXEMPTIONS.deadLetterQueue.reason,
    });
  }
}

/**
 * The key policy statement letting CloudWatch Logs of this region use the environment's log key
 * for the updater's log group only (the key's own statement names the application's log group).
 */
function logsMayUseKeyFor(stack: Stack, logGroupName: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'CloudWatchLogsForTheDnsUpdaterLogGroupOnly',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: [
      'kms:Encrypt*',
      'kms:Decrypt*',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:Describe*',
    ],
    resources: ['*'],
    conditions: {
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  });
}
