import { formatCounts, type ScanRecord } from './scan-gate';

/**
 * The steps of `infra:deploy`, in the order they run; `dns` only in the dns ingress mode (the
 * record follows the new tasks).
 */
export const DEPLOY_PHASES = ['registry', 'image', 'service', 'wait', 'dns', 'url'] as const;
export type PhaseName = (typeof DEPLOY_PHASES)[number];

export interface PhaseTiming {
  phase: PhaseName;
  ms: number;
  result: 'done' | 'skipped' | 'failed';
  /** What happened, in a few words (e.g. "pushed", "already in the registry"). */
  note?: string;
}

export interface TaskDefinitionRef {
  arn: string;
  family: string;
  revision: number;
  /** Its container's image, checked to be the deployed tag or digest. */
  image?: string;
}

/** What a finished deploy did: printed for people, and as JSON with --json. */
export interface DeployReceipt {
  stackName: string;
  region: string;
  gitSha: string;
  image: {
    repository: string;
    tag: string;
    digest: string;
    pushed: boolean;
    /** `deployed-<stack>`, now on this image so the ECR lifecycle keeps it; absent if not put. */
    markerTag?: string;
    /** Its platforms as ECR has them (checked against the task's CPU), e.g. linux/arm64. */
    platforms: string[];
  };
  /** The scan gate's record: the scan's state and counts, the limit, and any override. */
  scan: ScanRecord;
  taskDefinition?: TaskDefinitionRef;
  deploymentId: string;
  /**
   * The stack update changed nothing (CDK's "no changes") and the service still runs the
   * deployment it ran before: the deploy only checked.
   */
  nothingChanged: boolean;
  url: string;
  answersFromHere: boolean;
  /** The service stack's AllowedIP after the deploy: the value passed, kept, or the default. */
  allowedIp?: string;
  /** AllowedIP admits every address (0.0.0.0/0, or a /0 with host bits). */
  openToInternet: boolean;
  /**
   * Each with its fix: open to the whole internet, your IP outside AllowedIP, URL not answering,
   * the deployed marker not put.
   */
  warnings: string[];
  phases: PhaseTiming[];
  startedAt: string;
  finishedAt: string;
  totalMs: number;
}

/** `arn:aws:ecs:…:task-definition/hello-world:7` → family hello-world, revision 7. */
export function parseTaskDefinitionArn(arn: string | undefined): TaskDefinitionRef | undefined {
  const match = /task-definition\/([A-Za-z0-9_-]+):(\d+)$/.exec(arn ?? '');
  return match && arn ? { arn, family: match[1] ?? '', revision: Number(match[2]) } : undefined;
}

/** `45s`, `2m05s`: a step's time in a receipt. */
export function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** `registry 1s skipped (…), image 3s, …`: a deploy's or a rollback's steps in one line. */
export function formatPhases(
  phases: readonly (Omit<PhaseTiming, 'phase'> & { phase: string })[],
): string {
  return phases
    .map(
      (p) =>
        `${p.phase} ${seconds(p.ms)}${p.result === 'done' ? '' : ` ${p.result}`}${p.note ? ` (${p.note})` : ''}`,
    )
    .join(', ');
}

export function formatReceipt(receipt: DeployReceipt): string {
  const td = receipt.taskDefinition;
  return [
    receipt.nothingChanged
      ? `Nothing changed: ${receipt.stackName} in ${receipt.region} already runs ${receipt.image.tag} (deployment ${receipt.deploymentId}); checked in ${seconds(receipt.totalMs)}`
      : `Deployed ${receipt.stackName} in ${receipt.region} in ${seconds(receipt.totalMs)}`,
    `  URL              ${receipt.url}${receipt.answersFromHere ? ' (answers from here)' : ''}`,
    ...receipt.warnings.map((w) => `  WARN             ${w}`),
    `  git sha          ${receipt.gitSha}`,
    `  image            ${receipt.image.repository}:${receipt.image.tag} (${receipt.image.pushed ? 'pushed' : 'already in the registry'})`,
    `  digest           ${receipt.image.digest}`,
    `  platform         ${receipt.image.platforms.join(', ') || '-'}`,
    `  scan             ${formatScan(receipt.scan)}`,
    `  marker tag       ${receipt.image.markerTag ?? '- (not put, see WARN)'}`,
    `  allowed IP       ${receipt.allowedIp ?? '-'}${receipt.openToInternet ? ' (the whole internet)' : ''}`,
    `  task definition  ${td ? `${td.family}:${td.revision}` : '-'}`,
    `  deployment       ${receipt.deploymentId}${receipt.nothingChanged ? ' (unchanged)' : ''}`,
    `  phases           ${formatPhases(receipt.phases)}`,
    `  finished         ${receipt.finishedAt}`,
  ].join('\n');
}

/** e.g. `COMPLETE: 2 HIGH, 5 MEDIUM; nothing at or above CRITICAL`, or what was let through. */
export function formatScan(scan: ScanRecord): string {
  const state = scan.scanStatus ?? scan.state;
  if (scan.state !== 'COMPLETE') {
    return `${state}: not judged${scan.allowVulnerable ? ' (--allow-vulnerable)' : ''}`;
  }
  const verdict =
    scan.atOrAbove === 0
      ? `nothing at or above ${scan.maxSeverity}`
      : `${scan.atOrAbove} at or above ${scan.maxSeverity}, deployed with --allow-vulnerable`;
  return `${state}: ${formatCounts(scan.counts)}; ${verdict}`;
}
