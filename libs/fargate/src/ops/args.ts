import { CliSpec, OptionSpecs, parseCli, readDuration, UsageError } from '@hello-world/cli';
import {
  AwsSettingError,
  readAwsTarget,
  taskIdOf,
  type FindingSeverity,
} from '@hello-world/aws-ops';
import {
  DEPLOYMENT_NAME,
  IMAGE_TAG_PATTERN,
  isImageTag,
  REGISTRY_STACK_NAME,
  type DeploymentNames,
} from '@hello-world/shared';
import { parseMaxSeverity } from '../deploy/scan-gate';

export const COMMANDS = [
  'status',
  'url',
  'outputs',
  'logs',
  'redeploy',
  'rollback',
  'abort',
  'doctor',
  'destroy',
  'scan',
  'envs',
] as const;
export type CommandName = (typeof COMMANDS)[number];

/** A mistake in how the tool was called: one line, exit 2 (the shared CLI helper's). */
export { UsageError };

export interface CommonOptions {
  /** From --region, else AWS_REGION / AWS_DEFAULT_REGION, else the default; checked. */
  region: string;
  /** From --profile, else AWS_PROFILE; checked. */
  profile?: string;
  stackName: string;
  registryStackName: string;
  timeoutMs: number;
  json: boolean;
}

export interface LogsOptions {
  /** Epoch ms, resolved against the clock when parsed. */
  startTime: number;
  follow: boolean;
  filter?: string;
  taskId?: string;
}

export type OpsCommand =
  /** `missing`: no command was given, so the usage answers a mistake (exit 2), not --help. */
  | { name: 'help'; text: string; missing?: true }
  | {
      name: Exclude<CommandName, 'logs' | 'destroy' | 'rollback' | 'scan' | 'envs'>;
      common: CommonOptions;
    }
  /** `to`: --to's image tag; left out, the previous image that served. */
  | { name: 'rollback'; common: CommonOptions; to?: string }
  | { name: 'logs'; common: CommonOptions; logs: LogsOptions }
  /** `confirmEnvironment`: --confirm-env, the environment's name typed out (production needs it). */
  | {
      name: 'destroy';
      common: CommonOptions;
      yes: boolean;
      deleteImages: boolean;
      confirmEnvironment?: string;
    }
  /** `previews`: only pr-N; `olderThanMs`: only those last deployed longer ago than that. */
  | { name: 'envs'; common: CommonOptions; envs: EnvsOptions }
  /** `tag`: the image to show, else the one the service runs; `maxSeverity`: exit 1 at or above. */
  | { name: 'scan'; common: CommonOptions; scan: { tag?: string; maxSeverity?: FindingSeverity } };

export interface EnvsOptions {
  previews: boolean;
  olderThanMs?: number;
}

const DEFAULT_TIMEOUT_MS: Record<CommandName, number> = {
  status: 60_000,
  url: 60_000,
  outputs: 60_000,
  logs: 60_000,
  doctor: 120_000,
  redeploy: 15 * 60_000,
  // The stack update and the rollout, like deploy's.
  rollback: 20 * 60_000,
  // The rollback it waits for, like deploy's.
  abort: 20 * 60_000,
  destroy: 30 * 60_000,
  // A basic scan on push takes a minute or two.
  scan: 5 * 60_000,
  envs: 60_000,
};

/** hello-world's stacks: the defaults when no deployment is named. */
const HELLO_WORLD_STACKS = { deployment: DEPLOYMENT_NAME, registryStack: REGISTRY_STACK_NAME };

/**
 * The usage of a deployment project's ops targets (`infra`, `greeter-infra`, in apps/<project>),
 * with its stacks as the defaults' examples.
 */
