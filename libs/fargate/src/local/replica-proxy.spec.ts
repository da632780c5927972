import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createReplicaProxy,
  isRetryable,
  parsePool,
  pickReplica,
  type Replica,
} from './replica-proxy';

const a = { name: 'r-1', address: '10.0.0.1:49000' };
const b = { name: 'r-2', address: '10.0.0.2:49000' };
const c = { name: 'r-3', address: '10.0.0.3:49000' };

describe('pickReplica', () => {
  it('GIVEN three healthy replicas THEN takes them in turn', () => {
    let cursor = 0;
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      const picked = pickReplica([a, b, c], new Set(), cursor);
      names.push(picked?.replica.name ?? '-');
      cursor = picked?.cursor ?? 0;
    }
    expect(names).toEqual(['r-1', 'r-2', 'r-3', 'r-1']);
  });

  it('GIVEN an unhealthy replica THEN skips it', () => {
    expect(pickReplica([a, b, c], new Set([b.address]), 1)?.replica).toBe(c);
  });

  it('GIVEN the replica a retry already tried THEN another one', () => {
    expect(pickReplica([a, b], new Set(), 0, a.address)?.replica).toBe(b);
  });

  it('GIVEN no healthy replica THEN none', () => {
    expect(pickReplica([a], new Set([a.address]), 0)).toBeUndefined();
  });
});

describe('isRetryable', () => {
  it.each([
    ['GET', 'ECONNREFUSED', false, true],
    ['HEAD', 'ECONNRESET', false, true],
    ['GET', 'ECONNRESET', true, false],
    ['POST', 'ECONNREFUSED', false, false],
    ['GET', 'ETIMEDOUT', false, false],
  ])('%s failing with %s (answered: %s) → %s', (method, code, answered, expected) => {
    expect(isRetryable(method, code, answered)).toBe(expected);
  });
});

describe('parsePool', () => {
  it('GIVEN a pool file THEN its replicas', () => {
    expect(parsePool(JSON.stringify({ replicas: [a, b] }), [])).toEqual([a, b]);
  });

  it('GIVEN a half-written or missing file THEN keeps the previous pool', () => {
    expect(parsePool('{"replicas": [', [a])).toEqual([a]);
    expect(parsePool(undefined, [a])).toEqual([a]);
  });
});

/** A real server on a real socket, answering with its name. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function replicaServer(name: string): Server {
  return createServer((req, res) => {
    if (req.url === '/health') return void res.end('ok');
    res.writeHead(req.url === '/teapot' ? 418 : 200, { 'x-replica': name, 'x-app': 'kept' });
    res.end(name);
  });
}

/** A port that refuses connections: bound, then closed. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function send(
  port: number,
  path = '/',
  method = 'GET',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createReplicaProxy on real sockets', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  async function proxyFor(pool: Replica[]): Promise<number> {
    const proxy = createReplicaProxy({
      readPool: () => JSON.stringify({ replicas: pool }),
      healthPath: '/health',
      // Long: these tests exercise the forwarding, not the health polling.
      healthMs: 60_000,
    });
    servers.push(proxy);
    return listen(proxy);
  }

  async function replica(name: string): Promise<Replica> {
    const server = replicaServer(name);
    servers.push(server);
    return { name, address: `127.0.0.1:${await listen(server)}` };
  }

  it('GIVEN two replicas THEN both answer, in turn', async () => {
    const port = await proxyFor([await replica('one'), await replica('two')]);
    const bodies = [(await send(port)).body, (await send(port)).body];
    expect(bodies.sort()).toEqual(['one', 'two']);
  });

  it("GIVEN a replica's own status and headers THEN passes them unchanged", async () => {
    const port = await proxyFor([await replica('one')]);
    const answer = await send(port, '/teapot');
    expect(answer.status).toBe(418);
    expect(answer.headers).toMatchObject({ 'x-replica': 'one', 'x-app': 'kept' });
  });

  it('GIVEN a replica that refuses connections THEN a GET is answered by another one', async () => {
    const gone = { name: 'gone', address: `127.0.0.1:${await refusingPort()}` };
    const port = await proxyFor([gone, await replica('two')]);
    const answers = await Promise.all([send(port), send(port), send(port)]);
    expect(answers.map((x) => x.status)).toEqual([200, 200, 200]);
  });

  it('GIVEN a replica that refuses connections THEN a POST is not retried (502)', async () => {
    const gone = { name: 'gone', address: `127.0.0.1:${await refusingPort()}` };
    const port = await proxyFor([gone, await replica('two')]);
    expect((await send(port, '/', 'POST')).status).toBe(502);
  });

  it('GIVEN no replica at all THEN 502', async () => {
    const port = await proxyFor([]);
    expect((await send(port)).status).toBe(502);
  });
});
