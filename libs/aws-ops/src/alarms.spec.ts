import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { deploymentNames } from '@hello-world/shared';
import {
  AlarmState,
  describeAlarmGaps,
  findAlarmProblems,
  getAlarmStates,
  readAlarmReport,
} from './alarms';
import {
  ERROR_LOGS_ALARM_REASON,
  INSUFFICIENT_DATA_REASON,
  MONITORING,
  TASKS_BELOW_DESIRED_ALARM_REASON,
  healthyAlarms,
  metricAlarm,
} from './testing/alarm-fixtures';
import { awsError, T0 } from './testing/fixtures';
import { arrangeHealthyDeployment, mockAwsClients } from './testing/mock-aws';

const aws = mockAwsClients();
const DASHBOARD =
  'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/hello-world-ecr-ecs-fargate';

beforeEach(() => arrangeHealthyDeployment(aws));

function alarmState(name: string, overrides: Partial<AlarmState> = {}): AlarmState {
  return { name, state: 'OK', reason: '', since: T0, ...overrides };
}

describe('getAlarmStates', () => {
  it('GIVEN the environment has its alarms THEN asks for metric alarms by prefix and returns each state, by name', async () => {
    const states = await getAlarmStates(aws.clients().cloudwatch, MONITORING.alarmPrefix);

    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({
      AlarmNamePrefix: 'hello-world-ecr-ecs-fargate-',
      AlarmTypes: ['MetricAlarm'],
    });
    expect(states.map((s) => s.name)).toEqual([
      'hello-world-ecr-ecs-fargate-cpu-high',
      'hello-world-ecr-ecs-fargate-error-logs',
      'hello-world-ecr-ecs-fargate-memory-high',
      'hello-world-ecr-ecs-fargate-task-stops',
      'hello-world-ecr-ecs-fargate-tasks-below-desired',
    ]);
    expect(states[0]).toEqual({
      name: 'hello-world-ecr-ecs-fargate-cpu-high',
      state: 'OK',
      reason: expect.stringMatching(/^Threshold Crossed/),
      since: T0,
    });
  });

  it('GIVEN an alarm whose state changed after its last update of the reason THEN since is the state change', async () => {
    const changed = new Date('2026-11-25T18:04:00Z');
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        metricAlarm(MONITORING.alarms.errorLogs, {
          StateValue: 'ALARM',
          StateReason: ERROR_LOGS_ALARM_REASON,
          StateTransitionedTimestamp: changed,
          StateUpdatedTimestamp: new Date('2026-11-25T18:09:00Z'),
        }),
      ],
    });

    const [state] = await getAlarmStates(aws.clients().cloudwatch, MONITORING.alarmPrefix);

    expect(state).toEqual({
      name: MONITORING.alarms.errorLogs,
      state: 'ALARM',
      reason: ERROR_LOGS_ALARM_REASON,
      since: changed,
    });
  });

  it('GIVEN more alarms than one page holds THEN follows NextToken to the last page', async () => {
    aws.cloudwatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: healthyAlarms().slice(0, 3), NextToken: 'page-2' })
      .resolvesOnce({ MetricAlarms: healthyAlarms().slice(3) });

    const states = await getAlarmStates(aws.clients().cloudwatch, MONITORING.alarmPrefix);

    expect(states).toHaveLength(5);
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand)[1].args[0].input).toMatchObject({
      NextToken: 'page-2',
    });
  });

  it("GIVEN the default environment's prefix also matches staging's alarms WHEN only its own names are asked for THEN staging's are left out", async () => {
    const staging = deploymentNames('hello-world', 'staging').monitoring;
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        metricAlarm(staging.alarms.errorLogs, { StateValue: 'ALARM' }),
        ...healthyAlarms(),
      ],
    });

    const states = await getAlarmStates(
      aws.clients().cloudwatch,
      MONITORING.alarmPrefix,
      Object.values(MONITORING.alarms),
    );

    expect(states.map((s) => s.name)).not.toContain(staging.alarms.errorLogs);
    expect(states).toHaveLength(5);
  });
});

describe('readAlarmReport', () => {
  it('GIVEN the identity may not call DescribeAlarms THEN reports them unreadable with the reason, without throwing', async () => {
    aws.cloudwatch
      .on(DescribeAlarmsCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: cloudwatch:DescribeAlarms on resource: arn:aws:cloudwatch:eu-west-1:123456789012:alarm:hello-world-ecr-ecs-fargate-cpu-high because no identity-based policy allows the cloudwatch:DescribeAlarms action',
          { $metadata: { httpStatusCode: 403 } },
        ),
      );

    const report = await readAlarmReport(aws.clients().cloudwatch, MONITORING, 'eu-west-1');

    expect(report).toEqual({
      readable: false,
      reason:
        'access denied: your AWS identity may not call cloudwatch:DescribeAlarms; add it to your IAM policy or use another --profile',
    });
  });

  it('GIVEN CloudWatch throttles beyond retries THEN the alarms are reported unreadable with that reason, and the rest goes on', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).rejects(awsError('Throttling', 'Rate exceeded'));

    const report = await readAlarmReport(aws.clients().cloudwatch, MONITORING, 'eu-west-1');

    expect(report.readable).toBe(false);
    expect(!report.readable && report.reason).toMatch(/throttling/);
  });

  it("GIVEN a readable environment THEN the report holds only the environment's alarms", async () => {
    const report = await readAlarmReport(aws.clients().cloudwatch, MONITORING, 'eu-west-1');

    expect(report.readable && report.states.every((s) => s.state === 'OK')).toBe(true);
    expect(report.readable && report.states).toHaveLength(5);
  });
});

