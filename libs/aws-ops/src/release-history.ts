import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type ServiceDeploymentBrief,
  type ServiceDeploymentStatus,
  type ServiceRevision,
  type Service,
} from '@aws-sdk/client-ecs';
import { OpsError } from './errors';
import { deploymentCommand } from './findings';
import type { ServiceRef } from './tasks';

/** One container image as a service revision pinned it: the reference and the digest it ran. */
export interface ReleaseImage {
  /** As the task definition names it, e.g. `<repository>:<tag>`. */
  image: string;
  repository: string;
  /** Undefined when the image is referenced by digest only. */
  tag?: string;
  /** The digest ECS resolved the reference to when the revision was deployed. */
  digest?: string;
}

/** One ECS service deployment and what it deployed (its target service revision). */
export interface Release {
  serviceDeploymentArn: string;
  serviceRevisionArn: string;
  status: string;
  createdAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  taskDefinition?: string;
  /** The service's container image in that revision; undefined if the revision could not be read. */
  image?: ReleaseImage;
}

export interface ReleaseQuery extends ServiceRef {
  /** The container whose image counts (the service's own). @default the revision's first */
  containerName?: string;
  /** @default ['SUCCESSFUL'] */
  statuses?: ServiceDeploymentStatus[];
  /** Pages of 100 read at most; ECS keeps a bounded history anyway. @default 10 */
  maxPages?: number;
  /** The deployment project, whose deploy a missing service names. @default infra */
  project?: string;
}

/** DescribeServiceRevisions and DescribeServiceDeployments take at most 20 ARNs a call. */
const DESCRIBE_BATCH = 20;

/** `repo:tag`, `repo@sha256:…` or `repo:tag@sha256:…` → its parts. */
export function parseImageReference(image: string, digest?: string): ReleaseImage {
  const [name = image, pinned] = image.split('@');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const resolved = digest ?? pinned;
  return {
    image,
    repository: hasTag ? name.slice(0, colon) : name,
    ...(hasTag ? { tag: name.slice(colon + 1) } : {}),
    ...(resolved ? { digest: resolved } : {}),
  };
}

function revisionImage(
  revision: ServiceRevision | undefined,
  containerName: string | undefined,
): ReleaseImage | undefined {
  const images = revision?.containerImages ?? [];
  const chosen =
    (containerName ? images.find((c) => c.containerName === containerName) : undefined) ??
    images[0];
  return chosen?.image ? parseImageReference(chosen.image, chosen.imageDigest) : undefined;
}

/** Describes service revisions, 20 ARNs a call, keyed by ARN. */
async function describeRevisions(
  ecs: ECSClient,
  arns: readonly string[],
): Promise<Map<string, ServiceRevision>> {
  const unique = [...new Set(arns)];
  const found = new Map<string, ServiceRevision>();
  for (let i = 0; i < unique.length; i += DESCRIBE_BATCH) {
    const { serviceRevisions } = await ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: unique.slice(i, i + DESCRIBE_BATCH),
      }),
    );
    for (const r of serviceRevisions ?? []) {
      if (r.serviceRevisionArn) found.set(r.serviceRevisionArn, r);
    }
  }
  return found;
}

function newestFirst(a: ServiceDeploymentBrief, b: ServiceDeploymentBrief): number {
  const time = (d: ServiceDeploymentBrief) =>
    (d.finishedAt ?? d.startedAt ?? d.createdAt)?.getTime() ?? 0;
  return time(b) - time(a);
}

/**
 * The service's deployments (by default the SUCCESSFUL ones) newest first, each with the image
 * its target revision ran. ECS keeps this history, so it survives the machine that deployed.
 * ListServiceDeployments has no SDK paginator (3.1164): its nextToken is followed here.
 */
