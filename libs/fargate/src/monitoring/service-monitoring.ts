import type { MonitoringNames } from '@hello-world/shared';
import { ArnFormat, CfnCondition, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MonitoringDashboard } from './monitoring-dashboard';
import { TaskStops } from './task-stops';
import { ALARM_THRESHOLDS, ERROR_LOG_LEVEL, ERROR_LOG_METRIC } from './thresholds';
import { TopicKey } from './topic-key';

export interface ServiceMonitoringProps {
  /** The environment's alarm, topic, rule, dashboard and metric names (deploymentNames). */
  readonly names: MonitoringNames;
  readonly cluster: ecs.ICluster;
  /** The cluster's and the service's name (they share the deployment's). */
  readonly serviceName: string;
  readonly service: ecs.BaseService;
  readonly logGroup: logs.ILogGroup;
  /** No tasks-below-desired alarm when 0: a stopped environment is meant to run nothing. */
  readonly desiredCount: number;
  /**
   * Whether the cluster has Container Insights on: the tasks-below-desired alarm then compares
   * its desired and running task counts; without, it can only tell that no task runs.
   * @default false
   */
  readonly containerInsights?: boolean;
  /**
   * Who the alarms email (a CloudFormation parameter's value); '' subscribes no one.
   * @default '' (no subscription; the alarms still exist and show in infra:status)
   */
  readonly alertEmail?: string;
  /**
   * Encrypt both topics with a customer managed KMS key (controlTower=strict).
   * @default false: the topics are unencrypted, SNS's default (the AWS managed aws/sns key
   * cannot be used: CloudWatch and EventBridge could not publish to it)
   */
  readonly encryptTopics?: boolean;
}

/**
 * "Not serving" alarms for one ECS service, the SNS topic they notify (optionally emailing
 * someone), the task-stops rule, the deployment alarms that roll a bad release back, and a
 * dashboard. Every alarm notifies on ALARM and on OK, so an email says when it is over.
 */
