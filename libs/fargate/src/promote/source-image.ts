import {
  type AwsClients,
  findImageDigest,
  findImageTags,
  findStack,
  parseRepositoryUri,
  readServiceImage,
  readTagMutability,
  tagCanMove,
} from '@hello-world/aws-ops';
import {
  BUILD_IMAGE_TAG_PREFIX,
  DEPLOYED_IMAGE_TAG_PREFIX,
  REGISTRY_OUTPUTS,
  STACK_OUTPUTS,
  isDefaultEnvironment,
} from '@hello-world/shared';

/** One environment of the promote: its name and its service stack (= cluster = service). */
export interface PromoteEnvironment {
  environment: string;
  stackName: string;
}

export interface SourceQuery {
  from: PromoteEnvironment;
  /** The service's container (its name): `hello-world`. */
  service: string;
  /** The shared registry stack, whose repository every environment pulls from. */
  registryStackName: string;
  region: string;
  project: string;
}

/** The image the source environment runs, and the tag promote deploys it by. */
export interface SourceImage {
  repository: string;
  /** The tag promote deploys: the source's own, or its digest's build tag when that one moved. */
  tag: string;
  digest: string;
  /** The tag the source's task definition names, when it is not `tag` (it moved). */
  sourceTag?: string;
  /** Why `tag` is not the source's own tag, for the receipt. */
  note?: string;
  taskDefinition?: string;
  runningTasks: number;
}

/**
 * The source environment cannot be promoted from as it is (not deployed, runs nothing, mid
 * rollout, its image gone): one line with the next step, exit 2. Nothing has changed.
 */
export class SourceRefusal extends Error {
  override readonly name = 'SourceRefusal';
}

/** `npx nx run infra:deploy -- --env=staging` (no flag for the default environment). */
export function environmentCommand(project: string, target: string, environment: string): string {
  return `npx nx run ${project}:${target}${isDefaultEnvironment(environment) ? '' : ` -- --env=${environment}`}`;
}

/**
 * The tag to promote an image by when the source's own tag has moved to another image: one that
 * cannot move (the repository's immutable tags: `sha-…` builds and `v*.*.*` releases), a build tag
 * first; in a repository where every tag may move, a build tag (builds never re-push one). Never
 * a `deployed-*` marker, which moves with every deploy.
 */
export function choosePromotableTag(
  tags: readonly string[],
  canMove: (tag: string) => boolean,
): string | undefined {
  const named = tags.filter((t) => !t.startsWith(DEPLOYED_IMAGE_TAG_PREFIX));
  const isBuild = (t: string) => t.startsWith(BUILD_IMAGE_TAG_PREFIX);
  const fixed = named.filter((t) => !canMove(t));
  return fixed.find(isBuild) ?? fixed[0] ?? named.find(isBuild);
}

/**
 * What the source environment's service runs, as its tasks run it: the PRIMARY deployment's
 * task definition names `<repository>:<tag>`, its RUNNING tasks the digest they pulled. That tag
 * is promoted when it still names that digest and cannot move (the `sha-…` and `v*.*.*` tags of
 * the registry stack's repository). A tag that can move, or was moved, gives way to a tag of the
 * running image that cannot (choosePromotableTag). Every refusal is a SourceRefusal.
 */
