// ECS service deployment history (ListServiceDeployments, DescribeServiceRevisions), shaped after
// the ECS API reference examples, for the rollback specs.
import {
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  type ServiceDeploymentBrief,
  type ServiceDeploymentStatus,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import type { AwsMocks } from './mock-aws';
import { ACCOUNT, CLUSTER_ARN, NAME, REGION, REPOSITORY_URI, service } from './fixtures';

export const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${NAME}/${NAME}`;

/** A 64-hex-digit image digest that is recognisably `n`. */
export function digestOf(n: number): string {
  return `sha256:${String(n).padStart(2, '0').repeat(32)}`;
}

export interface ReleaseSpec {
  /** Distinguishes the deployment and its revision; also the task definition revision. */
  n: number;
  tag: string;
  digest?: string;
  status?: ServiceDeploymentStatus;
  /** When it finished; later n finish later by default. */
  finishedAt?: Date;
}

export interface ReleaseFixture {
  brief: ServiceDeploymentBrief;
  revision: ServiceRevision;
}

/** One service deployment (as ListServiceDeployments lists it) and its target revision. */
export function releaseFixture(spec: ReleaseSpec): ReleaseFixture {
  const revisionArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${NAME}/${NAME}/49803064663735770${String(spec.n).padStart(2, '0')}`;
  const finishedAt = spec.finishedAt ?? new Date(Date.UTC(2026, 10, 20, 9, spec.n * 5));
  return {
    brief: {
      serviceDeploymentArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${NAME}/${NAME}/NCWGC2ZR-taawPAYrIa${String(spec.n).padStart(2, '0')}`,
      serviceArn: SERVICE_ARN,
      clusterArn: CLUSTER_ARN,
      createdAt: new Date(finishedAt.getTime() - 180_000),
      startedAt: new Date(finishedAt.getTime() - 175_000),
      finishedAt,
      targetServiceRevisionArn: revisionArn,
      status: spec.status ?? 'SUCCESSFUL',
      statusReason: 'Service deployment completed.',
    },
    revision: {
      serviceRevisionArn: revisionArn,
      serviceArn: SERVICE_ARN,
      clusterArn: CLUSTER_ARN,
      taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/hello-world:${spec.n}`,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-0123456789abcdef0'],
          securityGroups: ['sg-0123456789abcdef0'],
          assignPublicIp: 'ENABLED',
        },
      },
      containerImages: [
        {
          containerName: 'hello-world',
          imageDigest: spec.digest ?? digestOf(spec.n),
          image: `${REPOSITORY_URI}:${spec.tag}`,
        },
      ],
      guardDutyEnabled: false,
      createdAt: new Date(finishedAt.getTime() - 181_000),
    },
  };
}

/**
 * Arranges ECS's history: ListServiceDeployments answers `releases` (filtered by the request's
 * status, `pageSize` a page), DescribeServiceRevisions answers their revisions, and the service
 * runs the revision of `running` (a release of the list, or one of its own).
 */
export function arrangeReleaseHistory(
  mocks: AwsMocks,
  releases: readonly ReleaseFixture[],
  running: ReleaseFixture | undefined,
  pageSize = 100,
): void {
  const revisions = new Map(
    [...releases, ...(running ? [running] : [])].map((r) => [
      r.revision.serviceRevisionArn ?? '',
      r.revision,
    ]),
  );
  mocks.ecs.on(ListServiceDeploymentsCommand).callsFake((input) => {
    const wanted = input.status as string[] | undefined;
    const matching = releases
      .map((r) => r.brief)
      .filter((b) => !wanted || wanted.includes(b.status ?? ''));
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const end = start + Math.min(pageSize, input.maxResults ?? 20);
    return {
      serviceDeployments: matching.slice(start, end),
      ...(end < matching.length ? { nextToken: String(end) } : {}),
    };
  });
  mocks.ecs.on(DescribeServiceRevisionsCommand).callsFake((input) => {
    const arns = (input.serviceRevisionArns ?? []) as string[];
    return {
      serviceRevisions: arns.flatMap((arn) => {
        const revision = revisions.get(arn);
        return revision ? [revision] : [];
      }),
      failures: arns
        .filter((arn) => !revisions.has(arn))
        .map((arn) => ({ arn, reason: 'MISSING' })),
    };
  });
  mocks.ecs.on(DescribeServicesCommand).resolves({
    services: [
      service({
        ...(running
          ? {
              taskDefinition: running.revision.taskDefinition,
              currentServiceDeployment: running.brief.serviceDeploymentArn,
              currentServiceRevisions: [
                {
                  arn: running.revision.serviceRevisionArn,
                  requestedTaskCount: 1,
                  runningTaskCount: 1,
                  pendingTaskCount: 0,
                },
              ],
            }
          : {}),
      }),
    ],
  });
}
