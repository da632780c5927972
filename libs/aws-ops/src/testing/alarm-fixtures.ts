// CloudWatch metric alarms of the default environment as DescribeAlarms returns them, shaped after
// the CloudWatch API reference (MetricAlarm) and what the service stack's alarms look like.
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { deploymentNames } from '@hello-world/shared';
import { ACCOUNT, NAME, REGION, T0 } from './fixtures';

export const MONITORING = deploymentNames('hello-world').monitoring;
export const ALARM_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:${MONITORING.alarmTopic}`;

/** The alarm's last evaluation as CloudWatch words it in StateReason (dates dd/mm/yy). */
export const ERROR_LOGS_ALARM_REASON =
  'Threshold Crossed: 1 out of the last 1 datapoints [23.0 (25/11/26 18:00:00)] was greater than or equal to the threshold (10.0) (minimum 1 datapoint for OK -> ALARM transition).';
export const TASKS_BELOW_DESIRED_ALARM_REASON =
  'Threshold Crossed: no datapoints were received for 5 periods and 5 missing datapoints were treated as [Breaching].';
export const INSUFFICIENT_DATA_REASON = 'Unchecked: Initial alarm creation';

const shapes: Record<string, Partial<MetricAlarm>> = {
  [MONITORING.alarms.tasksBelowDesired]: {
    Namespace: 'AWS/ECS',
    MetricName: 'CPUUtilization',
    Dimensions: [
      { Name: 'ClusterName', Value: NAME },
      { Name: 'ServiceName', Value: NAME },
    ],
    Statistic: 'SampleCount',
    Period: 60,
    EvaluationPeriods: 5,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'breaching',
  },
  [MONITORING.alarms.taskStops]: {
    Namespace: 'AWS/Events',
    MetricName: 'Invocations',
    Dimensions: [{ Name: 'RuleName', Value: MONITORING.taskStopsRule }],
    Statistic: 'Sum',
    Period: 900,
    EvaluationPeriods: 1,
    Threshold: 3,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  },
  [MONITORING.alarms.errorLogs]: {
    Namespace: MONITORING.metricNamespace,
    MetricName: 'ErrorLogLines',
    Statistic: 'Sum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 10,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  },
};

/** One of the environment's alarms (by full name), OK since T0 unless told otherwise. */
export function metricAlarm(name: string, overrides: Partial<MetricAlarm> = {}): MetricAlarm {
  const utilization = name === MONITORING.alarms.cpuHigh ? 'CPUUtilization' : 'MemoryUtilization';
  return {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
    AlarmConfigurationUpdatedTimestamp: T0,
    ActionsEnabled: true,
    OKActions: [ALARM_TOPIC_ARN],
    AlarmActions: [ALARM_TOPIC_ARN],
    InsufficientDataActions: [],
    StateValue: 'OK',
    StateReason:
      'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (25/11/26 17:55:00)] was not greater than or equal to the threshold (10.0) (minimum 1 datapoint for ALARM -> OK transition).',
    StateReasonData:
      '{"version":"1.0","queryDate":"2026-11-25T18:00:10.123+0000","startDate":"2026-11-25T17:55:00.000+0000","statistic":"Sum","period":300,"recentDatapoints":[0.0],"threshold":10.0,"evaluatedDatapoints":[{"timestamp":"2026-11-25T17:55:00.000+0000","sampleCount":1.0,"value":0.0}]}',
    StateUpdatedTimestamp: T0,
    StateTransitionedTimestamp: T0,
    ...(shapes[name] ?? {
      Namespace: 'AWS/ECS',
      MetricName: utilization,
      Dimensions: [
        { Name: 'ClusterName', Value: NAME },
        { Name: 'ServiceName', Value: NAME },
      ],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 90,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'missing',
    }),
    ...overrides,
  };
}

/** Every alarm of the default environment, all OK, as DescribeAlarms lists them (by name). */
export function healthyAlarms(): MetricAlarm[] {
  return Object.values(MONITORING.alarms)
    .sort()
    .map((name) => metricAlarm(name));
}
