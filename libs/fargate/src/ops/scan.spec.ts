import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeImageScanFindingsCommand, DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  IMAGE_DIGEST,
  NAME,
  TAG,
  arrangeHealthyDeployment,
  awsError,
  basicScanComplete,
  enhancedScanActive,
  fakeClock,
  mockAwsClients,
  scanInProgress,
  scanNotFoundError,
  scanPending,
  stack,
  stackMissingError,
  stackParameters,
} from '@hello-world/aws-ops/testing';
import { UsageError } from '@hello-world/cli';
import { opsHarness } from './ops-harness-for-test';
import { runOps } from './run';
import { ScanOptions, runScan } from './scan';

const aws = mockAwsClients();
const { cfn: cfnMock, ecr: ecrMock } = aws;
const OTHER_TAG = 'v1.2.3-ecr-ecs-fargate';
const POLL_MS = 20_000;

/** The tag is in the registry, as DescribeImages answers it. */
function imageInRegistry(tag: string) {
  ecrMock
    .on(DescribeImagesCommand, { repositoryName: NAME, imageIds: [{ imageTag: tag }] })
    .resolves({
      imageDetails: [
        {
          registryId: '123456789012',
          repositoryName: NAME,
          imageDigest: IMAGE_DIGEST,
          imageTags: [tag],
          imageSizeInBytes: 52_428_800,
          imagePushedAt: new Date('2026-11-25T18:00:05Z'),
          imageScanStatus: {
            status: 'COMPLETE',
            description: 'The scan was completed successfully.',
          },
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        },
      ],
    });
}

/** runScan as the ops CLI wires it, with tiny waiter delays; what it printed. */
function scan(options: Partial<ScanOptions> = {}, clock = fakeClock()) {
  const out: string[] = [];
  const err: string[] = [];
  const json: unknown[] = [];
  const run = runScan(
    {
      clients: aws.clients(),
      region: 'eu-west-1',
      project: 'infra',
      defaultRepositoryName: NAME,
      clock,
      progress: (line) => err.push(line),
      print: (data, human) => {
        json.push(data);
        out.push(human());
      },
      err: (line) => err.push(line),
      minDelaySeconds: 0.001,
      maxDelaySeconds: 0.002,
    },
    {
      stackName: NAME,
      registryStackName: `${NAME}-registry`,
      timeoutMs: 5 * 60_000,
      ...options,
    },
  );
  return { run, out, err, json };
}

/** runOps as `npx nx run infra:scan` runs it. */
function ops(argv: string[]) {
  const { deps, out, err } = opsHarness(aws.clients(), { clock: fakeClock() });
  return { run: runOps(argv, deps), out, err };
}

beforeEach(() => {
  arrangeHealthyDeployment(aws);
  imageInRegistry(TAG);
  imageInRegistry(OTHER_TAG);
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete());
});

describe('scan', () => {
  it('GIVEN no tag THEN shows the scan of the image the service stack runs: counts and a row per finding, exit 0', async () => {
    const s = scan();
    expect(await s.run).toBe(0);
    const text = s.out.join('\n');
    expect(text).toContain(`image    ${NAME}:${TAG} (the service runs it)`);
    expect(text).toContain(`digest   ${IMAGE_DIGEST}`);
    expect(text).toContain('scan     COMPLETE, basic scanning, completed 2026-11-25T18:00:42.000Z');
    expect(text).toContain('findings 1 CRITICAL, 1 HIGH, 1 MEDIUM, 1 LOW');
    expect(text).toMatch(/SEVERITY\s+ID\s+PACKAGE\s+URI/);
    expect(text).toMatch(
      /CRITICAL\s+CVE-2024-5535\s+openssl@3\.0\.11-1~deb12u2\s+https:\/\/security-tracker\.debian\.org\/tracker\/CVE-2024-5535/,
    );
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)[0].args[0].input).toEqual({
      repositoryName: NAME,
      imageId: { imageDigest: IMAGE_DIGEST },
    });
  });

  it('GIVEN a tag THEN shows that image, not the running one', async () => {
    const s = scan({ tag: OTHER_TAG });
    expect(await s.run).toBe(0);
    expect(s.out.join('\n')).toContain(`image    ${NAME}:${OTHER_TAG}\n`);
  });

  it('GIVEN a scan still running THEN waits for it, saying so on stderr', async () => {
    const clock = fakeClock();
    let call = 0;
    ecrMock.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      await clock.sleep(POLL_MS);
      return [scanPending(), scanInProgress(), enhancedScanActive()][Math.min(call++, 2)];
    });
    const s = scan({}, clock);
    expect(await s.run).toBe(0);
    expect(s.err).toEqual([`waiting for the scan of ${TAG} (PENDING), up to 5 min`]);
    expect(s.out.join('\n')).toContain('COMPLETE (ACTIVE), enhanced scanning');
    expect(s.out.join('\n')).toMatch(/HIGH\s+CVE-2024-45590\s+raw-body@2\.5\.2/);
  });

  it('GIVEN the scan still running when --timeout runs out THEN exit 1, saying how to wait longer', async () => {
    const clock = fakeClock();
    ecrMock.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      await clock.sleep(POLL_MS);
      return scanInProgress();
    });
    const s = scan({ timeoutMs: 60_000 }, clock);
    expect(await s.run).toBe(1);
    expect(s.out.join('\n')).toContain('scan     PENDING (IN_PROGRESS)');
    expect(s.err.at(-1)).toBe(
      `infra:scan: the scan of ${TAG} was still IN_PROGRESS after 60 s: run \`npx nx run infra:scan -- ${TAG}\` again later, or wait longer with --timeout 15m`,
    );
  });

  it('GIVEN --max-severity HIGH and HIGH findings THEN exit 1 with one line counting them', async () => {
    const s = scan({ maxSeverity: 'HIGH' });
    expect(await s.run).toBe(1);
    expect(s.out.join('\n')).toContain('gate     2 at or above HIGH (--max-severity)');
    expect(s.err).toEqual([`infra:scan: 2 findings at or above HIGH in ${TAG}`]);
  });

  it('GIVEN --max-severity CRITICAL and no CRITICAL finding THEN exit 0', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolves(basicScanComplete(basicScanComplete().imageScanFindings?.findings?.slice(1)));
    const s = scan({ maxSeverity: 'CRITICAL' });
    expect(await s.run).toBe(0);
    expect(s.err).toEqual([]);
  });

  it('GIVEN a tag not in the registry THEN a usage error naming how to list the tags', async () => {
    ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'sha-0000000-ecr-ecs-fargate' }] })
      .rejects(awsError('ImageNotFoundException', 'The image requested does not exist'));
    const s = scan({ tag: 'sha-0000000-ecr-ecs-fargate' });
    await expect(s.run).rejects.toThrow(
      new UsageError(
        `image tag sha-0000000-ecr-ecs-fargate is not in ${NAME}: list its tags with \`aws ecr list-images --repository-name ${NAME} --region eu-west-1 --query 'imageIds[].imageTag'\``,
      ),
    );
  });

  it('GIVEN no tag and no service stack THEN a usage error asking for a tag', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError());
    await expect(scan().run).rejects.toThrow(
      /^no tag given and stack hello-world-ecr-ecs-fargate is not deployed in eu-west-1: name one, e\.g\. `npx nx run infra:scan -- TAG`/,
    );
  });

  it('GIVEN an image pushed while scan on push was off THEN a usage error saying how to start a scan', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(scanNotFoundError());
    await expect(scan().run).rejects.toThrow(
      `${NAME} holds no scan of ${TAG} (pushed while scan on push was off): start one with \`aws ecr start-image-scan --repository-name ${NAME} --image-id imageDigest=${IMAGE_DIGEST} --region eu-west-1\`, then run scan again`,
    );
  });
});

