import { EventEmitter } from 'node:events';
import { Agent, get, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createHttpServer, listen } from './server';
import { installGracefulShutdown } from './shutdown';

interface Harness {
  server: Server;
  port: number;
  signals: EventEmitter;
  drained: Promise<void>;
  forced: Promise<{ reason: string; open: number }>;
  requestArrived: Promise<void>;
}

/** A real server whose handler answers after `delayMs`, with shutdown wired to a fake process. */
async function startSlowServer(delayMs: number, drainTimeoutMs = 5_000): Promise<Harness> {
  let arrived!: () => void;
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = createHttpServer(
    (_req, res) => {
      arrived();
      setTimeout(() => res.end('slow done'), delayMs);
    },
    { keepAliveTimeoutMs: 60_000 },
  );
  const signals = new EventEmitter();
  let onDrained!: () => void;
  let onForced!: (value: { reason: string; open: number }) => void;
  const drained = new Promise<void>((resolve) => (onDrained = resolve));
  const forced = new Promise<{ reason: string; open: number }>((resolve) => (onForced = resolve));
  installGracefulShutdown({
    server,
    drainTimeoutMs,
    signals: signals as unknown as NodeJS.Process,
    onDrained,
    onForced: (reason, open) => onForced({ reason, open }),
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { server, port, signals, drained, forced, requestArrived };
}

function fetchBody(
  port: number,
  agent?: Agent,
): Promise<{ status: number; body: string; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, res }));
    }).on('error', reject);
  });
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('installGracefulShutdown on a real socket', () => {
  it('lets an in-flight request finish after SIGTERM, then reports drained', async () => {
    const h = await startSlowServer(300);
    const inFlight = fetchBody(h.port);
    await h.requestArrived;
    h.signals.emit('SIGTERM', 'SIGTERM');
    await expect(inFlight).resolves.toMatchObject({ status: 200, body: 'slow done' });
    await expect(h.drained).resolves.toBeUndefined();
  });

  it('refuses new connections once SIGTERM arrived', async () => {
    const h = await startSlowServer(300);
    const inFlight = fetchBody(h.port);
    await h.requestArrived;
    h.signals.emit('SIGTERM', 'SIGTERM');
    await expect(fetchBody(h.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await inFlight;
    await h.drained;
  });

  it('closes idle keep-alive connections at once instead of waiting for their timeout', async () => {
    // GIVEN a keep-alive client idle on a server whose keep-alive timeout is 60 s
    const h = await startSlowServer(0);
    const agent = new Agent({ keepAlive: true });
    await fetchBody(h.port, agent);
    // WHEN SIGTERM arrives THEN the server drains (a 60 s wait would time the test out)
    h.signals.emit('SIGTERM', 'SIGTERM');
    await expect(h.drained).resolves.toBeUndefined();
    agent.destroy();
  });

  it('forces the exit on a second signal', async () => {
    const h = await startSlowServer(10_000);
    const inFlight = fetchBody(h.port).catch((error: Error) => error);
    await h.requestArrived;
    h.signals.emit('SIGTERM', 'SIGTERM');
    h.signals.emit('SIGTERM', 'SIGTERM');
    await expect(h.forced).resolves.toMatchObject({ reason: 'second-signal' });
    await inFlight;
  });

  it('forces the exit when the drain budget runs out, counting the open connections', async () => {
    const h = await startSlowServer(10_000, 150);
    const inFlight = fetchBody(h.port).catch((error: Error) => error);
    await h.requestArrived;
    h.signals.emit('SIGTERM', 'SIGTERM');
    await expect(h.forced).resolves.toEqual({ reason: 'drain-timeout', open: 1 });
    await expect(inFlight).resolves.toHaveProperty('code', 'ECONNRESET');
  });

  it('closes a connection that never sent a byte instead of waiting out the budget', async () => {
    // GIVEN a client connected but silent (a port scanner, a pre-opened connection)
    const h = await startSlowServer(0, 60_000);
    const silent = await openSocket(h.port);
    const closed = new Promise((resolve) => silent.resume().once('close', resolve));
    // WHEN SIGTERM arrives THEN the server drains and closes it (waiting out 60 s would time out)
    h.signals.emit('SIGTERM', 'SIGTERM');
    await expect(h.drained).resolves.toBeUndefined();
    await closed;
    expect(silent.bytesRead).toBe(0);
  });

  it('still waits for a request whose headers are only partly sent', async () => {
    const h = await startSlowServer(0);
    const slow = await openSocket(h.port);
    let answer = '';
    slow.on('data', (chunk) => (answer += chunk));
    slow.write('GET / HTTP/1.1\r\nHost: x\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    h.signals.emit('SIGTERM', 'SIGTERM');
    // Past a few sweeps, then the rest of the headers: the request must still be served.
    await new Promise((resolve) => setTimeout(resolve, 200));
    slow.write('\r\n');
    await h.drained;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*slow done$/);
  });

  it('reports only the forced exit, never drained as well, once the budget ran out', async () => {
    const h = await startSlowServer(10_000, 150);
    const inFlight = fetchBody(h.port).catch((error: Error) => error);
    await h.requestArrived;
    let drained = false;
    void h.drained.then(() => (drained = true));
    // server.close() completes once the forced close emptied it; this listener runs after its own.
    const closed = new Promise((resolve) => h.server.once('close', resolve));
    h.signals.emit('SIGTERM', 'SIGTERM');
    await h.forced;
    await inFlight;
    await closed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
  });
});
