import { LegacyStackSynthesizer, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { TaskRoles, type TaskRoleNames } from './task-roles';

export interface EnvironmentRolesStackProps extends StackProps {
  /** The shared repository (the registry stack's), named rather than referenced: no export. */
  readonly repositoryName: string;
  readonly taskRoleNames: TaskRoleNames;
  /**
   * The log group the execution role writes: the environment's, or for the previews' shared
   * roles a pattern ending `*` that only their log groups match (`/ecs/<service>-…-pr-*`).
   */
  readonly logGroupName: string;
  readonly applicationName: string;
}

/**
 * An environment's task roles, outside the default one (whose roles stay in the registry stack):
 * `<deployment>-roles`, or one `…-pr-roles` every preview shares. Like the registry stack, only
 * an administrator deploys it, so the CI roles can pass these roles to ECS but never make or widen
 * one; it holds no state, so an environment's teardown may delete it.
 */
export class EnvironmentRolesStack extends Stack {
  readonly taskRoles: TaskRoles;

  constructor(scope: Construct, id: string, props: EnvironmentRolesStackProps) {
    super(scope, id, {
      // No assets: the template deploys inline, so no `cdk bootstrap` is needed.
      synthesizer: new LegacyStackSynthesizer(),
      analyticsReporting: false,
      ...props,
    });
    const repository = ecr.Repository.fromRepositoryName(this, 'Repository', props.repositoryName);
    this.taskRoles = new TaskRoles(this, 'TaskRoles', {
      repository,
      logGroupName: props.logGroupName,
      names: props.taskRoleNames,
      applicationName: props.applicationName,
    });
    if (props.logGroupName.endsWith('*')) {
      Validations.of(this.taskRoles.executionRole).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${props.logGroupName}]`,
        reason:
          'Previews come and go with pull requests, and an administrator cannot make roles for ' +
          'each: their shared execution role writes the log groups named /ecs/<service>-ecr-ecs-' +
          'fargate-pr-*, which only preview environments (pr-<number>) are given.',
      });
    }
  }
}
