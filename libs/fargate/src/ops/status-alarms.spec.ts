import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  ERROR_LOGS_ALARM_REASON,
  INSUFFICIENT_DATA_REASON,
  MONITORING,
  PUBLIC_IP,
  TASKS_BELOW_DESIRED_ALARM_REASON,
  arrangeHealthyDeployment,
  awsError,
  healthyAlarms,
  metricAlarm,
  mockAwsClients,
} from '@hello-world/aws-ops/testing';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { opsHarness } from './ops-harness-for-test';
import { runOps } from './run';

const aws = mockAwsClients();
const DASHBOARD =
  'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/hello-world-ecr-ecs-fargate';
const DENIED = awsError(
  'AccessDenied',
  'User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: cloudwatch:DescribeAlarms on resource: arn:aws:cloudwatch:eu-west-1:123456789012:alarm:hello-world-ecr-ecs-fargate-cpu-high because no identity-based policy allows the cloudwatch:DescribeAlarms action',
  { $metadata: { httpStatusCode: 403 } },
);

/** The healthy environment's alarms with `name` changed as `overrides` say. */
function alarmsWith(name: string, overrides: Partial<MetricAlarm>): void {
  aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: healthyAlarms().map((a) =>
      a.AlarmName === name ? metricAlarm(name, overrides) : a,
    ),
  });
}

async function status(args: string[] = []) {
  const h = opsHarness(aws.clients());
  const code = await runOps(['status', ...args], h.deps);
  return { code, text: h.out.join('\n'), err: h.err };
}

beforeEach(() => arrangeHealthyDeployment(aws));

describe('status and the alarms', () => {
  it('GIVEN every alarm OK THEN lists each with its state and links the dashboard, exit 0', async () => {
    const { code, text } = await status();

    expect(code).toBe(0);
    expect(text).toContain('Alarms: 5 OK');
    expect(text).toMatch(
      /OK\s+hello-world-ecr-ecs-fargate-tasks-below-desired\s+2026-11-25T18:00:00Z/,
    );
    expect(text).toContain(`Dashboard: ${DASHBOARD}`);
  });

  it('GIVEN the error-logs alarm in ALARM THEN its line shows the reason and a WARN says what to do, exit 0', async () => {
    alarmsWith(MONITORING.alarms.errorLogs, {
      StateValue: 'ALARM',
      StateReason: ERROR_LOGS_ALARM_REASON,
    });

    const { code, text } = await status();

    expect(code).toBe(0);
    expect(text).toContain('Alarms: 1 in ALARM, 4 OK');
    expect(text).toMatch(
      new RegExp(
        `ALARM\\s+hello-world-ecr-ecs-fargate-error-logs\\s+2026-11-25T18:00:00Z\\s+Threshold Crossed: 1 out of the last 1 datapoints \\[23\\.0`,
      ),
    );
    expect(text).toContain(
      "  WARN alarm hello-world-ecr-ecs-fargate-error-logs is in ALARM since 2026-11-25T18:00:00Z: the service logs error-level lines above the alarm rate: read them: `npx nx run infra:logs -- --since 1h --filter '{ $.level >= 50 }'`",
    );
  });

  it('GIVEN the tasks-below-desired alarm in ALARM THEN an ERROR line and exit 1, as for missing tasks', async () => {
    alarmsWith(MONITORING.alarms.tasksBelowDesired, {
      StateValue: 'ALARM',
      StateReason: TASKS_BELOW_DESIRED_ALARM_REASON,
    });

    const { code, text } = await status();

    expect(code).toBe(1);
    expect(text).toContain(
      '  ERROR alarm hello-world-ecr-ecs-fargate-tasks-below-desired is in ALARM since 2026-11-25T18:00:00Z: fewer tasks are running than desired',
    );
  });

  it('GIVEN an alarm without data yet THEN its reason and what INSUFFICIENT_DATA means are shown, exit 0', async () => {
    alarmsWith(MONITORING.alarms.memoryHigh, {
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: INSUFFICIENT_DATA_REASON,
    });

    const { code, text } = await status();

    expect(code).toBe(0);
    expect(text).toMatch(
      /INSUFFICIENT_DATA\s+hello-world-ecr-ecs-fargate-memory-high\s+\S+\s+Unchecked: Initial alarm creation/,
    );
    expect(text).toContain('  INSUFFICIENT_DATA: too few data points to decide yet');
  });

  it('GIVEN a stack deployed before alarms THEN says so and to redeploy, without a dashboard link', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });

    const { code, text } = await status();

    expect(code).toBe(0);
    expect(text).toContain(
      'Alarms: none: the stack predates alarms; redeploy with `npx nx run infra:deploy` to create them and the dashboard',
    );
    expect(text).not.toContain('Dashboard:');
  });

  it('GIVEN DescribeAlarms is denied THEN status says the alarms are not readable and shows the rest, exit 0', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).rejects(DENIED);

    const { code, text, err } = await status();

    expect(code).toBe(0);
    expect(text).toContain(
      'Alarms: not readable (access denied: your AWS identity may not call cloudwatch:DescribeAlarms; add it to your IAM policy or use another --profile)',
    );
    expect(text).toContain(`URL: http://${PUBLIC_IP}:49000 (answers from here)`);
    expect(err).toEqual([]);
  });

  it('GIVEN --json THEN the alarm states, their findings and the dashboard link are in the document', async () => {
    alarmsWith(MONITORING.alarms.cpuHigh, {
      StateValue: 'ALARM',
      StateReason: 'Threshold Crossed',
    });

    const { text } = await status(['--json']);
    const data = JSON.parse(text);

    expect(data.dashboardUrl).toBe(DASHBOARD);
    expect(data.alarms.readable).toBe(true);
    expect(data.alarms.states).toContainEqual({
      name: MONITORING.alarms.cpuHigh,
      state: 'ALARM',
      reason: 'Threshold Crossed',
      since: '2026-11-25T18:00:00.000Z',
    });
    expect(data.problems).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'alarm-cpu-high' }),
    ]);
  });

  it('GIVEN --json and DescribeAlarms denied THEN alarms carry the reason', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).rejects(DENIED);

    const { text } = await status(['--json']);

    expect(JSON.parse(text).alarms).toEqual({
      readable: false,
      reason: expect.stringContaining('cloudwatch:DescribeAlarms'),
    });
  });
});

