import Koa from 'koa';
import request from 'supertest';
import { requestContext } from './request-context';
import { captureLogger } from '../testing/capture-logger';

function appThatThrows(error: unknown) {
  const { logger, lines } = captureLogger('info');
  const app = new Koa();
  app.silent = true;
  app.use(requestContext(logger, { draining: false }));
  app.use(() => {
    throw error;
  });
  return { server: app.callback(), lines };
}

describe('requestContext error handling', () => {
  it('answers an unexpected error with 500 JSON and no message or stack', async () => {
    const { server } = appThatThrows(new Error('database password is hunter2'));
    const res = await request(server).get('/').set('x-request-id', 'e-1');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'Internal Server Error', status: 500, requestId: 'e-1' });
    expect(res.text).not.toContain('hunter2');
  });

  it('logs an unexpected error once at error level with the request id', async () => {
    const { server, lines } = appThatThrows(new Error('boom'));
    await request(server).get('/').set('x-request-id', 'e-2');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', requestId: 'e-2', status: 500 }),
    ]);
  });

  it('keeps the status of an exposed client error, still as short JSON', async () => {
    const clientError = Object.assign(new Error('bad'), { status: 400, expose: true });
    const res = await request(appThatThrows(clientError).server).get('/');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'Bad Request', status: 400 });
  });

  it('treats a non-Error throw as a 500', async () => {
    const res = await request(appThatThrows('just a string').server).get('/');
    expect(res.status).toBe(500);
  });
});
