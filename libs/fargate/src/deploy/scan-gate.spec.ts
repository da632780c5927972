import { DescribeImageScanFindingsCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  BASIC_FINDINGS,
  IMAGE_DIGEST,
  NAME,
  TAG,
  basicFinding,
  basicScanComplete,
  enhancedScanActive,
  fakeClock,
  scanInProgress,
  scanNotFoundError,
  scanPending,
  scanStatus,
} from '@hello-world/aws-ops/testing';
import { parseCli, UsageError } from '@hello-world/cli';
import { mockClient } from 'aws-sdk-client-mock';
import { SCAN_GATE_OPTIONS, ScanGateOptions, checkImageScan, parseMaxSeverity } from './scan-gate';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'eu-west-1' });
const POLL_MS = 20_000;

function gate(overrides: Partial<ScanGateOptions> = {}) {
  const clock = fakeClock();
  const progress: string[] = [];
  const run = checkImageScan(ecr, {
    repositoryName: NAME,
    imageDigest: IMAGE_DIGEST,
    imageTag: TAG,
    maxSeverity: 'CRITICAL',
    allowVulnerable: false,
    timeoutMs: 5 * 60_000,
    clock,
    progress: (line) => progress.push(line),
    minDelaySeconds: 0.001,
    maxDelaySeconds: 0.002,
    ...overrides,
  });
  return { run, progress, clock };
}

/** ECR answers in turn (the last repeats), each taking POLL_MS of the test's fake clock. */
function answersInTurn(answers: object[], clock = fakeClock()) {
  let call = 0;
  ecrMock.on(DescribeImageScanFindingsCommand).callsFake(async () => {
    const next = answers[Math.min(call++, answers.length - 1)];
    await clock.sleep(POLL_MS);
    if (next instanceof Error) throw next;
    return next;
  });
  return clock;
}

const NOT_CRITICAL = BASIC_FINDINGS.filter((f) => f.severity !== 'CRITICAL');

beforeEach(() => ecrMock.reset());

