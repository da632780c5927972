import packageJson from '../package.json';
import { createApp } from './app';
import { ConfigError, parseCommandLine, USAGE } from './config';
import { createLogger, createStdoutDestination } from './logger';
import { createHttpServer, listen } from './server';
import { installGracefulShutdown } from './shutdown';

// Wiring only: parse once, build, listen, and exit cleanly on signals.
async function main(): Promise<void> {
  let command;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env, packageJson.version);
  } catch (error) {
    if (error instanceof ConfigError) return fail(2, error.message);
    throw error;
  }
  if (command.kind === 'help') return void console.log(USAGE);
  if (command.kind === 'version') return void console.log(command.version);
  const { config } = command;

  const destination = createStdoutDestination();
  const logger = createLogger(config.logLevel, destination);
  // Flush asynchronously so buffered lines keep their order, then exit; bounded in case stdout is stuck.
  const exit = (code: number) => {
    setTimeout(() => process.exit(code), 1_000).unref();
    destination.flush(() => process.exit(code));
  };

  const lifecycle = { draining: false };
  const app = createApp({ logger, version: config.version, lifecycle, greeting: config.greeting });
  const server = createHttpServer(app.callback(), {
    keepAliveTimeoutMs: config.keepAliveTimeoutMs,
  });
  installGracefulShutdown({
    server,
    drainTimeoutMs: config.drainTimeoutMs,
    onSignal: (signal) => {
      // Answers from now on carry `Connection: close`, so keep-alive clients stop reusing the
      // socket instead of sending into one the drain is about to close (this flag was never set:
      // found by tools/src/reliability/shutdown.ts, where the slow request's answer lacked it).
      lifecycle.draining = true;
      logger.info({ signal, drainTimeoutMs: config.drainTimeoutMs }, 'shutting down');
    },
    onDrained: () => {
      logger.info('drained, exiting');
      exit(0);
    },
    onForced: (reason, openConnections) => {
      logger.warn({ reason, openConnections }, 'closing remaining connections, exiting');
      exit(1);
    },
  });

  try {
    const port = await listen(server, config.port, config.host);
    logger.info({ host: config.host, port, version: config.version }, 'listening');
  } catch (error) {
    // Every listen failure is the caller's setup (port taken, privileged port, address not on
    // this machine), not a failed operation: exit 2, as for a bad flag.
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${config.host}:${config.port}`;
    if (code === 'EADDRINUSE')
      return fail(2, `port ${where} is already in use; pick another with -p/--port`);
    if (code === 'EACCES')
      return fail(2, `not allowed to listen on ${where}; use a port above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      return fail(
        2,
        `cannot bind ${where}: no such local address; use 0.0.0.0 or an address of this machine`,
      );
    }
    return fail(2, `cannot listen on ${where}: ${(error as Error).message}`);
  }
}

function fail(code: number, message: string): void {
  process.stderr.write(`hello-world: ${message}\n`);
  process.exitCode = code;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `hello-world: unexpected error: ${(error as Error)?.message ?? String(error)}\n`,
  );
  process.exit(1);
});
