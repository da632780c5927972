import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { grantsOnlyForAwsServices } from '../log-encryption';

export interface TopicKeyProps {
  readonly description: string;
  /** The ARNs of the alarms whose notifications CloudWatch may encrypt with the key. */
  readonly alarmArns: readonly string[];
}

/**
 * A customer managed KMS key for the monitoring topics (controlTower=strict). The AWS managed
 * aws/sns key cannot serve: its key policy cannot be changed, and CloudWatch alarms and
 * EventBridge can publish to an encrypted topic only when the key policy lets their service
 * principal use the key (SNS developer guide, "Enable compatibility between event sources from
 * AWS services and encrypted topics").
 *
 * - CloudWatch: only for this environment's alarms (aws:SourceAccount, aws:SourceArn).
 * - EventBridge: the SNS guide states that aws:SourceAccount and aws:SourceArn are not supported
 *   in a key policy for EventBridge-to-encrypted-topic delivery (the request carries neither, so
 *   a condition on them would drop every event); who may publish is decided by the task-stops
 *   topic's policy, which admits this rule only.
 *
 * Rotated yearly (CT.KMS.PR.1), grants for AWS services only (CT.KMS.PR.3), and the account's
 * default administration statement, so IAM policies manage the key.
 */
export class TopicKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: TopicKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const publisherActions = ['kms:Decrypt', 'kms:GenerateDataKey*'];

    this.key = new kms.Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      // The topics go with the stack; a key pending deletion is not billed.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisEnvironment',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: publisherActions,
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': [...props.alarmArns] },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeToTheTaskStopsTopic',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: publisherActions,
        resources: ['*'],
      }),
    );
    this.key.addToResourcePolicy(grantsOnlyForAwsServices());
  }
}
