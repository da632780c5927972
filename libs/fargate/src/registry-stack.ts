import {
  BUILD_IMAGE_TAG_PREFIX,
  DEPLOYED_IMAGE_TAG_PREFIX,
  deploymentNames,
  REGISTRY_OUTPUTS,
  RELEASE_IMAGE_TAG_WILDCARD,
} from '@hello-world/shared';
import {
  CfnOutput,
  Duration,
  LegacyStackSynthesizer,
  RemovalPolicy,
  Stack,
  StackProps,
} from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import type { TaskRoleSettings } from './config';
import { DnsUpdaterRole } from './dns-updater-role';
import { TaskRoles, type TaskRoleNames } from './task-roles';

export interface RegistryStackProps extends StackProps {
  readonly repositoryName: string;
  /** Deployment flavour suffix every image tag ends with, e.g. `-ecr-ecs-fargate`. */
  readonly tagSuffix: string;
  /**
   * Every tag immutable, floating ones too (AWS Control Tower CT.ECR.PR.3 accepts only IMMUTABLE;
   * controlTower=strict). docker-push then pushes no floating tag.
   */
  readonly allTagsImmutable?: boolean;
  /** The task's execution and task roles, created here so only an administrator can change them. */
  readonly taskRoleNames: TaskRoleNames;
  /** The service's log group, which the execution role writes to. */
  readonly logGroupName: string;
  /** The application the task runs (its service name). */
  readonly applicationName: string;
  /**
   * The default environment's secrets and ECS Exec, for its task roles here: whichever
   * environment is synthesized, so this template is the same for all.
   * @default none, and no ECS Exec
   */
  readonly roleSettings?: TaskRoleSettings;
}

/**
 * How many of the newest build (`sha-…`) images the lifecycle policy keeps: the reference's 10,
 * now counting builds only (ECR counts the releases among them, which rule 1 keeps anyway).
 * Enough to roll back with --image-tag to a recent build; releases and the running image are
 * kept whatever their age.
 */
export const BUILD_IMAGES_KEPT = 10;

/** Untagged images (a floating tag moved away, an interrupted push) go after this many days. */
export const UNTAGGED_IMAGE_DAYS = 7;

/**
 * The count of a rule that only protects: it would expire images beyond this many, and no release
 * history or number of service stacks comes near it (a release a day for 27 years).
 */
export const KEEP_ALL = 9999;

/**
 * The stateful and privileged part, in its own stack so it exists before the first image is
 * pushed and outlives a service teardown: the repository, and the task's two IAM roles. Only an
 * administrator deploys it (`infra:deploy` with your own credentials, `infra:deploy-registry`,
 * `infra:deploy-ci`); the CI roles cannot change it.
 */
export class RegistryStack extends Stack {
  readonly repository: ecr.Repository;
  readonly taskRoles: TaskRoles;
  /** The default environment's ingress dns only: its record updater Lambda's role. */
  readonly dnsUpdaterRole?: DnsUpdaterRole;

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, {
      // No assets: the template deploys inline, so no `cdk bootstrap` is needed.
      synthesizer: new LegacyStackSynthesizer(),
      analyticsReporting: false,
      ...props,
    });

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: true,
      // Release (v1.2.3…) and build (sha-…) tags name one image forever; every other tag,
      // notably the floating latest, v1 and v1.2, may move. ECR's wildcard only knows `*`,
      // so "three dot-separated parts" is how a release tag is told apart from v1.2.
      imageTagMutability: props.allTagsImmutable
        ? ecr.TagMutability.IMMUTABLE
        : ecr.TagMutability.MUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: props.allTagsImmutable
        ? undefined
        : [
            ecr.ImageTagMutabilityExclusionFilter.wildcard(`v*.*.*${props.tagSuffix}`),
            ecr.ImageTagMutabilityExclusionFilter.wildcard(`sha-*${props.tagSuffix}`),
          ],
      // ECR applies the rules in priority order, and an image one rule's tags select can never
      // be expired by a later rule. A rule's pattern selects an image when ANY of its tags
      // matches (several patterns in one rule would all have to match, hence one per rule). So
      // rules 1 and 2, with counts nothing reaches, claim every release image (which carries a
      // sha- tag too) and the image each service stack runs (the deployed-<stack> tag
      // infra:deploy moves onto it); only then do builds and untagged images expire. Images
      // with other tags only (latest, hand-pushed ones) are never expired.
      lifecycleRules: [
        {
          rulePriority: 1,
          description: 'Keep every release image (v*.*.*)',
          tagPatternList: [RELEASE_IMAGE_TAG_WILDCARD],
          maxImageCount: KEEP_ALL,
        },
        {
          rulePriority: 2,
          description: 'Keep the image each service stack runs (deployed-<stack>)',
          tagPatternList: [`${DEPLOYED_IMAGE_TAG_PREFIX}*`],
          maxImageCount: KEEP_ALL,
        },
        {
          rulePriority: 3,
          description: `Keep the newest ${BUILD_IMAGES_KEPT} sha- build images`,
          tagPatternList: [`${BUILD_IMAGE_TAG_PREFIX}*`],
          maxImageCount: BUILD_IMAGES_KEPT,
        },
        {
          rulePriority: 4,
          description: `Expire untagged images ${UNTAGGED_IMAGE_DAYS} days after their push`,
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(UNTAGGED_IMAGE_DAYS),
        },
      ],
      // Deleting this stack deletes the repository only when it is empty: without
      // emptyOnDelete ECR refuses to delete a repository that holds images, so images are
      // never lost by accident, and no orphaned repository blocks the next deploy.
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: false,
    });

    this.taskRoles = new TaskRoles(this, 'TaskRoles', {
      repository: this.repository,
      logGroupName: props.logGroupName,
      names: props.taskRoleNames,
      applicationName: props.applicationName,
      settings: props.roleSettings,
    });
    const dnsRecord = props.roleSettings?.dnsRecord;
    if (dnsRecord) {
      // The roles here are the default environment's, whose names the application's are.
      const names = deploymentNames(props.applicationName);
      this.dnsUpdaterRole = new DnsUpdaterRole(this, 'DnsUpdaterRole', {
        names: names.dnsUpdater,
        clusterName: names.deployment,
        record: dnsRecord,
      });
    }

    new CfnOutput(this, REGISTRY_OUTPUTS.repositoryUri, {
      description: 'ECR repository URI for pushing images',
      value: this.repository.repositoryUri,
    });
    new CfnOutput(this, REGISTRY_OUTPUTS.repositoryName, {
      description: 'ECR repository name',
      value: this.repository.repositoryName,
    });
  }
}
