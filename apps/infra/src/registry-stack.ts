import { REGISTRY_OUTPUTS } from '@hello-world/shared';
import { CfnOutput, LegacyStackSynthesizer, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

export interface RegistryStackProps extends StackProps {
  readonly repositoryName: string;
  /** Deployment flavour suffix every image tag ends with, e.g. `-ecr-ecs-fargate`. */
  readonly tagSuffix: string;
}

/** How many images the lifecycle rule keeps (the reference's rule). */
export const IMAGES_KEPT = 10;

/**
 * The stateful part, in its own stack so it exists before the first image is pushed and
 * outlives a service teardown.
 */
export class RegistryStack extends Stack {
  readonly repository: ecr.Repository;

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
      imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: [
        ecr.ImageTagMutabilityExclusionFilter.wildcard(`v*.*.*${props.tagSuffix}`),
        ecr.ImageTagMutabilityExclusionFilter.wildcard(`sha-*${props.tagSuffix}`),
      ],
      lifecycleRules: [
        { description: `Keep the newest ${IMAGES_KEPT} images`, maxImageCount: IMAGES_KEPT },
      ],
      // Deleting this stack deletes the repository only when it is empty: without
      // emptyOnDelete ECR refuses to delete a repository that holds images, so images are
      // never lost by accident, and no orphaned repository blocks the next deploy.
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: false,
    });

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
