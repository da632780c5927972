// What the workflows read of `nx run infra:envs -- --json`: the one place that knows its shape,
// so a change there is one edit here (preview-sweep.yml and preview.yml call it through
// read-environments.ts).
import { isPreviewEnvironment } from '@hello-world/shared';
import { UsageError } from '@hello-world/cli';
import { extractJsonObject } from '../release/deploy-summary';

/** The report's field that holds the environments (libs/fargate/src/ops/envs.ts). */
export const ENVIRONMENTS_LIST = 'environments';

/** The fields of one environment in infra:envs' JSON list that the workflows read. */
export const ENVIRONMENT_FIELDS = { name: 'environment' } as const;

/** One deployed environment, as far as the workflows care. */
export interface EnvironmentEntry {
  readonly name: string;
}

/**
 * The list in infra:envs' JSON report (`{ service, region, environments: [...], … }`), found in
 * everything Nx wrote around it.
 */
function findJsonList(output: string): unknown[] | undefined {
  const report = extractJsonObject(output) as Record<string, unknown> | undefined;
  const list = report?.[ENVIRONMENTS_LIST];
  return Array.isArray(list) ? (list as unknown[]) : undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** The environments in infra:envs' output; a one-line error when there is no list to read. */
export function readEnvironments(output: string): EnvironmentEntry[] {
  const list = findJsonList(output);
  if (list === undefined) {
    throw new UsageError(
      `no JSON report with an "${ENVIRONMENTS_LIST}" list in the infra:envs output: run it with --json and pass the file it wrote`,
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
    return { name };
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
