import { APP_PORT, DEPLOYMENT_NAME } from '@hello-world/shared';
import { parseArgs } from 'node:util';
import { parseSince, UsageError } from '../ops/args';
import { LocalError } from './task-spec';

export const LOCAL_COMMANDS = ['deploy', 'status', 'logs', 'destroy'] as const;
export type LocalCommandName = (typeof LOCAL_COMMANDS)[number];

/** The container the local target manages unless --name says otherwise. */
export const DEFAULT_LOCAL_CONTAINER = `${DEPLOYMENT_NAME}-local`;

export const LOCAL_USAGE = `Usage: npx nx run infra:<deploy|status|logs|destroy>:local [-- options]
  deploy:local   build the image and run it as the synthesized task definition says; waits healthy
  status:local   state, health, limits and URL of the local container
  logs:local     container output (--follow, --since=10m|2h|1d|ISO-time, --tail=N)
  destroy:local  stop and remove the container (the image is kept)
Options:
  --port=N       deploy: host port on 127.0.0.1 (default ${APP_PORT}, or env LOCAL_PORT)
  --image=REF    deploy: run this image instead of building one
  --timeout=S    deploy: seconds to wait for healthy (default 90)
  --json         deploy, status: machine-readable output
  -f, --follow   logs: keep printing new output
  --since=WHEN   logs: output since 10m, 2h, 1d ago, or an ISO time like 2026-01-31T12:00:00Z
  --tail=N       logs: only the last N lines (or all)
  --name=NAME    any command: container name (default ${DEFAULT_LOCAL_CONTAINER})
  -h, --help     show this help`;

export interface LocalOptions {
  command: LocalCommandName | 'help';
  /** No command was given: the usage answers a mistake (exit 2), not --help. */
  missingCommand?: true;
  hostPort: number;
  containerName: string;
  image?: string;
  timeoutMs: number;
  json: boolean;
  follow: boolean;
  /** Epoch seconds, as `docker logs --since` takes them: relative times are resolved once here. */
  since?: string;
  tail?: string;
}

type OptionName =
  'port' | 'image' | 'timeout' | 'json' | 'follow' | 'since' | 'tail' | 'name' | 'help';

/**
 * Each option, the commands it means something to, and (for values) an example for the error.
 * An option a command would ignore is refused: silently ignoring it hides the user's mistake.
 * --json is deploy/status only: logs prints the container's own stream (already JSON lines from
 * pino) and destroy has nothing to report beyond its exit code and one line.
 */
const OPTIONS: Record<
  OptionName,
  { type: 'string' | 'boolean'; short?: string; example?: string; commands?: LocalCommandName[] }
> = {
  port: { type: 'string', example: '--port=49001', commands: ['deploy'] },
  image: { type: 'string', example: '--image=hello-world:latest', commands: ['deploy'] },
  timeout: { type: 'string', example: '--timeout=120', commands: ['deploy'] },
  json: { type: 'boolean', commands: ['deploy', 'status'] },
  follow: { type: 'boolean', short: 'f', commands: ['logs'] },
  since: { type: 'string', example: '--since=10m', commands: ['logs'] },
  tail: { type: 'string', example: '--tail=50', commands: ['logs'] },
  name: { type: 'string', example: `--name=${DEFAULT_LOCAL_CONTAINER}-2` },
  help: { type: 'boolean', short: 'h' },
};

function optionsFor(command: LocalCommandName | undefined): string {
  return (Object.keys(OPTIONS) as OptionName[])
    .filter(
      (name) => !command || !OPTIONS[name].commands || OPTIONS[name].commands.includes(command),
    )
    .map((name) => `--${name}`)
    .join(', ');
}

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
  try {
    return String(Math.floor(parseSince(raw, now) / 1000));
  } catch (error) {
    // Same syntax and wording as the AWS logs command; LocalError so the shell exits 2.
    if (error instanceof UsageError) throw new LocalError(error.message);
    throw error;
  }
}

