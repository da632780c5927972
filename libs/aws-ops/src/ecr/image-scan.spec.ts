import { DescribeImageScanFindingsCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { OpsError } from '../errors';
import { fakeClock } from '../testing/fake-clock';
import { NAME, awsError } from '../testing/fixtures';
import {
  BASIC_FINDINGS,
  IMAGE_DIGEST,
  basicFinding,
  basicScanComplete,
  enhancedScanActive,
  scanInProgress,
  scanNotFoundError,
  scanPending,
  scanStatus,
} from '../testing/image-scan-fixtures';
import {
  FINDING_SEVERITIES,
  ReadImageScanOptions,
  readImageScan,
  readSeverity,
  severityRank,
} from './image-scan';

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: 'eu-west-1' });
/** Each answer of AWS takes this long on the fake clock, so the wait is measured. */
const POLL_MS = 30_000;

function options(overrides: Partial<ReadImageScanOptions> = {}): ReadImageScanOptions {
  return {
    repositoryName: NAME,
    imageDigest: IMAGE_DIGEST,
    maxWaitMs: 5 * 60_000,
    // Tiny waiter delays: the fake clock, not real time, measures the wait.
    minDelaySeconds: 0.001,
    maxDelaySeconds: 0.002,
    ...overrides,
  };
}

/** ECR answers in turn (the last one repeats), each after POLL_MS on the clock. */
function answersInTurn(clock: ReturnType<typeof fakeClock>, answers: object[]) {
  let call = 0;
  ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
    const next = answers[Math.min(call++, answers.length - 1)];
    await clock.sleep(POLL_MS);
    if (next instanceof Error) throw next;
    return next;
  });
}

beforeEach(() => ecr.reset());