describe('checkImageScan', () => {
  it('GIVEN a scan pending, then complete without critical findings THEN waits, announces it, and passes', async () => {
    const clock = answersInTurn([scanPending(), scanInProgress(), basicScanComplete(NOT_CRITICAL)]);
    const { run, progress } = gate({ clock });
    const result = await run;
    expect(progress).toEqual([`waiting for the image scan of ${TAG} (PENDING), up to 5 min`]);
    expect(result).toMatchObject({ verdict: 'passed', proceed: true });
    expect(result.message).toBe(
      `image scan passed: nothing at or above CRITICAL in ${TAG} (1 HIGH, 1 MEDIUM, 1 LOW)`,
    );
    expect(result.record).toMatchObject({
      state: 'COMPLETE',
      digest: IMAGE_DIGEST,
      atOrAbove: 0,
      blocking: [],
      waitedMs: 2 * POLL_MS,
    });
  });

  it('GIVEN a clean image THEN passes with no findings', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete([]));
    const result = await gate().run;
    expect(result).toMatchObject({ verdict: 'passed', proceed: true });
    expect(result.summary).toBe(
      `image scan of ${TAG}: basic scan complete, no findings; passed (max severity CRITICAL)`,
    );
  });

  it('GIVEN a CRITICAL finding THEN refuses in one line naming it and the next steps', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete());
    const result = await gate().run;
    expect(result).toMatchObject({ verdict: 'refused', proceed: false });
    expect(result.message).toBe(
      `${TAG} has 1 finding at or above CRITICAL: CVE-2024-5535 CRITICAL openssl@3.0.11-1~deb12u2; fix the image (update its base image or packages, then push and deploy again), or deploy anyway with --allow-vulnerable`,
    );
    expect(result.message).not.toContain('\n');
  });

  it('GIVEN --max-severity HIGH THEN refuses HIGH and CRITICAL findings and offers --max-severity=CRITICAL', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete());
    const result = await gate({ maxSeverity: 'HIGH' }).run;
    expect(result.verdict).toBe('refused');
    expect(result.message).toContain(
      'has 2 findings at or above HIGH: CVE-2024-5535 CRITICAL openssl@3.0.11-1~deb12u2, CVE-2024-6119 HIGH openssl@3.0.11-1~deb12u2;',
    );
    expect(result.message).toContain('accept them with --max-severity=CRITICAL');
    expect(result.record.blocking.map((f) => f.id)).toEqual(['CVE-2024-5535', 'CVE-2024-6119']);
  });

  it('GIVEN findings at or above the bar and --allow-vulnerable THEN deploys with a warning the receipt records', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete());
    const result = await gate({ allowVulnerable: true }).run;
    expect(result).toMatchObject({ verdict: 'allowed', proceed: true });
    expect(result.message).toMatch(
      /^WARNING: deploying anyway \(--allow-vulnerable\): .*CVE-2024-5535/,
    );
    expect(result.record).toMatchObject({
      allowVulnerable: true,
      maxSeverity: 'CRITICAL',
      atOrAbove: 1,
      counts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1 },
    });
  });

  it('GIVEN more than ten findings at or above the bar THEN lists ten and says how many more', async () => {
    const many = Array.from({ length: 13 }, (_, i) =>
      basicFinding(`CVE-2025-${1000 + i}`, 'HIGH', 'libc6', '2.36-9+deb12u4'),
    );
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete(many));
    const result = await gate({ maxSeverity: 'HIGH' }).run;
    expect(result.message).toContain('CVE-2025-1009 HIGH libc6@2.36-9+deb12u4 and 3 more');
    expect(result.message).toContain(`npx nx run infra:scan -- ${TAG}`);
    expect(result.message).not.toContain('CVE-2025-1010');
    expect(result.record.blocking).toHaveLength(10);
  });

  it('GIVEN enhanced scanning (Inspector) with HIGH findings and --max-severity HIGH THEN refuses naming each package', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(enhancedScanActive());
    const result = await gate({ maxSeverity: 'HIGH' }).run;
    expect(result.verdict).toBe('refused');
    expect(result.message).toContain(
      'CVE-2024-21538 HIGH cross-spawn@7.0.3, CVE-2024-45590 HIGH body-parser@1.20.2, CVE-2024-45590 HIGH raw-body@2.5.2',
    );
    expect(result.record.scanType).toBe('enhanced');
  });

  it('GIVEN the scan still running when the wait runs out THEN refuses, naming infra:scan and --allow-vulnerable', async () => {
    const clock = answersInTurn([scanInProgress()]);
    const result = await gate({ clock, timeoutMs: 2 * 60_000 }).run;
    expect(result).toMatchObject({ verdict: 'not-scanned', proceed: false });
    expect(result.message).toBe(
      `the scan of ${TAG} was still IN_PROGRESS after 2 min: see its findings with \`npx nx run infra:scan -- ${TAG}\` when it ends, then deploy again, or deploy unchecked with --allow-vulnerable`,
    );
    expect(result.record.state).toBe('PENDING');
  });

  it('GIVEN the wait runs out and --allow-vulnerable THEN deploys unchecked with a warning', async () => {
    const clock = answersInTurn([scanPending()]);
    const result = await gate({ clock, timeoutMs: 60_000, allowVulnerable: true }).run;
    expect(result).toMatchObject({ verdict: 'not-scanned', proceed: true });
    expect(result.message).toMatch(
      /^WARNING: deploying unchecked \(--allow-vulnerable\): the scan/,
    );
  });

  it('GIVEN scanning was off when the image was pushed THEN deploys with a warning saying how to scan it', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(scanNotFoundError());
    const result = await gate().run;
    expect(result).toMatchObject({ verdict: 'not-scanned', proceed: true });
    expect(result.message).toContain(`${NAME} holds no scan of ${TAG}`);
    expect(result.message).toContain(
      `aws ecr start-image-scan --repository-name ${NAME} --image-id imageDigest=${IMAGE_DIGEST}`,
    );
    expect(result.record.state).toBe('NONE');
  });

  it('GIVEN a failed scan THEN refuses unless --allow-vulnerable, saying how to scan again', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolves(scanStatus('FAILED', 'The scan failed due to an internal error.'));
    const result = await gate().run;
    expect(result).toMatchObject({ verdict: 'not-scanned', proceed: false });
    expect(result.message).toContain(
      `the scan of ${TAG} ended FAILED (The scan failed due to an internal error.)`,
    );
    expect(result.message).toContain('aws ecr start-image-scan');
  });

  it('GIVEN an image ECR cannot scan THEN deploys with a warning', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolves(scanStatus('UNSUPPORTED_IMAGE', 'The operating system is not supported.'));
    const result = await gate().run;
    expect(result).toMatchObject({ verdict: 'not-scanned', proceed: true });
    expect(result.message).toMatch(/^WARNING: ECR cannot scan/);
  });

  it('GIVEN another deployment THEN its refusal names that project scan', async () => {
    const clock = answersInTurn([scanInProgress()]);
    const result = await gate({ clock, timeoutMs: 60_000, project: 'greeter-infra' }).run;
    expect(result.message).toContain(`npx nx run greeter-infra:scan -- ${TAG}`);
  });
});

describe('--max-severity and --allow-vulnerable', () => {
  const spec = { options: SCAN_GATE_OPTIONS };

  it('GIVEN neither THEN CRITICAL and not allowed', () => {
    const parsed = parseCli([], spec);
    expect(parsed).toMatchObject({
      values: { 'max-severity': 'CRITICAL', 'allow-vulnerable': false },
    });
  });

  it('GIVEN --max-severity=high --allow-vulnerable THEN HIGH, allowed', () => {
    const parsed = parseCli(['--max-severity=high', '--allow-vulnerable'], spec);
    expect(parsed).toMatchObject({ values: { 'max-severity': 'HIGH', 'allow-vulnerable': true } });
  });

  it('GIVEN a severity that is not one THEN one line listing them', () => {
    expect(() => parseCli(['--max-severity', 'severe'], spec)).toThrow(
      new UsageError(
        '--max-severity "severe" is not one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED (any case), e.g. --max-severity HIGH',
      ),
    );
  });

  it('GIVEN no text THEN parseMaxSeverity leaves the default to the caller', () => {
    expect(parseMaxSeverity(undefined)).toBeUndefined();
    expect(parseMaxSeverity('Medium')).toBe('MEDIUM');
  });
});