describe('infra:scan', () => {
  it('GIVEN a tag and --json THEN prints the scan as data, exit 0', async () => {
    const o = ops(['scan', OTHER_TAG, '--json']);
    expect(await o.run).toBe(0);
    const data = JSON.parse(o.out.join('\n'));
    expect(data).toMatchObject({
      repository: NAME,
      tag: OTHER_TAG,
      digest: IMAGE_DIGEST,
      tagFrom: 'argument',
      state: 'COMPLETE',
      counts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1 },
    });
    expect(data.findings[0]).toEqual({
      id: 'CVE-2024-5535',
      severity: 'CRITICAL',
      package: 'openssl',
      version: '3.0.11-1~deb12u2',
      uri: 'https://security-tracker.debian.org/tracker/CVE-2024-5535',
    });
  });

  it('GIVEN --max-severity=high THEN exit 1 and the line starts with infra:scan', async () => {
    const o = ops(['scan', '--max-severity=high']);
    expect(await o.run).toBe(1);
    expect(o.err).toEqual([`infra:scan: 2 findings at or above HIGH in ${TAG}`]);
  });

  it('GIVEN a severity that is not one THEN exit 2 with one line', async () => {
    const o = ops(['scan', '--max-severity', 'severe']);
    expect(await o.run).toBe(2);
    expect(o.err).toEqual([
      'infra:scan: --max-severity "severe" is not one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED (any case), e.g. --max-severity HIGH',
    ]);
  });

  it('GIVEN a tag not in the registry THEN exit 2 naming how to list the tags', async () => {
    ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'v9.9.9-ecr-ecs-fargate' }] })
      .rejects(awsError('ImageNotFoundException', 'The image requested does not exist'));
    const o = ops(['scan', 'v9.9.9-ecr-ecs-fargate']);
    expect(await o.run).toBe(2);
    expect(o.err).toHaveLength(1);
    expect(o.err[0]).toMatch(
      /^infra:scan: image tag v9\.9\.9-ecr-ecs-fargate is not in .*aws ecr list-images/,
    );
  });

  it('GIVEN something that cannot be a tag THEN exit 2 before any AWS call', async () => {
    const o = ops(['scan', 'bad/tag']);
    expect(await o.run).toBe(2);
    expect(o.err[0]).toMatch(/^infra:scan: invalid image tag "bad\/tag": use 1-128 of/);
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('GIVEN two tags THEN exit 2: scan takes one', async () => {
    const o = ops(['scan', TAG, OTHER_TAG]);
    expect(await o.run).toBe(2);
    expect(o.err[0]).toBe(
      `infra:scan: unexpected argument "${OTHER_TAG}" after scan: options start with --, see --help`,
    );
  });

  it('GIVEN --max-severity on another command THEN exit 2', async () => {
    const o = ops(['status', '--max-severity', 'HIGH']);
    expect(await o.run).toBe(2);
    expect(o.err[0]).toMatch(/--max-severity does not apply to status/);
  });

  it('GIVEN the service stack runs another tag THEN the default follows it', async () => {
    cfnMock
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ Parameters: stackParameters({ imageTag: OTHER_TAG }) })] });
    const o = ops(['scan', '--json']);
    expect(await o.run).toBe(0);
    expect(JSON.parse(o.out.join('\n'))).toMatchObject({
      tag: OTHER_TAG,
      tagFrom: 'service-stack',
    });
  });
});
