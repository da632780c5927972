/**
 * The parts of infra:deploy's `--json` output (libs/fargate/src/deploy/receipt.ts) the job summary
 * shows: a receipt when the deploy finished, the failed phase and problem when it did not.
 */
export interface ReceiptJson {
  stackName: string;
  region: string;
  gitSha: string;
  image: { repository: string; tag: string; digest: string; pushed: boolean };
  taskDefinition?: { family: string; revision: number };
  deploymentId: string;
  url: string;
  answersFromHere: boolean;
  warnings: string[];
  totalMs: number;
}

/** What infra:promote's receipt adds: the environments it went from and to. */
interface PromoteSource {
  environment: string;
  stackName: string;
}
interface PromoteTarget {
  environment: string;
  stackName: string;
  taskDefinition?: { family: string; revision: number };
  deploymentId: string;
}

export interface FailureJson {
  ok: false;
  phase: string;
  problem: { kind: string; message: string };
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
// Nx prefixes a task's lines with its project when several run (`infra: {`).
const TASK_PREFIX = /^[A-Za-z0-9@/_.-]+:\s(?=[{}\s"])/;

/**
 * The JSON document infra:deploy --json printed, found in everything Nx wrote around it: from
 * the last line that is exactly `{` to the next line that is exactly `}`.
 */
export function extractDeployJson(output: string): ReceiptJson | FailureJson | undefined {
  return extractJsonObject(output) as ReceiptJson | FailureJson | undefined;
}

/**
 * The last pretty-printed JSON object a command printed (infra:deploy, infra:promote,
 * infra:cost --json), found in everything Nx wrote around it: from the last line that is exactly
 * `{` to the next line that is exactly `}`.
 */
export function extractJsonObject(output: string): unknown {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.replace(ANSI, '').replace(TASK_PREFIX, ''));
  for (
    let start = lines.lastIndexOf('{');
    start !== -1;
    start = lines.lastIndexOf('{', start - 1)
  ) {
    const end = lines.indexOf('}', start);
    if (end === -1) continue;
    try {
      return JSON.parse(lines.slice(start, end + 1).join('\n'));
    } catch {
      // Not the receipt (another brace block); keep looking further up.
    }
    if (start === 0) break;
  }
  return undefined;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;
const isFailure = (json: ReceiptJson | FailureJson): json is FailureJson =>
  (json as FailureJson).ok === false;

/** Markdown for $GITHUB_STEP_SUMMARY, and the URL for the environment link. */
export function formatDeploySummary(
  label: string,
  json: ReceiptJson | FailureJson | undefined,
): { markdown: string; url: string } {
  if (!json) {
    return {
      markdown: `### Deploy of ${label}: no receipt\n\ninfra:deploy printed no receipt; its log above says how far it got.\n`,
      url: '',
    };
  }
  if (isFailure(json)) {
    return {
      markdown: [
        `### Deploy of ${label} failed in the ${json.phase} phase`,
        '',
        `${json.problem.kind}: ${json.problem.message}`,
        '',
        'Diagnose with `npx nx run infra:doctor`; the job log has the rollout events.',
        '',
      ].join('\n'),
      url: '',
    };
  }
  // infra:promote's receipt (libs/fargate/src/promote/promote-receipt.ts) has the deploy's
  // fields but keeps the target's stack, task definition and deployment under `to`.
  const receipt = json as Partial<ReceiptJson> & { to?: PromoteTarget; from?: PromoteSource };
  const target = receipt.to;
  const td = target?.taskDefinition ?? receipt.taskDefinition;
  const image = receipt.image;
  const rows: [string, string][] = [
    ['URL', `${receipt.url ?? '-'}${receipt.answersFromHere ? ' (answered from the runner)' : ''}`],
    ['Image', image ? `${image.repository}:${image.tag}` : '-'],
    ['Digest', image?.digest ?? '-'],
    ...(receipt.from
      ? ([
          ['Promoted from', `${receipt.from.environment} (${receipt.from.stackName}), not rebuilt`],
        ] as [string, string][])
      : []),
    ['Git sha', receipt.gitSha ?? '-'],
    ['Task definition', td ? `${td.family}:${td.revision}` : '-'],
    ['Deployment', target?.deploymentId ?? receipt.deploymentId ?? '-'],
    ['Took', typeof receipt.totalMs === 'number' ? seconds(receipt.totalMs) : '-'],
    ...(receipt.warnings ?? []).map((w): [string, string] => ['Warning', w]),
  ];
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return {
    markdown: [
      `### Deployed ${label} to ${target?.stackName ?? receipt.stackName ?? '?'} (${receipt.region ?? '?'})`,
      '',
      '| | |',
      '| --- | --- |',
      ...rows.map(([key, value]) => `| ${key} | ${cell(value)} |`),
      '',
    ].join('\n'),
    url: receipt.url ?? '',
  };
}
