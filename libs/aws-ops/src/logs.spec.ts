import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  LogLine,
  findTaskLogStreams,
  followLogs,
  getTaskLogTail,
  logStreamForTask,
  readLogs,
} from './logs';
import { fakeClock } from './testing/fake-clock';
import { EXEC_FORMAT_LOG, STOPPED_TASK_ID, TASK_ID, logStream } from './testing/fixtures';

const logsMock = mockClient(CloudWatchLogsClient);
const logs = new CloudWatchLogsClient({});
const group = '/ecs/hello-world-ecr-ecs-fargate';
const stream = logStreamForTask(TASK_ID);
beforeEach(() => logsMock.reset());

const event = (eventId: string, timestamp: number, message: string) => ({
  eventId,
  timestamp,
  message,
  logStreamName: stream,
  ingestionTime: timestamp + 200,
});

describe('logStreamForTask', () => {
  it('follows the awslogs driver naming: prefix/container/task-id', () => {
    expect(logStreamForTask(TASK_ID)).toBe(`ecs/hello-world/${TASK_ID}`);
  });

  it("GIVEN another service's container THEN names its stream after that container", () => {
    expect(logStreamForTask(TASK_ID, 'greeter')).toBe(`ecs/greeter/${TASK_ID}`);
  });
});

describe('readLogs', () => {
  it('GIVEN two pages THEN returns every event oldest first, passing filter and stream', async () => {
    logsMock
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [event('2', 2000, '{"msg":"b"}\n')], nextToken: 't1' })
      .resolves({ events: [event('1', 1000, '{"msg":"a"}')] });
    const lines = await readLogs(logs, {
      logGroupName: group,
      startTime: 500,
      filterPattern: 'ERROR',
      logStreamNames: [stream],
    });
    expect(lines.map((l) => l.message)).toEqual(['{"msg":"a"}', '{"msg":"b"}']);
    expect(logsMock.commandCalls(FilterLogEventsCommand)[0].args[0].input).toMatchObject({
      logGroupName: group,
      startTime: 500,
      filterPattern: 'ERROR',
      logStreamNames: [stream],
    });
    expect(logsMock.commandCalls(FilterLogEventsCommand)[1].args[0].input.nextToken).toBe('t1');
  });
});

describe('followLogs', () => {
  it('GIVEN new events on each poll THEN prints each once and stops cleanly when aborted', async () => {
    const controller = new AbortController();
    logsMock
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [event('1', 1000, 'one'), event('2', 2000, 'two')] })
      // The next poll starts at the newest timestamp, so event 2 comes again and must be skipped.
      .resolvesOnce({ events: [event('2', 2000, 'two'), event('3', 2000, 'three')] })
      .callsFake(() => {
        controller.abort();
        return { events: [] };
      });
    const printed: LogLine[] = [];
    await followLogs(logs, {
      logGroupName: group,
      startTime: 0,
      onLines: (lines) => printed.push(...lines),
      signal: controller.signal,
      clock: fakeClock(),
    });
    expect(printed.map((l) => l.message)).toEqual(['one', 'two', 'three']);
    expect(logsMock.commandCalls(FilterLogEventsCommand)[1].args[0].input.startTime).toBe(2000);
  });

  it('GIVEN an already aborted signal THEN returns without calling AWS', async () => {
    const controller = new AbortController();
    controller.abort();
    await followLogs(logs, {
      logGroupName: group,
      startTime: 0,
      onLines: () => undefined,
      signal: controller.signal,
      clock: fakeClock(),
    });
    expect(logsMock.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });
});

describe('getTaskLogTail', () => {
  it('GIVEN a crashed task THEN returns its last lines from its own stream', async () => {
    logsMock
      .on(GetLogEventsCommand, { logGroupName: group, logStreamName: stream, startFromHead: false })
      .resolves({ events: [{ timestamp: 1000, message: EXEC_FORMAT_LOG, ingestionTime: 1100 }] });
    expect(await getTaskLogTail(logs, group, TASK_ID)).toEqual([
      { timestamp: 1000, message: EXEC_FORMAT_LOG, logStreamName: stream, eventId: undefined },
    ]);
  });

  it('GIVEN the task never wrote a line THEN returns nothing', async () => {
    logsMock.on(GetLogEventsCommand).rejects(
      Object.assign(new Error('The specified log stream does not exist.'), {
        name: 'ResourceNotFoundException',
      }),
    );
    expect(await getTaskLogTail(logs, group, TASK_ID)).toEqual([]);
  });
});

describe('findTaskLogStreams', () => {
  it('GIVEN the 8-character id logs prints THEN asks for the streams with that prefix and returns the match', async () => {
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [logStream(TASK_ID)] });
    expect(await findTaskLogStreams(logs, group, TASK_ID.slice(0, 8))).toEqual([stream]);
    expect(logsMock.commandCalls(DescribeLogStreamsCommand)[0].args[0].input).toEqual({
      logGroupName: group,
      logStreamNamePrefix: `ecs/hello-world/${TASK_ID.slice(0, 8)}`,
    });
  });

  it('GIVEN two pages of streams THEN returns every one, sorted', async () => {
    logsMock
      .on(DescribeLogStreamsCommand)
      .resolvesOnce({ logStreams: [logStream(TASK_ID)], nextToken: 'next' })
      .resolves({ logStreams: [logStream(STOPPED_TASK_ID)] });
    expect(await findTaskLogStreams(logs, group, '')).toEqual([
      logStreamForTask(STOPPED_TASK_ID),
      stream,
    ]);
  });

  it("GIVEN another service's container THEN looks under its prefix", async () => {
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [] });
    expect(await findTaskLogStreams(logs, group, 'a1b2c3d4', 'greeter')).toEqual([]);
    expect(
      logsMock.commandCalls(DescribeLogStreamsCommand)[0].args[0].input.logStreamNamePrefix,
    ).toBe('ecs/greeter/a1b2c3d4');
  });
});
