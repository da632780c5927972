import {
  DescribeImageScanFindingsCommand,
  paginateDescribeImageScanFindings,
  waitUntilImageScanComplete,
  type DescribeImageScanFindingsCommandOutput,
  type ECRClient,
  type EnhancedImageScanFinding,
  type ImageScanFinding,
} from '@aws-sdk/client-ecr';
import { Clock, isAbortError, systemClock } from '../clock';
import { OpsError } from '../errors';
import { deploymentCommand } from '../findings';

/** ECR's finding severities, lowest first; Inspector's UNTRIAGED counts as UNDEFINED. */
export const FINDING_SEVERITIES = [
  'UNDEFINED',
  'INFORMATIONAL',
  'LOW',
  'MEDIUM',
  'HIGH',
  'CRITICAL',
] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** The rank of a severity: higher is worse. */
export function severityRank(severity: FindingSeverity): number {
  return FINDING_SEVERITIES.indexOf(severity);
}

/** `high`, `HIGH` → HIGH; undefined when the text names no severity. */
export function readSeverity(text: string): FindingSeverity | undefined {
  const upper = text.trim().toUpperCase();
  return (FINDING_SEVERITIES as readonly string[]).includes(upper)
    ? (upper as FindingSeverity)
    : undefined;
}

/** A severity as ECR or Inspector spells it; anything else (UNTRIAGED) is UNDEFINED. */
function toSeverity(text: string | undefined): FindingSeverity {
  return (text && readSeverity(text)) || 'UNDEFINED';
}

/**
 * Where the scan of an image stands, as this library reports it:
 * - COMPLETE: findings readable (basic scanning's COMPLETE, or continuous enhanced scanning's
 *   ACTIVE);
 * - PENDING: still PENDING or IN_PROGRESS when the wait ran out;
 * - FAILED: ECR's FAILED, and the states that leave no usable result (FINDINGS_UNAVAILABLE,
 *   SCAN_ELIGIBILITY_EXPIRED, LIMIT_EXCEEDED, IMAGE_ARCHIVED): `scanStatus` keeps which;
 * - UNSUPPORTED_IMAGE: ECR cannot scan this image's operating system;
 * - NONE: ECR holds no scan of the image (ScanNotFoundException): scan on push was off when it
 *   was pushed, and nobody started a scan.
 */
export type ImageScanState = 'COMPLETE' | 'PENDING' | 'FAILED' | 'UNSUPPORTED_IMAGE' | 'NONE';

/** One vulnerable package of a finding: basic findings have one, enhanced ones may list several. */
export interface ImageScanFindingRow {
  /** The vulnerability, e.g. CVE-2024-6119. */
  id: string;
  severity: FindingSeverity;
  package?: string;
  version?: string;
  /** Where the vulnerability is described. */
  uri?: string;
}

export interface ImageScanResult {
  state: ImageScanState;
  /** ECR's own status (ACTIVE, FINDINGS_UNAVAILABLE…), when it gave one. */
  scanStatus?: string;
  /** ECR's description of that status, or of the missing scan. */
  description?: string;
  /** basic (ECR's Clair-based findings) or enhanced (Amazon Inspector's), once COMPLETE. */
  scanType?: 'basic' | 'enhanced';
  /** ISO time the scan completed (basic scanning reports it). */
  completedAt?: string;
  /** Findings per severity, as ECR counts them (findingSeverityCounts). */
  counts: Partial<Record<FindingSeverity, number>>;
  /** Every finding of every page, worst first. */
  findings: ImageScanFindingRow[];
  /** How long this call waited for a pending scan, by the clock given. */
  waitedMs: number;
}

export interface ReadImageScanOptions {
  repositoryName: string;
  imageDigest: string;
  /** How long to wait for a PENDING or IN_PROGRESS scan; then the state is PENDING. */
  maxWaitMs: number;
  /** The waiter's delays between polls, in seconds (tests pass tiny ones). @default 5 and 30 */
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
  /** Measures the wait and bounds it (besides the waiter's own maxWaitTime). */
  clock?: Clock;
  /** Aborted on Ctrl-C: the wait stops with an AbortError. */
  signal?: AbortSignal;
  /** Called once when the scan is not finished at the first look, before the wait. */
  onWait?: (scanStatus: string) => void;
  /** The deployment project a missing repository's message names. @default infra */
  project?: string;
}

/** States worth waiting for. */
const RUNNING = new Set(['PENDING', 'IN_PROGRESS']);
/** COMPLETE for basic scanning; ACTIVE is how continuous enhanced scanning reports findings. */
const READABLE = new Set(['COMPLETE', 'ACTIVE']);

/**
 * The scan-on-push result of one image (by digest) and all its findings. A scan still running is
 * waited for with the SDK's waitUntilImageScanComplete, at most maxWaitMs; the findings are then
 * read with the SDK paginator. Needs ecr:DescribeImageScanFindings on the repository.
 */
