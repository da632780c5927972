import type { Server } from 'node:http';
import type { Socket } from 'node:net';

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
  // Exactly one outcome: closing all connections after a force also completes server.close().
  let settled = false;
  const settle = (report: () => void) => {
    if (settled) return;
    settled = true;
    report();
  };

  // Node counts a connection that has not sent a byte as busy (so its headers timeout applies),
  // so closeIdleConnections() spares it and it held the drain until the budget ran out (exit 1).
  // Found by tools/src/reliability/shutdown.ts; such sockets are tracked to be closed on drain.
  const silent = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    // No 'data' listener: the HTTP parser consumes the socket directly; bytesRead still counts.
    silent.add(socket);
    socket.once('close', () => silent.delete(socket));
  });
  const sweep = () => {
    server.closeIdleConnections();
    // Swept on the timer, never at the signal itself, so bytes already on the way are read first.
    for (const socket of silent) {
      if (socket.bytesRead === 0) socket.destroy();
      else silent.delete(socket);
    }
  };

  const begin = (signal: NodeJS.Signals) => {
    if (draining) {
      server.closeAllConnections();
      settle(() => options.onForced('second-signal', 0));
      return;
    }
    draining = true;
    options.onSignal?.(signal);

    // A socket whose in-flight response just finished becomes idle; sweep until all are gone.
    const sweeping = setInterval(sweep, 50);
    sweeping.unref();
    const deadline = setTimeout(() => {
      clearInterval(sweeping);
      server.getConnections((_error, open) => {
        server.closeAllConnections();
        settle(() => options.onForced('drain-timeout', open));
      });
    }, drainTimeoutMs);
    deadline.unref();

    server.close(() => {
      clearInterval(sweeping);
      clearTimeout(deadline);
      settle(options.onDrained);
    });
    server.closeIdleConnections();
  };

  for (const signal of SIGNALS) signals.on(signal, begin);
}
