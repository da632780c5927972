import { Aws, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { SecretRef, TaskRoleSettings } from './config';

/** The fixed names of the task's two roles, so other stacks name them without an export. */
export interface TaskRoleNames {
  /** Pulls the image and writes the container's logs for ECS. */
  readonly execution: string;
  /** What the application itself may call in AWS: nothing, but ECS Exec's agent when exec is on. */
  readonly task: string;
}

/** `<deployment>-execution` and `<deployment>-task`. */
export function taskRoleNames(deploymentName: string): TaskRoleNames {
  return { execution: `${deploymentName}-execution`, task: `${deploymentName}-task` };
}

export interface TaskRolesProps {
  /** The repository the task's image is pulled from. */
  readonly repository: ecr.IRepository;
  /**
   * The service's log group. It lives in the service stack (it goes with the service); the
   * role names it rather than referencing it, so no export ties the two stacks.
   */
  readonly logGroupName: string;
  readonly names: TaskRoleNames;
  /** The application the task runs (its service name), as the task role's description names it. */
  readonly applicationName: string;
  /**
   * The secrets the execution role may read (and their key), and ECS Exec on the task role.
   * @default no secrets, no ECS Exec: neither role gets a statement more
   */
  readonly settings?: TaskRoleSettings;
}

/** Secrets Manager appends `-` and six random characters to a secret's name in its ARN. */
const SECRET_ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

/**
 * The IAM resource for a Secrets Manager secret ARN. A complete ARN (ending in the `-AbCdEf`
 * Secrets Manager appends) is granted as it is. A partial one (the name without that suffix, which
 * ECS and Secrets Manager also accept) matches no secret's real ARN in a policy, so it gets
 * `-??????`: exactly six more characters, never the secrets whose names merely start with it.
 * A name that itself ends in `-` and six letters or digits reads as complete: name such a secret
 * by its complete ARN (as AWS advises).
 */
export function secretArnResource(secretArn: string): string {
  return SECRET_ARN_SUFFIX.test(secretArn) ? secretArn : `${secretArn}-??????`;
}

/** The SSM parameter's ARN in this stack's account and region (names start with `/`). */
function parameterArn(parameterName: string): string {
  return `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter${parameterName}`;
}

/** The region a secret lives in: kms:ViaService names the service endpoint there. */
function secretRegion(secretArn: string): string {
  return secretArn.split(':')[3] ?? '';
}

/**
 * The execution role's statements for the secrets ECS injects: exactly those parameters and
 * secrets, and their key only through those two services. None at all without secrets (a key
 * alone decrypts nothing the task needs).
 */
export function secretStatements(
  secrets: readonly SecretRef[],
  kmsKeyArn?: string,
): iam.PolicyStatement[] {
  const parameters = secrets.flatMap((s) => (s.kind === 'ssm' ? [s.parameterName] : []));
  const secretArns = [
    ...new Set(secrets.flatMap((s) => (s.kind === 'secretsmanager' ? [s.secretArn] : []))),
  ];
  const statements: iam.PolicyStatement[] = [];
  if (parameters.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'ReadTheseParameters',
        actions: ['ssm:GetParameters'],
        resources: parameters.map(parameterArn),
      }),
    );
  }
  if (secretArns.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'ReadTheseSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: secretArns.map(secretArnResource),
      }),
    );
  }
  if (kmsKeyArn && statements.length > 0) {
    const viaServices = [
      ...(parameters.length > 0 ? [`ssm.${Aws.REGION}.amazonaws.com`] : []),
      ...new Set(secretArns.map((arn) => `secretsmanager.${secretRegion(arn)}.amazonaws.com`)),
    ];
    statements.push(
      new iam.PolicyStatement({
        sid: 'DecryptTheseSecrets',
        actions: ['kms:Decrypt'],
        resources: [kmsKeyArn],
        // Only as SSM or Secrets Manager decrypt a value for this role, never a direct call.
        conditions: { StringEquals: { 'kms:ViaService': viaServices } },
      }),
    );
  }
  return statements;
}

