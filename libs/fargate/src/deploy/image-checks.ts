import {
  type AwsClients,
  type Clock,
  type FetchText,
  type FindingSeverity,
  parseRepositoryUri,
  readImagePlatforms,
} from '@hello-world/aws-ops';
import type { CpuArchitecture } from '@hello-world/shared';
import { checkImagePlatform } from './platform-check';
import { checkImageScan, type ScanRecord } from './scan-gate';

/** The scan gate: the worst severity of a scan finding the deploy accepts, and the override. */
export interface ScanGateSettings {
  maxSeverity: FindingSeverity;
  allowVulnerable: boolean;
  /** How long to wait for a scan on push still running. @default scan-gate's 5 minutes */
  timeoutMs?: number;
  /** The scan waiter's delays in seconds; tests pass tiny ones. */
  minDelaySeconds?: number;
}

/** What the checks need: the deployment, the task's CPU, the scan gate's limits, ECR. */
export interface ImageCheckContext {
  /** The deployment project whose targets the messages name (`infra`, `greeter-infra`). */
  project: string;
  /** The service whose docker-push rebuilds the image. */
  service: string;
  /** From the synthesized task definition. */
  taskArchitecture: CpuArchitecture;
  scanGate: ScanGateSettings;
  clients: Pick<AwsClients, 'ecr'>;
  /** Reads the image's config blob from ECR's presigned URL: fetch. */
  fetchText: FetchText;
  clock: Clock;
}

/** The image as the deploy found it in the registry. */
export interface ImageToCheck {
  /** The repository URI, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate. */
  repository: string;
  tag: string;
  digest: string;
}

/** What the checks found: recorded in the receipt. */
export interface CheckedImage {
  /** The image's platforms as ECR has them, e.g. linux/arm64. */
  platforms: string[];
  scan: ScanRecord;
  /** The scan gate let it through with a warning (--allow-vulnerable, or no scan to judge). */
  warning?: string;
}

export type ImageCheck = { ok: true; checked: CheckedImage } | { ok: false; message: string };

/**
 * Before the service stack changes: the image must be built for the task's CPU (ECR's manifest,
 * or its config blob), and its scan on push must find nothing at or above --max-severity (waited
 * for, bounded) unless --allow-vulnerable. A refusal is one line naming the fix.
 */
export async function checkImage(
  context: ImageCheckContext,
  image: ImageToCheck,
  progress: (line: string) => void,
  signal?: AbortSignal,
): Promise<ImageCheck> {
  const { repositoryName } = parseRepositoryUri(image.repository);
  const found = await readImagePlatforms(
    context.clients.ecr,
    repositoryName,
    image.tag,
    context.fetchText,
    context.project,
  );
  const platforms = found?.platforms ?? [];
  const platform = checkImagePlatform({
    taskArchitecture: context.taskArchitecture,
    image: `${image.repository}:${image.tag}`,
    platforms,
    service: context.service,
  });
  if (!platform.ok) return { ok: false, message: platform.message };
  progress(
    `image ${image.tag} is built for ${platforms.join(', ')}: the task runs ${context.taskArchitecture}`,
  );
  const { scanGate } = context;
  const gate = await checkImageScan(context.clients.ecr, {
    repositoryName,
    imageDigest: image.digest,
    imageTag: image.tag,
    maxSeverity: scanGate.maxSeverity,
    allowVulnerable: scanGate.allowVulnerable,
    ...(scanGate.timeoutMs !== undefined ? { timeoutMs: scanGate.timeoutMs } : {}),
    ...(scanGate.minDelaySeconds !== undefined
      ? { minDelaySeconds: scanGate.minDelaySeconds, maxDelaySeconds: scanGate.minDelaySeconds }
      : {}),
    clock: context.clock,
    progress,
    project: context.project,
    ...(signal ? { signal } : {}),
  });
  if (!gate.proceed) return { ok: false, message: gate.message };
  progress(gate.summary);
  const warning = gate.verdict === 'passed' ? undefined : gate.message.replace(/^WARNING: /, '');
  if (warning) progress(`WARNING: ${warning}`);
  return { ok: true, checked: { platforms, scan: gate.record, ...(warning ? { warning } : {}) } };
}
