import { APP_PORT, DEPLOYMENT_NAME } from '@hello-world/shared';
import { CliSpec, OptionSpecs, parseCli, UsageError } from '@hello-world/cli';
import { parseSince } from '../ops/args';
import { LocalError } from './task-spec';

export const LOCAL_COMMANDS = ['deploy', 'status', 'logs', 'destroy'] as const;
export type LocalCommandName = (typeof LOCAL_COMMANDS)[number];

/** The container the local target manages unless --name says otherwise. */
export const DEFAULT_LOCAL_CONTAINER = `${DEPLOYMENT_NAME}-local`;

/**
 * The usage of a deployment project's local targets (`infra`, `greeter-infra`), with its port and
 * container name as the defaults.
 */
export function localUsage(
  project: string,
  port: number = APP_PORT,
  localContainer: string = DEFAULT_LOCAL_CONTAINER,
): string {
  return `Usage: npx nx run ${project}:<deploy|status|logs|destroy>:local [-- options]
  deploy:local   build the image and run it as the synthesized task definition says; waits healthy
  status:local   state, health, limits and URL of the local container
  logs:local     container output (--follow, --since=10m|2h|1d|ISO-time, --tail=N)
  destroy:local  stop and remove the container (the image is kept)
  deploy:local passes the task definition's environment variables as they are, and its secrets'
  values from .secrets/<environment>.env beside the deployment's cdk.json (git-ignored; NAME=VALUE
  lines, # comments, no interpolation), never from AWS; a secret missing there stops it (exit 2)
Options:
  --port=N       deploy: host port on 127.0.0.1 (default ${port}, or env LOCAL_PORT)
  --image=REF    deploy: run this image instead of building one
  --timeout=S    deploy: seconds to wait for healthy (default 90)
  --replicas=N   deploy: run N containers (1 to 10, default 1) behind a local proxy on the port;
                 a redeploy replaces them one at a time without losing a request
  --replica=K    logs: only replica K's output (default: every replica's)
  --json         deploy, status: machine-readable output
  -f, --follow   logs: keep printing new output
  --since=WHEN   logs: output since 10m, 2h, 1d ago, or an ISO time like 2026-01-31T12:00:00Z
  --tail=N       logs: only the last N lines (or all)
  --env=NAME     any command: the environment whose task settings run, in its own container
                 <deployment>-local (default: env DEPLOY_ENV, else default); run two side by
                 side on two ports
  --name=NAME    any command: container name (default ${localContainer})
  -h, --help     show this help`;
}

/** hello-world's (apps/infra). */
export const LOCAL_USAGE = localUsage('infra');

export interface LocalOptions {
  command: LocalCommandName | 'help';
  /** No command was given: the usage answers a mistake (exit 2), not --help. */
  missingCommand?: true;
  hostPort: number;
  containerName: string;
  image?: string;
  timeoutMs: number;
  /** deploy: containers behind the local proxy; 1 is the single container, no proxy. */
  replicas: number;
  /** logs: only this replica's output. */
  replica?: number;
  json: boolean;
  follow: boolean;
  /** Epoch seconds, as `docker logs --since` takes them: relative times are resolved once here. */
  since?: string;
  tail?: string;
}

/**
 * The local CLI of a deployment project (`infra`, `greeter-infra`): its errors start with the nx
 * target as typed, `<project>:<command>:local`.
 */
export function localCli(project: string) {
  return {
    name: project,
    usage: localUsage(project),
    commands: LOCAL_COMMANDS,
    commandName: (command: string) => `${project}:${command}:local`,
    options: LOCAL_OPTIONS,
  } as const satisfies CliSpec;
}

/**
 * Each option, the commands it means something to, and (for values) an example for the error.
 * An option a command would ignore is refused: silently ignoring it hides the user's mistake.
 * --json is deploy/status only: logs prints the container's own stream (already JSON lines from
 * pino) and destroy has nothing to report beyond its exit code and one line.
 */
