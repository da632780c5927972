import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What docker-push did with the build's sha tag, written to dist/<app root>/image-push.json for
 * infra:deploy, the next task of the chain (libs/fargate/src/deploy/push-report.ts reads it).
 */
export interface PushReportFile {
  repository: string;
  /** The sha tag, the one deploy rolls out; deploy refuses a report of another build's tag. */
  tag: string;
  digest?: string;
  /** False when the tag was already in the registry (nothing built or pushed). */
  pushed: boolean;
  /**
   * The platforms the image under the tag is built for (`linux/arm64`; several for an image
   * index), so deploy can say what it rolls out and refuse what the task cannot run.
   */
  platforms: string[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** The report for a push that started at `started` and ended at `finished` (ms since the epoch). */
export function makePushReport(
  image: {
    repository: string;
    tag: string;
    digest?: string;
    pushed: boolean;
    platforms: readonly string[];
  },
  started: number,
  finished: number,
): PushReportFile {
  return {
    repository: image.repository,
    tag: image.tag,
    ...(image.digest ? { digest: image.digest } : {}),
    pushed: image.pushed,
    platforms: [...image.platforms],
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
  };
}

export function writePushReport(root: string, path: string, report: PushReportFile): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** A push that names no image (skipped, failed) leaves no earlier report for deploy to take. */
export function removePushReport(root: string, path: string): void {
  rmSync(join(root, path), { force: true });
}
