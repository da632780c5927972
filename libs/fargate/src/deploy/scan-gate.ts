import type { ECRClient } from '@aws-sdk/client-ecr';
import {
  Clock,
  FINDING_SEVERITIES,
  FindingSeverity,
  ImageScanFindingRow,
  ImageScanResult,
  ImageScanState,
  readImageScan,
  readSeverity,
  severityRank,
} from '@hello-world/aws-ops';
import { UsageError, type OptionSpecs } from '@hello-world/cli';

/** What deploy refuses by default: a CRITICAL finding. */
export const DEFAULT_MAX_SEVERITY: FindingSeverity = 'CRITICAL';

/** How long deploy waits for a scan on push still running (basic scans take a minute or two). */
export const DEFAULT_SCAN_TIMEOUT_MS = 5 * 60_000;

/** Findings a refusal names before "and N more". */
const LISTED_FINDINGS = 10;

/** `high`, `HIGH` → HIGH; undefined when absent; anything else is a one-line UsageError. */
export function parseMaxSeverity(text: string | undefined): FindingSeverity | undefined {
  if (text === undefined) return undefined;
  const severity = readSeverity(text);
  if (!severity) {
    const names = [...FINDING_SEVERITIES].reverse().join(', ');
    throw new UsageError(
      `--max-severity ${JSON.stringify(text)} is not one of ${names} (any case), e.g. --max-severity HIGH`,
    );
  }
  return severity;
}

/**
 * The scan gate's options, for a CLI spec (libs/cli): `--max-severity LEVEL` (default CRITICAL)
 * and `--allow-vulnerable`. Spread into the deploy's options.
 */
export const SCAN_GATE_OPTIONS = {
  'max-severity': {
    type: 'string',
    example: 'HIGH',
    parse: (text: string | undefined) => parseMaxSeverity(text) ?? DEFAULT_MAX_SEVERITY,
  },
  'allow-vulnerable': { type: 'boolean' },
} as const satisfies OptionSpecs;

/** Their lines for a usage text. */
export const SCAN_GATE_USAGE = `  --max-severity LEVEL   refuse to deploy an image whose scan finds anything at or above LEVEL:
                         INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL (default CRITICAL)
  --allow-vulnerable     deploy anyway: with such findings, or with no scan result in time
                         (the receipt records it)`;

/**
 * - passed: scanned, nothing at or above maxSeverity;
 * - allowed: findings at or above maxSeverity, deployed because of --allow-vulnerable;
 * - refused: findings at or above maxSeverity: do not deploy;
 * - not-scanned: no result to judge: the scan was still running when the wait ran out or it
 *   failed (refused unless --allow-vulnerable), or the image has no scan (scan on push off) or
 *   one ECR cannot make (UNSUPPORTED_IMAGE) (a warning: nothing would ever come).
 */
export type ScanGateVerdict = 'passed' | 'allowed' | 'refused' | 'not-scanned';

/** Plain data for the deploy receipt. */
export interface ScanRecord {
  tag: string;
  digest: string;
  state: ImageScanState;
  /** ECR's own status, e.g. COMPLETE, ACTIVE, IN_PROGRESS. */
  scanStatus?: string;
  scanType?: 'basic' | 'enhanced';
  completedAt?: string;
  maxSeverity: FindingSeverity;
  allowVulnerable: boolean;
  /** Every finding per severity. */
  counts: Partial<Record<FindingSeverity, number>>;
  /** How many findings are at or above maxSeverity. */
  atOrAbove: number;
  /** Those findings (at most ten), worst first. */
  blocking: ImageScanFindingRow[];
  waitedMs: number;
}

export interface ScanGateResult {
  verdict: ScanGateVerdict;
  /** Whether the deploy goes on. */
  proceed: boolean;
  /**
   * One line: for refused (and not-scanned that refuses) the error with the next steps; for
   * allowed and a not-scanned that proceeds, the warning; for passed, the summary.
   */
  message: string;
  /** One line for the deploy's log: the scan's state and counts, and the verdict. */
  summary: string;
  record: ScanRecord;
}