export function opsUsage(
  project: string,
  names: Pick<DeploymentNames, 'deployment' | 'registryStack'> = HELLO_WORLD_STACKS,
): string {
  return `Usage: npx nx run ${project}:<command> [-- options]
       tsx ../../libs/fargate/src/ops/main.ts <command> [options]   (in apps/${project}, the deployment)

Commands:
  status     service counts, deployments, tasks (health, image, IPs), stopped tasks, events, URL;
             exits 0 when the desired count runs and the URL answers from here, 1 when it
             prints an ERROR (tasks missing, a failed rollout, the URL not answering)
  url        print only the service URL (http://IP:PORT), for scripts
  outputs    outputs of the service and registry stacks
  logs       container logs: --since 10m|1h|ISO-time, --follow, --filter PATTERN, --task ID
             (the 8 characters each line starts with, or a whole task id from status)
  redeploy   force a new deployment, wait for it (progress, timeout, rollback = failure), print the URL
  rollback   put the service back on the previous image that served (ECS's deployment history),
             or --to=TAG, through a service stack update; waits like deploy, prints a receipt
  abort      stop the deploy in progress (stack update or rollout, anyone's) and wait for its
             rollback; nothing in progress is exit 0
  doctor     find why the service is not serving, with evidence and a fix for each finding
  destroy    delete the environment's service stack (asks first); --yes skips the question (CI);
             production also needs its name typed: --confirm-env=production with --yes, or at
             the prompt; --delete-images also empties the shared repository and deletes the
             registry stack (default environment only, once no other environment is deployed)
  scan [TAG] the image scan's findings (severity, id, package@version, uri) of TAG, default the
             image the service runs; waits for a scan still running (--timeout, default 5m);
             --max-severity LEVEL exits 1 when a finding is at or above it (scripts)
  envs       the deployed environments of this service (found by their stack tags): name, stack
             and status, URL, image tag, last deploy, monthly cost estimate; --previews (pr-N
             only), --older-than DURATION (last deployed longer ago), --json

Environments: every command acts on one environment's service stack: --env NAME, else
DEPLOY_ENV, else default (the reference's names); all share one registry stack and repository.
A named environment that is not deployed is refused with the list of those that are (exit 2).

Options:
  --region REGION        AWS region (default AWS_REGION, else eu-west-1)
  --profile NAME         named AWS profile (default AWS_PROFILE)
  --env NAME             the environment (default DEPLOY_ENV, else default), e.g. staging, pr-12
  --stack NAME           service stack name (default the environment's, e.g. ${names.deployment})
  --registry-stack NAME  registry stack name (default the shared one, e.g. ${names.registryStack})
  --timeout DURATION     e.g. 90s, 15m (default: redeploy 15m, rollback and abort 20m, destroy 30m)
  --to TAG               rollback: the image tag to go back to; it must be in the registry
  --max-severity LEVEL   scan: exit 1 when a finding is at or above LEVEL (CRITICAL, HIGH, MEDIUM,
                         LOW, INFORMATIONAL; any case)
  --confirm-env NAME     destroy: the environment's name, typed out (production requires it)
  --previews             envs: only the pull-request previews (pr-N)
  --older-than DURATION  envs: only environments last deployed longer ago, e.g. 7d, 12h
  --json                 machine-readable output on stdout
  -h, --help             show this help

Exit codes: 0 ok, 1 the operation failed (status, doctor: a problem was found), 2 bad usage or
environment (credentials, region, endpoint, a stack not deployed, an --env not deployed;
doctor too).`;
}

/** hello-world's (apps/infra). */
export const USAGE = opsUsage('infra');

/** `90`, `90s`, `15m`, `2h`, `1d` → milliseconds; a bare number is seconds. */
export function parseDuration(raw: string, flag: string): number {
  const ms = readDuration(raw);
  if (ms === undefined) {
    throw new UsageError(
      `invalid ${flag} ${JSON.stringify(raw)}: use a duration like 90s, 15m or 2h`,
    );
  }
  return ms;
}

/** `--since 10m` (ago) or an ISO time such as `2026-11-25T18:00:00Z` → epoch ms. */
export function parseSince(raw: string, now: number): number {
  if (/^\d+(ms|s|m|h|d)?$/.test(raw.trim())) return now - parseDuration(raw, '--since');
  const time = Date.parse(raw);
  if (Number.isNaN(time) || !isCalendarDate(raw.trim())) {
    throw new UsageError(
      `invalid --since ${JSON.stringify(raw)}: use a duration like 10m or 2h, or an ISO time like 2026-01-31T12:00:00Z`,
    );
  }
  return time;
}

