import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

/**
 * JSON lines on stdout. Asynchronous writes keep logging off the request's critical path; main
 * flushes the destination before exiting so no line is lost at shutdown.
 */
export function createLogger(level: LogLevel, destination: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export function createStdoutDestination(): ReturnType<typeof pino.destination> {
  return pino.destination({ dest: 1, sync: false });
}
