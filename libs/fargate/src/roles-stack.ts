import type { DeploymentNames } from '@hello-world/shared';
import { LegacyStackSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import type { TaskRoleSettings } from './config';
import { DnsUpdaterRole } from './dns-updater-role';
import { TaskRoles, type TaskRoleNames } from './task-roles';

export interface EnvironmentRolesStackProps extends StackProps {
  /** The shared repository (the registry stack's), named rather than referenced: no export. */
  readonly repositoryName: string;
  readonly taskRoleNames: TaskRoleNames;
  /** The environment's log group, the only one the execution role writes. */
  readonly logGroupName: string;
  readonly applicationName: string;
  /**
   * The environment's secrets (the execution role reads exactly these) and ECS Exec (task role).
   * @default none, and no ECS Exec
   */
  readonly roleSettings?: TaskRoleSettings;
  /**
   * The environment's deployment (its cluster) and dns updater names: with
   * `roleSettings.dnsRecord` (ingress dns), the updater's role is made here too.
   * @default none; required with `roleSettings.dnsRecord`
   */
  readonly names?: Pick<DeploymentNames, 'deployment' | 'dnsUpdater'>;
}

/**
 * A named environment's task roles, outside the default one (whose roles stay in the registry
 * stack): `<deployment>-roles`. Previews share theirs in the previews' stack (previews-stack.ts),
 * with their own repository. Like the registry stack, only
 * an administrator deploys it, so the CI roles can pass these roles to ECS but never make or widen
 * one; it holds no state, so an environment's teardown may delete it.
 */
export class EnvironmentRolesStack extends Stack {
  readonly taskRoles: TaskRoles;
  /** ingress dns only: the record updater Lambda's role. */
  readonly dnsUpdaterRole?: DnsUpdaterRole;

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
      settings: props.roleSettings,
    });
    const dnsRecord = props.roleSettings?.dnsRecord;
    if (dnsRecord) {
      if (!props.names) {
        throw new Error(`${this.stackName}: roleSettings.dnsRecord needs the environment's names`);
      }
      this.dnsUpdaterRole = new DnsUpdaterRole(this, 'DnsUpdaterRole', {
        names: props.names.dnsUpdater,
        clusterName: props.names.deployment,
        record: dnsRecord,
      });
    }
  }
}