export async function findSourceImage(
  clients: Pick<AwsClients, 'cfn' | 'ecs' | 'ecr'>,
  query: SourceQuery,
): Promise<SourceImage> {
  const { from, project, region } = query;
  const what = `promoting from ${from.environment}`;
  const deployIt = environmentCommand(project, 'deploy', from.environment);
  const stack = await findStack(clients.cfn, from.stackName);
  if (!stack) {
    throw new SourceRefusal(
      `${what}: it is not deployed in ${region} (no stack ${from.stackName}): deploy it first (\`${deployIt}\`), or list the deployed environments with \`npx nx run ${project}:envs\``,
    );
  }
  const ref = {
    cluster: stack.outputs[STACK_OUTPUTS.clusterName] ?? from.stackName,
    service: stack.outputs[STACK_OUTPUTS.serviceName] ?? from.stackName,
  };
  const running = await readServiceImage(clients.ecs, {
    ...ref,
    containerName: query.service,
    project,
  }).catch((error: unknown) => {
    if ((error as { kind?: string }).kind === 'service-not-found') {
      throw new SourceRefusal(
        `${what}: stack ${from.stackName} has no ECS service ${ref.service} (stack ${stack.status}), so it runs no image: deploy it first (\`${deployIt}\`)`,
      );
    }
    throw error;
  });
  const status = environmentCommand(project, 'status', from.environment);
  const { primary } = running;
  if (!primary || running.tasks.length === 0) {
    const why =
      primary?.desiredCount === 0 ? 'its desired count is 0' : 'none of its tasks is RUNNING';
    throw new SourceRefusal(
      `${what}: it runs no image (${why}); deploy it first: \`${deployIt}\`, and see \`${status}\``,
    );
  }
  if (primary.rolloutState === 'IN_PROGRESS' || running.otherDeployments.length > 0) {
    throw new SourceRefusal(
      `${what}: it is rolling out deployment ${primary.id} (${primary.rolloutState ?? 'with others still active'}), so what it runs is not settled: wait for it (\`${status}\`), then promote`,
    );
  }
  if (running.digests.length !== 1 || !running.image) {
    const digests = running.digests.join(', ') || 'no digest reported';
    throw new SourceRefusal(
      `${what}: its ${running.tasks.length} running task(s) do not agree on one image (${digests}): wait for it to settle (\`${status}\`), then promote`,
    );
  }
  const [digest] = running.digests as [string];
  const { image } = running;
  const registryUri = (await findStack(clients.cfn, query.registryStackName))?.outputs[
    REGISTRY_OUTPUTS.repositoryUri
  ];
  if (registryUri && image.repository !== registryUri) {
    throw new SourceRefusal(
      `${what}: it runs ${image.image}, which is not in the shared repository ${registryUri}; promote moves only images of the registry: deploy ${from.environment} from it first (\`${deployIt}\`)`,
    );
  }
  const repositoryName = parseRepositoryUri(image.repository).repositoryName;
  const base = {
    repository: image.repository,
    digest,
    ...(primary.taskDefinition ? { taskDefinition: primary.taskDefinition } : {}),
    runningTasks: running.tasks.length,
  };
  const tagged = image.tag
    ? await findImageDigest(clients.ecr, repositoryName, image.tag, project)
    : undefined;
  const mutability = await readTagMutability(clients.ecr, repositoryName);
  const canMove = (t: string) => tagCanMove(mutability, t);
  if (image.tag && tagged === digest) {
    if (!canMove(image.tag)) return { ...base, tag: image.tag };
    // A tag that can move (latest, v1) could name another image by the time the target pulls
    // it: the same image by a tag that cannot is the safer name for it.
    const fixed = choosePromotableTag(
      (await findImageTags(clients.ecr, repositoryName, digest)) ?? [],
      canMove,
    );
    if (!fixed || canMove(fixed)) return { ...base, tag: image.tag };
    return {
      ...base,
      tag: fixed,
      sourceTag: image.tag,
      note: `its tag ${image.tag} can move to another image: promoted by its tag ${fixed}, which names the same image and cannot move`,
    };
  }

  // The tag names another image now (or none): promote the running image by a tag that cannot move.
  const tags = await findImageTags(clients.ecr, repositoryName, digest);
  const moved = image.tag
    ? `its tag ${image.tag} ${tagged ? `now names ${tagged}` : 'is no longer'} in ${image.repository}, not the ${digest} it runs`
    : `it runs ${image.image}, by digest only`;
  if (!tags) {
    throw new SourceRefusal(
      `${what}: ${moved}, and that image is no longer in the repository (expired or deleted): deploy ${from.environment} again (\`${deployIt}\`), then promote`,
    );
  }
  const tag = choosePromotableTag(tags, canMove);
  if (!tag) {
    throw new SourceRefusal(
      `${what}: ${moved}, and that image has no tag that cannot move (${tags.join(', ') || 'untagged'}; a build tag ${BUILD_IMAGE_TAG_PREFIX}… would do): deploy ${from.environment} again (\`${deployIt}\`), then promote`,
    );
  }
  return {
    ...base,
    tag,
    ...(image.tag ? { sourceTag: image.tag } : {}),
    note: `${moved}: promoted by its tag ${tag}, which names that image`,
  };
}