describe('doctor and the alarms', () => {
  it('GIVEN every alarm OK THEN says so among what passed', async () => {
    const h = opsHarness(aws.clients());

    expect(await runOps(['doctor'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain('ok    alarms: none in ALARM (5 OK)');
  });

  it('GIVEN the memory alarm in ALARM THEN a WARN finding with the reason and the dashboard, exit 0', async () => {
    alarmsWith(MONITORING.alarms.memoryHigh, {
      StateValue: 'ALARM',
      StateReason:
        'Threshold Crossed: 3 out of the last 3 datapoints [96.2 (25/11/26 18:02:00), 95.8 (25/11/26 18:01:00), 93.1 (25/11/26 18:00:00)] were greater than or equal to the threshold (90.0) (minimum 3 datapoints for OK -> ALARM transition).',
    });
    const h = opsHarness(aws.clients());

    expect(await runOps(['doctor'], h.deps)).toBe(0);
    const text = h.out.join('\n');
    expect(text).toContain(
      'WARN  alarm hello-world-ecr-ecs-fargate-memory-high is in ALARM since 2026-11-25T18:00:00Z',
    );
    expect(text).toContain('      alarm: Threshold Crossed: 3 out of the last 3 datapoints [96.2');
    expect(text).toContain(`the dashboard: ${DASHBOARD}`);
    expect(text).toContain('0 problem(s), 1 warning(s).');
  });

  it('GIVEN the tasks-below-desired alarm in ALARM THEN an ERROR finding, exit 1', async () => {
    alarmsWith(MONITORING.alarms.tasksBelowDesired, {
      StateValue: 'ALARM',
      StateReason: TASKS_BELOW_DESIRED_ALARM_REASON,
    });
    const h = opsHarness(aws.clients());

    expect(await runOps(['doctor'], h.deps)).toBe(1);
    expect(h.out.join('\n')).toContain(
      'ERROR alarm hello-world-ecr-ecs-fargate-tasks-below-desired is in ALARM',
    );
  });

  it('GIVEN DescribeAlarms denied THEN an INFO says alarms were not read, exit 0', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).rejects(DENIED);
    const h = opsHarness(aws.clients());

    expect(await runOps(['doctor'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain('INFO  the alarms could not be read');
  });
});
