import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { findImageTags, readServiceImage } from './running-image';
import {
  ACCOUNT,
  CLUSTER_ARN,
  DEPLOYMENT_ID,
  IMAGE_DIGEST,
  NAME,
  OLD_DEPLOYMENT_ID,
  OLD_TASK_DEF_ARN,
  REGION,
  REPOSITORY_URI,
  TAG,
  TASK_ARN,
  TASK_DEF_ARN,
  awsError,
  deployment,
  mockAwsClients,
  runningTask,
  service,
} from './testing';

const aws = mockAwsClients();
const REF = { cluster: NAME, service: NAME, containerName: 'hello-world' };
const SECOND_TASK_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${NAME}/7c6b5a4938271605f4e3d2c1b0a9f8e7`;
const OTHER_DIGEST = `sha256:${'9'.repeat(64)}`;

/** A running task of `taskDefinitionArn` whose container pulled `digest`. */
function taskRunning(taskArn: string, taskDefinitionArn: string, digest: string) {
  const base = runningTask();
  return runningTask({
    taskArn,
    taskDefinitionArn,
    containers: [{ ...base.containers?.[0], taskArn, imageDigest: digest }],
  });
}

function arrange(tasks: ReturnType<typeof runningTask>[], services = [service()]) {
  aws.reset();
  aws.ecs.on(DescribeServicesCommand).resolves({ services, failures: [] });
  aws.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: TASK_DEF_ARN }).resolves({
    taskDefinition: {
      taskDefinitionArn: TASK_DEF_ARN,
      family: 'hello-world',
      revision: 7,
      containerDefinitions: [
        { name: 'hello-world', image: `${REPOSITORY_URI}:${TAG}`, essential: true },
      ],
    },
  });
  aws.ecs
    .on(ListTasksCommand, { cluster: NAME, desiredStatus: 'RUNNING' })
    .resolves({ taskArns: tasks.map((t) => t.taskArn ?? '') });
  aws.ecs.on(DescribeTasksCommand).resolves({ tasks, failures: [] });
}

describe('readServiceImage', () => {
  it('GIVEN a settled service with two tasks THEN the PRIMARY task definition names the tag and both tasks the one digest', async () => {
    arrange([
      taskRunning(TASK_ARN, TASK_DEF_ARN, IMAGE_DIGEST),
      taskRunning(SECOND_TASK_ARN, TASK_DEF_ARN, IMAGE_DIGEST),
    ]);
    const found = await readServiceImage(aws.clients().ecs, REF);
    expect(found).toEqual({
      primary: {
        id: DEPLOYMENT_ID,
        rolloutState: 'COMPLETED',
        taskDefinition: TASK_DEF_ARN,
        desiredCount: 1,
      },
      otherDeployments: [],
      image: { image: `${REPOSITORY_URI}:${TAG}`, repository: REPOSITORY_URI, tag: TAG },
      tasks: [
        { taskArn: TASK_ARN, digest: IMAGE_DIGEST },
        { taskArn: SECOND_TASK_ARN, digest: IMAGE_DIGEST },
      ],
      otherTasks: 0,
      digests: [IMAGE_DIGEST],
    });
  });

  it('GIVEN a rollout under way THEN the old deployment and its task are told apart from the PRIMARY', async () => {
    arrange(
      [
        taskRunning(TASK_ARN, TASK_DEF_ARN, IMAGE_DIGEST),
        taskRunning(SECOND_TASK_ARN, OLD_TASK_DEF_ARN, OTHER_DIGEST),
      ],
      [
        service({
          deployments: [
            deployment({ rolloutState: 'IN_PROGRESS' }),
            deployment({
              id: OLD_DEPLOYMENT_ID,
              status: 'ACTIVE',
              taskDefinition: OLD_TASK_DEF_ARN,
            }),
          ],
        }),
      ],
    );
    const found = await readServiceImage(aws.clients().ecs, REF);
    expect({
      rollout: found.primary?.rolloutState,
      others: found.otherDeployments,
      otherTasks: found.otherTasks,
      digests: found.digests,
    }).toEqual({
      rollout: 'IN_PROGRESS',
      others: [OLD_DEPLOYMENT_ID],
      otherTasks: 1,
      digests: [IMAGE_DIGEST],
    });
  });

  it('GIVEN a task still PROVISIONING THEN it is not counted as running the image', async () => {
    arrange([
      taskRunning(TASK_ARN, TASK_DEF_ARN, IMAGE_DIGEST),
      runningTask({ taskArn: SECOND_TASK_ARN, lastStatus: 'PROVISIONING', containers: [] }),
    ]);
    const found = await readServiceImage(aws.clients().ecs, REF);
    expect(found.tasks).toEqual([{ taskArn: TASK_ARN, digest: IMAGE_DIGEST }]);
  });

  it('GIVEN a service scaled to zero THEN no task and no digest, and the PRIMARY says so', async () => {
    arrange(
      [],
      [
        service({
          desiredCount: 0,
          deployments: [deployment({ desiredCount: 0, runningCount: 0 })],
        }),
      ],
    );
    const found = await readServiceImage(aws.clients().ecs, REF);
    expect({
      desired: found.primary?.desiredCount,
      tasks: found.tasks,
      digests: found.digests,
    }).toEqual({ desired: 0, tasks: [], digests: [] });
  });

  it('GIVEN no such service THEN service-not-found naming the deploy of its project', async () => {
    aws.reset();
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [
        { arn: `${CLUSTER_ARN.replace(':cluster/', ':service/')}/${NAME}`, reason: 'MISSING' },
      ],
    });
    await expect(
      readServiceImage(aws.clients().ecs, { ...REF, project: 'infra' }),
    ).rejects.toMatchObject({
      kind: 'service-not-found',
      message: `ECS service ${NAME} in cluster ${NAME} is not there (MISSING): run \`npx nx run infra:deploy\``,
    });
  });
});

describe('findImageTags', () => {
  it('GIVEN an image found by digest THEN its tags', async () => {
    aws.reset();
    aws.ecr
      .on(DescribeImagesCommand, {
        repositoryName: NAME,
        imageIds: [{ imageDigest: IMAGE_DIGEST }],
      })
      .resolves({
        imageDetails: [
          {
            registryId: ACCOUNT,
            repositoryName: NAME,
            imageDigest: IMAGE_DIGEST,
            imageTags: [TAG, `deployed-${NAME}-staging`],
            imageSizeInBytes: 52_428_800,
            imagePushedAt: new Date('2026-11-25T17:58:30.000Z'),
            imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          },
        ],
      });
    expect(await findImageTags(aws.clients().ecr, NAME, IMAGE_DIGEST)).toEqual([
      TAG,
      `deployed-${NAME}-staging`,
    ]);
  });

  it('GIVEN no image with that digest THEN undefined', async () => {
    aws.reset();
    aws.ecr
      .on(DescribeImagesCommand)
      .rejects(
        awsError(
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'${OTHER_DIGEST}', imageTag:'null'} does not exist within the repository with name '${NAME}' in the registry with id '${ACCOUNT}'`,
        ),
      );
    expect(await findImageTags(aws.clients().ecr, NAME, OTHER_DIGEST)).toBeUndefined();
  });
});
