import {
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DEPLOYMENT_ID,
  NAME,
  PUBLIC_IP,
  STOPPED_TASK_ARN,
  TAG,
  TASK_ID,
  awsError,
  deployment,
  failedRolloutService,
  logStream,
  registryStack,
  service,
  stack,
  stackParameters,
  stackMissingError,
  stoppedTask,
  arrangeHealthyDeployment,
  mockAwsClients,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import { USAGE } from './args';
import { opsHarness, type OpsHarness } from './ops-harness-for-test';
import { OpsDeps, runOps } from './run';

const aws = mockAwsClients();
const { cfn: cfnMock, ecs: ecsMock, ecr: ecrMock, logs: logsMock } = aws;
const URL = `http://${PUBLIC_IP}:49000`;

function harness(overrides: Partial<OpsDeps> = {}): OpsHarness {
  return opsHarness(aws.clients(), overrides);
}

beforeEach(() => arrangeHealthyDeployment(aws));

describe('status', () => {
  it('GIVEN a running service THEN prints counts, the task table and the URL, exit 0', async () => {
    const h = harness();
    expect(await runOps(['status'], h.deps)).toBe(0);
    const text = h.out.join('\n');
    expect(text).toContain('Tasks: 1 desired, 1 running, 0 pending');
    expect(text).toContain(`URL: ${URL} (answers from here)`);
    expect(text).toMatch(
      new RegExp(
        `${TASK_ID}\\s+RUNNING\\s+HEALTHY\\s+${TAG}\\s+2026-11-25T18:01:40Z\\s+10\\.0\\.1\\.23\\s+${PUBLIC_IP.replace(/\./g, '\\.')}`,
      ),
    );
    expect(text).toMatch(
      /ecs-svc\/1234567890123456789\s+PRIMARY\s+COMPLETED\s+hello-world:7\s+1\/1/,
    );
  });

  it('GIVEN your IP is outside AllowedIP THEN status warns under the URL, naming your IP', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stack({ Parameters: stackParameters({ allowedIp: '198.51.100.0/24' }) })],
    });
    const h = harness({ probe: async () => ({ ok: false, error: 'UND_ERR_CONNECT_TIMEOUT' }) });
    expect(await runOps(['status'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain(
      `URL: ${URL}\n  WARN your public IP 203.0.113.7 is outside AllowedIP 198.51.100.0/24: allow it: \`npx nx run infra:deploy --allowed-ip=203.0.113.7/32\``,
    );
  });

  it('GIVEN the URL does not answer from an allowed IP THEN prints ERROR and exits 1', async () => {
    const h = harness({ probe: async () => ({ ok: false, error: 'ECONNREFUSED' }) });
    expect(await runOps(['status'], h.deps)).toBe(1);
    expect(h.out.join('\n')).toContain(`URL: ${URL}\n  ERROR ${URL} does not answer from here`);
  });

  it('GIVEN no task runs of one desired THEN prints ERROR pointing at doctor and exits 1', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [service({ runningCount: 0, pendingCount: 1 })] });
    ecsMock.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [] });
    const h = harness();
    expect(await runOps(['status'], h.deps)).toBe(1);
    expect(h.out.join('\n')).toContain(
      '  ERROR 0 of 1 desired task(s) running: `npx nx run infra:doctor` finds why',
    );
  });

  it('GIVEN a rollout the circuit breaker failed THEN prints ERROR and exits 1', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [failedRolloutService()] });
    const h = harness();
    expect(await runOps(['status'], h.deps)).toBe(1);
    expect(h.out.join('\n')).toContain(
      `  ERROR deployment ${DEPLOYMENT_ID} failed: ECS deployment circuit breaker: tasks failed to start.`,
    );
  });

  it('GIVEN your public IP cannot be found THEN says AllowedIP was not checked, exit 0', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stack({ Parameters: stackParameters({ allowedIp: '198.51.100.0/24' }) })],
    });
    const h = harness({ callerIp: async () => undefined });
    expect(await runOps(['status'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain(
      `URL: ${URL} (answers from here)\n  INFO could not find your public IP (checkip.amazonaws.com did not answer): AllowedIP 198.51.100.0/24 not checked`,
    );
  });

  it('GIVEN --json THEN prints one JSON document with the URL and tasks', async () => {
    const h = harness();
    expect(await runOps(['status', '--json'], h.deps)).toBe(0);
    const data = JSON.parse(h.out.join('\n'));
    expect(data).toMatchObject({
      url: URL,
      region: 'eu-west-1',
      runningCount: 1,
      tasks: [{ taskId: TASK_ID, publicIp: PUBLIC_IP }],
    });
  });

  it('GIVEN a stopped task THEN shows its exit code and reason', async () => {
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [STOPPED_TASK_ARN] });
    ecsMock.on(DescribeTasksCommand, { tasks: [STOPPED_TASK_ARN] }).resolves({
      tasks: [
        stoppedTask('OutOfMemoryError: Container killed due to memory usage', {
          exitCode: 137,
          reason: 'OutOfMemoryError: Container killed due to memory usage',
        }),
      ],
    });
    const h = harness();
    await runOps(['status'], h.deps);
    expect(h.out.join('\n')).toMatch(/Recently stopped tasks[\s\S]*137 OutOfMemoryError/);
  });
});