export async function listReleases(ecs: ECSClient, query: ReleaseQuery): Promise<Release[]> {
  const briefs: ServiceDeploymentBrief[] = [];
  let nextToken: string | undefined;
  const maxPages = query.maxPages ?? 10;
  for (let page = 0; page < maxPages; page++) {
    const answer = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: query.cluster,
        service: query.service,
        status: query.statuses ?? ['SUCCESSFUL'],
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    briefs.push(...(answer.serviceDeployments ?? []));
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  // The API promises no order.
  briefs.sort(newestFirst);
  const revisions = await describeRevisions(
    ecs,
    briefs.flatMap((b) => (b.targetServiceRevisionArn ? [b.targetServiceRevisionArn] : [])),
  );
  return briefs.flatMap((b) => {
    if (!b.serviceDeploymentArn || !b.targetServiceRevisionArn) return [];
    const revision = revisions.get(b.targetServiceRevisionArn);
    const image = revisionImage(revision, query.containerName);
    return [
      {
        serviceDeploymentArn: b.serviceDeploymentArn,
        serviceRevisionArn: b.targetServiceRevisionArn,
        status: b.status ?? 'UNKNOWN',
        ...(b.createdAt ? { createdAt: b.createdAt } : {}),
        ...(b.startedAt ? { startedAt: b.startedAt } : {}),
        ...(b.finishedAt ? { finishedAt: b.finishedAt } : {}),
        ...(revision?.taskDefinition ? { taskDefinition: revision.taskDefinition } : {}),
        ...(image ? { image } : {}),
      },
    ];
  });
}

/**
 * The images the service runs now: those of its current service revisions (more than one while
 * a deployment is under way), from DescribeServices' currentServiceRevisions.
 */
export async function getRunningImages(
  ecs: ECSClient,
  query: Pick<ReleaseQuery, 'cluster' | 'service' | 'containerName' | 'project'>,
): Promise<ReleaseImage[]> {
  const service = await describeActiveService(ecs, query);
  let arns = (service.currentServiceRevisions ?? []).flatMap((r) => (r.arn ? [r.arn] : []));
  if (arns.length === 0 && service.currentServiceDeployment) {
    // Older answers carry only the current deployment: its target revision is what runs.
    const { serviceDeployments } = await ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [service.currentServiceDeployment],
      }),
    );
    const target = serviceDeployments?.[0]?.targetServiceRevision?.arn;
    arns = target ? [target] : [];
  }
  const revisions = await describeRevisions(ecs, arns);
  return arns.flatMap((arn) => {
    const image = revisionImage(revisions.get(arn), query.containerName);
    return image ? [image] : [];
  });
}

/** Same image: by digest when both sides know it, else by reference. */
export function isSameImage(a: ReleaseImage, b: ReleaseImage): boolean {
  if (a.digest && b.digest) return a.digest === b.digest;
  return a.image === b.image;
}

export interface PreviousRelease {
  /** What the service runs now (its current revisions' images). */
  running: ReleaseImage[];
  /**
   * The newest SUCCESSFUL deployment whose image is none of the running ones and that names a
   * tag (the service stack can only deploy `<repository>:<tag>`); undefined when there is none.
   */
  previous?: Release;
  /** How many SUCCESSFUL deployments were looked at. */
  releasesSeen: number;
}

/** The previous image that served successfully, from ECS's own deployment history. */
export async function findPreviousRelease(
  ecs: ECSClient,
  query: ReleaseQuery,
): Promise<PreviousRelease> {
  const running = await getRunningImages(ecs, query);
  const releases = await listReleases(ecs, { ...query, statuses: ['SUCCESSFUL'] });
  const previous = releases.find((r) => {
    const image = r.image;
    return image?.tag !== undefined && !running.some((now) => isSameImage(now, image));
  });
  return { running, releasesSeen: releases.length, ...(previous ? { previous } : {}) };
}

/**
 * The service as DescribeServices answers it; a missing or INACTIVE one is OpsError
 * `service-not-found`, naming the deploy that makes it.
 */
export async function describeActiveService(
  ecs: ECSClient,
  query: { cluster: string; service: string; project?: string },
): Promise<Service> {
  const { services, failures } = await ecs.send(
    new DescribeServicesCommand({ cluster: query.cluster, services: [query.service] }),
  );
  const service = services?.[0];
  if (!service || service.status === 'INACTIVE') {
    const reason = failures?.[0]?.reason ?? service?.status ?? 'MISSING';
    throw new OpsError(
      'service-not-found',
      `ECS service ${query.service} in cluster ${query.cluster} is not there (${reason}): run \`${deploymentCommand('deploy', query.project)}\``,
    );
  }
  return service;
}
