import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  paginateDescribeLogStreams,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { APP_NAME, LOG_STREAM_PREFIX } from '@hello-world/shared';
import { Clock, isAbortError, systemClock } from './clock';

export interface LogLine {
  timestamp: number;
  message: string;
  logStreamName: string;
  eventId?: string;
}

export interface LogQuery {
  logGroupName: string;
  /** Epoch milliseconds. */
  startTime: number;
  endTime?: number;
  /** CloudWatch Logs filter pattern syntax, e.g. `ERROR` or `"exec format"`. */
  filterPattern?: string;
  /** Only these streams, e.g. one task's (see logStreamForTask). */
  logStreamNames?: string[];
}

/** The awslogs driver's stream name: prefix/container/task-id (the container is the service's). */
export function logStreamForTask(taskId: string, containerName: string = APP_NAME): string {
  return `${LOG_STREAM_PREFIX}/${containerName}/${taskId}`;
}

/**
 * The log streams of the tasks whose id starts with `taskIdPrefix` (the 8 characters `logs`
 * prints, or a whole id), through the DescribeLogStreams paginator: the awslogs driver names
 * each stream prefix/container/task-id, so the stream prefix selects the tasks. Sorted by name.
 */
export async function findTaskLogStreams(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  taskIdPrefix: string,
  containerName: string = APP_NAME,
): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateDescribeLogStreams(
    { client: logs },
    { logGroupName, logStreamNamePrefix: logStreamForTask(taskIdPrefix, containerName) },
  );
  for await (const page of pages) {
    names.push(
      ...(page.logStreams ?? []).flatMap((s) => (s.logStreamName ? [s.logStreamName] : [])),
    );
  }
  return names.sort();
}

function toLine(e: {
  timestamp?: number;
  message?: string;
  logStreamName?: string;
  eventId?: string;
}): LogLine {
  return {
    timestamp: e.timestamp ?? 0,
    message: (e.message ?? '').replace(/\n$/, ''),
    logStreamName: e.logStreamName ?? '',
    eventId: e.eventId,
  };
}

/** Every matching event in the window, oldest first, through the FilterLogEvents paginator. */
export async function readLogs(logs: CloudWatchLogsClient, query: LogQuery): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const pages = paginateFilterLogEvents(
    { client: logs },
    {
      logGroupName: query.logGroupName,
      startTime: query.startTime,
      endTime: query.endTime,
      filterPattern: query.filterPattern || undefined,
      logStreamNames: query.logStreamNames?.length ? query.logStreamNames : undefined,
    },
  );
  for await (const page of pages) lines.push(...(page.events ?? []).map(toLine));
  return lines.sort((a, b) => a.timestamp - b.timestamp);
}

export interface FollowOptions extends LogQuery {
  onLines: (lines: LogLine[]) => void;
  /** Aborting it ends the follow cleanly (Ctrl-C). */
  signal: AbortSignal;
  /** @default 2000 */
  pollIntervalMs?: number;
  clock?: Clock;
}

/**
 * Prints what is there, then polls for new events until the signal aborts, like `aws logs tail
 * --follow`. Events that share the last timestamp are remembered so none is printed twice.
 */
export async function followLogs(
  logs: CloudWatchLogsClient,
  options: FollowOptions,
): Promise<void> {
  const clock = options.clock ?? systemClock;
  let startTime = options.startTime;
  let seenAtStart = new Set<string>();
  while (!options.signal.aborted) {
    let lines: LogLine[];
    try {
      lines = await readLogs(logs, { ...options, startTime, endTime: undefined });
    } catch (error) {
      if (options.signal.aborted) return;
      throw error;
    }
    const fresh = lines.filter((l) => !l.eventId || !seenAtStart.has(l.eventId));
    if (fresh.length > 0) {
      options.onLines(fresh);
      const newest = fresh[fresh.length - 1].timestamp;
      const sameTime = lines.filter((l) => l.timestamp === newest && l.eventId);
      seenAtStart = new Set([
        ...(newest === startTime ? seenAtStart : []),
        ...sameTime.map((l) => l.eventId as string),
      ]);
      startTime = newest;
    }
    try {
      await clock.sleep(options.pollIntervalMs ?? 2000, options.signal);
    } catch (error) {
      if (isAbortError(error)) return;
      throw error;
    }
  }
}

/** The last lines a task wrote (for a crashed task); empty when its stream never appeared. */
export async function getTaskLogTail(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  taskId: string,
  limit = 20,
  containerName: string = APP_NAME,
): Promise<LogLine[]> {
  const logStreamName = logStreamForTask(taskId, containerName);
  try {
    const { events } = await logs.send(
      new GetLogEventsCommand({ logGroupName, logStreamName, limit, startFromHead: false }),
    );
    return (events ?? []).map((e) => toLine({ ...e, logStreamName }));
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return [];
    throw error;
  }
}
