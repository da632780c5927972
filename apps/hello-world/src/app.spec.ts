import request from 'supertest';
import { createApp } from './app';
import { captureLogger } from './testing/capture-logger';

function setup(level: Parameters<typeof captureLogger>[0] = 'info') {
  const captured = captureLogger(level);
  const app = createApp({
    logger: captured.logger,
    version: '9.9.9',
    startedAt: Date.now() - 61_000,
  });
  return { server: app.callback(), ...captured };
}

describe('GET /', () => {
  it('answers hello-world as text/plain, byte for byte', async () => {
    const res = await request(setup().server).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('hello-world');
    expect(res.headers['content-length']).toBe('11');
  });

  it('GIVEN a greeting THEN answers it, with its byte length', async () => {
    const app = createApp({ logger: captureLogger().logger, version: 't', greeting: 'Grüß dich' });
    const res = await request(app.callback()).get('/');
    expect(res.text).toBe('Grüß dich');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength('Grüß dich')));
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await request(setup().server).head('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('11');
    expect(res.text).toBeUndefined();
  });
});

describe('GET /health', () => {
  it('answers 200 JSON with status, version and uptime', async () => {
    const res = await request(setup().server).get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'ok', version: '9.9.9', uptimeSeconds: 61 });
  });

  it('is not logged at info level', async () => {
    const { server, lines } = setup('info');
    await request(server).get('/health');
    expect(lines).toEqual([]);
  });

  it('is logged at debug level', async () => {
    const { server, lines } = setup('debug');
    await request(server).get('/health');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'debug', path: '/health', status: 200 }),
    ]);
  });
});

describe('errors', () => {
  it('answers an unknown path with 404 JSON', async () => {
    const res = await request(setup().server).get('/nope').set('x-request-id', 'abc-123');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Not Found', status: 404, requestId: 'abc-123' });
  });

  it('answers a wrong method on a known path with 405 and Allow', async () => {
    const res = await request(setup().server).delete('/');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS');
    expect(res.body).toMatchObject({ error: 'Method Not Allowed', status: 405 });
  });

  it.each(['constructor', '__proto__', 'toString'])(
    'answers 404, not 500, for the path %p',
    async (path) => {
      // Object prototype members must not look like routes.
      const res = await request(setup().server).get(`/${path}`);
      expect(res.status).toBe(404);
    },
  );

  it('answers OPTIONS with 204 and Allow', async () => {
    const res = await request(setup().server).options('/health');
    expect(res.status).toBe(204);
    expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS');
  });
});

describe('draining', () => {
  it('asks keep-alive clients to disconnect once the process is draining', async () => {
    // GIVEN an app whose process received SIGTERM
    const app = createApp({
      logger: captureLogger().logger,
      version: 't',
      lifecycle: { draining: true },
    });
    // WHEN a request arrives on an open connection THEN it is served with Connection: close
    const res = await request(app.callback()).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['connection']).toBe('close');
  });

  it('keeps connections alive while not draining', async () => {
    const res = await request(setup().server).get('/').set('Connection', 'keep-alive');
    expect(res.headers['connection']).toBe('keep-alive');
  });
});

describe('request id', () => {
  it('echoes a sane x-request-id', async () => {
    const res = await request(setup().server).get('/').set('x-request-id', 'req.42:a_b-C');
    expect(res.headers['x-request-id']).toBe('req.42:a_b-C');
  });

  it('replaces an unsafe x-request-id with a generated UUID', async () => {
    const res = await request(setup().server).get('/').set('x-request-id', 'evil"\tid');
    expect(res.headers['x-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('generates a different id for each request without one', async () => {
    const { server } = setup();
    const [a, b] = await Promise.all([request(server).get('/'), request(server).get('/')]);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});

describe('security headers', () => {
  it.each(['/', '/health', '/missing'])('are set on %s', async (path) => {
    const res = await request(setup().server).get(path);
    expect(res.headers).toMatchObject({
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('request log', () => {
  it('writes one JSON line per request with method, path, status, duration and request id', async () => {
    const { server, lines } = setup();
    await request(server).get('/?q=secret').set('x-request-id', 'log-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: '/',
      status: 200,
      requestId: 'log-1',
    });
    expect(typeof lines[0]['durationMs']).toBe('number');
    expect(JSON.stringify(lines[0])).not.toContain('secret');
  });
});
