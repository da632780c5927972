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
  isSecretName,
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
  'secrets',
  'exec',
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
      name: Exclude<
        CommandName,
        'logs' | 'destroy' | 'rollback' | 'scan' | 'envs' | 'secrets' | 'exec'
      >;
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
  | { name: 'scan'; common: CommonOptions; scan: { tag?: string; maxSeverity?: FindingSeverity } }
  | { name: 'secrets'; common: CommonOptions; secrets: SecretsOptions }
  | { name: 'exec'; common: CommonOptions; exec: ExecOptions };

/** `secrets set NAME | list | rm NAME`: the value is never an argument (stdin or a prompt). */
export type SecretsOptions =
  | { action: 'list' }
  | { action: 'set'; secretName: string }
  /** `yes`: --yes, delete without asking (the only way without a terminal). */
  | { action: 'rm'; secretName: string; yes: boolean };

export interface ExecOptions {
  /** --task: a task id, the start of one, or an ARN; else the newest running task. */
  taskId?: string;
  /** --command, default a shell. */
  command: string;
  /** --container, else the service's own. */
  container?: string;
}

/** What `exec` runs without --command: a shell (the image must have one). */
export const DEFAULT_EXEC_COMMAND = '/bin/sh';

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
  secrets: 60_000,
  // The session itself is not timed: it lasts as long as the shell or command.
  exec: 60_000,
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
             a dns stack's record against the tasks, an alb stack's targets, scaling and alias;
             exits 0 when the desired count runs and the URL answers from here, 1 when it
             prints an ERROR (tasks missing, a failed rollout, the URL not answering)
  url        print only the service URL, for scripts: http://IP:PORT, or a dns stack's
             http://NAME:PORT/ (stderr says if its record holds the tasks' IPs), an alb's https://NAME/
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
             a dns stack's record (A and owner TXT) goes after it, only if this deployment owns it;
             production also needs its name typed: --confirm-env=production with --yes, or at
             the prompt; --delete-images also empties the shared repository and deletes the
             registry stack (default environment only, once no other environment is deployed)
  scan [TAG] the image scan's findings (severity, id, package@version, uri) of TAG, default the
             image the service runs; waits for a scan still running (--timeout, default 5m);
             --max-severity LEVEL exits 1 when a finding is at or above it (scripts)
  envs       the deployed environments of this service (found by their stack tags): name, stack
             and status, URL, image tag, last deploy, monthly cost estimate; --previews (pr-N
             only), --older-than DURATION (last deployed longer ago), --json
  secrets set NAME | list | rm NAME
             the environment's secrets, SSM SecureStrings under /<service>-ecr-ecs-fargate/<env>/;
             set reads the value from stdin when piped (one trailing newline dropped), else asks
             for it without echo, never from the command line; list shows names, last change and
             version, and the configured ones missing, never a value; rm asks first (--yes in
             scripts); a changed secret takes effect with \`npx nx run ${project}:redeploy\`
  exec       open a shell (or --command CMD) in a running task through ECS Exec: --task ID (else
             the newest), --container NAME; needs "exec": true in the environment's settings and
             the session-manager-plugin installed

Environments: every command acts on one environment's service stack: --env NAME, else
DEPLOY_ENV, else default (the reference's names); all share one registry stack and repository.
A named environment that is not deployed is refused with the list of those that are (exit 2),
except by secrets, which comes before its first deploy (the deploy checks its secrets exist).

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
  -y, --yes              destroy, secrets rm: do not ask (needed without a terminal)
  --task ID              logs, exec: the task (its id, the start of one, or its ARN)
  --command CMD          exec: what to run, default /bin/sh (quote it: --command='ls -la /app')
  --container NAME       exec: the container, default the service's
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
    commandArgs: { scan: ['[tag]'], secrets: ['[action]', '[name]'] },
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
  task: { type: 'string', example: 'a1b2c3d4', commands: ['logs', 'exec'] },
  yes: { type: 'boolean', short: 'y', commands: ['destroy', 'secrets'] },
  command: { type: 'string', example: "'ls -la /app'", commands: ['exec'] },
  container: { type: 'string', example: 'hello-world', commands: ['exec'] },
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
  const parsed = parseOpsCli(argv, project);
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
        taskId: values.task === undefined ? undefined : readTaskId(values.task, project),
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
  if (name === 'secrets') {
    return { name, common, secrets: readSecretsArgs(parsed.args, values.yes, project) };
  }
  if (name === 'exec') {
    if (common.json) {
      throw new UsageError('--json does not apply to exec: it opens a session on your terminal');
    }
    const command = values.command ?? DEFAULT_EXEC_COMMAND;
    if (command.trim() === '') {
      throw new UsageError(`--command is empty: name what to run, e.g. --command='ls -la /app'`);
    }
    const container = checkName(
      values.container,
      '--container',
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/,
      'a container name of the task: letters, digits, hyphens and underscores',
    );
    return {
      name,
      common,
      exec: {
        ...(values.task !== undefined ? { taskId: readTaskId(values.task, project) } : {}),
        command,
        ...(container !== undefined ? { container } : {}),
      },
    };
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

/** A task id, the start of one (the 8 characters each log line starts with) or a full ARN. */
function readTaskId(raw: string, project: string): string {
  return checkName(
    taskIdOf(raw),
    '--task',
    /^[A-Za-z0-9-]+$/,
    `a task id from \`npx nx run ${project}:status\``,
  ) as string;
}

