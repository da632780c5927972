import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ECRClient } from '@aws-sdk/client-ecr';
import {
  Clock,
  FindingSeverity,
  ImageScanResult,
  findImageDigest,
  findStack,
  readImageScan,
  severityRank,
} from '@hello-world/aws-ops';
import { EXIT_FAILED, EXIT_OK, UsageError } from '@hello-world/cli';
import { REGISTRY_OUTPUTS, STACK_PARAMETERS } from '@hello-world/shared';
import { formatCounts, formatDuration } from '../deploy/scan-gate';
import { formatTable } from './format';

/** How long `scan` waits for a scan still running, unless --timeout says. */
export const SCAN_TIMEOUT_MS = 5 * 60_000;

export interface ScanOptions {
  stackName: string;
  registryStackName: string;
  /** The image tag to show; left out, the one the service stack runs (its ImageTag). */
  tag?: string;
  /** Exit 1 when a finding is at or above it. */
  maxSeverity?: FindingSeverity;
  timeoutMs: number;
}

export interface ScanDeps {
  clients: { cfn: CloudFormationClient; ecr: ECRClient };
  region: string;
  /** The deployment project (`infra`): hints name its targets. */
  project: string;
  /** The repository when the registry stack has no output for it: named after the deployment. */
  defaultRepositoryName: string;
  clock: Clock;
  signal?: AbortSignal;
  /** Where the wait is announced (stderr). */
  progress: (line: string) => void;
  /** The waiter's delays in seconds; tests pass tiny ones. */
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
}

/** What `scan` found: the image and its scan (plain data, the --json output). */
export interface ScanReport extends ImageScanResult {
  repository: string;
  tag: string;
  digest: string;
  /** Where the tag came from: the command line, or the service stack's ImageTag. */
  tagFrom: 'argument' | 'service-stack';
  maxSeverity?: FindingSeverity;
  /** Findings at or above maxSeverity, when one was given. */
  atOrAbove?: number;
}

/**
 * Finds the image (the tag given, else the one the service stack runs), its digest in the
 * registry, and its scan: waited for (bounded) while it runs. A tag not in the registry, or no
 * tag and no service stack, is a UsageError.
 */
export async function scanImage(deps: ScanDeps, options: ScanOptions): Promise<ScanReport> {
  const { cfn, ecr } = deps.clients;
  const registry = await findStack(cfn, options.registryStackName);
  const repository =
    registry?.outputs[REGISTRY_OUTPUTS.repositoryName] ?? deps.defaultRepositoryName;
  const listTags = `\`aws ecr list-images --repository-name ${repository} --region ${deps.region} --query 'imageIds[].imageTag'\``;
  let tag = options.tag;
  let tagFrom: ScanReport['tagFrom'] = 'argument';
  if (tag === undefined) {
    const service = await findStack(cfn, options.stackName);
    tag = service?.parameters[STACK_PARAMETERS.imageTag];
    tagFrom = 'service-stack';
    if (!tag) {
      throw new UsageError(
        `no tag given and stack ${options.stackName} ${service ? 'has no ImageTag' : `is not deployed in ${deps.region}`}: name one, e.g. \`npx nx run ${deps.project}:scan -- TAG\`; list them with ${listTags}`,
      );
    }
  }
  const digest = await findImageDigest(ecr, repository, tag, deps.project);
  if (!digest) {
    throw new UsageError(
      `image tag ${tag} is not in ${repository}: list its tags with ${listTags}`,
    );
  }
  const scan = await readImageScan(ecr, {
    repositoryName: repository,
    imageDigest: digest,
    maxWaitMs: options.timeoutMs,
    clock: deps.clock,
    project: deps.project,
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.minDelaySeconds ? { minDelaySeconds: deps.minDelaySeconds } : {}),
    ...(deps.maxDelaySeconds ? { maxDelaySeconds: deps.maxDelaySeconds } : {}),
    onWait: (status) =>
      deps.progress(
        `waiting for the scan of ${tag} (${status}), up to ${formatDuration(options.timeoutMs)}`,
      ),
  });
  if (scan.state === 'NONE') {
    throw new UsageError(
      `${repository} holds no scan of ${tag} (pushed while scan on push was off): start one with \`aws ecr start-image-scan --repository-name ${repository} --image-id imageDigest=${digest} --region ${deps.region}\`, then run scan again`,
    );
  }
  const max = options.maxSeverity;
  return {
    repository,
    tag,
    digest,
    tagFrom,
    ...scan,
    ...(max ? { maxSeverity: max, atOrAbove: countAtOrAbove(scan, max) } : {}),
  };
}