export interface ScanGateOptions {
  repositoryName: string;
  imageDigest: string;
  imageTag: string;
  maxSeverity: FindingSeverity;
  allowVulnerable: boolean;
  /** How long to wait for a scan still running. @default DEFAULT_SCAN_TIMEOUT_MS */
  timeoutMs?: number;
  clock?: Clock;
  /** Where the wait is announced (the deploy's progress lines). */
  progress?: (line: string) => void;
  signal?: AbortSignal;
  /** The deployment project whose `scan` the messages name. @default infra */
  project?: string;
  /** The waiter's delays in seconds; tests pass tiny ones. */
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
}

/**
 * The deploy's check of the image it is about to run, once the image is in the registry: waits
 * (bounded) for its scan on push, then passes, allows (--allow-vulnerable) or refuses it by the
 * worst severity it accepts. Needs ecr:DescribeImageScanFindings on the repository.
 */
export async function checkImageScan(
  ecr: ECRClient,
  options: ScanGateOptions,
): Promise<ScanGateResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS;
  const scan = await readImageScan(ecr, {
    repositoryName: options.repositoryName,
    imageDigest: options.imageDigest,
    maxWaitMs: timeoutMs,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.project ? { project: options.project } : {}),
    ...(options.minDelaySeconds ? { minDelaySeconds: options.minDelaySeconds } : {}),
    ...(options.maxDelaySeconds ? { maxDelaySeconds: options.maxDelaySeconds } : {}),
    onWait: (status) =>
      options.progress?.(
        `waiting for the image scan of ${options.imageTag} (${status}), up to ${formatDuration(timeoutMs)}`,
      ),
  });
  return judgeImageScan(scan, { ...options, timeoutMs });
}

/** The verdict on a scan result; pure, so every case is tested without AWS. */
export function judgeImageScan(
  scan: ImageScanResult,
  options: Pick<
    ScanGateOptions,
    'repositoryName' | 'imageDigest' | 'imageTag' | 'maxSeverity' | 'allowVulnerable' | 'project'
  > & { timeoutMs: number },
): ScanGateResult {
  const { imageTag: tag, maxSeverity, allowVulnerable } = options;
  const blockingRows = scan.findings.filter(
    (f) => severityRank(f.severity) >= severityRank(maxSeverity),
  );
  const counted = Object.entries(scan.counts)
    .filter(([s]) => severityRank(s as FindingSeverity) >= severityRank(maxSeverity))
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
  // ECR counts findings; Inspector's rows are per package: whichever says more.
  const atOrAbove = Math.max(counted, blockingRows.length);
  const record: ScanRecord = {
    tag,
    digest: options.imageDigest,
    state: scan.state,
    ...(scan.scanStatus ? { scanStatus: scan.scanStatus } : {}),
    ...(scan.scanType ? { scanType: scan.scanType } : {}),
    ...(scan.completedAt ? { completedAt: scan.completedAt } : {}),
    maxSeverity,
    allowVulnerable,
    counts: scan.counts,
    atOrAbove,
    blocking: blockingRows.slice(0, LISTED_FINDINGS),
    waitedMs: scan.waitedMs,
  };
  const scanCommand = `npx nx run ${options.project ?? 'infra'}:scan -- ${tag}`;
  const result = (verdict: ScanGateVerdict, proceed: boolean, message: string) => ({
    verdict,
    proceed,
    message,
    summary: `image scan of ${tag}: ${describeScan(scan)}; ${verdictText(verdict, proceed, maxSeverity)}`,
    record,
  });

  switch (scan.state) {
    case 'COMPLETE': {
      if (atOrAbove === 0) {
        return result(
          'passed',
          true,
          `image scan passed: nothing at or above ${maxSeverity} in ${tag} (${formatCounts(scan.counts)})`,
        );
      }
      const found = `${tag} has ${atOrAbove} finding${atOrAbove === 1 ? '' : 's'} at or above ${maxSeverity}: ${listFindings(blockingRows, atOrAbove, scanCommand)}`;
      if (allowVulnerable) {
        return result('allowed', true, `WARNING: deploying anyway (--allow-vulnerable): ${found}`);
      }
      return result('refused', false, `${found}; ${nextSteps(maxSeverity)}`);
    }
    case 'PENDING':
    case 'FAILED': {
      const why =
        scan.state === 'PENDING'
          ? `the scan of ${tag} was still ${scan.scanStatus ?? 'PENDING'} after ${formatDuration(options.timeoutMs)}`
          : `the scan of ${tag} ended ${scan.scanStatus ?? 'FAILED'}${scan.description ? ` (${scan.description})` : ''}`;
      if (allowVulnerable) {
        return result(
          'not-scanned',
          true,
          `WARNING: deploying unchecked (--allow-vulnerable): ${why}`,
        );
      }
      const see =
        scan.state === 'PENDING'
          ? `see its findings with \`${scanCommand}\` when it ends, then deploy again`
          : `scan it again with \`aws ecr start-image-scan --repository-name ${options.repositoryName} --image-id imageDigest=${options.imageDigest}\`, then deploy again`;
      return result(
        'not-scanned',
        false,
        `${why}: ${see}, or deploy unchecked with --allow-vulnerable`,
      );
    }
    case 'UNSUPPORTED_IMAGE':
      return result(
        'not-scanned',
        true,
        `WARNING: ECR cannot scan ${tag} (UNSUPPORTED_IMAGE${scan.description ? `: ${scan.description}` : ''}): deploying unchecked`,
      );
    case 'NONE':
      return result(
        'not-scanned',
        true,
        `WARNING: ${options.repositoryName} holds no scan of ${tag} (pushed while scan on push was off): deploying unchecked; scan it with \`aws ecr start-image-scan --repository-name ${options.repositoryName} --image-id imageDigest=${options.imageDigest}\``,
      );
  }
}

