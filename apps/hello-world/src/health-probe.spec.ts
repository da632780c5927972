import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeHealth } from './health-probe';
import { findFreePort } from './testing/net';

// A real HTTP server on a real socket stands in for the service.
let server: Server | undefined;
async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('probeHealth', () => {
  it('GIVEN a service answering 200 WHEN probed THEN it reports no problem', async () => {
    const port = await serve((_req, res) => res.end('ok'));

    expect(await probeHealth({ port, path: '/health', timeoutMs: 2_000 })).toBeUndefined();
  });

  it('GIVEN a draining service answering 503 WHEN probed THEN the problem names the status', async () => {
    const port = await serve((_req, res) => res.writeHead(503).end());

    expect(await probeHealth({ port, path: '/health', timeoutMs: 2_000 })).toBe(
      `http://127.0.0.1:${port}/health answered 503`,
    );
  });

  it('GIVEN nothing listening WHEN probed THEN the problem names the URL and the socket error', async () => {
    const port = await findFreePort();

    expect(await probeHealth({ port, path: '/health', timeoutMs: 2_000 })).toBe(
      `http://127.0.0.1:${port}/health did not answer: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it('GIVEN a service that never answers WHEN probed THEN the problem says it timed out', async () => {
    const port = await serve(() => undefined);

    expect(await probeHealth({ port, path: '/health', timeoutMs: 50 })).toBe(
      `http://127.0.0.1:${port}/health did not answer: no answer within 50 ms`,
    );
  });
});
