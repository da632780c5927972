import { ConfigError } from '../config';

/** When a step of the deploy chain ran: each step's report carries it, for the receipt. */
export interface StepTiming {
  /** ISO time the step started. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** The chain a report belongs to: the deployment project and the service it deploys. */
export interface ChainTargets {
  /** The deployment project (`infra`, `greeter-infra`): `<project>:deploy`. */
  project: string;
  /** The service (`hello-world`, `greeter`): `<service>:docker-push`. */
  service: string;
}

/**
 * What `<service>:docker-push` did with the build's sha tag: the file it writes,
 * `dist/<app root>/image-push.json`, which `<project>:deploy` reads
 * (libs/image/src/push-report-file.ts writes it).
 */
export interface PushReport extends Partial<StepTiming> {
  repository: string;
  tag: string;
  digest?: string;
  /** False when the tag was already in the registry (nothing built or pushed). */
  pushed: boolean;
}

/** What `<project>:deploy-registry` did: `registry-deploy.json` beside the assembly, read once by deploy. */
export interface RegistryReport extends StepTiming {
  stack: string;
  region: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function isTiming(value: Record<string, unknown>): boolean {
  return (
    typeof value['startedAt'] === 'string' &&
    ISO.test(value['startedAt']) &&
    typeof value['finishedAt'] === 'string' &&
    ISO.test(value['finishedAt']) &&
    typeof value['durationMs'] === 'number' &&
    Number.isFinite(value['durationMs']) &&
    value['durationMs'] >= 0
  );
}

function parseObject(text: string, path: string, rerun: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Worded below, as for any other shape.
  }
  throw new ConfigError(`${path} is not a report this workspace writes: ${rerun}`);
}

/** The push report docker-push wrote; anything else is one line saying to push again. */
export function parsePushReportFile(
  text: string,
  path: string,
  { project }: Pick<ChainTargets, 'project'>,
): PushReport {
  const rerun = `run \`npx nx run ${project}:deploy\` again, which pushes first`;
  const value = parseObject(text, path, rerun);
  const { repository, tag, digest, pushed } = value;
  if (
    typeof repository !== 'string' ||
    repository === '' ||
    typeof tag !== 'string' ||
    tag === '' ||
    typeof pushed !== 'boolean' ||
    (digest !== undefined && (typeof digest !== 'string' || !DIGEST.test(digest)))
  ) {
    throw new ConfigError(`${path} is not a report this workspace writes: ${rerun}`);
  }
  return {
    repository,
    tag,
    pushed,
    ...(typeof digest === 'string' ? { digest } : {}),
    ...(isTiming(value)
      ? {
          startedAt: value['startedAt'] as string,
          finishedAt: value['finishedAt'] as string,
          durationMs: value['durationMs'] as number,
        }
      : {}),
  };
}

/** The registry report deploy-registry wrote, or undefined when it is not one (then not used). */
export function parseRegistryReportFile(text: string): RegistryReport | undefined {
  let value: Record<string, unknown>;
  try {
    value = parseObject(text, '', '');
  } catch {
    return undefined;
  }
  const { stack, region } = value;
  if (typeof stack !== 'string' || typeof region !== 'string' || !isTiming(value)) {
    return undefined;
  }
  return {
    stack,
    region,
    startedAt: value['startedAt'] as string,
    finishedAt: value['finishedAt'] as string,
    durationMs: value['durationMs'] as number,
  };
}

/**
 * A push report names the image deploy will roll out, so it must be this build's: a report left
 * by an earlier push (another commit, or a run with --allow-dirty) is refused in one line.
 */
export function checkPushReportIsCurrent(
  report: PushReport,
  currentTag: string,
  path: string,
  { project, service }: ChainTargets,
): void {
  if (report.tag !== currentTag) {
    throw new ConfigError(
      `${path} is stale: it reports ${report.tag}, but the current build is ${currentTag}: run \`npx nx run ${project}:deploy\` (it pushes first), or \`npx nx run ${service}:docker-push\` before deploying with --exclude-task-dependencies`,
    );
  }
}
