import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { isIpInCidr, probeUrl } from './reachability';

describe('isIpInCidr', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24', true],
    ['203.0.113.7', '0.0.0.0/0', true],
    ['198.51.100.1', '203.0.113.0/24', false],
    ['203.0.113.7', '203.0.113.7/32', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['203.0.113.7', '2001:db8::/32', false],
    ['203.0.113.7', 'not-a-cidr', false],
  ])('GIVEN ip %s and CIDR %s THEN contained is %s', (ip, cidr, expected) => {
    expect(isIpInCidr(ip, cidr)).toBe(expected);
  });
});

describe('probeUrl', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello-world'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('GIVEN a server that answers THEN ok with its status', async () => {
    expect(await probeUrl(`http://127.0.0.1:${port}/`)).toEqual({ ok: true, status: 200 });
  });

  it('GIVEN nothing listening THEN not ok, with the connection error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await probeUrl(`http://127.0.0.1:${freePort}/`)).toEqual({
      ok: false,
      error: 'ECONNREFUSED',
    });
  });
});
