import type { CfnResource, CloudAssembly } from '../diagram/cloud-assembly';
import { copySynthesizedAssembly } from '../diagram/test-assembly';
import { synthesizeApp } from '../synth-for-test';
import { estimateMonthlyCost, UnpricedResourceError, type CostEstimate } from './estimate';

const SERVICE_STACK = 'hello-world-ecr-ecs-fargate';
const PREFIX = `${SERVICE_STACK}-`;
const dimensions = [
  { Name: 'ClusterName', Value: SERVICE_STACK },
  { Name: 'ServiceName', Value: SERVICE_STACK },
];
const toTopic = [{ Ref: 'MonitoringAlarmTopicD5B9D1E1' }];

/** A single-metric alarm as CDK synthesizes cloudwatch.Alarm. */
function metricAlarm(name: string, overrides: Record<string, unknown> = {}): CfnResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      ActionsEnabled: true,
      AlarmActions: toTopic,
      AlarmName: `${PREFIX}${name}`,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      DatapointsToAlarm: 3,
      Dimensions: dimensions,
      EvaluationPeriods: 3,
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/ECS',
      OKActions: toTopic,
      Period: 60,
      Statistic: 'Maximum',
      Threshold: 90,
      TreatMissingData: 'notBreaching',
      ...overrides,
    },
  };
}

/** Desired minus running tasks from Container Insights: a metric math alarm reading 2 metrics. */
const tasksBelowDesiredMath: CfnResource = {
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    ActionsEnabled: true,
    AlarmActions: toTopic,
    AlarmName: `${PREFIX}tasks-below-desired`,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    DatapointsToAlarm: 5,
    EvaluationPeriods: 5,
    Metrics: [
      { Expression: 'desired - running', Id: 'expr_1', Label: 'Desired minus running tasks' },
      ...['desired', 'running'].map((id) => ({
        Id: id,
        MetricStat: {
          Metric: {
            Dimensions: dimensions,
            MetricName: id === 'desired' ? 'DesiredTaskCount' : 'RunningTaskCount',
            Namespace: 'ECS/ContainerInsights',
          },
          Period: 60,
          Stat: 'Average',
        },
        ReturnData: false,
      })),
    ],
    OKActions: toTopic,
    Threshold: 1,
    TreatMissingData: 'notBreaching',
  },
};

const errorLogFilter: CfnResource = {
  Type: 'AWS::Logs::MetricFilter',
  Properties: {
    FilterPattern: '{ $.level >= 50 }',
    LogGroupName: { Ref: 'LogGroupF5B46931' },
    MetricTransformations: [
      {
        DefaultValue: 0,
        MetricName: 'ErrorLogLines',
        MetricNamespace: `ECR-ECS-Fargate/${SERVICE_STACK}`,
        MetricValue: '1',
        Unit: 'Count',
      },
    ],
  },
};

const notifications: Record<string, CfnResource> = {
  MonitoringAlarmTopicD5B9D1E1: {
    Type: 'AWS::SNS::Topic',
    Properties: { TopicName: `${PREFIX}alarms` },
  },
  MonitoringAlarmTopicPolicy: {
    Type: 'AWS::SNS::TopicPolicy',
    Properties: { PolicyDocument: { Statement: [] }, Topics: toTopic },
  },
  MonitoringAlertEmail: {
    Type: 'AWS::SNS::Subscription',
    Properties: { Endpoint: { Ref: 'AlertEmail' }, Protocol: 'email', TopicArn: toTopic[0] },
  },
  MonitoringTaskStopsRule: {
    Type: 'AWS::Events::Rule',
    Properties: {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { lastStatus: ['STOPPED'], group: [`service:${SERVICE_STACK}`] },
      },
      Name: `${PREFIX}task-stops`,
      State: 'ENABLED',
      Targets: [{ Arn: { Ref: 'MonitoringTaskStopsTopic' }, Id: 'Target0' }],
    },
  },
};

const dashboard: CfnResource = {
  Type: 'AWS::CloudWatch::Dashboard',
  Properties: {
    DashboardBody: { 'Fn::Join': ['', ['{"widgets":[]}']] },
    DashboardName: SERVICE_STACK,
  },
};

/** The synthesized templates with `resources` added to the service stack. */
function withResources(resources: Record<string, CfnResource>): CloudAssembly {
  const assembly = copySynthesizedAssembly();
  const stack = assembly.stacks.find((s) => s.name === SERVICE_STACK);
  if (!stack) throw new Error(`no stack ${SERVICE_STACK}`);
  const existing = (stack.template.Resources ?? {}) as Record<string, CfnResource>;
  // The real synth holds the service stack's own: the fragments replace them, so the counts are
  // these alone.
  for (const [id, resource] of Object.entries(existing)) {
    if (MONITORING_TYPES.has(resource.Type)) delete existing[id];
  }
  Object.assign(existing, resources);
  return assembly;
}

