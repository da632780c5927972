import type { ScanRecord } from '../deploy/scan-gate';
import {
  DEPLOY_PHASES,
  formatPhases,
  formatScan,
  seconds,
  type PhaseTiming,
  type TaskDefinitionRef,
} from '../deploy/receipt';

/**
 * The steps of `<project>:promote`, in the order they run: the target's templates, the image
 * the source runs, then the deploy's own steps (the registry read, the image checks, the service
 * stack, the rollout, the URL), then the check that the target runs that very digest, and with
 * --release-tag, that tag put on the image.
 */
export const PROMOTE_PHASES = [
  'synth',
  'source',
  ...DEPLOY_PHASES,
  'verify',
  'release-tag',
] as const;
export type PromotePhase = (typeof PROMOTE_PHASES)[number];

export interface PromotePhaseTiming extends Omit<PhaseTiming, 'phase'> {
  phase: PromotePhase;
}

/** What a finished promote did: printed for people, and as JSON with --json. */
export interface PromoteReceipt {
  /** `unchanged`: the target ran that image already; the deploy only checked. */
  outcome: 'promoted' | 'unchanged';
  region: string;
  from: {
    environment: string;
    stackName: string;
    /** The tag its task definition names, when promote deployed another (it moved). */
    tag?: string;
    taskDefinition?: string;
    runningTasks: number;
  };
  to: {
    environment: string;
    stackName: string;
    taskDefinition?: TaskDefinitionRef;
    deploymentId: string;
    /** Its RUNNING tasks, each checked to run `image.digest`. */
    runningTasks: number;
  };
  image: {
    repository: string;
    tag: string;
    digest: string;
    /** Always false: promote deploys the image the source runs, from the registry. */
    rebuilt: false;
    platforms: string[];
    /** `deployed-<target stack>`, now on the image; absent if it could not be put. */
    markerTag?: string;
    /** --release-tag, now on the image too. */
    releaseTag?: string;
  };
  /** Why the tag is not the source's own (it was moved to another image). */
  tagNote?: string;
  scan: ScanRecord;
  url: string;
  answersFromHere: boolean;
  allowedIp?: string;
  openToInternet: boolean;
  warnings: string[];
  /** The checkout whose templates were deployed (the image was built elsewhere, earlier). */
  gitSha: string;
  phases: PromotePhaseTiming[];
  startedAt: string;
  finishedAt: string;
  totalMs: number;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function formatPromoteReceipt(receipt: PromoteReceipt): string {
  const { from, to, image } = receipt;
  const td = to.taskDefinition;
  const headline =
    receipt.outcome === 'unchanged'
      ? `Nothing changed: ${to.environment} already runs the image ${from.environment} runs (${image.tag}), not rebuilt; checked in ${seconds(receipt.totalMs)}`
      : `Promoted ${from.environment} → ${to.environment} in ${receipt.region} in ${seconds(receipt.totalMs)}: the image ${from.environment} runs, not rebuilt`;
  return [
    headline,
    `  URL              ${receipt.url}${receipt.answersFromHere ? ' (answers from here)' : ''}`,
    ...receipt.warnings.map((w) => `  WARN             ${w}`),
    `  image            ${image.repository}:${image.tag}`,
    `  digest           ${image.digest}`,
    `  rebuilt          no: the same tag and digest, from the registry`,
    ...(receipt.tagNote ? [`  tag              ${receipt.tagNote}`] : []),
    `  from             ${from.environment} (${from.stackName}), ${plural(from.runningTasks, 'task')} running it`,
    `  to               ${to.environment} (${to.stackName}), ${plural(to.runningTasks, 'task')} running it`,
    `  platform         ${image.platforms.join(', ') || '-'}`,
    `  scan             ${formatScan(receipt.scan)}`,
    `  marker tag       ${image.markerTag ?? '- (not put, see WARN)'}`,
    ...(image.releaseTag ? [`  release tag      ${image.releaseTag}`] : []),
    `  allowed IP       ${receipt.allowedIp ?? '-'}${receipt.openToInternet ? ' (the whole internet)' : ''}`,
    `  task definition  ${td ? `${td.family}:${td.revision}` : '-'}`,
    `  deployment       ${to.deploymentId}${receipt.outcome === 'unchanged' ? ' (unchanged)' : ''}`,
    `  templates        git ${receipt.gitSha}`,
    `  phases           ${formatPhases(receipt.phases)}`,
    `  finished         ${receipt.finishedAt}`,
  ].join('\n');
}
