import { Aws, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The fixed names of the task's two roles, so other stacks name them without an export. */
export interface TaskRoleNames {
  /** Pulls the image and writes the container's logs for ECS. */
  readonly execution: string;
  /** What the application itself may call in AWS: nothing, today. */
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

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: props.names.execution,
      description: `ECS pulls the service image from its repository and writes ${props.logGroupName} with this role`,
      assumedBy: ecsTasks(),
      inlinePolicies: {
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
      description: `The ${props.applicationName} application calls no AWS API: this role grants nothing`,
      assumedBy: ecsTasks(),
    });

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
