import type { Server } from 'node:http';
import { createApp } from './app';
import { createHttpServer, listen, type ServerLimits } from './server';
import { captureLogger } from './testing/capture-logger';
import { openSocket, sendRaw, whenClosed } from './testing/net';

let server: Server;
let port: number;

async function start(limits: ServerLimits = {}) {
  const app = createApp({ logger: captureLogger().logger, version: 't' });
  server = createHttpServer(app.callback(), limits);
  port = await listen(server, 0, '127.0.0.1');
}

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createHttpServer on a real socket', () => {
  it('answers oversized headers with 431', async () => {
    await start();
    const response = await sendRaw(
      port,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('answers a malformed request line with 400', async () => {
    await start();
    const response = await sendRaw(port, 'THIS IS NOT HTTP\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('answers a request with a NUL byte in a header with 400', async () => {
    await start();
    const response = await sendRaw(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('serves a well-formed raw request', async () => {
    await start();
    const response = await sendRaw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response.endsWith('hello-world')).toBe(true);
  });

  it('answers an absolute-form target whose host cannot be parsed with 400, not 500', async () => {
    // Found by tools/src/reliability/fuzz.ts: Koa's ctx.path threw inside url.parse().
    await start();
    const response = await sendRaw(port, 'GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('routes an absolute-form target by its path', async () => {
    await start();
    const response = await sendRaw(
      port,
      'GET http://example.com/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('closes a connection that never finishes its headers (slowloris)', async () => {
    // GIVEN a short headers timeout WHEN a client sends half a request and stalls
    await start({ headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const socket = await openSocket(port);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    // THEN the server closes it on its own
    await whenClosed(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('closes a connection that never sends a byte after the headers timeout', async () => {
    await start({ headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const socket = await openSocket(port);
    await whenClosed(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    await start({ keepAliveTimeoutMs: 200 });
    const socket = await openSocket(port);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await whenClosed(socket);
    expect(socket.destroyed).toBe(true);
  });
});