const MONITORING_TYPES = new Set([
  'AWS::CloudWatch::Alarm',
  'AWS::Logs::MetricFilter',
  'AWS::CloudWatch::Dashboard',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::SNS::TopicPolicy',
  'AWS::Events::Rule',
]);

const fiveAlarms = {
  TasksBelowDesiredAlarm: metricAlarm('tasks-below-desired', {
    ComparisonOperator: 'LessThanThreshold',
    Statistic: 'SampleCount',
    Threshold: 1,
    TreatMissingData: 'breaching',
  }),
  TaskStopsAlarm: metricAlarm('task-stops', {
    Dimensions: [{ Name: 'RuleName', Value: `${PREFIX}task-stops` }],
    MetricName: 'Invocations',
    Namespace: 'AWS/Events',
    Period: 900,
    Statistic: 'Sum',
  }),
  ErrorLogsAlarm: metricAlarm('error-logs', {
    Dimensions: undefined,
    MetricName: 'ErrorLogLines',
    Namespace: `ECR-ECS-Fargate/${SERVICE_STACK}`,
    Period: 300,
    Statistic: 'Sum',
  }),
  CpuHighAlarm: metricAlarm('cpu-high'),
  MemoryHighAlarm: metricAlarm('memory-high', { MetricName: 'MemoryUtilization' }),
};

function line(estimate: CostEstimate, startsWith: string) {
  const found = estimate.lines.find((l) => l.item.startsWith(startsWith));
  if (!found)
    throw new Error(`no line ${startsWith}: ${estimate.lines.map((l) => l.item).join('; ')}`);
  return found;
}

