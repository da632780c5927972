import { parseArgs } from 'node:util';
import {
  APP_PORT,
  DEFAULT_BIND,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
} from '@hello-world/shared';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  /** Address to bind: `-b/--bind`, else `HOST`, else 0.0.0.0. */
  host: string;
  /** TCP port: `-p/--port`, else `PORT`, else 49000. */
  port: number;
  /** `LOG_LEVEL`, default info. */
  logLevel: LogLevel;
  /** `DRAIN_TIMEOUT_MS`: how long in-flight requests may run after SIGTERM, default 5000. */
  drainTimeoutMs: number;
  /**
   * `KEEP_ALIVE_TIMEOUT_MS`: how long an idle keep-alive connection stays open, default 5000.
   * Behind a load balancer it must outlast the balancer's idle timeout (the alb mode sets 65000).
   */
  keepAliveTimeoutMs: number;
  /** `APP_VERSION` (set by the image build), else the package version. */
  version: string;
  /** `GREETING`: what GET / answers, default "hello-world". */
  greeting: string;
}

export type CliCommand =
  { kind: 'serve'; config: AppConfig } | { kind: 'help' } | { kind: 'version'; version: string };

/** A user-facing configuration mistake: its message is one line that says what to do. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** What GET / answers when GREETING is not set. */
export const DEFAULT_GREETING = 'hello-world';

/** The longest GREETING accepted, in characters: a greeting, not a payload. */
export const MAX_GREETING_LENGTH = 200;

export const USAGE = `Usage: hello-world [-b|--bind ADDRESS] [-p|--port PORT]

Serves GET / -> "hello-world" (or GREETING) and GET /health.

Options:
  -b, --bind ADDRESS   address to listen on (env HOST, default ${DEFAULT_BIND})
  -p, --port PORT      port to listen on, 1-65535 (env PORT, default ${APP_PORT})
  -h, --help           show this help
  -v, --version        print the version

Environment: LOG_LEVEL (${LOG_LEVELS.join('|')}, default info),
             DRAIN_TIMEOUT_MS (graceful shutdown budget, default ${DEFAULT_DRAIN_TIMEOUT_MS}),
             KEEP_ALIVE_TIMEOUT_MS (idle keep-alive connections, default ${DEFAULT_KEEP_ALIVE_TIMEOUT_MS}),
             GREETING (what GET / answers: one line of 1-${MAX_GREETING_LENGTH} characters,
             default ${DEFAULT_GREETING})`;

type Env = Record<string, string | undefined>;

/** Reads flags and environment once, validates them, and returns what main should do. */
export function parseCommandLine(argv: string[], env: Env, packageVersion: string): CliCommand {
  let values: { bind?: string; port?: string; help?: boolean; version?: boolean };
  try {
    ({ values } = parseArgs({
      args: attachNegativePort(argv),
      options: {
        bind: { type: 'string', short: 'b' },
        port: { type: 'string', short: 'p' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`${firstLine(error)}; see --help`);
  }
  if (values.help) return { kind: 'help' };
  // One source: --version prints what /health reports.
  if (values.version) return { kind: 'version', version: readVersion(env, packageVersion) };

  return {
    kind: 'serve',
    config: {
      host: parseHost(
        values.bind ?? env['HOST'] ?? DEFAULT_BIND,
        values.bind !== undefined ? '--bind' : 'HOST',
      ),
      port: values.port !== undefined ? parsePort(values.port, '--port') : readEnvPort(env),
      logLevel: parseLogLevel(env['LOG_LEVEL'] ?? 'info'),
      drainTimeoutMs: parseDrainTimeout(
        env['DRAIN_TIMEOUT_MS'] ?? String(DEFAULT_DRAIN_TIMEOUT_MS),
      ),
      keepAliveTimeoutMs: parseKeepAliveTimeout(
        env['KEEP_ALIVE_TIMEOUT_MS'] ?? String(DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
      ),
      version: readVersion(env, packageVersion),
      greeting: parseGreeting(env['GREETING']),
    },
  };
}

/** `APP_VERSION` (set by the image build), else the package version: for --version and /health. */
function readVersion(env: Env, packageVersion: string): string {
  return env['APP_VERSION'] || packageVersion;
}

/**
 * parseArgs refuses `-p -1` as "argument is ambiguous" (the value starts with a dash), which hides
 * the real mistake. A negative number after -p/--port is its value, written as `--port=-1`, so the
 * range check below answers with the valid range.
 */
function attachNegativePort(argv: string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === '--') return [...args, ...argv.slice(i)];
    if ((arg === '-p' || arg === '--port') && next !== undefined && /^-\d/.test(next)) {
      args.push(`--port=${next}`);
      i++;
    } else args.push(arg);
  }
  return args;
}

/**
 * The port from `PORT`, else 49000. Exported so the container health check probes exactly the
 * port the service accepted, and refuses exactly what the service refuses.
 */
export function readEnvPort(env: Env): number {
  return parsePort(env['PORT'] ?? String(APP_PORT), 'PORT');
}

function parsePort(raw: string, source: string): number {
  const port = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(
      `invalid port ${JSON.stringify(raw)} from ${source}: use a whole number from 1 to 65535`,
    );
  }
  return port;
}

function parseHost(raw: string, source: string): string {
  const host = raw.trim();
  // A hostname or an IPv4/IPv6 literal; anything else would only fail later inside listen().
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(host) && !/^\[[0-9A-Fa-f:.]+\]$/.test(host)) {
    throw new ConfigError(
      `invalid bind address ${JSON.stringify(raw)} from ${source}: use an IP address or hostname, e.g. 0.0.0.0`,
    );
  }
  return host.replace(/^\[(.*)\]$/, '$1');
}

function parseLogLevel(raw: string): LogLevel {
  const level = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(
      `invalid LOG_LEVEL ${JSON.stringify(raw)}: use one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  return level as LogLevel;
}

function parseDrainTimeout(raw: string): number {
  const ms = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(ms) || ms > 120_000) {
    throw new ConfigError(
      `invalid DRAIN_TIMEOUT_MS ${JSON.stringify(raw)}: use milliseconds from 0 to 120000`,
    );
  }
  return ms;
}

function parseKeepAliveTimeout(raw: string): number {
  const ms = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(ms) || ms < 1_000 || ms > 600_000) {
    throw new ConfigError(
      `invalid KEEP_ALIVE_TIMEOUT_MS ${JSON.stringify(raw)}: use milliseconds from 1000 to 600000`,
    );
  }
  return ms;
}

/**
 * GREETING as GET / will answer it, checked at start so a bad setting fails the task's start, not
 * every request. Unset is the default; set, it must be one line (no control characters, which a
 * text/plain body or a log line would carry oddly) of 1-200 characters. The value is never echoed:
 * it may come from a secret.
 */
function parseGreeting(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_GREETING;
  const length = [...raw].length;
  const why =
    length === 0
      ? 'it is empty'
      : length > MAX_GREETING_LENGTH
        ? `it is ${length} characters long`
        : // eslint-disable-next-line no-control-regex
          /[\u0000-\u001f\u007f]/.test(raw)
          ? 'it holds a line break or another control character'
          : undefined;
  if (why === undefined) return raw;
  throw new ConfigError(
    `invalid GREETING (${why}): set one line of 1 to ${MAX_GREETING_LENGTH} characters, or unset it for "${DEFAULT_GREETING}"`,
  );
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