describe('readImageScan', () => {
  it('GIVEN a finished basic scan THEN returns every finding worst first, with package, version, uri and counts', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete());
    const result = await readImageScan(client, options());
    expect(result).toMatchObject({
      state: 'COMPLETE',
      scanStatus: 'COMPLETE',
      scanType: 'basic',
      completedAt: '2026-11-25T18:00:42.000Z',
      counts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1 },
      waitedMs: 0,
    });
    expect(result.findings).toEqual([
      {
        id: 'CVE-2024-5535',
        severity: 'CRITICAL',
        package: 'openssl',
        version: '3.0.11-1~deb12u2',
        uri: 'https://security-tracker.debian.org/tracker/CVE-2024-5535',
      },
      expect.objectContaining({ id: 'CVE-2024-6119', severity: 'HIGH' }),
      expect.objectContaining({ id: 'CVE-2023-50495', severity: 'MEDIUM', package: 'ncurses' }),
      expect.objectContaining({ id: 'CVE-2011-3374', severity: 'LOW', package: 'apt' }),
    ]);
  });

  it('GIVEN the image digest THEN asks ECR for the scan of that digest', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete());
    await readImageScan(client, options());
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[0].args[0].input).toEqual({
      repositoryName: NAME,
      imageId: { imageDigest: IMAGE_DIGEST },
    });
  });

  it('GIVEN findings over two pages THEN the paginator reads the second from the first nextToken', async () => {
    const [critical, high, ...rest] = BASIC_FINDINGS;
    const counts = { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1 };
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(basicScanComplete([critical, high], { nextToken: 'page-2' }, counts))
      .resolves(basicScanComplete(rest, {}, counts));
    const result = await readImageScan(client, options());
    expect(result.findings.map((f) => f.id)).toEqual([
      'CVE-2024-5535',
      'CVE-2024-6119',
      'CVE-2023-50495',
      'CVE-2011-3374',
    ]);
    const calls = ecr.commandCalls(DescribeImageScanFindingsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input).toMatchObject({ nextToken: 'page-2' });
    expect(result.counts).toEqual(counts);
  });

  it('GIVEN a clean basic scan (no counts reported) THEN COMPLETE with no findings and no counts', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete([]));
    const result = await readImageScan(client, options());
    expect(result).toMatchObject({ state: 'COMPLETE', counts: {}, findings: [] });
  });

  it('GIVEN continuous enhanced scanning (ACTIVE) THEN reads Inspector findings, one row per vulnerable package', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(enhancedScanActive());
    const result = await readImageScan(client, options());
    expect(result).toMatchObject({
      state: 'COMPLETE',
      scanStatus: 'ACTIVE',
      scanType: 'enhanced',
      // Inspector's UNTRIAGED has no rank of its own: it counts as UNDEFINED.
      counts: { HIGH: 2, UNDEFINED: 1 },
    });
    expect(result.findings).toEqual([
      {
        id: 'CVE-2024-21538',
        severity: 'HIGH',
        package: 'cross-spawn',
        version: '7.0.3',
        uri: 'https://nvd.nist.gov/vuln/detail/CVE-2024-21538',
      },
      expect.objectContaining({ id: 'CVE-2024-45590', package: 'body-parser', version: '1.20.2' }),
      expect.objectContaining({ id: 'CVE-2024-45590', package: 'raw-body', version: '2.5.2' }),
      expect.objectContaining({ id: 'GHSA-3xgq-45jj-v275', severity: 'UNDEFINED' }),
    ]);
  });

  it('GIVEN a scan pending then in progress then complete THEN waits for it and says so once', async () => {
    const clock = fakeClock();
    answersInTurn(clock, [scanPending(), scanInProgress(), basicScanComplete()]);
    const waits: string[] = [];
    const result = await readImageScan(
      client,
      options({ clock, onWait: (status) => waits.push(status) }),
    );
    expect(result).toMatchObject({ state: 'COMPLETE', counts: { CRITICAL: 1 } });
    expect(result.findings).toHaveLength(4);
    expect(waits).toEqual(['PENDING']);
    // The first look, then two polls of the waiter.
    expect(result.waitedMs).toBe(2 * POLL_MS);
  });

  it('GIVEN enhanced scanning turning ACTIVE THEN the wait stops there, not at the waiter timeout', async () => {
    const clock = fakeClock();
    answersInTurn(clock, [scanPending(), enhancedScanActive()]);
    const result = await readImageScan(client, options({ clock }));
    expect(result).toMatchObject({ state: 'COMPLETE', scanType: 'enhanced' });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(2);
  });

  it('GIVEN a scan still in progress when the wait runs out THEN PENDING, after the bound by the clock', async () => {
    const clock = fakeClock();
    answersInTurn(clock, [scanInProgress()]);
    const result = await readImageScan(client, options({ clock, maxWaitMs: 3 * 60_000 }));
    expect(result).toMatchObject({
      state: 'PENDING',
      scanStatus: 'IN_PROGRESS',
      findings: [],
      counts: {},
    });
    expect(result.waitedMs).toBe(3 * 60_000);
  });

  it('GIVEN no scan of the image (scan on push off) THEN NONE, without waiting', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(scanNotFoundError());
    const result = await readImageScan(client, options());
    expect(result).toMatchObject({ state: 'NONE', findings: [], counts: {} });
    expect(result.description).toMatch(/Image scan does not exist/);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1);
  });

  it('GIVEN the scan fails while waited for THEN FAILED with ECR description', async () => {
    const clock = fakeClock();
    answersInTurn(clock, [
      scanInProgress(),
      scanStatus('FAILED', 'UnsupportedImageError: The operating system could not be detected.'),
    ]);
    const result = await readImageScan(client, options({ clock }));
    expect(result).toMatchObject({
      state: 'FAILED',
      scanStatus: 'FAILED',
      description: 'UnsupportedImageError: The operating system could not be detected.',
    });
  });

  it('GIVEN an image ECR cannot scan THEN UNSUPPORTED_IMAGE', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(
        scanStatus(
          'UNSUPPORTED_IMAGE',
          'The operating system and/or package manager are not supported.',
        ),
      );
    const result = await readImageScan(client, options());
    expect(result.state).toBe('UNSUPPORTED_IMAGE');
  });

  it('GIVEN findings no longer available (enhanced) THEN FAILED, keeping ECR status', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(scanStatus('FINDINGS_UNAVAILABLE', 'Findings are no longer available.'));
    const result = await readImageScan(client, options());
    expect(result).toMatchObject({ state: 'FAILED', scanStatus: 'FINDINGS_UNAVAILABLE' });
  });

  it('GIVEN throttling while waiting THEN the waiter retries it', async () => {
    const clock = fakeClock();
    answersInTurn(clock, [
      scanPending(),
      awsError('ThrottlingException', 'Rate exceeded'),
      basicScanComplete(),
    ]);
    const result = await readImageScan(client, options({ clock }));
    expect(result.state).toBe('COMPLETE');
  });

  it('GIVEN access denied while waiting THEN the wait stops with that error, not at the bound', async () => {
    const clock = fakeClock();
    const denied = Object.assign(
      awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: ecr:DescribeImageScanFindings',
      ),
      { $fault: 'client' },
    );
    answersInTurn(clock, [scanPending(), denied]);
    await expect(readImageScan(client, options({ clock }))).rejects.toBe(denied);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(2);
  });

  it('GIVEN the image is not in the repository THEN a one-line OpsError', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejects(awsError('ImageNotFoundException', 'The image requested does not exist'));
    await expect(readImageScan(client, options())).rejects.toThrow(
      new OpsError('unknown', `image ${IMAGE_DIGEST} is not in repository ${NAME}: push it first`),
    );
  });

  it('GIVEN no repository THEN a setup problem naming the deploy', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejects(awsError('RepositoryNotFoundException', 'The repository does not exist'));
    const error = await readImageScan(client, options({ project: 'greeter-infra' })).catch(
      (e: OpsError) => e,
    );
    expect(error).toMatchObject({ kind: 'stack-not-found' });
    expect((error as Error).message).toContain('npx nx run greeter-infra:deploy');
  });

  it('GIVEN Ctrl-C during the wait THEN an AbortError', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let calls = 0;
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      if (++calls === 2) controller.abort();
      await clock.sleep(1_000);
      return scanInProgress();
    });
    await expect(
      readImageScan(client, options({ clock, signal: controller.signal })),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('GIVEN one finding with an unknown severity THEN it ranks lowest', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(
        basicScanComplete([
          basicFinding('CVE-2025-0001', 'UNDEFINED', 'zlib', '1:1.2.13'),
          basicFinding('CVE-2025-0002', 'INFORMATIONAL', 'tar', '1.34'),
        ]),
      );
    const result = await readImageScan(client, options());
    expect(result.findings.map((f) => f.severity)).toEqual(['INFORMATIONAL', 'UNDEFINED']);
  });
});

describe('severities', () => {
  it('rank UNDEFINED < INFORMATIONAL < LOW < MEDIUM < HIGH < CRITICAL', () => {
    const ranked = [...FINDING_SEVERITIES].sort((a, b) => severityRank(a) - severityRank(b));
    expect(ranked).toEqual(['UNDEFINED', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
  });

  it('are read whatever the case, and a wrong one is undefined', () => {
    expect(readSeverity('high')).toBe('HIGH');
    expect(readSeverity(' Critical ')).toBe('CRITICAL');
    expect(readSeverity('severe')).toBeUndefined();
  });
});
