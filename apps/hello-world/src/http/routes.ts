import type { Context, Middleware } from 'koa';
import { HEALTH_PATH } from '@hello-world/shared';
import { errorBody } from './error-body';

type Handler = (ctx: Context) => void;

export interface HealthInfo {
  version: string;
  startedAt: number;
}

export interface RouteOptions extends HealthInfo {
  /** What GET / answers (config's GREETING, default "hello-world"). */
  greeting: string;
}

/**
 * The whole route table. Two fixed paths do not need a router: an object lookup gives 404 and
 * 405-with-Allow directly, and saves a Koa layer on every request (see docs/benchmarks.md).
 */
export function routes({ greeting, ...health }: RouteOptions): Middleware {
  // A Map, not an object: a request for `constructor` or `__proto__` must not find a prototype member.
  const table = new Map<string, Record<string, Handler>>([
    [
      '/',
      {
        GET: (ctx) => {
          // Set verbatim: `ctx.type = 'text/plain'` would run a MIME lookup on every request.
          ctx.set('Content-Type', 'text/plain; charset=utf-8');
          ctx.body = greeting;
        },
      },
    ],
    [
      HEALTH_PATH,
      {
        GET: (ctx) => {
          ctx.body = {
            status: 'ok',
            version: health.version,
            uptimeSeconds: Math.round((Date.now() - health.startedAt) / 1000),
          };
        },
      },
    ],
  ]);
  const allow = new Map(
    [...table].map(([path, methods]) => [path, allowHeader(Object.keys(methods))]),
  );

  return function routesMiddleware(ctx) {
    const path = ctx.path;
    const methods = table.get(path);
    if (methods === undefined) {
      ctx.status = 404;
      ctx.body = errorBody(404, ctx.state['requestId']);
      return;
    }
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (handler !== undefined) return handler(ctx);
    ctx.set('Allow', allow.get(path) as string);
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
