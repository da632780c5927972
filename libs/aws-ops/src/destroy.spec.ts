import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { BatchDeleteImageCommand, ECRClient, ListImagesCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { StackDeleteProgress, destroyDeployment, emptyRepository } from './destroy';
import { NAME, registryStack, stack, stackEvent, stackMissingError } from './testing/fixtures';

const cfnMock = mockClient(CloudFormationClient);
const ecrMock = mockClient(ECRClient);
const clients = { cfn: new CloudFormationClient({}), ecr: new ECRClient({}) };
const MAIN_ID = stack().StackId as string;
const REGISTRY_ID = registryStack().StackId as string;
const base = {
  stackName: NAME,
  registryStackName: `${NAME}-registry`,
  repositoryName: NAME,
  timeoutMs: 600_000,
  progressIntervalMs: 5_000,
};

/** The stack is found by name, then deletes over two polls of the SDK waiter (by id). */
function stackDeletes(name: string, id: string, pollsInProgress = 1) {
  const found = name === NAME ? stack() : registryStack();
  cfnMock.on(DescribeStacksCommand, { StackName: name }).resolves({ Stacks: [found] });
  let polls = 0;
  cfnMock.on(DescribeStacksCommand, { StackName: id }).callsFake(() => ({
    Stacks: [
      {
        ...found,
        StackStatus: ++polls > pollsInProgress ? 'DELETE_COMPLETE' : 'DELETE_IN_PROGRESS',
      },
    ],
  }));
  cfnMock.on(DeleteStackCommand, { StackName: id }).resolves({});
}

/** Runs the operation while advancing Jest's fake clock, which the SDK waiter also uses. */
async function withTime<T>(operation: Promise<T>): Promise<T> {
  const settled = operation.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  for (let i = 0; i < 200; i++) await jest.advanceTimersByTimeAsync(1_000);
  const result = await settled;
  if ('error' in result) throw result.error;
  return result.value;
}

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-25T18:00:00Z') });
  cfnMock.reset();
  ecrMock.reset();
  cfnMock.on(DescribeStackEventsCommand).resolves({
    StackEvents: [
      stackEvent({
        LogicalResourceId: 'Service',
        ResourceType: 'AWS::ECS::Service',
        ResourceStatus: 'DELETE_IN_PROGRESS',
        Timestamp: new Date('2026-11-25T18:00:01Z'),
      }),
    ],
  });
});
afterEach(() => jest.useRealTimers());

