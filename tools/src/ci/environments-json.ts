// What the workflows read of `nx run infra:envs -- --json`: the one place that knows its shape,
// so a change there is one edit here (preview-sweep.yml, preview.yml and release.yml call it
// through read-environments.ts).
import { isPreviewEnvironment } from '@hello-world/shared';
import { UsageError } from '@hello-world/cli';

/** The fields of one environment in infra:envs' JSON list that the workflows read. */
export const ENVIRONMENT_FIELDS = {
  name: 'environment',
  imageTag: 'imageTag',
  lastDeployed: 'lastDeployed',
} as const;

/** One deployed environment, as far as the workflows care. */
export interface EnvironmentEntry {
  readonly name: string;
  readonly imageTag: string | undefined;
  readonly lastDeployed: string | undefined;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
// Nx prefixes a task's lines with its project when several run (`infra: [`).
const TASK_PREFIX = /^[A-Za-z0-9@/_.-]+:\s(?=[[\]{}\s"])/;

/**
 * The JSON list infra:envs --json printed, found in everything Nx wrote around it: the last line
 * that is exactly `[]`, or from the last line that is exactly `[` to the next that is exactly `]`.
 */
function findJsonList(output: string): unknown[] | undefined {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.replace(ANSI, '').replace(TASK_PREFIX, '').trimEnd());
  for (let at = lines.length - 1; at >= 0; at -= 1) {
    const line = lines[at];
    if (line === '[]') return [];
    if (line !== '[') continue;
    const end = lines.indexOf(']', at);
    if (end === -1) continue;
    try {
      const parsed: unknown = JSON.parse(lines.slice(at, end + 1).join('\n'));
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // Another bracket block; keep looking further up.
    }
  }
  return undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** The environments in infra:envs' output; a one-line error when there is no list to read. */
export function readEnvironments(output: string): EnvironmentEntry[] {
  const list = findJsonList(output);
  if (list === undefined) {
    throw new UsageError(
      'no JSON list of environments in the infra:envs output: run it with --json and pass the file it wrote',
    );
  }
  return list.map((item, index) => {
    const fields = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const name = text(fields[ENVIRONMENT_FIELDS.name]);
    if (name === undefined) {
      throw new UsageError(
        `environment ${index + 1} of the infra:envs list has no "${ENVIRONMENT_FIELDS.name}" name: is the output from infra:envs --json?`,
      );
    }
    return {
      name,
      imageTag: text(fields[ENVIRONMENT_FIELDS.imageTag]),
      lastDeployed: text(fields[ENVIRONMENT_FIELDS.lastDeployed]),
    };
  });
}

/**
 * The preview environments (pr-<number>) of the list, sorted by number. Anything else in it is
 * refused before anything is destroyed: the sweep asked for previews only, so another name means
 * the list is not what it seems.
 */
export function listPreviews(entries: readonly EnvironmentEntry[]): string[] {
  const others = entries.map((e) => e.name).filter((name) => !isPreviewEnvironment(name));
  if (others.length > 0) {
    throw new UsageError(
      `the previews list names ${others.join(', ')}, not pr-<number>: nothing destroyed; check infra:envs --previews`,
    );
  }
  const numberOf = (name: string) => Number(name.slice(name.indexOf('-') + 1));
  return [...new Set(entries.map((e) => e.name))].sort((a, b) => numberOf(a) - numberOf(b));
}

/** The image tag an environment runs; a one-line error when it is not deployed or runs none. */
export function imageTagOf(entries: readonly EnvironmentEntry[], environment: string): string {
  const entry = entries.find((e) => e.name === environment);
  if (entry === undefined) {
    const deployed = entries.map((e) => e.name).join(', ') || 'none';
    throw new UsageError(
      `environment ${environment} is not deployed (deployed: ${deployed}): deploy it first`,
    );
  }
  if (entry.imageTag === undefined) {
    throw new UsageError(`environment ${environment} runs no image: deploy it first`);
  }
  return entry.imageTag;
}