describe('the monitoring resources of the service stack', () => {
  it('GIVEN five single-metric alarms WHEN estimated THEN five standard alarm metrics at $0.10 each', () => {
    const estimate = estimateMonthlyCost(withResources(fiveAlarms));

    expect(line(estimate, 'CloudWatch alarms, standard resolution')).toEqual({
      item: 'CloudWatch alarms, standard resolution: 5',
      quantity: 5,
      unit: 'alarm metric-month',
      unitPrice: 0.1,
      monthly: 0.5,
    });
  });

  it('GIVEN the Container Insights alarm reads two metrics in a math expression WHEN estimated THEN it is billed for both, and the assumption says so', () => {
    const estimate = estimateMonthlyCost(
      withResources({ ...fiveAlarms, TasksBelowDesiredAlarm: tasksBelowDesiredMath }),
    );

    expect(line(estimate, 'CloudWatch alarms, standard resolution: 5').quantity).toBe(6);
    expect(estimate.assumptions).toContain(
      `a metric math alarm is billed for each metric its expression reads: ${PREFIX}tasks-below-desired reads 2`,
    );
  });

  it('GIVEN an alarm on 10-second periods WHEN estimated THEN it is a high-resolution alarm metric at $0.30', () => {
    const estimate = estimateMonthlyCost(
      withResources({ FastAlarm: metricAlarm('fast', { Period: 10 }) }),
    );

    expect(line(estimate, 'CloudWatch alarms, high resolution: 1')).toEqual(
      expect.objectContaining({ quantity: 1, unitPrice: 0.3, monthly: 0.3 }),
    );
    expect(estimate.lines.some((l) => l.item.includes('standard resolution'))).toBe(false);
  });

  it('GIVEN an anomaly detection alarm WHEN estimated THEN it fails naming it, since its metrics are not priced', () => {
    const anomaly = structuredClone(tasksBelowDesiredMath);
    (anomaly.Properties as { Metrics: { Expression?: string }[] }).Metrics[0].Expression =
      'ANOMALY_DETECTION_BAND(desired, 2)';

    expect(() => estimateMonthlyCost(withResources({ Anomaly: anomaly }))).toThrow(
      UnpricedResourceError,
    );
  });

  it('GIVEN the error-log metric filter WHEN estimated THEN its custom metric is billed all month at $0.30', () => {
    const estimate = estimateMonthlyCost(withResources({ ErrorLogFilter: errorLogFilter }));

    expect(line(estimate, 'Custom metric')).toEqual({
      item: `Custom metric ECR-ECS-Fargate/${SERVICE_STACK}/ErrorLogLines (log metric filter)`,
      quantity: 1,
      unit: 'metric-month',
      unitPrice: 0.3,
      monthly: 0.3,
    });
    expect(estimate.assumptions.join('\n')).toContain(
      'its default value reports it with every batch of log lines',
    );
  });

  it('GIVEN the dashboard WHEN estimated THEN $3 a month, and the account’s 3 free dashboards are named', () => {
    const estimate = estimateMonthlyCost(withResources({ Dashboard: dashboard }));

    expect(line(estimate, `CloudWatch dashboard ${SERVICE_STACK}`).monthly).toBe(3);
    expect(estimate.assumptions.join('\n')).toContain(
      'the first 3 dashboards of an account (up to 50 metrics each) are free',
    );
  });

  it('GIVEN the SNS topic, its policy and email subscription and the task-stops rule WHEN estimated THEN they are free, each with why, and add nothing', () => {
    const without = estimateMonthlyCost(withResources({}));
    const estimate = estimateMonthlyCost(withResources(notifications));

    expect(estimate.total).toBe(without.total);
    expect(estimate.free.map((f) => f.type)).toEqual(
      expect.arrayContaining([
        'AWS::SNS::Topic',
        'AWS::SNS::TopicPolicy',
        'AWS::SNS::Subscription',
        'AWS::Events::Rule',
      ]),
    );
    expect(estimate.free.find((f) => f.type === 'AWS::SNS::Topic')?.why).toContain(
      '1,000 email deliveries a month are free',
    );
  });

  it('GIVEN a rule on custom events WHEN estimated THEN it fails, since those are billed', () => {
    const rule = structuredClone(notifications['MonitoringTaskStopsRule']);
    (rule.Properties as { EventPattern: { source: string[] } }).EventPattern.source = ['my.app'];

    expect(() => estimateMonthlyCost(withResources({ Rule: rule }))).toThrow(
      /matches events that AWS services do not publish/,
    );
  });

  it('GIVEN a KMS key encrypting the topics WHEN estimated THEN its lines say what it encrypts', () => {
    const topic = structuredClone(notifications['MonitoringAlarmTopicD5B9D1E1']);
    (topic.Properties as Record<string, unknown>)['KmsMasterKeyId'] = {
      'Fn::GetAtt': ['MonitoringTopicKey', 'Arn'],
    };
    const estimate = estimateMonthlyCost(
      withResources({
        MonitoringAlarmTopicD5B9D1E1: topic,
        MonitoringTopicKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      }),
    );

    expect(line(estimate, 'KMS key for the SNS topics (1)').monthly).toBe(1);
  });

  it('GIVEN every monitoring resource WHEN estimated in us-east-1 THEN alarms, metric and dashboard cost the same there', () => {
    const assembly = withResources({
      ...fiveAlarms,
      ...notifications,
      ErrorLogFilter: errorLogFilter,
      Dashboard: dashboard,
    });
    const moved = { stacks: assembly.stacks.map((s) => ({ ...s, region: 'us-east-1' })) };
    const here = estimateMonthlyCost(assembly);
    const there = estimateMonthlyCost(moved);
    const monitoring = (e: CostEstimate) =>
      e.lines
        .filter((l) => /^(CloudWatch alarms|Custom metric|CloudWatch dashboard)/.test(l.item))
        .reduce((sum, l) => sum + l.monthly, 0);

    expect(monitoring(here)).toBeCloseTo(0.5 + 0.3 + 3, 4);
    expect(monitoring(there)).toBeCloseTo(monitoring(here), 4);
  });
});

describe('the monitoring of a synth with Container Insights on', () => {
  // The service stack as `containerInsights: true` synthesizes it, in the assembly's shape.
  const { assembly } = synthesizeApp({ containerInsights: true });
  const priced: CloudAssembly = {
    stacks: assembly.stacks.map((stack) => ({
      name: stack.stackName,
      region: 'eu-west-1',
      dependencies: [],
      template: stack.template as CloudAssembly['stacks'][number]['template'],
    })),
  };
  const estimate = estimateMonthlyCost(priced);

  it('GIVEN tasks below desired read from Container Insights WHEN estimated THEN its two metrics make six alarm metrics', () => {
    expect(line(estimate, 'CloudWatch alarms, standard resolution: 5').quantity).toBe(6);
    expect(estimate.assumptions).toContain(
      `a metric math alarm is billed for each metric its expression reads: ${PREFIX}tasks-below-desired reads 2`,
    );
  });

  it('GIVEN Container Insights on WHEN estimated THEN its custom metrics are priced beside the alarms', () => {
    expect(line(estimate, 'Container Insights metrics').quantity).toBe(13 + 15 + 10);
  });
});
