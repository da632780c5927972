import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerLimits {
  /** Time a client has to send complete request headers (slowloris guard). @default 10_000 */
  headersTimeoutMs?: number;
  /** Time a client has to send a whole request. @default 30_000 */
  requestTimeoutMs?: number;
  /** Idle time before a keep-alive connection is closed. @default 5_000 */
  keepAliveTimeoutMs?: number;
  /** Largest request head accepted; larger ones get 431. @default 16_384 */
  maxHeaderSize?: number;
}

/** An HTTP server with bounded headers and timeouts; it does not listen yet. */
export function createHttpServer(listener: RequestListener, limits: ServerLimits = {}): Server {
  const headersTimeout = limits.headersTimeoutMs ?? 10_000;
  return createServer(
    {
      maxHeaderSize: limits.maxHeaderSize ?? 16_384,
      headersTimeout,
      requestTimeout: limits.requestTimeoutMs ?? 30_000,
      keepAliveTimeout: limits.keepAliveTimeoutMs ?? 5_000,
      // How often Node enforces the two timeouts above; its 30 s default would let them overrun.
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, headersTimeout / 4)),
    },
    listener,
  );
}

/** Listens and resolves with the bound port, or rejects with the listen error. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
