import { dnsOwnerRecordName, type DeploymentNames } from '@hello-world/shared';
import { Aws, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DnsRecordSettings } from './config';

export interface DnsUpdaterRoleProps {
  /** The updater's names: the role's own, the function that assumes it, its log group. */
  readonly names: DeploymentNames['dnsUpdater'];
  /** The environment's ECS cluster (its deployment name): the only one whose tasks it reads. */
  readonly clusterName: string;
  /** The one record (and its owner marker) it may change, in this one zone. */
  readonly record: DnsRecordSettings;
}

/** The record types the updater writes: the service's A record and its owner marker (TXT). */
export const DNS_UPDATER_RECORD_TYPES = ['A', 'TXT'] as const;

/**
 * The dns ingress mode's Lambda role, in the stack only an administrator deploys (the roles
 * stack, or the registry stack for the default environment), like the task roles: the service
 * stack imports it by name, immutably, so its deployer (the CI deploy role) needs no IAM write.
 *
 * It may change exactly two names in one hosted zone, the service's A record and its
 * `_ecs-owner.` TXT marker (Route 53's ChangeResourceRecordSets condition keys, on every change
 * of a batch), list that zone's records, read this cluster's tasks and the network interfaces
 * that carry their public IPs, and write its own log group.
 */
export class DnsUpdaterRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DnsUpdaterRoleProps) {
    super(scope, id);
    const { names, record } = props;
    const arn = (service: string, resource: string) =>
      `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const zoneArn = `arn:${Aws.PARTITION}:route53:::hostedzone/${record.hostedZoneId}`;
    const clusterArn = arn('ecs', `cluster/${props.clusterName}`);
    const logGroupArn = arn('logs', `log-group:${names.logGroup}`);

    this.role = new iam.Role(this, 'Role', {
      roleName: names.role,
      description: `Lambda ${names.function} keeps the ${record.domainName} A record (and its owner TXT) equal to the public IPs of ${props.clusterName}'s running tasks with this role`,
      // Lambda of this account only. aws:SourceArn is left out: Lambda documents no source ARN
      // when it assumes an execution role, and a condition on a key it does not send would keep
      // the function from ever running.
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      inlinePolicies: {
        record: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'ChangeOnlyTheServiceRecordAndItsOwner',
              actions: ['route53:ChangeResourceRecordSets'],
              resources: [zoneArn],
              conditions: {
                'ForAllValues:StringEquals': {
                  'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
                    record.domainName,
                    dnsOwnerRecordName(record.domainName),
                  ],
                  'route53:ChangeResourceRecordSetsRecordTypes': [...DNS_UPDATER_RECORD_TYPES],
                },
              },
            }),
            new iam.PolicyStatement({
              sid: 'ReadTheZoneRecords',
              actions: ['route53:ListResourceRecordSets'],
              resources: [zoneArn],
            }),
            new iam.PolicyStatement({
              sid: 'ListTheServiceTasks',
              actions: ['ecs:ListTasks'],
              resources: ['*'],
              conditions: { ArnEquals: { 'ecs:cluster': clusterArn } },
            }),
            new iam.PolicyStatement({
              sid: 'ReadTheServiceTasks',
              actions: ['ecs:DescribeTasks'],
              resources: [arn('ecs', `task/${props.clusterName}/*`)],
            }),
            new iam.PolicyStatement({
              sid: 'ReadTaskPublicIps',
              actions: ['ec2:DescribeNetworkInterfaces'],
              resources: ['*'],
            }),
            new iam.PolicyStatement({
              sid: 'WriteItsLogGroup',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
            }),
          ],
        }),
      },
    });

    Validations.of(this.role).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'ec2:DescribeNetworkInterfaces supports no resource-level permission, so AWS requires ' +
          'Resource "*"; ecs:ListTasks is on "*" too but held to this cluster by its ecs:cluster ' +
          'condition. Both only read.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/${props.clusterName}/*]`,
        reason:
          'ECS names each task by an id unknown before it starts; "task/<cluster>/*" is the ' +
          'tasks of this one cluster, which the function only describes.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${names.logGroup}:log-stream:*]`,
        reason:
          'Lambda names each log stream after its execution environment, unknown before it ' +
          'starts; "log-stream:*" is the streams of this one log group.',
      },
    );
  }
}
