import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { HEALTH_CHECK_STOP_REASON_PREFIX, UNEXPECTED_STOP_CODES } from './thresholds';

export interface TaskStopsProps {
  readonly ruleName: string;
  readonly topicName: string;
  /** The cluster's ARN: the rule matches this cluster's tasks only. */
  readonly clusterArn: string;
  /** The ECS service's name: its tasks' `group` is `service:<name>`. */
  readonly serviceName: string;
  /**
   * Encrypts the topic at rest (controlTower=strict).
   * @default none: unencrypted, SNS's default
   */
  readonly masterKey?: kms.IKey;
}

/**
 * The event pattern of one service's unexpected task stops: stopped on their own (crash, failed
 * start) or replaced after failing their container health check; not deployments, scale-in, Spot
 * reclaims or an operator's stop.
 */
export function unexpectedStopsPattern(
  clusterArn: string,
  serviceName: string,
): events.EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: ['ECS Task State Change'],
    detail: {
      clusterArn: [clusterArn],
      group: [`service:${serviceName}`],
      lastStatus: ['STOPPED'],
      $or: [
        { stopCode: [...UNEXPECTED_STOP_CODES] },
        { stoppedReason: [{ prefix: HEALTH_CHECK_STOP_REASON_PREFIX }] },
      ],
    },
  };
}

/**
 * An EventBridge rule sending each unexpected stop of the service's tasks to an SNS topic with no
 * subscription: the rule's Invocations metric is what the task-stops alarm counts, and the topic
 * is where an operator may subscribe to see each stop's event. The topic's policy lets
 * EventBridge publish from this rule only, over TLS.
 */
export class TaskStops extends Construct {
  readonly rule: events.Rule;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: TaskStopsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      enforceSSL: true,
      masterKey: props.masterKey,
    });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: props.ruleName,
      description: `Unexpected stops of ${props.serviceName}'s tasks (crashed, failed to start, failed health checks)`,
      eventPattern: unexpectedStopsPattern(props.clusterArn, props.serviceName),
    });
    // Not events-targets' SnsTopic: it lets any EventBridge rule of any account publish.
    this.rule.addTarget({ bind: () => ({ arn: this.topic.topicArn }) });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TaskStopsRuleOnly',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );
  }
}