/** Date.parse rolls 2026-02-30 over to 2 March; a date that does not round-trip is a typo. */
function isCalendarDate(raw: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const STACK_HINT = 'a stack name: letters, digits and hyphens, starting with a letter';
const IMAGE_TAG_HINT =
  'an image tag: 1-128 of A-Z a-z 0-9 _ . - not starting with . or -, e.g. sha-1a2b3c4-ecr-ecs-fargate';

/** Every bad name says what a good one looks like, so the next try can succeed. */
function checkName(
  value: string | undefined,
  flag: string,
  pattern: RegExp,
  hint: string,
): string | undefined {
  if (value !== undefined && !pattern.test(value)) {
    throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}: use ${hint}`);
  }
  return value;
}

/**
 * The ops CLI of a deployment project (`infra`, `greeter-infra`): its errors start with the nx
 * target as typed, `<project>:<command>`. The options, and the commands each means something to;
 * the others refuse it.
 */
export function opsCli(project: string) {
  return {
    name: project,
    usage: opsUsage(project),
    commands: COMMANDS,
    commandName: (command: string) => `${project}:${command}`,
    options: OPS_OPTIONS,
    commandArgs: { scan: ['[tag]'] },
  } as const satisfies CliSpec;
}

const OPS_OPTIONS = {
  region: { type: 'string', example: 'eu-west-1' },
  profile: { type: 'string', example: 'dev' },
  // Read before parsing, by readDeploymentOrExit: the deployment's names are that environment's.
  env: { type: 'string', example: 'staging' },
  stack: { type: 'string', example: DEPLOYMENT_NAME },
  'registry-stack': { type: 'string', example: REGISTRY_STACK_NAME },
  timeout: { type: 'duration', example: '15m' },
  json: { type: 'boolean' },
  since: { type: 'string', example: '10m', commands: ['logs'] },
  follow: { type: 'boolean', short: 'f', commands: ['logs'] },
  filter: { type: 'string', example: 'ERROR', commands: ['logs'] },
  task: { type: 'string', example: 'a1b2c3d4', commands: ['logs'] },
  yes: { type: 'boolean', short: 'y', commands: ['destroy'] },
  'delete-images': { type: 'boolean', commands: ['destroy'] },
  'confirm-env': { type: 'string', example: 'production', commands: ['destroy'] },
  previews: { type: 'boolean', commands: ['envs'] },
  'older-than': { type: 'duration', example: '7d', commands: ['envs'] },
  'max-severity': { type: 'string', example: 'HIGH', parse: parseMaxSeverity, commands: ['scan'] },
  to: { type: 'string', example: 'sha-1a2b3c4-ecr-ecs-fargate', commands: ['rollback'] },
} as const satisfies OptionSpecs;

/** hello-world's (apps/infra). */
export const OPS_CLI = opsCli('infra');

/**
 * Reads the command line (and the AWS_* variables it falls back to) once; every mistake is a
 * UsageError with one line.
 */
export function parseOpsArgs(
  argv: string[],
  now: number,
  env: Record<string, string | undefined>,
  /** The stacks of the deployment being operated (its cdk.json's service): the defaults. */
  names: Pick<DeploymentNames, 'deployment' | 'registryStack'> = HELLO_WORLD_STACKS,
  /** Its project (`infra`, `greeter-infra`): the usage and the hints name its targets. */
  project = 'infra',
): OpsCommand {
  const parsed = parseCli(argv, OPS_CLI);
  if (parsed.help) {
    const text = opsUsage(project, names);
    return { name: 'help', text, ...(parsed.missingCommand ? { missing: true } : {}) };
  }
  const name = parsed.command as CommandName;
  const values = parsed.values;
  const common: CommonOptions = {
    ...readTarget(values.region, values.profile, env),
    stackName: checkName(values.stack, '--stack', STACK_NAME, STACK_HINT) ?? names.deployment,
    registryStackName:
      checkName(values['registry-stack'], '--registry-stack', STACK_NAME, STACK_HINT) ??
      names.registryStack,
    timeoutMs: values.timeout ?? DEFAULT_TIMEOUT_MS[name],
    json: values.json,
  };
  if (name === 'logs') {
    const follow = values.follow;
    if (follow && common.json)
      throw new UsageError('--follow and --json cannot be combined: pick one');
    return {
      name,
      common,
      logs: {
        startTime: parseSince(values.since ?? '10m', now),
        follow,
        filter: values.filter,
        // A task id, the start of one (the 8 characters each line starts with) or a full ARN.
        taskId: checkName(
          values.task === undefined ? undefined : taskIdOf(values.task),
          '--task',
          /^[A-Za-z0-9-]+$/,
          `a task id from \`npx nx run ${project}:status\``,
        ),
      },
    };
  }
  if (name === 'destroy') {
    return {
      name,
      common,
      yes: values.yes,
      deleteImages: values['delete-images'],
      ...(values['confirm-env'] !== undefined ? { confirmEnvironment: values['confirm-env'] } : {}),
    };
  }
  if (name === 'envs') {
    const olderThanMs = values['older-than'];
    return {
      name,
      common,
      envs: { previews: values.previews, ...(olderThanMs !== undefined ? { olderThanMs } : {}) },
    };
  }
  if (name === 'rollback') {
    const to = checkName(values.to, '--to', new RegExp(IMAGE_TAG_PATTERN), IMAGE_TAG_HINT);
    return { name, common, ...(to !== undefined ? { to } : {}) };
  }
  if (name === 'scan') {
    const tag = parsed.args[0];
    if (tag !== undefined && !isImageTag(tag)) {
      throw new UsageError(
        `invalid image tag ${JSON.stringify(tag)}: use 1-128 of A-Z a-z 0-9 _ . - not starting with . or -, e.g. sha-1a2b3c4-ecr-ecs-fargate`,
      );
    }
    const maxSeverity = values['max-severity'];
    return {
      name,
      common,
      scan: { ...(tag ? { tag } : {}), ...(maxSeverity ? { maxSeverity } : {}) },
    };
  }
  return { name, common };
}

/** Region and profile by the rule every CLI here shares (aws-ops), as this CLI's UsageError. */
function readTarget(
  region: string | undefined,
  profile: string | undefined,
  env: Record<string, string | undefined>,
): { region: string; profile?: string } {
  try {
    return readAwsTarget({ region, profile }, env);
  } catch (error) {
    if (error instanceof AwsSettingError) throw new UsageError(error.message);
    throw error;
  }
}
