import { createLogger, type Logger } from '../logger';
import type { LogLevel } from '../config';

export interface CapturedLogger {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
}

/** A real pino logger whose JSON lines are parsed into `lines` instead of going to stdout. */
export function captureLogger(level: LogLevel = 'info'): CapturedLogger {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(level, {
    write: (line: string) => void lines.push(JSON.parse(line)),
  });
  return { logger, lines };
}