/**
 * ECS Exec's statements on the task role: the SSM agent's channels (ssmmessages, which has no
 * resource type) and its session logging to this log group (DescribeLogGroups has none either).
 */
export function execStatements(logGroupArn: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ExecChannels',
      actions: [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ExecFindLogGroup',
      actions: ['logs:DescribeLogGroups'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ExecWriteThisLogGroup',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
    }),
  ];
}

/**
 * The task's execution and task roles, in the stack only an administrator deploys (the registry
 * stack). The service stack imports them by name, immutably: whoever deploys the service stack,
 * notably the CI deploy role, can pass these two roles to ECS tasks but never create, change or
 * widen a role. ECS assumes them only for tasks of this account and region (confused-deputy
 * conditions, as AWS recommends for task roles).
 */
export class TaskRoles extends Construct {
  readonly executionRole: iam.Role;
  readonly taskRole: iam.Role;

  constructor(scope: Construct, id: string, props: TaskRolesProps) {
    super(scope, id);
    const ecsTasks = () =>
      new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`,
          },
        },
      });
    const logGroupArn = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${props.logGroupName}`;

    const settings = props.settings ?? { secrets: [], exec: false };
    const secrets = secretStatements(settings.secrets, settings.secretsKmsKey);

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: props.names.execution,
      description:
        secrets.length > 0
          ? `ECS pulls the service image from its repository, writes ${props.logGroupName} and reads the task's ${settings.secrets.length} secret(s) with this role`
          : `ECS pulls the service image from its repository and writes ${props.logGroupName} with this role`,
      assumedBy: ecsTasks(),
      inlinePolicies: {
        ...(secrets.length > 0 ? { secrets: new iam.PolicyDocument({ statements: secrets }) } : {}),
        pull: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'EcrLogin',
              actions: ['ecr:GetAuthorizationToken'],
              resources: ['*'],
            }),
            new iam.PolicyStatement({
              sid: 'PullThisRepository',
              actions: [
                'ecr:BatchCheckLayerAvailability',
                'ecr:BatchGetImage',
                'ecr:GetDownloadUrlForLayer',
              ],
              resources: [props.repository.repositoryArn],
            }),
            new iam.PolicyStatement({
              sid: 'WriteThisLogGroup',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
            }),
          ],
        }),
      },
    });

    this.taskRole = new iam.Role(this, 'TaskRole', {
      roleName: props.names.task,
      description: settings.exec
        ? `The ${props.applicationName} application calls no AWS API: this role grants only ECS Exec's agent its channels and session logging to ${props.logGroupName}`
        : `The ${props.applicationName} application calls no AWS API: this role grants nothing`,
      assumedBy: ecsTasks(),
      inlinePolicies: settings.exec
        ? { exec: new iam.PolicyDocument({ statements: execStatements(logGroupArn) }) }
        : undefined,
    });
    if (settings.exec) {
      Validations.of(this.taskRole).acknowledge(
        {
          id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
          reason:
            'ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel, ' +
            'OpenDataChannel and logs:DescribeLogGroups support no resource-level permission, so ' +
            'AWS requires Resource "*"; the session logs are written to this one log group only.',
        },
        {
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${props.logGroupName}:log-stream:*]`,
          reason:
            'ECS Exec names each session log stream after its session id, unknown before the ' +
            'session starts; ' +
            (props.logGroupName.endsWith('*')
              ? '"log-stream:*" is the streams of the log groups the pattern before it names.'
              : '"log-stream:*" is the streams of this one log group.'),
        },
      );
    }

    Validations.of(this.executionRole).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken supports no resource-level permission, so AWS requires ' +
          'Resource "*"; the pulls themselves are held to this one repository.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${props.logGroupName}:log-stream:*]`,
        reason:
          'ECS names each log stream after the task id, unknown before the task starts; ' +
          (props.logGroupName.endsWith('*')
            ? '"log-stream:*" is the streams of the log groups the pattern before it names.'
            : '"log-stream:*" is the streams of this one log group.'),
      },
    );
  }
}