/**
 * Command line and environment, read once; bad input is a one-line LocalError. `now` resolves a
 * relative --since. Node's strict mode is not used: its unknown-option message suggests `--`,
 * which is wrong advice here, so options are checked against OPTIONS token by token instead.
 */
export function parseLocalArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  now: number = Date.now(),
): LocalOptions {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: OPTIONS,
  });
  const [name, ...extra] = positionals;
  const command = (LOCAL_COMMANDS as readonly string[]).includes(name ?? '')
    ? (name as LocalCommandName)
    : undefined;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    // hasOwn: `--constructor` must not find Object.prototype's.
    const option = Object.hasOwn(OPTIONS, token.name)
      ? OPTIONS[token.name as OptionName]
      : undefined;
    if (!option) {
      throw new LocalError(`unknown option ${token.rawName}: options are ${optionsFor(command)}`);
    }
    // Lenient parsing takes the next word as the value even when it is the next option.
    const value = token.inlineValue === false && token.value?.startsWith('-') ? '' : token.value;
    if (option.type === 'string' && !value) {
      throw new LocalError(`${token.rawName} needs a value, as in ${option.example}`);
    }
    if (option.type === 'boolean' && token.value !== undefined) {
      throw new LocalError(`${token.rawName} takes no value: write just ${token.rawName}`);
    }
    if (command && option.commands && !option.commands.includes(command)) {
      throw new LocalError(
        `${token.rawName} does not apply to ${command} (only ${option.commands.join(', ')}): leave it out`,
      );
    }
  }
  const str = (key: OptionName) => values[key] as string | undefined;
  const flag = (key: OptionName) => values[key] === true;
  if (flag('help') || name === undefined || name === 'help') {
    return {
      command: 'help',
      ...(name === undefined && !flag('help') ? { missingCommand: true as const } : {}),
      hostPort: APP_PORT,
      containerName: DEFAULT_LOCAL_CONTAINER,
      timeoutMs: 0,
      json: false,
      follow: false,
    };
  }
  if (!command) {
    throw new LocalError(
      `unknown local command ${JSON.stringify(name)}: use ${LOCAL_COMMANDS.join(', ')}`,
    );
  }
  if (extra.length > 0) {
    throw new LocalError(
      `unexpected argument ${JSON.stringify(extra[0])} after ${command}: options start with --, see --help`,
    );
  }
  const hostPort =
    str('port') !== undefined
      ? parsePort(str('port') as string, '--port')
      : env['LOCAL_PORT']
        ? parsePort(env['LOCAL_PORT'], 'LOCAL_PORT')
        : APP_PORT;
  const containerName = str('name') ?? DEFAULT_LOCAL_CONTAINER;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(containerName)) {
    throw new LocalError(
      `--name ${JSON.stringify(containerName)} is not a valid container name (letters, digits, _ . -)`,
    );
  }
  const image = str('image');
  // The reference ends docker's argument list: one starting with - would be read as an option.
  if (image !== undefined && !/^[A-Za-z0-9][\w.:@/-]*$/.test(image)) {
    throw new LocalError(
      `--image ${JSON.stringify(image)} is not an image reference like repository:tag`,
    );
  }
  const timeout = str('timeout');
  const timeoutSeconds = timeout === undefined ? 90 : Number(timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new LocalError(`--timeout must be a number of seconds, got ${JSON.stringify(timeout)}`);
  }
  const tail = str('tail');
  if (tail !== undefined && !/^(\d+|all)$/.test(tail)) {
    throw new LocalError(`--tail must be a number of lines or "all", got ${JSON.stringify(tail)}`);
  }
  const since = str('since');
  return {
    command,
    hostPort,
    containerName,
    ...(image !== undefined ? { image } : {}),
    timeoutMs: timeoutSeconds * 1000,
    json: flag('json'),
    follow: flag('follow'),
    ...(since !== undefined ? { since: parseLocalSince(since, now) } : {}),
    ...(tail !== undefined ? { tail } : {}),
  };
}
