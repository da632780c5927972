import { deploymentNames, STACK_PARAMETERS } from '@hello-world/shared';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeApp, type SynthesizedApp } from '../synth-for-test';
import {
  ALARM_THRESHOLDS,
  ERROR_LOG_METRIC,
  HEALTH_CHECK_STOP_REASON_PREFIX,
  UNEXPECTED_STOP_CODES,
} from './thresholds';

const names = deploymentNames('hello-world').monitoring;
const DEPLOYMENT = 'hello-world-ecr-ecs-fargate';
/** This environment's five alarms' ARNs, as the template spells them. */
const ALARM_ARNS = Object.values(names.alarms).map((name) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':cloudwatch:eu-west-1:',
      { Ref: 'AWS::AccountId' },
      `:alarm:${name}`,
    ],
  ],
}));
const SERVICE_DIMENSIONS = [
  { Name: 'ClusterName', Value: DEPLOYMENT },
  { Name: 'ServiceName', Value: DEPLOYMENT },
];

/** A resource as the assertions library returns it (untyped CloudFormation JSON). */
type Resource = ReturnType<Template['findResources']>[string];

function logicalIdOf(template: Template, type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function alarmNamed(template: Template, name: string): Resource {
  const found = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }),
  );
  expect(found).toHaveLength(1);
  return found[0];
}

const alarmTopicId = (t: Template) =>
  logicalIdOf(t, 'AWS::SNS::Topic', { TopicName: names.alarmTopic });
const taskStopsTopicId = (t: Template) =>
  logicalIdOf(t, 'AWS::SNS::Topic', { TopicName: names.taskStopsTopic });
const ruleId = (t: Template) => logicalIdOf(t, 'AWS::Events::Rule', { Name: names.taskStopsRule });

