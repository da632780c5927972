import Koa from 'koa';
import { DEFAULT_GREETING } from './config';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';
import { requestContext } from './http/request-context';
import { routes } from './http/routes';

export interface AppOptions {
  logger: Logger;
  /** Reported by GET /health. */
  version: string;
  /** Epoch ms the process started, for the health uptime. @default Date.now() */
  startedAt?: number;
  /** Shared with the shutdown wiring. @default { draining: false } */
  lifecycle?: Lifecycle;
  /** What GET / answers. @default "hello-world" */
  greeting?: string;
}

/** Builds the Koa app without listening: tests call `app.callback()`, main wires a server. */
export function createApp({
  logger,
  version,
  startedAt = Date.now(),
  lifecycle = { draining: false },
  greeting = DEFAULT_GREETING,
}: AppOptions): Koa {
  const app = new Koa();
  // Errors are answered and logged by requestContext; Koa's own stderr printing would duplicate them.
  app.silent = true;
  app.use(requestContext(logger, lifecycle));
  app.use(routes({ version, startedAt, greeting }));
  return app;
}