function countAtOrAbove(scan: ImageScanResult, max: FindingSeverity): number {
  const counted = Object.entries(scan.counts)
    .filter(([s]) => severityRank(s as FindingSeverity) >= severityRank(max))
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
  const rows = scan.findings.filter((f) => severityRank(f.severity) >= severityRank(max)).length;
  return Math.max(counted, rows);
}

/**
 * The exit code and, when not 0, the one line saying why: 0 the scan completed (and nothing is
 * at or above --max-severity), 1 findings at or above it, or no complete scan (still running
 * when the wait ran out, failed, unsupported image).
 */
export function judgeScanReport(
  report: ScanReport,
  project: string,
): { exitCode: number; problem?: string } {
  switch (report.state) {
    case 'COMPLETE':
      if (report.maxSeverity && (report.atOrAbove ?? 0) > 0) {
        return {
          exitCode: EXIT_FAILED,
          problem: `${report.atOrAbove} finding${report.atOrAbove === 1 ? '' : 's'} at or above ${report.maxSeverity} in ${report.tag}`,
        };
      }
      return { exitCode: EXIT_OK };
    case 'PENDING':
      return {
        exitCode: EXIT_FAILED,
        problem: `the scan of ${report.tag} was still ${report.scanStatus ?? 'PENDING'} after ${formatDuration(report.waitedMs)}: run \`npx nx run ${project}:scan -- ${report.tag}\` again later, or wait longer with --timeout 15m`,
      };
    default:
      return {
        exitCode: EXIT_FAILED,
        problem: `the scan of ${report.tag} ended ${report.scanStatus ?? report.state}${report.description ? ` (${report.description})` : ''}: no findings to show`,
      };
  }
}

/** The human output: the image, the scan's state and counts, then one row per finding. */
export function formatScanReport(report: ScanReport): string {
  const lines = [
    `image    ${report.repository}:${report.tag}${report.tagFrom === 'service-stack' ? ' (the service runs it)' : ''}`,
    `digest   ${report.digest}`,
    `scan     ${describeState(report)}`,
  ];
  if (report.state !== 'COMPLETE') return lines.join('\n');
  lines.push(`findings ${formatCounts(report.counts)}`);
  if (report.maxSeverity) {
    lines.push(
      `gate     ${report.atOrAbove ?? 0} at or above ${report.maxSeverity} (--max-severity)`,
    );
  }
  if (report.findings.length > 0) {
    lines.push(
      '',
      formatTable(
        ['SEVERITY', 'ID', 'PACKAGE', 'URI'],
        report.findings.map((f) => [
          f.severity,
          f.id,
          f.package ? `${f.package}${f.version ? `@${f.version}` : ''}` : '-',
          f.uri ?? '-',
        ]),
      ),
    );
  }
  return lines.join('\n');
}

function describeState(report: ScanReport): string {
  const status =
    report.scanStatus && report.scanStatus !== report.state ? ` (${report.scanStatus})` : '';
  if (report.state === 'COMPLETE') {
    const when = report.completedAt ? `, completed ${report.completedAt}` : '';
    return `COMPLETE${status}, ${report.scanType ?? 'basic'} scanning${when}`;
  }
  const why = report.description ? `: ${report.description}` : '';
  return `${report.state}${status}${why}`;
}

/**
 * `scan` as the ops CLI runs it: the report on stdout (--json: as data), the wait and the reason
 * for a non-zero exit on stderr. Returns the exit code (judgeScanReport's).
 */
export async function runScan(
  deps: ScanDeps & {
    print: (data: unknown, human: () => string) => void;
    err: (line: string) => void;
  },
  options: ScanOptions,
): Promise<number> {
  const report = await scanImage(deps, options);
  deps.print(report, () => formatScanReport(report));
  const { exitCode, problem } = judgeScanReport(report, deps.project);
  if (problem) deps.err(`${deps.project}:scan: ${problem}`);
  return exitCode;
}
