import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import {
  findPreviousRelease,
  getRunningImages,
  listReleases,
  parseImageReference,
} from './release-history';
import { NAME, REPOSITORY_URI, service } from './testing/fixtures';
import { mockAwsClients } from './testing/mock-aws';
import { arrangeReleaseHistory, digestOf, releaseFixture } from './testing/release-fixtures';

const aws = mockAwsClients();
const ref = { cluster: NAME, service: NAME, containerName: 'hello-world' };

beforeEach(() => aws.reset());

describe('parseImageReference', () => {
  it('GIVEN repository:tag and the digest ECS resolved THEN splits repository, tag and digest', () => {
    expect(parseImageReference(`${REPOSITORY_URI}:v1.2.0`, digestOf(1))).toEqual({
      image: `${REPOSITORY_URI}:v1.2.0`,
      repository: REPOSITORY_URI,
      tag: 'v1.2.0',
      digest: digestOf(1),
    });
  });

  it('GIVEN a reference by digest only THEN it has no tag', () => {
    const parsed = parseImageReference(`${REPOSITORY_URI}@${digestOf(2)}`);
    expect(parsed).toEqual({
      image: `${REPOSITORY_URI}@${digestOf(2)}`,
      repository: REPOSITORY_URI,
      digest: digestOf(2),
    });
  });
});

describe('listReleases', () => {
  it('GIVEN two pages of successful deployments in no order THEN follows nextToken and lists them newest first with their images', async () => {
    const releases = [1, 3, 2].map((n) => releaseFixture({ n, tag: `sha-000000${n}` }));
    arrangeReleaseHistory(aws, releases, releases[1], 2);
    const listed = await listReleases(aws.clients().ecs, ref);
    expect(listed.map((r) => r.image?.tag)).toEqual(['sha-0000003', 'sha-0000002', 'sha-0000001']);
    expect(aws.ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(2);
    expect(aws.ecs.commandCalls(ListServiceDeploymentsCommand)[0]?.args[0].input).toMatchObject({
      cluster: NAME,
      service: NAME,
      status: ['SUCCESSFUL'],
    });
    expect(listed[0]).toMatchObject({
      status: 'SUCCESSFUL',
      taskDefinition: expect.stringMatching(/task-definition\/hello-world:3$/),
      image: { repository: REPOSITORY_URI, digest: digestOf(3) },
    });
  });

  it('GIVEN more than 20 revisions THEN describes them 20 ARNs a call', async () => {
    const releases = Array.from({ length: 25 }, (_, i) =>
      releaseFixture({ n: i + 1, tag: `sha-${i + 1}` }),
    );
    arrangeReleaseHistory(aws, releases, releases[24]);
    const listed = await listReleases(aws.clients().ecs, ref);
    expect(listed).toHaveLength(25);
    const calls = aws.ecs.commandCalls(DescribeServiceRevisionsCommand);
    expect(calls.map((c) => c.args[0].input.serviceRevisionArns?.length)).toEqual([20, 5]);
  });
});

describe('getRunningImages', () => {
  it('GIVEN the service current revision THEN answers its container image and digest', async () => {
    const now = releaseFixture({ n: 7, tag: 'sha-7' });
    arrangeReleaseHistory(aws, [now], now);
    expect(await getRunningImages(aws.clients().ecs, ref)).toEqual([
      {
        image: `${REPOSITORY_URI}:sha-7`,
        repository: REPOSITORY_URI,
        tag: 'sha-7',
        digest: digestOf(7),
      },
    ]);
  });

  it('GIVEN only currentServiceDeployment THEN reads its target revision', async () => {
    const now = releaseFixture({ n: 4, tag: 'sha-4' });
    arrangeReleaseHistory(aws, [now], undefined);
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [service({ currentServiceDeployment: now.brief.serviceDeploymentArn })],
    });
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: now.brief.serviceDeploymentArn,
          status: 'SUCCESSFUL',
          targetServiceRevision: { arn: now.revision.serviceRevisionArn, runningTaskCount: 1 },
        },
      ],
      failures: [],
    });
    expect((await getRunningImages(aws.clients().ecs, ref)).map((i) => i.tag)).toEqual(['sha-4']);
  });

  it('GIVEN the service is gone THEN says to deploy', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [{ arn: NAME, reason: 'MISSING' }],
    });
    await expect(getRunningImages(aws.clients().ecs, ref)).rejects.toThrow(
      `ECS service ${NAME} in cluster ${NAME} is not there (MISSING): run \`npx nx run infra:deploy\``,
    );
  });
});

describe('findPreviousRelease', () => {
  it('GIVEN three releases and the newest running THEN the previous is the one before it', async () => {
    const releases = [1, 2, 3].map((n) => releaseFixture({ n, tag: `sha-${n}` }));
    arrangeReleaseHistory(aws, releases, releases[2]);
    const found = await findPreviousRelease(aws.clients().ecs, ref);
    expect(found.previous?.image?.tag).toBe('sha-2');
    expect(found.running.map((i) => i.tag)).toEqual(['sha-3']);
    expect(found.releasesSeen).toBe(3);
  });

  it('GIVEN redeploys of the running image (same digest) THEN skips them to the last different image', async () => {
    const releases = [
      releaseFixture({ n: 1, tag: 'sha-1' }),
      releaseFixture({ n: 2, tag: 'sha-2' }),
      releaseFixture({ n: 3, tag: 'sha-2', digest: digestOf(2) }),
    ];
    arrangeReleaseHistory(aws, releases, releases[2]);
    expect((await findPreviousRelease(aws.clients().ecs, ref)).previous?.image?.tag).toBe('sha-1');
  });

  it('GIVEN an older image runs again after a rollback THEN the previous is the newest other image', async () => {
    const releases = [
      releaseFixture({ n: 1, tag: 'sha-1' }),
      releaseFixture({ n: 2, tag: 'sha-2' }),
      releaseFixture({ n: 3, tag: 'sha-1', digest: digestOf(1) }),
    ];
    arrangeReleaseHistory(aws, releases, releases[2]);
    expect((await findPreviousRelease(aws.clients().ecs, ref)).previous?.image?.tag).toBe('sha-2');
  });

  it('GIVEN only one release ever THEN there is no previous', async () => {
    const only = releaseFixture({ n: 1, tag: 'sha-1' });
    arrangeReleaseHistory(aws, [only], only);
    const found = await findPreviousRelease(aws.clients().ecs, ref);
    expect(found.previous).toBeUndefined();
    expect(found.releasesSeen).toBe(1);
  });

  it('GIVEN a failed deployment of another image THEN it is not a release to go back to', async () => {
    const releases = [
      releaseFixture({ n: 1, tag: 'sha-1' }),
      releaseFixture({ n: 2, tag: 'sha-bad', status: 'ROLLBACK_SUCCESSFUL' }),
    ];
    arrangeReleaseHistory(aws, releases, releases[0]);
    expect((await findPreviousRelease(aws.clients().ecs, ref)).previous).toBeUndefined();
  });
});
