// One environment's service stack, ECS service, task definition and running tasks as the AWS APIs
// answer for them, built from aws-ops' fixtures with that environment's names; and the images
// of the shared repository, found by tag or by digest.
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  ACCOUNT,
  NAME,
  REGION,
  REPOSITORY_URI,
  deployment,
  runningTask,
  service,
  stack,
  stackMissingError,
  stackParameters,
  type AwsMocks,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';

/** What one environment's service runs, as a spec arranges it. */
export interface EnvironmentState {
  environment: string;
  /** The tag its task definition names (the stack's ImageTag). */
  tag: string;
  /** The digest its running tasks pulled. */
  digest: string;
  /** Its task definition revision, and so its ARN. */
  revision: number;
  /** RUNNING tasks (0: it runs nothing). @default 1 */
  tasks?: number;
  deploymentId?: string;
  rolloutState?: string;
  /** When its stack was last updated. @default 2026-11-25T18:00:00Z */
  lastUpdated?: Date;
  /** Its stack's ingress outputs (IngressMode, DomainName, ...). @default none: public-ip */
  ingressOutputs?: Record<string, string>;
}

export function stackNameOf(environment: string): string {
  return deploymentNames('hello-world', environment).deployment;
}

export function taskDefinitionArnOf(revision: number): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/hello-world:${revision}`;
}

function taskArnOf(name: string, n: number): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${name}/${String(n).padStart(4, '0')}a1b2c3d4e5f64718293a4b5c6d7e`;
}

/**
 * Arranges DescribeStacks, DescribeServices, DescribeTaskDefinition, ListTasks and DescribeTasks
 * for the environment's stack, cluster and service (all named after it). Later calls for the
 * same environment replace earlier ones, as a deploy changes what AWS answers.
 */
export function arrangeEnvironment(aws: AwsMocks, state: EnvironmentState): void {
  const name = stackNameOf(state.environment);
  const clusterArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${name}`;
  const taskDefinitionArn = taskDefinitionArnOf(state.revision);
  const deploymentId = state.deploymentId ?? `ecs-svc/${state.revision}${'0'.repeat(18)}`;
  const count = state.tasks ?? 1;
  const base = stack();
  aws.cfn.on(DescribeStacksCommand, { StackName: name }).resolves({
    Stacks: [
      stack({
        StackName: name,
        StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/${state.revision}b2c3d4e-5f6a-7b8c-9d0e-1f2a3b4c5d6e`,
        StackStatus: 'UPDATE_COMPLETE',
        LastUpdatedTime: state.lastUpdated ?? new Date('2026-11-25T18:00:00.000Z'),
        Parameters: stackParameters({ imageTag: state.tag, allowedIp: '203.0.113.7/32' }),
        Outputs: [
          ...(base.Outputs ?? []).map((o) =>
            o.OutputKey === 'ECSClusterName' || o.OutputKey === 'ECSServiceName'
              ? { ...o, OutputValue: name }
              : o,
          ),
          ...Object.entries(state.ingressOutputs ?? {}).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        ],
      }),
    ],
  });
  aws.ecs.on(DescribeServicesCommand, { cluster: name }).resolves({
    services: [
      service({
        serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${name}/${name}`,
        serviceName: name,
        clusterArn,
        desiredCount: count,
        runningCount: count,
        taskDefinition: taskDefinitionArn,
        deployments: [
          deployment({
            id: deploymentId,
            taskDefinition: taskDefinitionArn,
            desiredCount: count,
            runningCount: count,
            rolloutState: (state.rolloutState ?? 'COMPLETED') as never,
            rolloutStateReason: `ECS deployment ${deploymentId} completed.`,
          }),
        ],
        events: [],
      }),
    ],
    failures: [],
  });
  aws.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinitionArn }).resolves({
    taskDefinition: {
      taskDefinitionArn,
      family: 'hello-world',
      revision: state.revision,
      containerDefinitions: [
        { name: 'hello-world', image: `${REPOSITORY_URI}:${state.tag}`, essential: true },
      ],
      memory: '512',
      cpu: '256',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    },
  });
  const template = runningTask();
  const tasks: Task[] = Array.from({ length: count }, (_, i) => {
    const taskArn = taskArnOf(name, i + 1);
    return runningTask({
      taskArn,
      clusterArn,
      taskDefinitionArn,
      group: `service:${name}`,
      startedBy: deploymentId,
      containers: [
        {
          ...template.containers?.[0],
          taskArn,
          image: `${REPOSITORY_URI}:${state.tag}`,
          imageDigest: state.digest,
        },
      ],
    });
  });
  aws.ecs
    .on(ListTasksCommand, { cluster: name, desiredStatus: 'RUNNING' })
    .resolves({ taskArns: tasks.map((t) => t.taskArn ?? '') });
  aws.ecs.on(DescribeTasksCommand, { cluster: name }).resolves({ tasks, failures: [] });
}

/** The service stack of an environment that was never deployed: CloudFormation's ValidationError. */
export function arrangeNoStack(aws: AwsMocks, environment: string): void {
  const name = stackNameOf(environment);
  aws.cfn.on(DescribeStacksCommand, { StackName: name }).rejects(stackMissingError(name));
}

/** One image of the shared repository, as DescribeImages details it. */
function imageDetail(digest: string, tags: string[]) {
  return {
    registryId: ACCOUNT,
    repositoryName: NAME,
    imageDigest: digest,
    imageTags: tags,
    imageSizeInBytes: 52_428_800,
    imagePushedAt: new Date('2026-11-25T17:58:30.000Z'),
    imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    imageScanStatus: {
      status: 'COMPLETE' as const,
      description: 'The scan was completed successfully.',
    },
  };
}

/** The image `digest` in the shared repository with `tags`: found by each tag and by its digest. */
export function arrangeImage(aws: AwsMocks, digest: string, tags: string[]): void {
  for (const tag of tags) {
    aws.ecr
      .on(DescribeImagesCommand, { repositoryName: NAME, imageIds: [{ imageTag: tag }] })
      .resolves({ imageDetails: [imageDetail(digest, tags)] });
  }
  aws.ecr
    .on(DescribeImagesCommand, { repositoryName: NAME, imageIds: [{ imageDigest: digest }] })
    .resolves({ imageDetails: [imageDetail(digest, tags)] });
}