describe('url and outputs', () => {
  it('url prints only the URL', async () => {
    const h = harness();
    expect(await runOps(['url'], h.deps)).toBe(0);
    expect(h.out).toEqual([URL]);
  });

  it('GIVEN no running task yet THEN url exits 1 with one line', async () => {
    ecsMock.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [] });
    const h = harness();
    expect(await runOps(['url'], h.deps)).toBe(1);
    expect(h.err).toEqual([
      expect.stringMatching(/^infra:url: no running task in service hello-world-ecr-ecs-fargate/),
    ]);
    expect(h.out).toEqual([]);
  });

  it('outputs lists both stacks', async () => {
    const h = harness();
    expect(await runOps(['outputs'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toMatch(
      new RegExp(`${NAME}-registry\\s+ECRRepositoryName\\s+${NAME}`),
    );
    expect(h.out.join('\n')).toMatch(/SecurityGroupId\s+sg-0123456789abcdef0/);
  });

  it('GIVEN only the service stack is gone THEN shows the registry outputs, names the missing stack on stderr, exit 0', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError());
    const h = harness();
    expect(await runOps(['outputs'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toMatch(
      new RegExp(`${NAME}-registry\\s+ECRRepositoryName\\s+${NAME}`),
    );
    expect(h.err).toEqual([
      `stack ${NAME} is not deployed in eu-west-1: its outputs are not shown`,
    ]);
  });

  it('GIVEN neither stack THEN one line naming the region, exit 2', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(stackMissingError());
    const h = harness();
    expect(await runOps(['outputs', '--region', 'us-east-2'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:outputs: nothing found in us-east-2: neither stack ${NAME} nor ${NAME}-registry is deployed there; pass --region if they live elsewhere, or run \`npx nx run infra:deploy\``,
    ]);
    expect(h.out).toEqual([]);
  });
});

describe('logs', () => {
  it('GIVEN --task THEN reads that task stream only and prints its lines', async () => {
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [logStream()] });
    logsMock.on(FilterLogEventsCommand).resolves({
      events: [
        {
          eventId: '1',
          timestamp: Date.parse('2026-11-25T18:05:00Z'),
          message: '{"msg":"listening"}',
          logStreamName: `ecs/hello-world/${TASK_ID}`,
        },
      ],
    });
    const h = harness();
    expect(await runOps(['logs', '--task', TASK_ID, '--filter', 'listening'], h.deps)).toBe(0);
    expect(h.out).toEqual(['2026-11-25T18:05:00.000Z {"msg":"listening"}']);
    expect(logsMock.commandCalls(FilterLogEventsCommand)[0].args[0].input).toMatchObject({
      logGroupName: '/ecs/hello-world-ecr-ecs-fargate',
      logStreamNames: [`ecs/hello-world/${TASK_ID}`],
      filterPattern: 'listening',
      startTime: Date.parse('2026-11-25T18:00:00Z'),
    });
  });

  it('GIVEN --task with the 8-character id logs prints THEN reads that task full stream', async () => {
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [logStream()] });
    logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
    const h = harness();
    await runOps(['logs', '--task', TASK_ID.slice(0, 8)], h.deps);
    expect(logsMock.commandCalls(DescribeLogStreamsCommand)[0].args[0].input).toEqual({
      logGroupName: '/ecs/hello-world-ecr-ecs-fargate',
      logStreamNamePrefix: `ecs/hello-world/${TASK_ID.slice(0, 8)}`,
    });
    expect(logsMock.commandCalls(FilterLogEventsCommand)[0].args[0].input.logStreamNames).toEqual([
      `ecs/hello-world/${TASK_ID}`,
    ]);
  });

  it('GIVEN --task matching no stream THEN one line saying so and where the ids are, exit 2', async () => {
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [] });
    const h = harness();
    expect(await runOps(['logs', '--task', '1a2b3c4d'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:logs: no log stream for task 1a2b3c4d in /ecs/hello-world-ecr-ecs-fargate: see the task ids with `npx nx run infra:status`',
    ]);
    expect(logsMock.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });

  it('GIVEN --task matching two tasks THEN says so with their ids, exit 2', async () => {
    logsMock
      .on(DescribeLogStreamsCommand)
      .resolves({ logStreams: [logStream(TASK_ID), logStream(`${TASK_ID.slice(0, 8)}ffff`)] });
    const h = harness();
    expect(await runOps(['logs', '--task', TASK_ID.slice(0, 8)], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:logs: task id a1b2c3d4 matches 2 tasks (${TASK_ID}, a1b2c3d4ffff): give more of its id`,
    ]);
  });

  it('GIVEN no line in the last 1d THEN the hint is wider than 1d and names the filter', async () => {
    logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
    const h = harness();
    expect(await runOps(['logs', '--since', '1d', '--filter', 'ERROR'], h.deps)).toBe(0);
    expect(h.err).toEqual([
      'no log lines matching "ERROR" since 2026-11-24T18:10:00Z: try --since 7d, or without --filter',
    ]);
  });

  it('GIVEN no line in the default 10 minutes THEN the hint is --since 1h', async () => {
    logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
    const h = harness();
    expect(await runOps(['logs'], h.deps)).toBe(0);
    expect(h.err).toEqual(['no log lines since 2026-11-25T18:00:00Z: try --since 1h']);
  });

  it('GIVEN no line in the last 30 days THEN no wider window is suggested', async () => {
    logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
    const h = harness();
    expect(await runOps(['logs', '--since', '30d'], h.deps)).toBe(0);
    expect(h.err).toEqual([
      'no log lines since 2026-10-26T18:10:00Z: the service wrote nothing in that window',
    ]);
  });

  it('GIVEN --follow THEN Ctrl-C ends it cleanly with exit 0', async () => {
    const h = harness();
    logsMock.on(FilterLogEventsCommand).callsFake(() => {
      h.controller.abort();
      return {
        events: [
          {
            eventId: '1',
            timestamp: 1,
            message: 'hi',
            logStreamName: `ecs/hello-world/${TASK_ID}`,
          },
        ],
      };
    });
    expect(await runOps(['logs', '--follow'], h.deps)).toBe(0);
    expect(h.out).toEqual(['1970-01-01T00:00:00.001Z a1b2c3d4 hi']);
  });
});

describe('redeploy', () => {
  const started = service({
    deployments: [deployment({ rolloutState: 'IN_PROGRESS', runningCount: 0, pendingCount: 1 })],
  });

  it('GIVEN the rollout completes THEN shows progress on stderr and the URL on stdout, exit 0', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: started });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [started] })
      .resolves({ services: [service()] });
    const h = harness();
    expect(await runOps(['redeploy'], h.deps)).toBe(0);
    expect(h.err[0]).toMatch(`started deployment ${DEPLOYMENT_ID}`);
    expect(h.err).toContain('[0s] IN_PROGRESS 0/1 running, 1 pending, 0 failed');
    expect(h.err).toContain('[6s] COMPLETED 1/1 running, 0 pending, 0 failed');
    expect(h.out).toEqual([`deployed ${DEPLOYMENT_ID}: ${URL}`]);
  });

  it('GIVEN the new task does not answer from here THEN the URL comes with a warning, still exit 0', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: started });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service()] });
    const h = harness({ probe: async () => ({ ok: false, error: 'ECONNREFUSED' }) });
    expect(await runOps(['redeploy'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toMatch(
      new RegExp(`^deployed ${DEPLOYMENT_ID}: ${URL}\\n  WARN ${URL} does not answer from here`),
    );
  });

  it('GIVEN the circuit breaker rolls back THEN exit 1 with the reason and the diagnosis', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: started });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [started] })
      .resolves({ services: [failedRolloutService()] });
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [STOPPED_TASK_ARN] });
    ecsMock.on(DescribeTasksCommand, { tasks: [STOPPED_TASK_ARN] }).resolves({
      tasks: [stoppedTask('Essential container in task exited', { exitCode: 1 })],
    });
    logsMock
      .on(GetLogEventsCommand)
      .resolves({ events: [{ timestamp: 1, message: 'Error: Cannot find module /app/main.js' }] });
    const h = harness();
    expect(await runOps(['redeploy'], h.deps)).toBe(1);
    const text = h.out.join('\n');
    expect(text).toContain(
      'redeploy failed: ECS deployment circuit breaker: tasks failed to start.',
    );
    expect(text).toContain('log: Error: Cannot find module /app/main.js');
  });

  it('GIVEN polls with no change THEN prints the progress line once', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: started });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [started] })
      .resolvesOnce({ services: [started] })
      .resolvesOnce({ services: [started] })
      .resolves({ services: [service()] });
    const h = harness();
    expect(await runOps(['redeploy'], h.deps)).toBe(0);
    expect(h.err.filter((l) => l.includes('IN_PROGRESS'))).toEqual([
      '[0s] IN_PROGRESS 0/1 running, 1 pending, 0 failed',
    ]);
  });

  it('GIVEN the timeout passes THEN exit 1 saying the rollout goes on, how to watch it and wait longer', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: started });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [started] });
    const h = harness();
    expect(await runOps(['redeploy', '--timeout', '30s'], h.deps)).toBe(1);
    const lines = h.out.join('\n').split('\n');
    expect(lines[0]).toBe(
      `redeploy timed out: deployment ${DEPLOYMENT_ID} still IN_PROGRESS after 30 s (0/1 running, 0 failed tasks)`,
    );
    expect(lines[1]).toBe(
      'the rollout goes on: watch it with `npx nx run infra:status` and `npx nx run infra:logs -- --follow`, or stop it with `npx nx run infra:abort`; next time, wait longer with `npx nx run infra:redeploy -- --timeout=30m`',
    );
  });

  it('GIVEN a --timeout shorter than 15 minutes runs out THEN the diagnosis reports the rollout', async () => {
    // The deployment starts with the redeploy (the harness clock is 18:10:00).
    const fresh = service({
      deployments: [
        deployment({
          rolloutState: 'IN_PROGRESS',
          runningCount: 0,
          pendingCount: 1,
          createdAt: new Date('2026-11-25T18:10:00Z'),
        }),
      ],
    });
    ecsMock.on(UpdateServiceCommand).resolves({ service: fresh });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [fresh] });
    const h = harness();
    expect(await runOps(['redeploy', '--timeout', '30s'], h.deps)).toBe(1);
    expect(h.out.join('\n')).toContain(
      `ERROR deployment ${DEPLOYMENT_ID} has been rolling out for 30 s\n      0/1 running, 1 pending, 0 failed`,
    );
  });
});

describe('doctor', () => {
  it('GIVEN a healthy service THEN exit 0 and "No problems found"', async () => {
    const h = harness();
    expect(await runOps(['doctor'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain(`No problems found. ${URL}`);
  });

  it('GIVEN the image tag is missing THEN exit 1 with what, evidence and fix', async () => {
    ecrMock.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException', 'not found'));
    const h = harness();
    expect(await runOps(['doctor'], h.deps)).toBe(1);
    expect(h.out.join('\n')).toMatch(
      /ERROR image tag sha-1a2b3c4-ecr-ecs-fargate is not in repository[\s\S]*fix: push it with `npx nx run hello-world:docker-push`/,
    );
  });
});

describe('doctor exit codes', () => {
  it('GIVEN the service stack is missing THEN exit 2, as for every missing stack', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError());
    const h = harness();
    expect(await runOps(['doctor'], h.deps)).toBe(2);
    expect(h.out.join('\n')).toContain(
      `ERROR the service stack ${NAME} is not deployed in eu-west-1`,
    );
  });

  it('GIVEN your public IP cannot be found THEN shows INFO that AllowedIP was not checked, exit 0', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stack({ Parameters: stackParameters({ allowedIp: '198.51.100.0/24' }) })],
    });
    const h = harness({ callerIp: async () => undefined });
    expect(await runOps(['doctor'], h.deps)).toBe(0);
    const text = h.out.join('\n');
    expect(text).toContain(
      'INFO  could not find your public IP (checkip.amazonaws.com did not answer): AllowedIP 198.51.100.0/24 not checked',
    );
    expect(text).toContain(`No problems found. ${URL}`);
  });
});

describe('destroy', () => {
  function deletable() {
    cfnMock
      .on(DescribeStacksCommand, { StackName: stack().StackId })
      .resolves({ Stacks: [{ ...stack(), StackStatus: 'DELETE_COMPLETE' }] });
    cfnMock.on(DeleteStackCommand).resolves({});
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  }

  it('GIVEN no terminal and no --yes THEN refuses with exit 2 and deletes nothing', async () => {
    deletable();
    const h = harness({ interactive: false });
    expect(await runOps(['destroy'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:destroy: destroy asks before deleting stack hello-world-ecr-ecs-fargate: run it in a terminal, or pass --yes',
    ]);
    expect(cfnMock.calls()).toHaveLength(0);
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('GIVEN the user answers no THEN nothing is deleted, exit 1', async () => {
    deletable();
    const questions: string[] = [];
    const h = harness({ interactive: true, confirm: async (q) => (questions.push(q), false) });
    expect(await runOps(['destroy'], h.deps)).toBe(1);
    expect(questions[0]).toMatch(
      /^Delete stack hello-world-ecr-ecs-fargate \(images in hello-world-ecr-ecs-fargate are kept\) in eu-west-1\? \[y\/N\] $/,
    );
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('GIVEN --yes THEN deletes the service stack and keeps the images', async () => {
    deletable();
    const h = harness();
    expect(await runOps(['destroy', '--yes'], h.deps)).toBe(0);
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(ecrMock.calls()).toHaveLength(0);
    expect(h.out).toEqual([
      `deleted stack ${NAME}; kept stack ${NAME}-registry and its images (pass --delete-images to delete them)`,
    ]);
  });
});

describe('destroy where not everything is deployed', () => {
  it('GIVEN --yes in a region where nothing is deployed THEN exit 2 naming the region, nothing deleted', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(stackMissingError());
    const h = harness();
    expect(await runOps(['destroy', '--yes', '--region', 'us-east-2'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:destroy: nothing to destroy in us-east-2: neither stack ${NAME} nor ${NAME}-registry is deployed there; pass --region if they live elsewhere, or run \`npx nx run infra:deploy\``,
    ]);
    expect(h.out).toEqual([]);
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('GIVEN --yes and no registry stack THEN says it is not deployed, not that it was kept', async () => {
    cfnMock
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .rejects(stackMissingError(`${NAME}-registry`));
    cfnMock
      .on(DescribeStacksCommand, { StackName: stack().StackId })
      .resolves({ Stacks: [{ ...stack(), StackStatus: 'DELETE_COMPLETE' }] });
    cfnMock.on(DeleteStackCommand).resolves({});
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    const h = harness();
    expect(await runOps(['destroy', '--yes'], h.deps)).toBe(0);
    expect(h.out).toEqual([
      `deleted stack ${NAME}; stack ${NAME}-registry is not deployed in eu-west-1`,
    ]);
  });

  it('GIVEN only the registry and no --delete-images THEN deletes nothing and asks nothing, exit 0', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError());
    cfnMock
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .resolves({ Stacks: [registryStack()] });
    const confirm = jest.fn(async () => true);
    const h = harness({ interactive: true, confirm });
    expect(await runOps(['destroy'], h.deps)).toBe(0);
    expect(confirm).not.toHaveBeenCalled();
    expect(h.out).toEqual([
      `stack ${NAME} is not deployed in eu-west-1; kept stack ${NAME}-registry and its images (pass --delete-images to delete them)`,
    ]);
  });
});