export async function readImageScan(
  client: ECRClient,
  options: ReadImageScanOptions,
): Promise<ImageScanResult> {
  const clock = options.clock ?? systemClock;
  const input = {
    repositoryName: options.repositoryName,
    imageId: { imageDigest: options.imageDigest },
  };
  let first: DescribeImageScanFindingsCommandOutput;
  try {
    first = await client.send(new DescribeImageScanFindingsCommand(input));
  } catch (error) {
    return noScan(error, options);
  }
  let status = first.imageScanStatus?.status ?? 'PENDING';
  let waitedMs = 0;
  if (RUNNING.has(status)) {
    options.onWait?.(status);
    const started = clock.now();
    let last: DescribeImageScanFindingsCommandOutput | undefined;
    try {
      last = await waitForScan(client, input, options, clock, started);
    } catch (error) {
      // The scan (or image) vanished while waited for: reported as if missing at the first look.
      if (!isFinalError(error)) throw error;
      return { ...noScan(error, options), waitedMs: clock.now() - started };
    }
    waitedMs = clock.now() - started;
    if (!last) return { ...pending(first), waitedMs };
    first = last;
    status = first.imageScanStatus?.status ?? 'PENDING';
  }
  if (!READABLE.has(status)) {
    return {
      ...(RUNNING.has(status) ? pending(first) : stopped(first)),
      waitedMs,
    };
  }
  return { ...(await readFindings(client, input, first)), waitedMs };
}

/**
 * Waits with the SDK waiter; the last answer once the scan left PENDING/IN_PROGRESS, undefined
 * when the wait ran out. The waiter only knows COMPLETE (success) and FAILED: every other answer,
 * ACTIVE included, it would retry until its maxWaitTime (aws/aws-sdk#288). So it polls through a
 * client that watches each answer and stops it, through its abort controller, on any final
 * state, or when the clock passes the deadline.
 */
async function waitForScan(
  client: ECRClient,
  input: { repositoryName: string; imageId: { imageDigest: string } },
  options: ReadImageScanOptions,
  clock: Clock,
  started: number,
): Promise<DescribeImageScanFindingsCommandOutput | undefined> {
  const stop = new AbortController();
  let last: DescribeImageScanFindingsCommandOutput | undefined;
  let lastError: unknown;
  const watched = {
    config: client.config,
    send: async (command: DescribeImageScanFindingsCommand) => {
      try {
        const answer = await client.send(command);
        last = answer;
        lastError = undefined;
        const status = answer.imageScanStatus?.status ?? 'PENDING';
        if (!RUNNING.has(status) || clock.now() - started >= options.maxWaitMs) stop.abort();
        return answer;
      } catch (error) {
        // Throttling and blips are retried by the waiter; a missing scan or image, or a denied
        // call, is final.
        lastError = error;
        if (stopsWait(error)) stop.abort();
        throw error;
      }
    },
  } as unknown as ECRClient;
  const minDelay = options.minDelaySeconds ?? 5;
  const maxWaitTime = Math.max(options.maxWaitMs / 1000, minDelay * 2);
  try {
    const result = await waitUntilImageScanComplete(
      {
        client: watched,
        maxWaitTime,
        minDelay,
        maxDelay: Math.max(options.maxDelaySeconds ?? 30, minDelay),
        abortController: stop,
        ...(options.signal ? { abortSignal: options.signal } : {}),
      },
      input,
    );
    return result.reason ?? last;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (lastError && stopsWait(lastError)) throw lastError;
    // FAILED (the waiter's failure), a final state seen, or the deadline: the last answer says.
    if (isAbortError(error) || isWaiterError(error)) {
      const status = last?.imageScanStatus?.status;
      return status && !RUNNING.has(status) ? last : undefined;
    }
    throw error;
  }
}

function isFinalError(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return (
    name === 'ScanNotFoundException' ||
    name === 'ImageNotFoundException' ||
    name === 'RepositoryNotFoundException'
  );
}

/** An error no retry mends: the caller's (4xx), except throttling. */
function stopsWait(error: unknown): boolean {
  const { name = '', $fault } = error as { name?: string; $fault?: string };
  return (
    isFinalError(error) ||
    ($fault === 'client' && !/Throttl|TooManyRequests|RequestLimitExceeded/.test(name))
  );
}

/** The waiter's TimeoutError, or the plain Error it throws for a FAILURE state. */
function isWaiterError(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'TimeoutError' || (error instanceof Error && error.message.startsWith('{'));
}