export class ServiceMonitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly taskStops: TaskStops;
  readonly errorLogFilter: logs.MetricFilter;
  /** Every alarm by its name in MonitoringNames; tasksBelowDesired is absent at desiredCount 0. */
  readonly alarms: Partial<Record<keyof MonitoringNames['alarms'], cloudwatch.Alarm>>;
  readonly topicKey?: TopicKey;
  readonly emailSubscription: sns.Subscription;
  readonly dashboard: MonitoringDashboard;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const { names } = props;
    const stack = Stack.of(this);

    // Exactly this environment's alarms: a prefix would also admit another environment's
    // (hello-world-ecr-ecs-fargate-* covers …-staging-*).
    const alarmArns = Object.values(names.alarms).map((alarmName) =>
      stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: alarmName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    if (props.encryptTopics) {
      this.topicKey = new TopicKey(this, 'TopicKey', {
        description: `Encrypts the SNS topics ${names.alarmTopic} and ${names.taskStopsTopic}`,
        alarmArns,
      });
    }
    const masterKey = this.topicKey?.key;

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: names.alarmTopic,
      displayName: `${names.alarmPrefix}alarms`,
      enforceSSL: true,
      masterKey,
    });
    // A topic policy replaces SNS's default one, which let the account's alarms publish.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsOfThisEnvironment',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': alarmArns },
        },
      }),
    );

    const alertEmail = props.alertEmail ?? '';
    this.emailSubscription = new sns.Subscription(this, 'AlertEmail', {
      topic: this.alarmTopic,
      protocol: sns.SubscriptionProtocol.EMAIL,
      endpoint: alertEmail,
    });
    const hasEmail = new CfnCondition(this, 'HasAlertEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(alertEmail, '')),
    });
    (this.emailSubscription.node.defaultChild as sns.CfnSubscription).cfnOptions.condition =
      hasEmail;

    this.taskStops = new TaskStops(this, 'TaskStops', {
      ruleName: names.taskStopsRule,
      topicName: names.taskStopsTopic,
      clusterArn: props.cluster.clusterArn,
      serviceName: props.serviceName,
      masterKey,
    });

    this.errorLogFilter = new logs.MetricFilter(this, 'ErrorLogFilter', {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.numberValue('$.level', '>=', ERROR_LOG_LEVEL),
      metricNamespace: names.metricNamespace,
      metricName: ERROR_LOG_METRIC,
      metricValue: '1',
      // 0 for every batch of lines without an error: the dashboard shows 0, not "no data".
      defaultValue: 0,
      unit: cloudwatch.Unit.COUNT,
    });

    const metrics = serviceMetrics(props.serviceName);
    const alarm = (
      key: keyof MonitoringNames['alarms'],
      alarmProps: Omit<cloudwatch.AlarmProps, 'alarmName' | 'actionsEnabled'>,
    ) => {
      const created = new cloudwatch.Alarm(this, `${capitalize(key)}Alarm`, {
        ...alarmProps,
        alarmName: names.alarms[key],
        // AWS Control Tower CT.CLOUDWATCH.PR.4: stated, not left to the default.
        actionsEnabled: true,
      });
      created.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      created.addOkAction(new actions.SnsAction(this.alarmTopic));
      return created;
    };
    const { tasksBelowDesired, taskStops, errorLogs, utilization } = ALARM_THRESHOLDS;

    const alarms: Partial<Record<keyof MonitoringNames['alarms'], cloudwatch.Alarm>> = {};
    if (props.desiredCount > 0) {
      alarms.tasksBelowDesired = props.containerInsights
        ? alarm('tasksBelowDesired', {
            alarmDescription: `Fewer tasks running than desired for ${tasksBelowDesired.minutes} minutes (Container Insights)`,
            metric: new cloudwatch.MathExpression({
              expression: 'desired - running',
              label: 'Desired minus running tasks',
              period: Duration.minutes(1),
              usingMetrics: {
                desired: metrics.insights('DesiredTaskCount'),
                running: metrics.insights('RunningTaskCount'),
              },
            }),
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            threshold: 1,
            evaluationPeriods: tasksBelowDesired.minutes,
            datapointsToAlarm: tasksBelowDesired.minutes,
            // Insights reports both counts every minute while the service exists.
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          })
        : alarm('tasksBelowDesired', {
            alarmDescription: `No task running for ${tasksBelowDesired.minutes} minutes: no CPU utilization reported (without Container Insights, fewer than desired but not none goes unnoticed)`,
            metric: metrics.ecs('CPUUtilization', 'SampleCount'),
            comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            threshold: 1,
            evaluationPeriods: tasksBelowDesired.minutes,
            datapointsToAlarm: tasksBelowDesired.minutes,
            // ECS reports the service's CPU only while a task runs: no data is the signal.
            treatMissingData: cloudwatch.TreatMissingData.BREACHING,
          });
    }
    alarms.taskStops = alarm('taskStops', {
      alarmDescription: `${taskStops.stops} or more unexpected task stops in ${taskStops.window.toMinutes()} minutes (crashes, failed starts, failed health checks)`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'Invocations',
        dimensionsMap: { RuleName: this.taskStops.rule.ruleName },
        statistic: cloudwatch.Stats.SUM,
        period: taskStops.window,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: taskStops.stops,
      evaluationPeriods: 1,
      // EventBridge reports a rule's invocations only when it matched something.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarms.errorLogs = alarm('errorLogs', {
      alarmDescription: `${errorLogs.lines} or more error-level log lines (level ≥ ${ERROR_LOG_LEVEL}) in ${errorLogs.window.toMinutes()} minutes`,
      metric: this.errorLogFilter.metric({
        statistic: cloudwatch.Stats.SUM,
        period: errorLogs.window,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: errorLogs.lines,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const [key, metricName, what] of [
      ['cpuHigh', 'CPUUtilization', 'CPU'],
      ['memoryHigh', 'MemoryUtilization', 'Memory'],
    ] as const) {
      alarms[key] = alarm(key, {
        alarmDescription: `${what} utilization at or above ${utilization.percent} % of the task's limit for ${utilization.minutes} minutes in a row`,
        metric: metrics.ecs(metricName, cloudwatch.Stats.MAXIMUM),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        threshold: utilization.percent,
        evaluationPeriods: utilization.minutes,
        datapointsToAlarm: utilization.minutes,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    this.alarms = alarms;

    // A release that crashes its tasks or floods the logs with errors rolls back. By name: the
    // alarms exist before the service refers to them, and neither refers to the service.
    const deploymentAlarms = [alarms.taskStops, alarms.errorLogs];
    props.service.enableDeploymentAlarms(
      deploymentAlarms.map((a) => a.alarmName),
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );
    for (const a of deploymentAlarms) props.service.node.addDependency(a);

    this.dashboard = new MonitoringDashboard(this, 'Dashboard', {
      dashboardName: names.dashboard,
      containerInsights: props.containerInsights ?? false,
      metrics,
      errorLogLines: this.errorLogFilter.metric({
        statistic: cloudwatch.Stats.SUM,
        period: errorLogs.window,
        label: 'Error log lines',
      }),
      taskStops: alarms.taskStops.metric,
      alarms: Object.values(alarms),
    });
  }
}

/** The service's CloudWatch metrics, by literal names so no alarm depends on the service. */
export interface ServiceMetrics {
  /** AWS/ECS, one-minute periods. */
  ecs(metricName: string, statistic: string): cloudwatch.Metric;
  /** ECS/ContainerInsights (Average of each minute). */
  insights(metricName: string): cloudwatch.Metric;
}

function serviceMetrics(name: string): ServiceMetrics {
  const dimensionsMap = { ClusterName: name, ServiceName: name };
  const period = Duration.minutes(1);
  return {
    ecs: (metricName, statistic) =>
      new cloudwatch.Metric({ namespace: 'AWS/ECS', metricName, dimensionsMap, statistic, period }),
    insights: (metricName) =>
      new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName,
        dimensionsMap,
        statistic: cloudwatch.Stats.AVERAGE,
        period,
      }),
  };
}

function capitalize(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}