describe('an endpoint that answers a web page (proxy, captive portal)', () => {
  /** What the SDK throws when CloudFormation's XML parser meets an HTML page (errors.spec makes it for real). */
  function htmlAnswerError(): Error {
    const body =
      '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in</title></head><body></body></html>';
    return Object.assign(
      new Error(
        '@aws-sdk XML parse error: mismatched tags <meta> and </head>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
      {
        $responseBodyText: body,
        $response: { statusCode: 200, headers: { 'content-type': 'text/html' }, body },
        $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
      },
    );
  }

  it('GIVEN AWS_ENDPOINT_URL THEN one line naming it and a proxy or portal, exit 2', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(htmlAnswerError());
    const h = harness({ env: { AWS_ENDPOINT_URL: 'http://localhost:4566' } });
    expect(await runOps(['status'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:status: http://localhost:4566 (AWS_ENDPOINT_URL) answered with a web page (HTML) AWS would not send (HTTP 200): a proxy or captive portal is likely answering instead of AWS; sign in to the network or fix HTTPS_PROXY, or AWS_ENDPOINT_URL if you set it',
    ]);
  });

  it("GIVEN no endpoint variable THEN names the region's default endpoint", async () => {
    cfnMock.on(DescribeStacksCommand).rejects(htmlAnswerError());
    const h = harness();
    expect(await runOps(['url', '--region', 'us-east-2'], h.deps)).toBe(2);
    expect(h.err[0]).toMatch(
      /^infra:url: https:\/\/\*\.us-east-2\.amazonaws\.com \(the region's default\) answered with a web page/,
    );
  });
});

describe('errors become one line and an exit code', () => {
  it.each([
    [
      'no credentials',
      2,
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      /^infra:status: no AWS credentials found/,
    ],
    [
      'expired token',
      2,
      awsError('ExpiredToken', 'The security token included in the request is expired'),
      /^infra:status: your AWS session token has expired/,
    ],
    [
      'stack not deployed',
      2,
      stackMissingError(),
      /^infra:status: stack hello-world-ecr-ecs-fargate is not deployed in eu-west-1: run `npx nx run infra:deploy`/,
    ],
    [
      'access denied',
      2,
      awsError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cloudformation:DescribeStacks on resource: x',
      ),
      /may not call cloudformation:DescribeStacks/,
    ],
    [
      'throttling',
      1,
      awsError('Throttling', 'Rate exceeded'),
      /^infra:status: AWS is throttling requests in eu-west-1 even after retries/,
    ],
    [
      'network',
      2,
      Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.eu-west-1.amazonaws.com'), {
        code: 'ENOTFOUND',
      }),
      /^infra:status: cannot reach AWS in eu-west-1 \(ENOTFOUND\)/,
    ],
  ])('GIVEN %s THEN status prints one line and exits %i', async (_, code, error, message) => {
    cfnMock.on(DescribeStacksCommand).rejects(error);
    const h = harness();
    expect(await runOps(['status'], h.deps)).toBe(code);
    expect(h.err).toEqual([expect.stringMatching(message)]);
    expect(h.out).toEqual([]);
  });

  it('GIVEN --region THEN messages name that region', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(stackMissingError());
    const h = harness();
    await runOps(['status', '--region', 'us-west-2'], h.deps);
    expect(h.err[0]).toContain('not deployed in us-west-2');
  });

  it('GIVEN a named profile WHEN no credentials resolve THEN names the profile, exit 2', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    const h = harness({ env: { AWS_PROFILE: 'nope' } });
    expect(await runOps(['status'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:status: AWS profile "nope" not found or has no credentials: run `aws configure --profile nope` (or `aws sso login --profile nope`)',
    ]);
  });

  it.each([
    [
      ['status', '--region=mars-1'],
      {},
      /^infra:status: invalid --region "mars-1": use a region code/,
    ],
    [
      ['status'],
      { AWS_REGION: 'nowhere' },
      /^infra:status: invalid AWS_REGION "nowhere": set it to/,
    ],
    [
      ['status'],
      { AWS_ENDPOINT_URL: 'not-a-url' },
      /^infra:status: AWS_ENDPOINT_URL "not-a-url" is not/,
    ],
  ])(
    'GIVEN %j with env %j THEN exit 2 with one line and no client made',
    async (argv, env, message) => {
      const createClients = jest.fn();
      const h = harness({ env, createClients });
      expect(await runOps(argv, h.deps)).toBe(2);
      expect(h.err).toEqual([expect.stringMatching(message)]);
      expect(createClients).not.toHaveBeenCalled();
    },
  );

  it('GIVEN a bad option THEN exit 2 with one line', async () => {
    const h = harness();
    expect(await runOps(['status', '--stak', 'x'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      expect.stringMatching(/^infra:status: unknown option --stak: options are .*--help$/),
    ]);
  });
});

