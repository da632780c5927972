import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { BatchDeleteImageCommand, ECRClient, ListImagesCommand } from '@aws-sdk/client-ecr';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { StackDeleteProgress, destroyDeployment, emptyRepository } from './destroy';
import {
  NAME,
  awsError,
  registryStack,
  stack,
  stackEvent,
  stackMissingError,
} from './testing/fixtures';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  OWNER,
  aRecord,
  hostedZone,
  ownerRecord,
} from './testing/ingress-fixtures';

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

describe('destroyDeployment of a dns-mode stack', () => {
  const route53Mock = mockClient(Route53Client);
  const withRoute53 = { ...clients, route53: new Route53Client({}) };
  const dnsRecord = { hostedZoneId: HOSTED_ZONE_ID, domainName: DOMAIN, owner: OWNER };

  beforeEach(() => {
    route53Mock.reset();
    route53Mock
      .on(ListResourceRecordSetsCommand)
      .callsFake(hostedZone([aRecord(['54.170.12.34']), ownerRecord()]));
    cfnMock
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .resolves({ Stacks: [registryStack()] });
  });

  it('GIVEN the record this deployment owns THEN it is deleted once the stack is gone', async () => {
    stackDeletes(NAME, MAIN_ID);
    let stackDeletedFirst = false;
    route53Mock.on(ChangeResourceRecordSetsCommand).callsFake(() => {
      stackDeletedFirst = cfnMock.commandCalls(DeleteStackCommand).length === 1;
      return { ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING' } };
    });
    const result = await withTime(
      destroyDeployment(withRoute53, { ...base, deleteImages: false, dnsRecord }),
    );
    expect(result.record).toEqual({
      outcome: 'removed',
      removed: [`${DOMAIN} A`, `_ecs-owner.${DOMAIN} TXT`],
      values: ['54.170.12.34'],
    });
    expect(stackDeletedFirst).toBe(true);
  });

  it('GIVEN Route 53 denies the delete THEN the stack deletion is still reported, with the reason', async () => {
    stackDeletes(NAME, MAIN_ID);
    route53Mock
      .on(ChangeResourceRecordSetsCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:iam::123456789012:user/dev is not authorized to perform: route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/${HOSTED_ZONE_ID}`,
        ),
      );
    const result = await withTime(
      destroyDeployment(withRoute53, { ...base, deleteImages: false, dnsRecord }),
    );
    expect(result).toMatchObject({
      stack: 'deleted',
      registry: 'kept',
      record: {
        outcome: 'failed',
        domainName: DOMAIN,
        reason: expect.stringContaining(
          'not authorized to perform: route53:ChangeResourceRecordSets',
        ),
      },
    });
  });

  it('GIVEN the stack delete times out THEN the record is left alone', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [stack()] });
    cfnMock
      .on(DescribeStacksCommand, { StackName: MAIN_ID })
      .resolves({ Stacks: [{ ...stack(), StackStatus: 'DELETE_IN_PROGRESS' }] });
    await expect(
      withTime(
        destroyDeployment(withRoute53, {
          ...base,
          timeoutMs: 10_000,
          deleteImages: false,
          dnsRecord,
        }),
      ),
    ).rejects.toThrow(/not gone after 10 s/);
    expect(route53Mock.calls()).toHaveLength(0);
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
