import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { describeActiveService, parseImageReference, type ReleaseImage } from './release-history';
import { describeRawTasks, listServiceTaskArns, type ServiceRef } from './tasks';

export interface ServiceImageQuery extends ServiceRef {
  /** The service's own container (its name is the service's: `hello-world`). */
  containerName: string;
  /** The deployment project whose deploy a missing service names. @default infra */
  project?: string;
}

/** The service's PRIMARY deployment: what it is set to run. */
export interface PrimaryDeployment {
  id: string;
  rolloutState?: string;
  taskDefinition?: string;
  desiredCount: number;
}

/** One RUNNING task of the PRIMARY deployment's task definition and the digest it pulled. */
export interface RunningTaskImage {
  taskArn: string;
  /** What ECS resolved the container's image to when the task started; absent until pulled. */
  digest?: string;
}

/** What a service runs now, read from ECS; the caller judges whether it is settled. */
export interface ServiceImage {
  primary?: PrimaryDeployment;
  /** Deployments other than the PRIMARY still ACTIVE (a rollout under way, or draining). */
  otherDeployments: string[];
  /** The container's image as the PRIMARY's task definition names it (`<repository>:<tag>`). */
  image?: ReleaseImage;
  /** The RUNNING tasks of the PRIMARY's task definition. */
  tasks: RunningTaskImage[];
  /** RUNNING tasks of any other task definition. */
  otherTasks: number;
  /** The distinct digests those tasks run: one once the service is settled. */
  digests: string[];
}

/** DescribeTasks takes at most 100 tasks a call. */

/**
 * What the service runs, as its tasks run it: the PRIMARY deployment's task definition names the
 * image (DescribeServices, DescribeTaskDefinition), and its RUNNING tasks say which digest each
 * pulled (ListTasks, DescribeTasks' `containers[].imageDigest`). A missing or INACTIVE service is
 * OpsError `service-not-found`.
 */
export async function readServiceImage(
  ecs: ECSClient,
  query: ServiceImageQuery,
): Promise<ServiceImage> {
  const service = await describeActiveService(ecs, query);
  const deployments = service.deployments ?? [];
  const found = deployments.find((d) => d.status === 'PRIMARY');
  const primary: PrimaryDeployment | undefined = found?.id
    ? {
        id: found.id,
        ...(found.rolloutState ? { rolloutState: found.rolloutState } : {}),
        ...(found.taskDefinition ? { taskDefinition: found.taskDefinition } : {}),
        desiredCount: found.desiredCount ?? service.desiredCount ?? 0,
      }
    : undefined;
  const otherDeployments = deployments.flatMap((d) =>
    d.status !== 'PRIMARY' && d.status !== 'INACTIVE' && d.id ? [d.id] : [],
  );
  const image = primary?.taskDefinition
    ? await readContainerImage(ecs, primary.taskDefinition, query.containerName)
    : undefined;
  const arns = await listServiceTaskArns(ecs, query, 'RUNNING');
  const running = (await describeRawTasks(ecs, query.cluster, arns)).filter(
    (t) => t.lastStatus === 'RUNNING',
  );
  const ofPrimary = running.filter((t) => t.taskDefinitionArn === primary?.taskDefinition);
  const tasks = ofPrimary.map((t): RunningTaskImage => {
    const container =
      t.containers?.find((c) => c.name === query.containerName) ?? t.containers?.[0];
    return {
      taskArn: t.taskArn ?? '',
      ...(container?.imageDigest ? { digest: container.imageDigest } : {}),
    };
  });
  return {
    ...(primary ? { primary } : {}),
    otherDeployments,
    ...(image ? { image } : {}),
    tasks,
    otherTasks: running.length - ofPrimary.length,
    digests: [...new Set(tasks.flatMap((t) => (t.digest ? [t.digest] : [])))],
  };
}

async function readContainerImage(
  ecs: ECSClient,
  taskDefinition: string,
  containerName: string,
): Promise<ReleaseImage | undefined> {
  const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  const containers = answer.taskDefinition?.containerDefinitions ?? [];
  const container = containers.find((c) => c.name === containerName) ?? containers[0];
  return container?.image ? parseImageReference(container.image) : undefined;
}

/**
 * The tags an image has in the repository, found by its digest; undefined when no image has that
 * digest (expired, or deleted). DescribeImages answers ImageNotFoundException for a missing one.
 */
export async function findImageTags(
  ecr: ECRClient,
  repositoryName: string,
  imageDigest: string,
): Promise<string[] | undefined> {
  try {
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageDigest }] }),
    );
    const detail = imageDetails?.find((d) => d.imageDigest === imageDigest) ?? imageDetails?.[0];
    return detail ? [...(detail.imageTags ?? [])] : undefined;
  } catch (error) {
    if ((error as Error).name === 'ImageNotFoundException') return undefined;
    throw error;
  }
}