describe('findAlarmProblems', () => {
  it('GIVEN every alarm OK or without data THEN finds nothing', () => {
    const states = [
      alarmState(MONITORING.alarms.cpuHigh),
      alarmState(MONITORING.alarms.errorLogs, {
        state: 'INSUFFICIENT_DATA',
        reason: INSUFFICIENT_DATA_REASON,
      }),
    ];

    expect(findAlarmProblems(states, MONITORING, 'eu-west-1')).toEqual([]);
  });

  it('GIVEN tasks below desired in ALARM THEN it is an ERROR with the reason, doctor and the dashboard', () => {
    const states = [
      alarmState(MONITORING.alarms.tasksBelowDesired, {
        state: 'ALARM',
        reason: TASKS_BELOW_DESIRED_ALARM_REASON,
      }),
    ];

    expect(findAlarmProblems(states, MONITORING, 'eu-west-1')).toEqual([
      {
        severity: 'error',
        code: 'alarm-tasks-below-desired',
        what: 'alarm hello-world-ecr-ecs-fargate-tasks-below-desired is in ALARM since 2026-11-25T18:00:00Z: fewer tasks are running than desired',
        evidence: [`alarm: ${TASKS_BELOW_DESIRED_ALARM_REASON}`],
        fix: `\`npx nx run infra:doctor\` says why tasks stop; \`npx nx run infra:logs\` shows their output; the dashboard: ${DASHBOARD}`,
      },
    ]);
  });

  it('GIVEN error logs in ALARM THEN it is a WARN whose fix reads the error lines', () => {
    const [finding] = findAlarmProblems(
      [
        alarmState(MONITORING.alarms.errorLogs, {
          state: 'ALARM',
          reason: ERROR_LOGS_ALARM_REASON,
        }),
      ],
      MONITORING,
      'eu-west-1',
    );

    expect(finding).toMatchObject({ severity: 'warning', code: 'alarm-error-logs' });
    expect(finding.fix).toContain(
      "`npx nx run infra:logs -- --since 1h --filter '{ $.level >= 50 }'`",
    );
  });

  it("GIVEN another deployment project THEN the fixes name its targets and its region's dashboard", () => {
    const [finding] = findAlarmProblems(
      [alarmState(MONITORING.alarms.taskStops, { state: 'ALARM' })],
      MONITORING,
      'us-east-1',
      'greeter-infra',
    );

    expect(finding.fix).toContain('`npx nx run greeter-infra:status`');
    expect(finding.fix).toContain('https://us-east-1.console.aws.amazon.com/cloudwatch/');
  });

  it('GIVEN an alarm of the prefix that is none of the known ones in ALARM THEN it is a WARN pointing at the logs', () => {
    const [finding] = findAlarmProblems(
      [alarmState(`${MONITORING.alarmPrefix}custom`, { state: 'ALARM' })],
      MONITORING,
      'eu-west-1',
    );

    expect(finding).toMatchObject({ severity: 'warning', code: 'alarm' });
    expect(finding.fix).toMatch(
      /^`npx nx run infra:logs` shows the service's output; the dashboard: /,
    );
  });
});

describe('describeAlarmGaps', () => {
  it('GIVEN no alarm of the environment THEN says the stack predates alarms and to redeploy', () => {
    expect(describeAlarmGaps({ readable: true, states: [] }, MONITORING)).toEqual([
      expect.objectContaining({
        severity: 'info',
        code: 'alarms-missing',
        fix: 'redeploy with `npx nx run infra:deploy` to create them',
      }),
    ]);
  });

  it('GIVEN alarms that could not be read THEN an INFO names the permission', () => {
    expect(describeAlarmGaps({ readable: false, reason: 'access denied: …' }, MONITORING)).toEqual([
      expect.objectContaining({
        severity: 'info',
        code: 'alarms-unreadable',
        fix: 'allow cloudwatch:DescribeAlarms on the alarms named hello-world-ecr-ecs-fargate-* to see them',
      }),
    ]);
  });

  it('GIVEN alarms were read THEN nothing is missing', () => {
    expect(
      describeAlarmGaps(
        { readable: true, states: [alarmState(MONITORING.alarms.cpuHigh)] },
        MONITORING,
      ),
    ).toEqual([]);
  });
});
