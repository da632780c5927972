// Realistic AWS API payloads for the specs, shaped after the AWS API reference examples.
import type { Stack, StackEvent } from '@aws-sdk/client-cloudformation';
import type { Deployment, Service, Task } from '@aws-sdk/client-ecs';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const NAME = 'hello-world-ecr-ecs-fargate';
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${NAME}`;
export const REPOSITORY_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${NAME}`;
export const TASK_ID = 'a1b2c3d4e5f64718293a4b5c6d7e8f90';
export const TASK_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${NAME}/${TASK_ID}`;
export const STOPPED_TASK_ID = '0f9e8d7c6b5a49382716f5e4d3c2b1a0';
export const STOPPED_TASK_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${NAME}/${STOPPED_TASK_ID}`;
export const ENI_ID = 'eni-0a1b2c3d4e5f67890';
export const PUBLIC_IP = '54.170.12.34';
export const TAG = 'sha-1a2b3c4-ecr-ecs-fargate';
export const TASK_DEF_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/hello-world:7`;
export const OLD_TASK_DEF_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/hello-world:6`;
export const DEPLOYMENT_ID = 'ecs-svc/1234567890123456789';
export const OLD_DEPLOYMENT_ID = 'ecs-svc/9876543210987654321';
export const T0 = new Date('2026-11-25T18:00:00.000Z');

/** The service stack's parameters: the deployed tag and who may reach the port. */
export function stackParameters({
  imageTag = TAG,
  allowedIp = '0.0.0.0/0',
} = {}): Stack['Parameters'] {
  return [
    { ParameterKey: 'ImageTag', ParameterValue: imageTag },
    { ParameterKey: 'AllowedIP', ParameterValue: allowedIp },
  ];
}

export function stack(overrides: Partial<Stack> = {}): Stack {
  return {
    StackName: NAME,
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${NAME}/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d`,
    StackStatus: 'CREATE_COMPLETE',
    CreationTime: T0,
    Parameters: stackParameters(),
    Outputs: [
      { OutputKey: 'ECRRepositoryUri', OutputValue: REPOSITORY_URI },
      { OutputKey: 'ECSClusterName', OutputValue: NAME },
      { OutputKey: 'ECSServiceName', OutputValue: NAME },
      { OutputKey: 'VPCId', OutputValue: 'vpc-0123456789abcdef0' },
      { OutputKey: 'SubnetId', OutputValue: 'subnet-0123456789abcdef0' },
      { OutputKey: 'SecurityGroupId', OutputValue: 'sg-0123456789abcdef0' },
    ],
    ...overrides,
  };
}

export function registryStack(overrides: Partial<Stack> = {}): Stack {
  return {
    StackName: `${NAME}-registry`,
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${NAME}-registry/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`,
    StackStatus: 'CREATE_COMPLETE',
    CreationTime: T0,
    Outputs: [
      { OutputKey: 'ECRRepositoryUri', OutputValue: REPOSITORY_URI },
      { OutputKey: 'ECRRepositoryName', OutputValue: NAME },
    ],
    ...overrides,
  };
}

