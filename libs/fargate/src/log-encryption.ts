import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface LogGroupKeyProps {
  /** The one log group CloudWatch Logs may use the key for. */
  readonly logGroupName: string;
}

/**
 * A customer managed KMS key for one CloudWatch Logs group (AWS Control Tower CT.CLOUDWATCH.PR.3):
 * rotated yearly (CT.KMS.PR.1), usable by the CloudWatch Logs service of this region only when
 * the encryption context names this log group, and no grant for anything but an AWS service
 * (CT.KMS.PR.3). The CloudWatch Logs statement is the one the CloudWatch Logs guide gives for a
 * single log group; the account keeps CDK's default administration statement, so IAM policies
 * manage the key.
 */
export class LogGroupKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogGroupKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: props.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the CloudWatch Logs group ${props.logGroupName}`,
      enableKeyRotation: true,
      // The log group goes with the stack; a key kept after it would bill $1 a month for nothing.
      // KMS waits the pending window before deleting, and a key pending deletion is not billed.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsForThisLogGroupOnly',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
      }),
    );
    this.key.addToResourcePolicy(grantsOnlyForAwsServices());
  }
}

/**
 * The key policy statement AWS Control Tower CT.KMS.PR.3 asks of every customer managed key:
 * only an AWS service, for an AWS resource, may create a grant on it.
 */
export function grantsOnlyForAwsServices(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'GrantsOnlyForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: {
        'kms:GrantIsForAWSResource': 'false',
        'aws:PrincipalIsAWSService': 'false',
      },
    },
  });
}
