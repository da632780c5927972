import { DEPLOYED_IMAGE_TAG_PREFIX, PREVIEW_GROUP, REGISTRY_OUTPUTS } from '@hello-world/shared';
import {
  CfnOutput,
  Duration,
  LegacyStackSynthesizer,
  RemovalPolicy,
  Stack,
  StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { acknowledgedId, CONTROL_TOWER_EXEMPTIONS } from './control-tower';
import type { TaskRoleSettings } from './config';
import { TaskRoles, type TaskRoleNames } from './task-roles';

/**
 * Untagged preview images (a build whose tags all went, an interrupted push) go after a day: a
 * preview names its image by its sha tag, so nothing ever runs an untagged one.
 */
export const PREVIEW_UNTAGGED_IMAGE_DAYS = 1;

/**
 * Every preview image goes this long after its push, whatever its tags. The preview sweep removes
 * a preview 7 days (its default PREVIEW_MAX_AGE) after its last deploy, and each deploy of a
 * pull request whose image changed pushes a new one: twice that leaves room for a week of
 * deploys of an unchanged image. An image nothing deploys any more goes without anyone deleting
 * it. A preview still running an image older than this keeps its running task, but a replaced
 * one (Spot) cannot pull it until the next deploy pushes the tag again (docker-push pushes a tag
 * that is not in the repository).
 */
export const PREVIEW_IMAGE_DAYS = 14;

export interface PreviewsStackProps extends StackProps {
  /** `<service>-ecr-ecs-fargate-previews`: the previews' own repository, never the releases'. */
  readonly repositoryName: string;
  /** Every tag immutable (controlTower=strict, CT.ECR.PR.3); the deployed-… markers then stay. */
  readonly allTagsImmutable?: boolean;
  /** The previews' shared task roles (`…-pr-execution`, `…-pr-task`). */
  readonly taskRoleNames: TaskRoleNames;
  /**
   * The log groups the shared execution role writes: a pattern ending `*` that only previews'
   * log groups match (`/ecs/<service>-ecr-ecs-fargate-pr-*`).
   */
  readonly logGroupPattern: string;
  readonly applicationName: string;
  /**
   * The `previews` block's secrets (under the previews' secrets path) and ECS Exec: every preview
   * shares these roles.
   * @default none, and no ECS Exec
   */
  readonly roleSettings?: TaskRoleSettings;
}

/**
 * Why the previews' repository breaks CT.ECR.PR.3 in the reference mode, true of it alone (the
 * release registry's reason, in control-tower.ts, is about release and floating tags).
 */
export const PREVIEWS_TAG_MUTABILITY_REASON =
  "CT.ECR.PR.3: Every tag of the previews' repository is immutable but the deployed-<stack> " +
  'markers, which infra:deploy moves onto the image each preview runs (and infra:rollback reads); ' +
  'the control accepts only IMMUTABLE, under which no marker could move. Only preview images are ' +
  `in this repository, each gone ${PREVIEW_IMAGE_DAYS} days after its push. controlTower=strict ` +
  'makes every tag immutable.';

/**
 * Everything every pull-request preview (`pr-<number>`) shares, deployed once by an administrator:
 * its own ECR repository and the previews' task roles. Previews build from code nobody has
 * reviewed yet, with a role that can push images: into this repository, never the release
 * registry's, from which main would deploy a `sha-…` image it finds there without building it.
 * The CI roles cannot change this stack. It holds nothing a release needs: deleting it deletes
 * the preview images with it.
 */
export class PreviewsStack extends Stack {
  readonly repository: ecr.Repository;
  readonly taskRoles: TaskRoles;

  constructor(scope: Construct, id: string, props: PreviewsStackProps) {
    super(scope, id, {
      // No assets: the template deploys inline, so no `cdk bootstrap` is needed.
      synthesizer: new LegacyStackSynthesizer(),
      analyticsReporting: false,
      ...props,
    });

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: true,
      // A preview image's tags name one build forever, but for the marker infra:deploy moves
      // onto the image a preview runs (deployed-<stack>, and -previous on the one before).
      imageTagMutability: props.allTagsImmutable
        ? ecr.TagMutability.IMMUTABLE
        : ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: props.allTagsImmutable
        ? undefined
        : [ecr.ImageTagMutabilityExclusionFilter.wildcard(`${DEPLOYED_IMAGE_TAG_PREFIX}*`)],
      // Previews are throwaway: no image here is kept for a release or a rollback of one, so
      // age alone decides, deployed markers included (ECR applies a tagStatus "any" rule last).
      lifecycleRules: [
        {
          rulePriority: 1,
          description: `Expire untagged images ${PREVIEW_UNTAGGED_IMAGE_DAYS} day after their push`,
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(PREVIEW_UNTAGGED_IMAGE_DAYS),
        },
        {
          rulePriority: 2,
          description: `Expire every preview image ${PREVIEW_IMAGE_DAYS} days after its push`,
          tagStatus: ecr.TagStatus.ANY,
          maxImageAge: Duration.days(PREVIEW_IMAGE_DAYS),
        },
      ],
      // Unlike the release registry, deleting this stack takes the images with it: they are
      // previews of pull requests, rebuilt by the next preview deploy, and a repository left
      // behind would block the next deploy of this stack with "already exists".
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });
    if (!props.allTagsImmutable) {
      Validations.of(this.repository).acknowledge({
        id: acknowledgedId(repositoryExemption()),
        reason: PREVIEWS_TAG_MUTABILITY_REASON,
      });
    }

    this.taskRoles = new TaskRoles(this, 'TaskRoles', {
      repository: this.repository,
      logGroupName: props.logGroupPattern,
      names: props.taskRoleNames,
      applicationName: props.applicationName,
      settings: props.roleSettings,
    });
    const logGroupPatternFinding = {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${props.logGroupPattern}]`,
      reason:
        'Previews come and go with pull requests, and an administrator cannot make roles for ' +
        `each: their shared roles write the log groups named ${props.logGroupPattern}, ` +
        `which only preview environments (${PREVIEW_GROUP}-<number>) are given.`,
    };
    Validations.of(this.taskRoles.executionRole).acknowledge(logGroupPatternFinding);
    // ECS Exec's session logs go to the same log groups, from the task role.
    if (props.roleSettings?.exec) {
      Validations.of(this.taskRoles.taskRole).acknowledge(logGroupPatternFinding);
    }

    new CfnOutput(this, REGISTRY_OUTPUTS.repositoryUri, {
      description: 'ECR repository URI for pushing preview images',
      value: this.repository.repositoryUri,
    });
    new CfnOutput(this, REGISTRY_OUTPUTS.repositoryName, {
      description: 'ECR repository name',
      value: this.repository.repositoryName,
    });
  }
}

/** The Control Tower exemption the previews' repository acknowledges with its own reason. */
function repositoryExemption() {
  const exemption = CONTROL_TOWER_EXEMPTIONS.find((e) => e.resource === 'repository');
  if (!exemption) throw new Error('control-tower.ts lists no exemption for the repository');
  return exemption;
}