/** CloudFormation's answer to DescribeStacks for a stack that is not there. */
export function stackMissingError(name = NAME): Error {
  return Object.assign(new Error(`Stack with id ${name} does not exist`), {
    name: 'ValidationError',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

export function awsError(name: string, message: string, extra: object = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra });
}

export function stackEvent(overrides: Partial<StackEvent>): StackEvent {
  return {
    StackId: stack().StackId,
    StackName: NAME,
    EventId: `event-${Math.random().toString(16).slice(2)}`,
    Timestamp: T0,
    ...overrides,
  };
}

/** A running Fargate task with its ENI attachment, as DescribeTasks returns it. */
export function runningTask(overrides: Partial<Task> = {}): Task {
  return {
    taskArn: TASK_ARN,
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: TASK_DEF_ARN,
    group: `service:${NAME}`,
    startedBy: DEPLOYMENT_ID,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    cpu: '256',
    memory: '512',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'HEALTHY',
    connectivity: 'CONNECTED',
    createdAt: new Date('2026-11-25T18:01:00.000Z'),
    startedAt: new Date('2026-11-25T18:01:40.000Z'),
    availabilityZone: 'eu-west-1a',
    attachments: [
      {
        id: 'b9a8c7d6-e5f4-4321-9876-0fedcba98765',
        type: 'ElasticNetworkInterface',
        status: 'ATTACHED',
        details: [
          { name: 'subnetId', value: 'subnet-0123456789abcdef0' },
          { name: 'networkInterfaceId', value: ENI_ID },
          { name: 'macAddress', value: '0a:1b:2c:3d:4e:5f' },
          { name: 'privateDnsName', value: 'ip-10-0-1-23.eu-west-1.compute.internal' },
          { name: 'privateIPv4Address', value: '10.0.1.23' },
        ],
      },
    ],
    containers: [
      {
        containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/${NAME}/${TASK_ID}/5f4e3d2c-1b0a-4f9e-8d7c-6b5a49382716`,
        taskArn: TASK_ARN,
        name: 'hello-world',
        image: `${REPOSITORY_URI}:${TAG}`,
        imageDigest: 'sha256:3f1c0e2b9d8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a291807f6e',
        runtimeId: `${TASK_ID}-1234567890`,
        lastStatus: 'RUNNING',
        healthStatus: 'HEALTHY',
        cpu: '0',
        networkInterfaces: [
          { attachmentId: 'b9a8c7d6-e5f4-4321-9876-0fedcba98765', privateIpv4Address: '10.0.1.23' },
        ],
      },
    ],
    ...overrides,
  };
}

/** A task ECS stopped: stop code, reason and the container's exit code and reason. */
export function stoppedTask(
  stoppedReason: string,
  container: { exitCode?: number; reason?: string } = {},
  overrides: Partial<Task> = {},
): Task {
  const base = runningTask();
  return {
    ...base,
    taskArn: STOPPED_TASK_ARN,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    healthStatus: 'UNKNOWN',
    stopCode: 'EssentialContainerExited',
    stoppedReason,
    stoppingAt: new Date('2026-11-25T18:03:00.000Z'),
    stoppedAt: new Date('2026-11-25T18:03:30.000Z'),
    attachments: [{ ...base.attachments?.[0], status: 'DELETED' }],
    containers: [
      {
        ...base.containers?.[0],
        taskArn: STOPPED_TASK_ARN,
        lastStatus: 'STOPPED',
        healthStatus: 'UNKNOWN',
        ...container,
      },
    ],
    ...overrides,
  };
}

export function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: DEPLOYMENT_ID,
    status: 'PRIMARY',
    taskDefinition: TASK_DEF_ARN,
    desiredCount: 1,
    pendingCount: 0,
    runningCount: 1,
    failedTasks: 0,
    createdAt: new Date('2026-11-25T18:00:30.000Z'),
    updatedAt: new Date('2026-11-25T18:02:00.000Z'),
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    rolloutState: 'COMPLETED',
    rolloutStateReason: 'ECS deployment ecs-svc/1234567890123456789 completed.',
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-0123456789abcdef0'],
        securityGroups: ['sg-0123456789abcdef0'],
        assignPublicIp: 'ENABLED',
      },
    },
    ...overrides,
  };
}

export function service(overrides: Partial<Service> = {}): Service {
  return {
    serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${NAME}/${NAME}`,
    serviceName: NAME,
    clusterArn: CLUSTER_ARN,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    launchType: 'FARGATE',
    taskDefinition: TASK_DEF_ARN,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: [deployment()],
    events: [
      {
        id: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
        createdAt: new Date('2026-11-25T18:02:00.000Z'),
        message: `(service ${NAME}) has reached a steady state.`,
      },
      {
        id: 'd4735e3a-265e-4a2b-8f1c-6b7a8c9d0e1f',
        createdAt: new Date('2026-11-25T18:01:00.000Z'),
        message: `(service ${NAME}) has started 1 tasks: (task ${TASK_ID}).`,
      },
    ],
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-0123456789abcdef0'],
        securityGroups: ['sg-0123456789abcdef0'],
        assignPublicIp: 'ENABLED',
      },
    },
    createdAt: T0,
    ...overrides,
  };
}

/** A rollout the circuit breaker failed and rolled back, as DescribeServices shows it. */
export function failedRolloutService(): Service {
  return service({
    runningCount: 1,
    deployments: [
      deployment({
        id: OLD_DEPLOYMENT_ID,
        status: 'PRIMARY',
        taskDefinition: OLD_TASK_DEF_ARN,
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment detected failure.',
        createdAt: new Date('2026-11-25T18:06:00.000Z'),
      }),
      deployment({
        status: 'ACTIVE',
        runningCount: 0,
        failedTasks: 3,
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      }),
    ],
    events: [
      {
        id: '7f83b165-7f4f-4b6c-9a0e-2c3d4e5f6a7b',
        createdAt: new Date('2026-11-25T18:06:00.000Z'),
        message: `(service ${NAME}) rolling back to deployment ${OLD_DEPLOYMENT_ID}.`,
      },
      {
        id: '6b86b273-ff34-4ce1-9b2a-3c4d5e6f7a8b',
        createdAt: new Date('2026-11-25T18:05:59.000Z'),
        message: `(service ${NAME}) (deployment ${DEPLOYMENT_ID}) deployment failed: tasks failed to start.`,
      },
      ...(service().events ?? []),
    ],
  });
}

/** DescribeNetworkInterfaces for the task's ENI with its public IP association. */
export function networkInterface(publicIp: string | null = PUBLIC_IP) {
  return {
    NetworkInterfaces: [
      {
        NetworkInterfaceId: ENI_ID,
        SubnetId: 'subnet-0123456789abcdef0',
        VpcId: 'vpc-0123456789abcdef0',
        PrivateIpAddress: '10.0.1.23',
        InterfaceType: 'interface' as const,
        Status: 'in-use' as const,
        ...(publicIp
          ? {
              Association: {
                IpOwnerId: 'amazon',
                PublicDnsName: `ec2-${publicIp.replace(/\./g, '-')}.eu-west-1.compute.amazonaws.com`,
                PublicIp: publicIp,
              },
            }
          : {}),
      },
    ],
  };
}

export const PULL_ERROR_NOT_FOUND = `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${REPOSITORY_URI}:${TAG}: ${REPOSITORY_URI}:${TAG}: not found`;
export const PULL_ERROR_TIMEOUT = `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp 52.94.25.110:443: i/o timeout`;
export const PULL_ERROR_DENIED = `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${REPOSITORY_URI}:${TAG}: pulling from host ${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com failed with status code [manifests ${TAG}]: 403 Forbidden`;
export const EXEC_FORMAT_LOG = 'exec /usr/local/bin/docker-entrypoint.sh: exec format error';

/** A single-platform image manifest as `docker push` stores it in ECR (Docker schema 2). */
export const IMAGE_MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: {
    mediaType: 'application/vnd.docker.container.image.v1+json',
    size: 7023,
    digest: 'sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7',
  },
  layers: [
    {
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      size: 3623807,
      digest: 'sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f',
    },
  ],
});

