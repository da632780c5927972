import type { Middleware } from 'koa';
import type { Logger } from '../logger';
import type { Lifecycle } from '../lifecycle';
import { HEALTH_PATH } from '@hello-world/shared';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id';
import { SECURITY_HEADERS } from './security-headers';
import { errorBody } from './error-body';
import { originForm } from './request-target';

/**
 * The one outer layer every request passes: request id, security headers, errors as short JSON,
 * and one log line. Kept as a single middleware because each Koa layer costs throughput.
 */
export function requestContext(logger: Logger, lifecycle: Lifecycle): Middleware {
  return async function requestContextMiddleware(ctx, next) {
    const started = process.hrtime.bigint();
    const requestId = resolveRequestId(ctx.req.headers[REQUEST_ID_HEADER]);
    ctx.state['requestId'] = requestId;
    const res = ctx.res;
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    res.setHeader(REQUEST_ID_HEADER, requestId);

    // Normalise the target before anything reads ctx.path, which throws on some absolute forms.
    const target = originForm(ctx.req.url);
    if (target !== undefined && target !== ctx.req.url) ctx.req.url = target;

    let failure: unknown;
    if (target === undefined) {
      ctx.status = 400;
      ctx.body = errorBody(400, requestId);
    } else {
      try {
        await next();
      } catch (error) {
        failure = error;
        const status = clientErrorStatus(error) ?? 500;
        ctx.status = status;
        ctx.body = errorBody(status, requestId);
      }
    }
    // While draining, answer and ask the client to reconnect elsewhere rather than reuse the socket.
    if (lifecycle.draining) ctx.set('Connection', 'close');

    const path = target === undefined ? null : ctx.path;
    const entry = {
      requestId,
      method: ctx.method,
      path,
      status: ctx.status,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    };
    if (failure !== undefined && ctx.status >= 500)
      logger.error({ ...entry, err: failure }, 'request failed');
    else if (path === HEALTH_PATH) logger.debug(entry, 'request');
    else logger.info(entry, 'request');
  };
}

/** Status of an error a client caused (http-errors style, `expose` set), else undefined. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500
    ? status
    : undefined;
}