describe('no command', () => {
  it('GIVEN no command WHEN run THEN the usage goes to stderr and the exit is 2', async () => {
    const h = harness();
    expect(await runOps([], h.deps)).toBe(2);
    expect(h.err).toEqual([USAGE]);
    expect(h.out).toEqual([]);
  });

  it('GIVEN --help WHEN run THEN the usage goes to stdout and the exit is 0', async () => {
    const h = harness();
    expect(await runOps(['--help'], h.deps)).toBe(0);
    expect(h.out).toEqual([USAGE]);
    expect(h.err).toEqual([]);
  });
});

describe('error prefix', () => {
  it('GIVEN an unknown command WHEN run THEN one line prefixed with infra and exit 2', async () => {
    const h = harness();
    expect(await runOps(['bogus'], h.deps)).toBe(2);
    expect(h.err).toEqual([expect.stringMatching(/^infra: unknown command "bogus": use one of /)]);
  });
});

describe('another deployment (greeter on 49010)', () => {
  const greeter = { project: 'greeter-infra', names: deploymentNames('greeter'), port: 49010 };

  beforeEach(() => {
    cfnMock
      .on(DescribeStacksCommand, { StackName: 'greeter-ecr-ecs-fargate' })
      .resolves({ Stacks: [stack({ StackName: 'greeter-ecr-ecs-fargate' })] });
  });

  it('GIVEN no --stack THEN reads the service stack of the deployment operated', async () => {
    const h = harness({ deployment: greeter });
    await runOps(['url'], h.deps);
    expect(cfnMock.commandCalls(DescribeStacksCommand)[0].args[0].input.StackName).toBe(
      'greeter-ecr-ecs-fargate',
    );
  });

  it('GIVEN url THEN prints the URL on its port', async () => {
    const h = harness({ deployment: greeter });
    expect(await runOps(['url'], h.deps)).toBe(0);
    expect(h.out).toEqual([`http://${PUBLIC_IP}:49010`]);
  });

  it('GIVEN a bad option THEN the line starts with greeter-infra:<command>, not infra:', async () => {
    const h = harness({ deployment: greeter });
    expect(await runOps(['status', '--since', '10m'], h.deps)).toBe(2);
    expect(h.err).toEqual([expect.stringMatching(/^greeter-infra:status: /)]);
  });

  it("GIVEN status and a URL that does not answer THEN the fix names greeter-infra's logs, not infra's", async () => {
    const h = harness({
      deployment: greeter,
      probe: async () => ({ ok: false, error: 'ECONNREFUSED' }),
    });
    await runOps(['status'], h.deps);
    const text = [...h.out, ...h.err].join('\n');
    expect(text).toContain('`npx nx run greeter-infra:logs` shows the container output');
    expect(text).not.toMatch(/(^|[^-])infra:|49000/m);
  });

  it("GIVEN --help THEN the usage names greeter-infra's targets and greeter's stacks", async () => {
    const h = harness({ deployment: greeter });
    expect(await runOps(['--help'], h.deps)).toBe(0);
    const text = h.out.join('\n');
    expect(text).toMatch(/^Usage: npx nx run greeter-infra:<command> /);
    expect(text).toContain('(in apps/greeter-infra, the deployment)');
    expect(text).toContain('e.g. greeter-ecr-ecs-fargate)');
    expect(text).not.toMatch(/hello-world|(^|[^-])infra:/m);
  });

  it('GIVEN a bad --task THEN the hint is greeter-infra:status', async () => {
    const h = harness({ deployment: greeter });
    expect(await runOps(['logs', '--task', 'a/b c'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      expect.stringMatching(
        /^greeter-infra:logs: .*a task id from `npx nx run greeter-infra:status`$/,
      ),
    ]);
  });

  it('GIVEN an unknown command THEN the line starts with greeter-infra:', async () => {
    const h = harness({ deployment: greeter });
    expect(await runOps(['bogus'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      expect.stringMatching(/^greeter-infra: unknown command "bogus": use one of /),
    ]);
  });

  it("GIVEN logs --task THEN reads its log group and its container's stream", async () => {
    logsMock
      .on(DescribeLogStreamsCommand)
      .resolves({ logStreams: [logStream(TASK_ID, 'greeter')] });
    logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
    const h = harness({ deployment: greeter });
    await runOps(['logs', '--task', TASK_ID], h.deps);
    expect(logsMock.commandCalls(FilterLogEventsCommand)[0].args[0].input).toMatchObject({
      logGroupName: '/ecs/greeter-ecr-ecs-fargate',
      logStreamNames: [`ecs/greeter/${TASK_ID}`],
    });
  });
});