/** e.g. `CVE-2024-5535 CRITICAL openssl@3.0.11, …, and 3 more (see \`…scan\`)`. */
function listFindings(rows: ImageScanFindingRow[], total: number, scanCommand: string): string {
  if (rows.length === 0) return `see them with \`${scanCommand}\``;
  const listed = rows.slice(0, LISTED_FINDINGS).map(formatFinding).join(', ');
  const more = Math.max(total, rows.length) - Math.min(rows.length, LISTED_FINDINGS);
  return more > 0 ? `${listed} and ${more} more (\`${scanCommand}\`)` : listed;
}

export function formatFinding(row: ImageScanFindingRow): string {
  const where = row.package ? ` ${row.package}${row.version ? `@${row.version}` : ''}` : '';
  return `${row.id} ${row.severity}${where}`;
}

function nextSteps(maxSeverity: FindingSeverity): string {
  const above = FINDING_SEVERITIES[severityRank(maxSeverity) + 1];
  const raise = above ? `, accept them with --max-severity=${above}` : '';
  return `fix the image (update its base image or packages, then push and deploy again)${raise}, or deploy anyway with --allow-vulnerable`;
}

/** e.g. `1 CRITICAL, 2 HIGH, 5 MEDIUM`, worst first; `no findings` when there are none. */
export function formatCounts(counts: Partial<Record<FindingSeverity, number>>): string {
  const parts = [...FINDING_SEVERITIES]
    .reverse()
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

function describeScan(scan: ImageScanResult): string {
  switch (scan.state) {
    case 'COMPLETE':
      return `${scan.scanType ?? 'basic'} scan complete, ${formatCounts(scan.counts)}`;
    case 'PENDING':
      return `still ${scan.scanStatus ?? 'PENDING'}`;
    case 'NONE':
      return 'no scan';
    default:
      return scan.scanStatus ?? scan.state;
  }
}

function verdictText(verdict: ScanGateVerdict, proceed: boolean, max: FindingSeverity): string {
  switch (verdict) {
    case 'passed':
      return `passed (max severity ${max})`;
    case 'allowed':
      return `findings at or above ${max} allowed by --allow-vulnerable`;
    case 'refused':
      return `refused (max severity ${max})`;
    case 'not-scanned':
      return proceed ? 'deployed unchecked' : 'refused: no result';
  }
}

/** 300000 → `5 min`, 90000 → `90 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