/** The dashboard body with every CloudFormation token replaced by a marker, as parsed JSON. */
function dashboardBody(template: Template): {
  widgets: {
    type: string;
    properties: { title: string; metrics?: unknown[][]; alarms?: string[] };
  }[];
} {
  const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
  const parts: unknown[] = dashboard.Properties.DashboardBody['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
}

function widget(template: Template, title: string) {
  const found = dashboardBody(template).widgets.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no widget ${title}`);
  return found;
}

/** [namespace, metric] of each line of a graph widget. */
const metricsOf = (w: ReturnType<typeof widget>) =>
  (w.properties.metrics ?? []).map((line) => [line[0], line[1]]);

interface PluginReport {
  pluginName: string;
  violations: unknown[];
  suppressedViolations: { acknowledgedAt: string }[];
}

function pluginReports(synthesized: SynthesizedApp): PluginReport[] {
  return (
    JSON.parse(
      readFileSync(join(synthesized.assembly.directory, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: PluginReport[] }
  ).pluginReports;
}

describe('monitoring, default configuration (reference, no email, no Container Insights)', () => {
  let synthesized: SynthesizedApp;
  let service: Template;

  beforeAll(() => {
    synthesized = synthesizeApp();
    service = synthesized.service;
  });

  describe('AlertEmail parameter', () => {
    it('GIVEN no alertEmail WHEN synthesized THEN AlertEmail defaults to empty, with a readable constraint', () => {
      service.hasParameter(STACK_PARAMETERS.alertEmail, {
        Type: 'String',
        Default: '',
        ConstraintDescription: Match.stringLikeRegexp('^must be an email address'),
      });
    });

    it.each(['', 'ops@example.com', "o'brien+alerts@mail.example.co.uk"])(
      'GIVEN the template’s AllowedPattern WHEN checking %j THEN CloudFormation accepts it',
      (value) => {
        const pattern = service.toJSON().Parameters[STACK_PARAMETERS.alertEmail].AllowedPattern;
        expect(new RegExp(pattern).test(value)).toBe(true);
      },
    );

    it.each(['ops', 'ops@example', 'ops@@example.com', 'ops@example.com ', 'a b@example.com'])(
      'GIVEN the template’s AllowedPattern WHEN checking the non-address %j THEN CloudFormation refuses it',
      (value) => {
        const pattern = service.toJSON().Parameters[STACK_PARAMETERS.alertEmail].AllowedPattern;
        expect(new RegExp(pattern).test(value)).toBe(false);
      },
    );
  });

  describe('alarm topic', () => {
    it('GIVEN the stack WHEN synthesized THEN the alarm topic is named for the environment and unencrypted', () => {
      service.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: names.alarmTopic,
        KmsMasterKeyId: Match.absent(),
      });
      service.resourceCountIs('AWS::KMS::Key', 0);
    });

    it('GIVEN the alarm topic WHEN its policy is read THEN it refuses non-TLS publishing and admits only this environment’s alarms', () => {
      const topic = { Ref: alarmTopicId(service) };
      service.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topic],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            {
              Sid: 'AlarmsOfThisEnvironment',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topic,
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnEquals: { 'aws:SourceArn': ALARM_ARNS },
              },
            },
          ],
        },
      });
    });

    it('GIVEN the AlertEmail parameter WHEN synthesized THEN the email subscription exists only when it is not empty', () => {
      const subscriptions = Object.values(service.findResources('AWS::SNS::Subscription'));
      expect(subscriptions).toHaveLength(1);
      const [subscription] = subscriptions;
      expect(subscription.Properties).toEqual({
        Protocol: 'email',
        Endpoint: { Ref: STACK_PARAMETERS.alertEmail },
        TopicArn: { Ref: alarmTopicId(service) },
      });
      expect(service.toJSON().Conditions[subscription.Condition]).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: STACK_PARAMETERS.alertEmail }, ''] }],
      });
    });
  });

  describe('task-stops rule and topic', () => {
    it('GIVEN the rule WHEN its pattern is read THEN it matches this service’s unexpected stops only', () => {
      service.hasResourceProperties('AWS::Events::Rule', {
        Name: names.taskStopsRule,
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: {
            clusterArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^AppCluster'), 'Arn'] }],
            group: [`service:${DEPLOYMENT}`],
            lastStatus: ['STOPPED'],
            $or: [
              { stopCode: ['EssentialContainerExited', 'TaskFailedToStart'] },
              { stoppedReason: [{ prefix: 'Task failed container health checks' }] },
            ],
          },
        },
      });
      expect(UNEXPECTED_STOP_CODES).not.toContain('ServiceSchedulerInitiated');
      expect(UNEXPECTED_STOP_CODES).not.toContain('SpotInterruption');
      expect(HEALTH_CHECK_STOP_REASON_PREFIX).toBe('Task failed container health checks');
    });

    it('GIVEN the rule WHEN its targets are read THEN it sends to the task-stops topic only, with no role', () => {
      service.hasResourceProperties('AWS::Events::Rule', {
        Name: names.taskStopsRule,
        Targets: [{ Arn: { Ref: taskStopsTopicId(service) }, Id: Match.anyValue() }],
        RoleArn: Match.absent(),
      });
    });

    it('GIVEN the task-stops topic WHEN its policy is read THEN only this rule may publish, over TLS', () => {
      const topic = { Ref: taskStopsTopicId(service) };
      service.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topic],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            {
              Sid: 'TaskStopsRuleOnly',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topic,
              Condition: {
                ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId(service), 'Arn'] } },
              },
            },
          ],
        },
      });
    });

    it('GIVEN the task-stops topic WHEN synthesized THEN nobody is subscribed to it', () => {
      const topic = taskStopsTopicId(service);
      expect(JSON.stringify(service.findResources('AWS::SNS::Subscription'))).not.toContain(topic);
    });
  });

  it('GIVEN the service log group WHEN synthesized THEN a metric filter counts its error-level JSON lines', () => {
    service.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('^AppLogGroup') },
      FilterPattern: '{ $.level >= 50 }',
      MetricTransformations: [
        {
          MetricNamespace: names.metricNamespace,
          MetricName: ERROR_LOG_METRIC,
          MetricValue: '1',
          DefaultValue: 0,
          Unit: 'Count',
        },
      ],
    });
  });

  describe('alarms', () => {
    it('GIVEN the stack WHEN synthesized THEN it has the five alarms, each notifying the alarm topic on ALARM and OK', () => {
      const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.map((a) => a.Properties.AlarmName).sort()).toEqual(
        Object.values(names.alarms).sort(),
      );
      const topic = { Ref: alarmTopicId(service) };
      for (const alarm of alarms) {
        expect(alarm.Properties).toMatchObject({
          ActionsEnabled: true,
          AlarmActions: [topic],
          OKActions: [topic],
        });
        expect(alarm.Properties.InsufficientDataActions).toBeUndefined();
      }
    });

    it('GIVEN no Container Insights WHEN synthesized THEN tasks-below-desired fires when no task reports CPU for 5 minutes', () => {
      expect(alarmNamed(service, names.alarms.tasksBelowDesired).Properties).toMatchObject({
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Dimensions: SERVICE_DIMENSIONS,
        Statistic: 'SampleCount',
        Period: 60,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        TreatMissingData: 'breaching',
      });
    });

    it('GIVEN the rule WHEN synthesized THEN task-stops fires at 2 of its invocations in 5 minutes, the error-log window', () => {
      expect(alarmNamed(service, names.alarms.taskStops).Properties).toMatchObject({
        Namespace: 'AWS/Events',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'RuleName', Value: { Ref: ruleId(service) } }],
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: ALARM_THRESHOLDS.taskStops.stops,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(ALARM_THRESHOLDS.taskStops.stops).toBe(2);
    });

    it('GIVEN the metric filter WHEN synthesized THEN error-logs fires at 10 error lines in 5 minutes', () => {
      expect(alarmNamed(service, names.alarms.errorLogs).Properties).toMatchObject({
        Namespace: names.metricNamespace,
        MetricName: ERROR_LOG_METRIC,
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 10,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it.each([
      ['cpuHigh', 'CPUUtilization'],
      ['memoryHigh', 'MemoryUtilization'],
    ] as const)(
      'GIVEN the service WHEN synthesized THEN %s fires at a Maximum ≥ 90 %% for 3 of 3 minutes',
      (key, metricName) => {
        expect(alarmNamed(service, names.alarms[key]).Properties).toMatchObject({
          Namespace: 'AWS/ECS',
          MetricName: metricName,
          Dimensions: SERVICE_DIMENSIONS,
          Statistic: 'Maximum',
          Period: 60,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 90,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 3,
          TreatMissingData: 'notBreaching',
        });
      },
    );
  });

  describe('deployment alarms', () => {
    it('GIVEN the service WHEN synthesized THEN a task-stops or error-logs alarm during a deployment rolls it back', () => {
      const taskStops = logicalIdOf(service, 'AWS::CloudWatch::Alarm', {
        AlarmName: names.alarms.taskStops,
      });
      const errorLogs = logicalIdOf(service, 'AWS::CloudWatch::Alarm', {
        AlarmName: names.alarms.errorLogs,
      });
      const ecsService = Object.values(service.findResources('AWS::ECS::Service'))[0];
      expect(ecsService.Properties.DeploymentConfiguration).toMatchObject({
        Alarms: {
          AlarmNames: [{ Ref: taskStops }, { Ref: errorLogs }],
          Enable: true,
          Rollback: true,
        },
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      });
      // The alarms exist before the service names them.
      expect(ecsService.DependsOn).toEqual(expect.arrayContaining([taskStops, errorLogs]));
    });
  });

  describe('dashboard', () => {
    it('GIVEN the stack WHEN synthesized THEN the dashboard is named for the environment', () => {
      service.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      service.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: names.dashboard,
      });
    });

    it('GIVEN the dashboard WHEN its widgets are read THEN it shows tasks, CPU, memory, error log lines and task stops', () => {
      expect(metricsOf(widget(service, 'Tasks'))).toEqual([['AWS/ECS', 'CPUUtilization']]);
      expect(metricsOf(widget(service, 'CPU utilization (%)'))).toEqual([
        ['AWS/ECS', 'CPUUtilization'],
        ['AWS/ECS', 'CPUUtilization'],
      ]);
      expect(metricsOf(widget(service, 'Memory utilization (%)'))).toEqual([
        ['AWS/ECS', 'MemoryUtilization'],
        ['AWS/ECS', 'MemoryUtilization'],
      ]);
      expect(metricsOf(widget(service, 'Error log lines'))).toEqual([
        [names.metricNamespace, ERROR_LOG_METRIC],
      ]);
      expect(metricsOf(widget(service, 'Unexpected task stops'))).toEqual([
        ['AWS/Events', 'Invocations'],
      ]);
      expect(widget(service, 'Alarms').properties.alarms).toHaveLength(5);
    });
  });

  it('GIVEN the reference mode WHEN synthesized THEN cdk-nag and the Control Tower rules find nothing in the monitoring, and nothing of it is acknowledged', () => {
    for (const report of pluginReports(synthesized)) {
      expect(report.violations).toEqual([]);
      expect(
        report.suppressedViolations.filter((v) => v.acknowledgedAt.includes('/Monitoring')),
      ).toEqual([]);
    }
  });
});

describe('monitoring, configured', () => {
  it('GIVEN Container Insights WHEN synthesized THEN tasks-below-desired compares desired and running task counts', () => {
    const { service } = synthesizeApp({ containerInsights: true });
    const alarm = alarmNamed(service, names.alarms.tasksBelowDesired).Properties;
    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.MetricName).toBeUndefined();
    const metric = (id: string) => alarm.Metrics.find((m: { Id: string }) => m.Id === id);
    expect(alarm.Metrics.filter((m: { ReturnData: boolean }) => m.ReturnData)).toEqual([
      expect.objectContaining({ Expression: 'desired - running' }),
    ]);
    for (const [id, metricName] of [
      ['desired', 'DesiredTaskCount'],
      ['running', 'RunningTaskCount'],
    ]) {
      expect(metric(id).MetricStat).toEqual({
        Metric: {
          Namespace: 'ECS/ContainerInsights',
          MetricName: metricName,
          Dimensions: SERVICE_DIMENSIONS,
        },
        Period: 60,
        Stat: 'Average',
      });
    }
    expect(metricsOf(widget(service, 'Tasks'))).toEqual([
      ['ECS/ContainerInsights', 'RunningTaskCount'],
      ['ECS/ContainerInsights', 'DesiredTaskCount'],
    ]);
  });

  it('GIVEN desiredCount 0 WHEN synthesized THEN there is no tasks-below-desired alarm, and the other four remain', () => {
    const { service } = synthesizeApp({ desiredCount: 0 });
    const alarmNames = Object.values(service.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmName,
    );
    expect(alarmNames.sort()).toEqual(
      [
        names.alarms.taskStops,
        names.alarms.errorLogs,
        names.alarms.cpuHigh,
        names.alarms.memoryHigh,
      ].sort(),
    );
    expect(widget(service, 'Alarms').properties.alarms).toHaveLength(4);
  });

  it('GIVEN an alertEmail WHEN synthesized THEN it is the AlertEmail parameter’s default', () => {
    const { service } = synthesizeApp({ alertEmail: 'ops@example.com' });
    service.hasParameter(STACK_PARAMETERS.alertEmail, { Default: 'ops@example.com' });
  });

  it.each(['staging', 'pr-7'])(
    'GIVEN the environment %s WHEN synthesized THEN every monitoring name is the one deploymentNames gives it',
    (environment) => {
      const expected = deploymentNames('hello-world', environment).monitoring;
      const { service } = synthesizeApp({ environment });
      expect(
        Object.values(service.findResources('AWS::CloudWatch::Alarm'))
          .map((a) => a.Properties.AlarmName)
          .sort(),
      ).toEqual(Object.values(expected.alarms).sort());
      service.hasResourceProperties('AWS::SNS::Topic', { TopicName: expected.alarmTopic });
      service.hasResourceProperties('AWS::SNS::Topic', { TopicName: expected.taskStopsTopic });
      service.hasResourceProperties('AWS::Events::Rule', { Name: expected.taskStopsRule });
      service.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: expected.dashboard,
      });
      service.hasResourceProperties('AWS::Logs::MetricFilter', {
        MetricTransformations: [Match.objectLike({ MetricNamespace: expected.metricNamespace })],
      });
    },
  );
});

describe('monitoring, controlTower=strict', () => {
  let synthesized: SynthesizedApp;
  let service: Template;

  beforeAll(() => {
    synthesized = synthesizeApp({ controlTower: 'strict' });
    service = synthesized.service;
  });

  const topicKeyId = () =>
    logicalIdOf(service, 'AWS::KMS::Key', { Description: Match.stringLikeRegexp('SNS topics') });

  it('GIVEN strict WHEN synthesized THEN both topics are encrypted with their own rotated customer managed key', () => {
    const key = topicKeyId();
    service.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('SNS topics'),
      EnableKeyRotation: true,
    });
    for (const topicName of [names.alarmTopic, names.taskStopsTopic]) {
      service.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: topicName,
        KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
      });
    }
  });

  it('GIVEN the topic key WHEN its policy is read THEN CloudWatch may use it for this environment’s alarms only, EventBridge to publish, grants for AWS services only', () => {
    const statements: Record<string, unknown>[] =
      service.toJSON().Resources[topicKeyId()].Properties.KeyPolicy.Statement;
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    expect(bySid('CloudWatchAlarmsOfThisEnvironment')).toEqual({
      Sid: 'CloudWatchAlarmsOfThisEnvironment',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnEquals: { 'aws:SourceArn': ALARM_ARNS },
      },
    });
    // The SNS guide: aws:SourceArn/SourceAccount are not supported for EventBridge here.
    expect(bySid('EventBridgeToTheTaskStopsTopic')).toEqual({
      Sid: 'EventBridgeToTheTaskStopsTopic',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
    expect(bySid('GrantsOnlyForAwsServices')).toMatchObject({
      Effect: 'Deny',
      Action: 'kms:CreateGrant',
    });
  });

  it('GIVEN strict (Container Insights on) WHEN synthesized THEN tasks-below-desired uses the Insights task counts', () => {
    const alarm = alarmNamed(service, names.alarms.tasksBelowDesired).Properties;
    expect(JSON.stringify(alarm.Metrics)).toContain('ECS/ContainerInsights');
  });

  it('GIVEN strict WHEN synthesized THEN cdk-nag and the Control Tower rules find nothing in the monitoring, and nothing of it is acknowledged', () => {
    for (const report of pluginReports(synthesized)) {
      expect(report.violations).toEqual([]);
      expect(
        report.suppressedViolations.filter((v) => v.acknowledgedAt.includes('/Monitoring')),
      ).toEqual([]);
    }
  });
});
