import type { Context, Middleware } from 'koa';
import { HEALTH_PATH } from '@hello-world/shared';
import { errorBody } from './error-body';

type Handler = (ctx: Context) => void;

export interface HealthInfo {
  version: string;
  startedAt: number;
}

/**
 * The whole route table. Two fixed paths do not need a router: an object lookup gives 404 and
 * 405-with-Allow directly, and saves a Koa layer on every request (see docs/benchmarks.md).
 */
export function routes(health: HealthInfo): Middleware {
  const table: Record<string, Record<string, Handler>> = {
    '/': {
      GET: (ctx) => {
        ctx.type = 'text/plain';
        ctx.body = 'hello-world';
      },
    },
    [HEALTH_PATH]: {
      GET: (ctx) => {
        ctx.body = {
          status: 'ok',
          version: health.version,
          uptimeSeconds: Math.round((Date.now() - health.startedAt) / 1000),
        };
      },
    },
  };
  const allow = Object.fromEntries(
    Object.entries(table).map(([path, methods]) => [path, allowHeader(Object.keys(methods))]),
  );

  return function routesMiddleware(ctx) {
    const methods = table[ctx.path];
    if (methods === undefined) {
      ctx.status = 404;
      ctx.body = errorBody(404, ctx.state['requestId']);
      return;
    }
    const handler = methods[ctx.method === 'HEAD' ? 'GET' : ctx.method];
    if (handler !== undefined) return handler(ctx);
    ctx.set('Allow', allow[ctx.path]);
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    ctx.status = 405;
    ctx.body = errorBody(405, ctx.state['requestId']);
  };
}

function allowHeader(methods: string[]): string {
  const all = new Set(methods);
  if (all.has('GET')) all.add('HEAD');
  all.add('OPTIONS');
  return [...all].join(', ');
}
