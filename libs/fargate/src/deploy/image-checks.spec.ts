import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  GetDownloadUrlForLayerCommand,
} from '@aws-sdk/client-ecr';
import {
  BASIC_FINDINGS,
  IMAGE_CONFIG,
  REPOSITORY_URI,
  TAG,
  arrangeHealthyDeployment,
  basicScanComplete,
  configBlobFetch,
  fakeClock,
  mockAwsClients,
  scanPending,
} from '@hello-world/aws-ops/testing';
import { checkImage, type ImageCheckContext } from './image-checks';

const aws = mockAwsClients();
const DIGEST = 'sha256:' + 'cd'.repeat(32);
const image = { repository: REPOSITORY_URI, tag: TAG, digest: DIGEST };
const ARM64_CONFIG = IMAGE_CONFIG.replace('"architecture":"amd64"', '"architecture":"arm64"');

function context(overrides: Partial<ImageCheckContext> = {}): ImageCheckContext {
  return {
    project: 'infra',
    service: 'hello-world',
    taskArchitecture: 'X86_64',
    scanGate: { maxSeverity: 'CRITICAL', allowVulnerable: false, minDelaySeconds: 0.001 },
    clients: aws.clients(),
    fetchText: configBlobFetch(),
    clock: fakeClock(),
    ...overrides,
  };
}

beforeEach(() => arrangeHealthyDeployment(aws));

describe('checkImage: built for the task CPU', () => {
  it('GIVEN an amd64 image and an X86_64 task THEN it passes and records the platform', async () => {
    const progress: string[] = [];
    const result = await checkImage(context(), image, (line) => progress.push(line));
    expect(result).toMatchObject({ ok: true, checked: { platforms: ['linux/amd64'] } });
    expect(progress[0]).toBe(`image ${TAG} is built for linux/amd64: the task runs X86_64`);
  });

  it('GIVEN an amd64 image and an ARM64 task THEN refused before the scan, naming the rebuild', async () => {
    const result = await checkImage(context({ taskArchitecture: 'ARM64' }), image, () => undefined);
    expect(result).toEqual({
      ok: false,
      message: `image ${REPOSITORY_URI}:${TAG} is built for linux/amd64, but the task runs ARM64: rebuild with CPU_ARCHITECTURE=ARM64 npx nx run hello-world:docker-push (or --platform=linux/arm64)`,
    });
    expect(aws.ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0);
  });

  it('GIVEN an arm64 image (its config blob says so) and an ARM64 task THEN it passes', async () => {
    const result = await checkImage(
      context({ taskArchitecture: 'ARM64', fetchText: configBlobFetch(ARM64_CONFIG) }),
      image,
      () => undefined,
    );
    expect(result).toMatchObject({ ok: true, checked: { platforms: ['linux/arm64'] } });
    // The platform was read from ECR by the tag deployed, its config blob by the manifest's digest.
    expect(aws.ecr.commandCalls(BatchGetImageCommand)[0]?.args[0].input.imageIds).toEqual([
      { imageTag: TAG },
    ]);
    expect(aws.ecr.commandCalls(GetDownloadUrlForLayerCommand)).toHaveLength(1);
  });
});

describe('checkImage: the scan gate', () => {
  it('GIVEN a CRITICAL finding THEN refused, listing it with the next steps', async () => {
    aws.ecr.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete(BASIC_FINDINGS));
    const result = await checkImage(context(), image, () => undefined);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /^sha-\S+ has 1 finding at or above CRITICAL: CVE-2024-5535 CRITICAL openssl@3\.0\.11-1~deb12u2; fix the image .* or deploy anyway with --allow-vulnerable$/,
    );
  });

  it('GIVEN the same finding and --allow-vulnerable THEN it goes on, with a warning the receipt keeps', async () => {
    aws.ecr.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete(BASIC_FINDINGS));
    const progress: string[] = [];
    const result = await checkImage(
      context({
        scanGate: { maxSeverity: 'CRITICAL', allowVulnerable: true, minDelaySeconds: 0.001 },
      }),
      image,
      (line) => progress.push(line),
    );
    expect(result).toMatchObject({
      ok: true,
      checked: { scan: { allowVulnerable: true, atOrAbove: 1, state: 'COMPLETE' } },
    });
    expect(result.ok && result.checked.warning).toMatch(/^deploying anyway \(--allow-vulnerable\)/);
    expect(progress.at(-1)).toMatch(/^WARNING: deploying anyway \(--allow-vulnerable\)/);
  });

  it('GIVEN --max-severity HIGH THEN a HIGH finding is refused too', async () => {
    aws.ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(basicScanComplete(BASIC_FINDINGS.filter((f) => f.severity !== 'CRITICAL')));
    const result = await checkImage(
      context({
        scanGate: { maxSeverity: 'HIGH', allowVulnerable: false, minDelaySeconds: 0.001 },
      }),
      image,
      () => undefined,
    );
    expect(!result.ok && result.message).toMatch(
      /has 1 finding at or above HIGH: CVE-2024-6119 HIGH/,
    );
  });

  it('GIVEN a scan still pending past the bound THEN refused, naming infra:scan', async () => {
    // Each answer takes 10 s of the fake clock, as a poll of ECR would.
    const clock = fakeClock();
    aws.ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      await clock.sleep(10_000);
      return scanPending();
    });
    const result = await checkImage(
      context({
        clock,
        scanGate: {
          maxSeverity: 'CRITICAL',
          allowVulnerable: false,
          timeoutMs: 30_000,
          minDelaySeconds: 0.001,
        },
      }),
      image,
      () => undefined,
    );
    expect(!result.ok && result.message).toMatch(
      /^the scan of sha-\S+ was still PENDING after 30 s: see its findings with `npx nx run infra:scan -- sha-\S+` when it ends/,
    );
  });
});