describe('destroyDeployment', () => {
  it('GIVEN no --delete-images THEN deletes only the service stack, waits until gone and keeps images', async () => {
    // Long enough (at least 1 s between polls) for the 1 s progress poll to report.
    stackDeletes(NAME, MAIN_ID, 4);
    cfnMock
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .resolves({ Stacks: [registryStack()] });
    const progress: StackDeleteProgress[] = [];
    const result = await withTime(
      destroyDeployment(clients, {
        ...base,
        progressIntervalMs: 1_000,
        deleteImages: false,
        onProgress: (p) => progress.push(p),
      }),
    );
    expect(result).toEqual({ stack: 'deleted', imagesDeleted: 0, registry: 'kept' });
    expect(cfnMock.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.StackName)).toEqual([
      MAIN_ID,
    ]);
    expect(ecrMock.calls()).toHaveLength(0);
    expect(progress[0].events[0]).toMatchObject({
      resource: 'Service',
      status: 'DELETE_IN_PROGRESS',
    });
  });

  it('GIVEN --delete-images THEN deletes the service stack, empties the repository, then deletes the registry', async () => {
    stackDeletes(NAME, MAIN_ID);
    stackDeletes(`${NAME}-registry`, REGISTRY_ID);
    ecrMock
      .on(ListImagesCommand)
      .resolvesOnce({
        imageIds: [
          { imageDigest: 'sha256:aaa', imageTag: 'v1.0.0-ecr-ecs-fargate' },
          { imageDigest: 'sha256:aaa', imageTag: 'latest' },
        ],
        nextToken: 'page2',
      })
      .resolves({
        imageIds: [{ imageDigest: 'sha256:bbb', imageTag: 'sha-1a2b3c4-ecr-ecs-fargate' }],
      });
    ecrMock.on(BatchDeleteImageCommand).resolves({
      imageIds: [{ imageDigest: 'sha256:aaa' }, { imageDigest: 'sha256:bbb' }],
      failures: [],
    });
    const result = await withTime(destroyDeployment(clients, { ...base, deleteImages: true }));
    expect(result).toEqual({ stack: 'deleted', imagesDeleted: 2, registry: 'deleted' });
    expect(cfnMock.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.StackName)).toEqual([
      MAIN_ID,
      REGISTRY_ID,
    ]);
    expect(ecrMock.commandCalls(BatchDeleteImageCommand)[0].args[0].input.imageIds).toEqual([
      { imageDigest: 'sha256:aaa' },
      { imageDigest: 'sha256:bbb' },
    ]);
  });

  it('GIVEN nothing is deployed THEN reports absent without deleting anything', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(stackMissingError());
    const result = await withTime(destroyDeployment(clients, { ...base, deleteImages: true }));
    expect(result).toEqual({ stack: 'absent', imagesDeleted: 0, registry: 'absent' });
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('GIVEN no registry stack and no --delete-images THEN reports the registry absent, not kept', async () => {
    stackDeletes(NAME, MAIN_ID);
    cfnMock
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .rejects(stackMissingError(`${NAME}-registry`));
    const result = await withTime(destroyDeployment(clients, { ...base, deleteImages: false }));
    expect(result).toEqual({ stack: 'deleted', imagesDeleted: 0, registry: 'absent' });
  });

  it('GIVEN the delete fails THEN throws naming the resource that blocked it', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [stack()] });
    cfnMock
      .on(DescribeStacksCommand, { StackName: MAIN_ID })
      .resolves({ Stacks: [{ ...stack(), StackStatus: 'DELETE_FAILED' }] });
    cfnMock.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        stackEvent({
          LogicalResourceId: 'Vpc',
          ResourceType: 'AWS::EC2::VPC',
          ResourceStatus: 'DELETE_FAILED',
          ResourceStatusReason: 'The vpc has dependencies and cannot be deleted.',
        }),
        stackEvent({
          LogicalResourceId: NAME,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'DELETE_IN_PROGRESS',
          ResourceStatusReason: 'User Initiated',
        }),
      ],
    });
    await expect(
      withTime(destroyDeployment(clients, { ...base, deleteImages: false })),
    ).rejects.toThrow(
      `deleting stack ${NAME} failed: Vpc (AWS::EC2::VPC): The vpc has dependencies and cannot be deleted.`,
    );
  });

  it('GIVEN the stack is still there at the timeout THEN throws saying so', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [stack()] });
    cfnMock
      .on(DescribeStacksCommand, { StackName: MAIN_ID })
      .resolves({ Stacks: [{ ...stack(), StackStatus: 'DELETE_IN_PROGRESS' }] });
    await expect(
      withTime(destroyDeployment(clients, { ...base, timeoutMs: 10_000, deleteImages: false })),
    ).rejects.toThrow(/not gone after 10 s/);
  });
});

describe('emptyRepository', () => {
  it('GIVEN ECR refuses a delete THEN throws with its failure code', async () => {
    jest.useRealTimers();
    ecrMock.on(ListImagesCommand).resolves({ imageIds: [{ imageDigest: 'sha256:aaa' }] });
    ecrMock.on(BatchDeleteImageCommand).resolves({
      imageIds: [],
      failures: [
        {
          imageId: { imageDigest: 'sha256:aaa' },
          failureCode: 'ImageReferencedByManifestList',
          failureReason: 'referenced',
        },
      ],
    });
    await expect(emptyRepository(clients.ecr, NAME)).rejects.toThrow(
      `could not delete 1 image(s) from ${NAME}: ImageReferencedByManifestList referenced`,
    );
  });

  it('GIVEN an empty repository THEN deletes nothing', async () => {
    jest.useRealTimers();
    ecrMock.on(ListImagesCommand).resolves({ imageIds: [] });
    expect(await emptyRepository(clients.ecr, NAME)).toBe(0);
    expect(ecrMock.commandCalls(BatchDeleteImageCommand)).toHaveLength(0);
  });
});
