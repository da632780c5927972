import { APP_PORT, DEPLOYMENT_NAME } from '@hello-world/shared';
import { parseArgs } from 'node:util';
import { LocalError } from './task-spec';

export const LOCAL_COMMANDS = ['deploy', 'status', 'logs', 'destroy'] as const;
export type LocalCommandName = (typeof LOCAL_COMMANDS)[number];

/** The container the local target manages unless --name says otherwise. */
export const DEFAULT_LOCAL_CONTAINER = `${DEPLOYMENT_NAME}-local`;

export const LOCAL_USAGE = `Usage: npx nx run infra:<deploy|status|logs|destroy>:local [-- options]
  deploy:local   build the image and run it as the synthesized task definition says; waits healthy
  status:local   state, health, limits and URL of the local container
  logs:local     container output (--follow, --since=10m, --tail=N)
  destroy:local  stop and remove the container (the image is kept)
Options:
  --port=N       host port on 127.0.0.1 (default ${APP_PORT}, or env LOCAL_PORT)
  --image=REF    run this image instead of building one
  --name=NAME    container name (default ${DEFAULT_LOCAL_CONTAINER})
  --timeout=S    seconds to wait for healthy (default 90)
  --json         machine-readable output (deploy, status)`;

export interface LocalOptions {
  command: LocalCommandName | 'help';
  hostPort: number;
  containerName: string;
  image?: string;
  timeoutMs: number;
  json: boolean;
  follow: boolean;
  since?: string;
  tail?: string;
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

/** Command line and environment, read once; bad input is a one-line LocalError. */
export function parseLocalArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): LocalOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        image: { type: 'string' },
        name: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        follow: { type: 'boolean', short: 'f', default: false },
        since: { type: 'string' },
        tail: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new LocalError(`${(error as Error).message.split('\n')[0]}; see --help`);
  }
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  if (values.help || name === undefined || name === 'help') {
    return {
      command: 'help',
      hostPort: APP_PORT,
      containerName: DEFAULT_LOCAL_CONTAINER,
      timeoutMs: 0,
      json: false,
      follow: false,
    };
  }
  if (!(LOCAL_COMMANDS as readonly string[]).includes(name) || extra.length > 0) {
    throw new LocalError(
      `unknown local command ${JSON.stringify([name, ...extra].join(' '))}: use ${LOCAL_COMMANDS.join(', ')}`,
    );
  }
  const hostPort =
    values.port !== undefined
      ? parsePort(values.port, '--port')
      : env['LOCAL_PORT']
        ? parsePort(env['LOCAL_PORT'], 'LOCAL_PORT')
        : APP_PORT;
  const containerName = values.name ?? DEFAULT_LOCAL_CONTAINER;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(containerName)) {
    throw new LocalError(
      `--name ${JSON.stringify(containerName)} is not a valid container name (letters, digits, _ . -)`,
    );
  }
  const timeoutSeconds = values.timeout === undefined ? 90 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new LocalError(
      `--timeout must be a number of seconds, got ${JSON.stringify(values.timeout)}`,
    );
  }
  if (values.tail !== undefined && !/^(\d+|all)$/.test(values.tail)) {
    throw new LocalError(
      `--tail must be a number of lines or "all", got ${JSON.stringify(values.tail)}`,
    );
  }
  return {
    command: name as LocalCommandName,
    hostPort,
    containerName,
    ...(values.image ? { image: values.image } : {}),
    timeoutMs: timeoutSeconds * 1000,
    json: values.json ?? false,
    follow: values.follow ?? false,
    ...(values.since ? { since: values.since } : {}),
    ...(values.tail ? { tail: values.tail } : {}),
  };
}