/** IMAGE_MANIFEST's config blob as the engine wrote it for an amd64 build (trimmed). */
export const IMAGE_CONFIG = JSON.stringify({
  architecture: 'amd64',
  os: 'linux',
  config: {
    User: '1000:1000',
    Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=production'],
    Cmd: ['node', '/app/main.js'],
    WorkingDir: '/app',
  },
  created: '2026-11-25T17:58:10.000Z',
  rootfs: {
    type: 'layers',
    diff_ids: ['sha256:d4fc045c9e3a848011de66f34b81f052d4f2c15a17bb196d637e526349601820'],
  },
});

/** GetDownloadUrlForLayer's answer for IMAGE_MANIFEST's config: a presigned S3 URL. */
export const CONFIG_DOWNLOAD = {
  layerDigest: 'sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7',
  downloadUrl: `https://prod-${REGION}-starport-layer-bucket.s3.${REGION}.amazonaws.com/a1b2-${ACCOUNT}-c3d4/b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261125T180000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=0f1e2d3c`,
};

/**
 * A fetch that serves `config` (default IMAGE_CONFIG) at CONFIG_DOWNLOAD's URL and S3's 403
 * anywhere else, as the deploy reads an image's platform.
 */
export function configBlobFetch(config = IMAGE_CONFIG) {
  return async (url: string) => {
    const found = url === CONFIG_DOWNLOAD.downloadUrl;
    return {
      ok: found,
      status: found ? 200 : 403,
      text: async () => (found ? config : '<Error><Code>AccessDenied</Code></Error>'),
    };
  };
}

/** ECR's BatchGetImage answer for one image, found by digest. */
export function batchGetImageResult(imageDigest: string) {
  return {
    images: [
      {
        registryId: ACCOUNT,
        repositoryName: NAME,
        imageId: { imageDigest },
        imageManifest: IMAGE_MANIFEST,
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      },
    ],
    failures: [],
  };
}

/** One stream of DescribeLogStreams' answer, as the awslogs driver leaves it for a task. */
export function logStream(taskId = TASK_ID, container = 'hello-world') {
  const logStreamName = `ecs/${container}/${taskId}`;
  return {
    logStreamName,
    creationTime: Date.parse('2026-11-25T18:01:35.000Z'),
    firstEventTimestamp: Date.parse('2026-11-25T18:01:41.000Z'),
    lastEventTimestamp: Date.parse('2026-11-25T18:05:00.000Z'),
    lastIngestionTime: Date.parse('2026-11-25T18:05:00.210Z'),
    uploadSequenceToken: '49039859613988000000000000000000000000000000000000000000',
    arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/${NAME}:log-stream:${logStreamName}`,
    storedBytes: 0,
  };
}