const LOCAL_OPTIONS = {
  port: {
    type: 'number',
    min: 1,
    max: 65535,
    integer: true,
    example: 49001,
    commands: ['deploy'],
  },
  image: { type: 'string', example: 'hello-world:latest', commands: ['deploy'] },
  timeout: { type: 'number', default: 90, min: 1, commands: ['deploy'] },
  replicas: {
    type: 'number',
    default: 1,
    min: 1,
    max: 10,
    integer: true,
    example: 3,
    commands: ['deploy'],
  },
  replica: { type: 'number', min: 1, max: 10, integer: true, example: 2, commands: ['logs'] },
  json: { type: 'boolean', commands: ['deploy', 'status'] },
  follow: { type: 'boolean', short: 'f', commands: ['logs'] },
  since: { type: 'string', example: '10m', commands: ['logs'] },
  tail: { type: 'string', example: '50', commands: ['logs'] },
  name: { type: 'string', example: `${DEFAULT_LOCAL_CONTAINER}-2` },
  // Read by readDeploymentOrExit before parsing (the names depend on it); listed so it is accepted.
  env: { type: 'string', example: 'staging' },
} as const satisfies OptionSpecs;

/** hello-world's (apps/infra). */
export const LOCAL_CLI = localCli('infra');

function parsePort(raw: string, source: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new LocalError(
      `${source} must be a port number from 1 to 65535, got ${JSON.stringify(raw)}`,
    );
  }
  return port;
}

/** `docker logs --since` takes epoch seconds too: resolving here pins "10m" to when it was typed. */
function parseLocalSince(raw: string, now: number): string {
  return String(Math.floor(parseSince(raw, now) / 1000));
}

/**
 * Command line and environment, read once; bad input is a one-line UsageError (or LocalError for
 * the environment). `now` resolves a relative --since.
 */
export function parseLocalArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  now: number = Date.now(),
  /** The deployment run locally: its port and container name are the defaults. */
  deployment: { port: number; localContainer: string } = {
    port: APP_PORT,
    localContainer: DEFAULT_LOCAL_CONTAINER,
  },
): LocalOptions {
  const parsed = parseCli(argv, LOCAL_CLI);
  if (parsed.help) {
    return {
      command: 'help',
      ...(parsed.missingCommand ? { missingCommand: true as const } : {}),
      hostPort: deployment.port,
      containerName: deployment.localContainer,
      timeoutMs: 0,
      replicas: 1,
      json: false,
      follow: false,
    };
  }
  const command = parsed.command as LocalCommandName;
  const values = parsed.values;
  const hostPort =
    values.port ??
    (env['LOCAL_PORT'] ? parsePort(env['LOCAL_PORT'], 'LOCAL_PORT') : deployment.port);
  const containerName = values.name ?? deployment.localContainer;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(containerName)) {
    throw new UsageError(
      `--name ${JSON.stringify(containerName)} is not a valid container name (letters, digits, _ . -), e.g. --name ${LOCAL_CLI.options.name.example}`,
    );
  }
  const image = values.image;
  // The reference ends docker's argument list: one starting with - would be read as an option.
  if (image !== undefined && !/^[A-Za-z0-9][\w.:@/-]*$/.test(image)) {
    throw new UsageError(
      image === ''
        ? `--image needs a value, e.g. --image ${LOCAL_CLI.options.image.example}`
        : `--image ${JSON.stringify(image)} is not an image reference like repository:tag`,
    );
  }
  const tail = values.tail;
  if (tail !== undefined && !/^(\d+|all)$/.test(tail)) {
    throw new UsageError(
      `--tail ${JSON.stringify(tail)} is not a number of lines or "all", e.g. --tail 50`,
    );
  }
  const since = values.since;
  return {
    command,
    hostPort,
    containerName,
    ...(image !== undefined ? { image } : {}),
    timeoutMs: values.timeout * 1000,
    replicas: values.replicas,
    ...(values.replica !== undefined ? { replica: values.replica } : {}),
    json: values.json,
    follow: values.follow,
    ...(since !== undefined ? { since: parseLocalSince(since, now) } : {}),
    ...(tail !== undefined ? { tail } : {}),
  };
}