function noScan(error: unknown, options: ReadImageScanOptions): ImageScanResult {
  const name = (error as { name?: string })?.name;
  if (name === 'ScanNotFoundException') {
    return {
      state: 'NONE',
      description: (error as Error).message,
      counts: {},
      findings: [],
      waitedMs: 0,
    };
  }
  if (name === 'ImageNotFoundException') {
    throw new OpsError(
      'unknown',
      `image ${options.imageDigest} is not in repository ${options.repositoryName}: push it first`,
    );
  }
  if (name === 'RepositoryNotFoundException') {
    throw new OpsError(
      'stack-not-found',
      `ECR repository ${options.repositoryName} does not exist: deploy the registry stack first (\`${deploymentCommand('deploy', options.project)}\`)`,
    );
  }
  throw error;
}

function pending(
  answer: DescribeImageScanFindingsCommandOutput,
): Omit<ImageScanResult, 'waitedMs'> {
  return {
    state: 'PENDING',
    scanStatus: answer.imageScanStatus?.status ?? 'PENDING',
    ...describe(answer),
    counts: {},
    findings: [],
  };
}

function stopped(
  answer: DescribeImageScanFindingsCommandOutput,
): Omit<ImageScanResult, 'waitedMs'> {
  const status = answer.imageScanStatus?.status ?? 'FAILED';
  return {
    state: status === 'UNSUPPORTED_IMAGE' ? 'UNSUPPORTED_IMAGE' : 'FAILED',
    scanStatus: status,
    ...describe(answer),
    counts: {},
    findings: [],
  };
}

function describe(answer: DescribeImageScanFindingsCommandOutput): { description?: string } {
  const description = answer.imageScanStatus?.description;
  return description ? { description } : {};
}

/**
 * Every page of findings: the first answer's, then the paginator's from its nextToken (no page
 * is read twice).
 */
async function readFindings(
  client: ECRClient,
  input: { repositoryName: string; imageId: { imageDigest: string } },
  first: DescribeImageScanFindingsCommandOutput,
): Promise<Omit<ImageScanResult, 'waitedMs'>> {
  const pages = [first];
  if (first.nextToken) {
    for await (const page of paginateDescribeImageScanFindings(
      { client, startingToken: first.nextToken },
      input,
    )) {
      pages.push(page);
    }
  }
  const basic = pages.flatMap((p) => p.imageScanFindings?.findings ?? []);
  const enhanced = pages.flatMap((p) => p.imageScanFindings?.enhancedFindings ?? []);
  const rows = [...basic.map(fromBasic), ...enhanced.flatMap(fromEnhanced)].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id),
  );
  const findings = first.imageScanFindings;
  const reported = findings?.findingSeverityCounts;
  const completedAt = findings?.imageScanCompletedAt;
  return {
    state: 'COMPLETE',
    scanStatus: first.imageScanStatus?.status ?? 'COMPLETE',
    ...describe(first),
    // Enhanced findings arrive as their own list; an ACTIVE status is enhanced scanning too.
    scanType:
      enhanced.length > 0 || first.imageScanStatus?.status === 'ACTIVE' ? 'enhanced' : 'basic',
    ...(completedAt ? { completedAt: completedAt.toISOString() } : {}),
    counts: reported
      ? countsOf(reported)
      : countRows([...basic.map(fromBasic), ...enhanced.map(oneRow)]),
    findings: rows,
  };
}

function countsOf(reported: Record<string, number | undefined>): ImageScanResult['counts'] {
  const counts: ImageScanResult['counts'] = {};
  for (const [severity, count] of Object.entries(reported)) {
    if (!count) continue;
    const key = toSeverity(severity);
    counts[key] = (counts[key] ?? 0) + count;
  }
  return counts;
}

function countRows(rows: ImageScanFindingRow[]): ImageScanResult['counts'] {
  const counts: ImageScanResult['counts'] = {};
  for (const row of rows) counts[row.severity] = (counts[row.severity] ?? 0) + 1;
  return counts;
}

function fromBasic(finding: ImageScanFinding): ImageScanFindingRow {
  const attribute = (key: string) => finding.attributes?.find((a) => a.key === key)?.value;
  return definedOnly({
    id: finding.name ?? 'unnamed finding',
    severity: toSeverity(finding.severity),
    package: attribute('package_name'),
    version: attribute('package_version'),
    uri: finding.uri,
  });
}

/** One row per vulnerable package of an Inspector finding. */
function fromEnhanced(finding: EnhancedImageScanFinding): ImageScanFindingRow[] {
  const details = finding.packageVulnerabilityDetails;
  const base = oneRow(finding);
  const packages = details?.vulnerablePackages ?? [];
  if (packages.length === 0) return [base];
  return packages.map((p) => definedOnly({ ...base, package: p.name, version: p.version }));
}

function oneRow(finding: EnhancedImageScanFinding): ImageScanFindingRow {
  const details = finding.packageVulnerabilityDetails;
  return definedOnly({
    id: details?.vulnerabilityId ?? finding.title ?? finding.findingArn ?? 'unnamed finding',
    severity: toSeverity(finding.severity),
    uri: details?.sourceUrl ?? details?.referenceUrls?.[0],
  });
}

function definedOnly<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as T;
}
