import type { Server } from 'node:http';

export interface ShutdownOptions {
  server: Server;
  /** How long in-flight requests may run after the first signal. */
  drainTimeoutMs: number;
  /** Receives signal events; injected so tests can send signals without killing the test runner. */
  signals?: Pick<NodeJS.Process, 'on'>;
  onDrained: () => void;
  onForced: (reason: 'second-signal' | 'drain-timeout', openConnections: number) => void;
  onSignal?: (signal: NodeJS.Signals) => void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * First SIGTERM/SIGINT: onSignal (the app then answers with `Connection: close`), stop accepting,
 * close idle keep-alive sockets, let in-flight requests finish, then onDrained. After
 * drainTimeoutMs, or on a second signal, onForced: the caller exits at once.
 */
export function installGracefulShutdown(options: ShutdownOptions): void {
  const { server, drainTimeoutMs, signals = process } = options;
  let draining = false;

  const begin = (signal: NodeJS.Signals) => {
    if (draining) {
      server.closeAllConnections();
      options.onForced('second-signal', 0);
      return;
    }
    draining = true;
    options.onSignal?.(signal);

    // A socket whose in-flight response just finished becomes idle; sweep until all are gone.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    sweep.unref();
    const deadline = setTimeout(() => {
      clearInterval(sweep);
      server.getConnections((_error, open) => {
        server.closeAllConnections();
        options.onForced('drain-timeout', open);
      });
    }, drainTimeoutMs);
    deadline.unref();

    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      options.onDrained();
    });
    server.closeIdleConnections();
  };

  for (const signal of SIGNALS) signals.on(signal, begin);
}