const SECRETS_USAGE = 'secrets set NAME, secrets list or secrets rm NAME';

/**
 * parseCli, but a word too many after `secrets` is refused without repeating it: it is likely a
 * value typed where it must not be, and an error line would show it again (and log it in CI).
 */
function parseOpsCli(argv: string[], project: string): ReturnType<typeof parseCli<typeof OPS_CLI>> {
  try {
    return parseCli(argv, OPS_CLI);
  } catch (error) {
    if (
      error instanceof UsageError &&
      error.message.startsWith('unexpected argument') &&
      error.message.endsWith(' after secrets: options start with --, see --help')
    ) {
      throw new UsageError(
        `too many arguments: a secret's value is never taken from the command line (it would stay in your shell history and the process list); pipe it in (\`printf %s "$VALUE" | npx nx run ${project}:secrets -- set NAME\`) or type it at the prompt`,
      );
    }
    throw error;
  }
}

/** `set NAME`, `list` (also with no action) or `rm NAME`; NAME as the settings' isSecretName. */
function readSecretsArgs(args: readonly string[], yes: boolean, project: string): SecretsOptions {
  const [action = 'list', secretName] = args;
  if (action === 'list') {
    if (secretName !== undefined) {
      throw new UsageError(`list takes no NAME: it lists them all; use ${SECRETS_USAGE}`);
    }
    if (yes) throw new UsageError('--yes applies to secrets rm only: leave it out');
    return { action };
  }
  if (action !== 'set' && action !== 'rm') {
    throw new UsageError(`unknown action ${JSON.stringify(action)}: use ${SECRETS_USAGE}`);
  }
  if (secretName === undefined) {
    throw new UsageError(
      `${action} needs the secret's NAME, e.g. \`npx nx run ${project}:secrets -- ${action} API_KEY\``,
    );
  }
  if (!isSecretName(secretName)) {
    throw new UsageError(
      // Not repeated: a value typed in its place must not be printed.
      `invalid secret NAME: use an upper-case letter, then upper-case letters, digits or _ (at most 128 in all), e.g. API_KEY`,
    );
  }
  if (action === 'set') {
    if (yes) throw new UsageError('--yes applies to secrets rm only: leave it out');
    return { action, secretName };
  }
  return { action, secretName, yes };
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
