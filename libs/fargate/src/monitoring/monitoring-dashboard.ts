import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ServiceMetrics } from './service-monitoring';
import { ALARM_THRESHOLDS } from './thresholds';

export interface MonitoringDashboardProps {
  readonly dashboardName: string;
  /** With Insights the task widget shows running and desired counts; without, CPU samples. */
  readonly containerInsights: boolean;
  readonly metrics: ServiceMetrics;
  readonly errorLogLines: cloudwatch.IMetric;
  readonly taskStops: cloudwatch.IMetric;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/** Widget size: two graphs side by side on the 24-unit-wide grid. */
const HALF = { width: 12, height: 6 } as const;

/** One environment's page: alarm states, tasks, CPU, memory, error log lines and task stops. */
export class MonitoringDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringDashboardProps) {
    super(scope, id);
    const { metrics } = props;
    const { percent } = ALARM_THRESHOLDS.utilization;
    const limit = (label: string, value: number): cloudwatch.HorizontalAnnotation => ({
      value,
      label,
      color: cloudwatch.Color.RED,
    });

    const tasks = props.containerInsights
      ? [
          metrics.insights('RunningTaskCount').with({ label: 'Running tasks' }),
          metrics.insights('DesiredTaskCount').with({ label: 'Desired tasks' }),
        ]
      : [
          // ECS reports a service's CPU only while one of its tasks runs: 0 samples, no task.
          metrics
            .ecs('CPUUtilization', 'SampleCount')
            .with({ label: 'CPU samples (none: no task running)' }),
        ];

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [...props.alarms],
            width: 24,
            height: 3,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Tasks',
            left: tasks,
            leftYAxis: { min: 0 },
            ...HALF,
          }),
          new cloudwatch.GraphWidget({
            title: 'Error log lines',
            left: [props.errorLogLines],
            leftYAxis: { min: 0 },
            leftAnnotations: [limit('alarm', ALARM_THRESHOLDS.errorLogs.lines)],
            ...HALF,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'CPU utilization (%)',
            left: [
              metrics.ecs('CPUUtilization', cloudwatch.Stats.AVERAGE).with({ label: 'Average' }),
              metrics.ecs('CPUUtilization', cloudwatch.Stats.MAXIMUM).with({ label: 'Maximum' }),
            ],
            leftYAxis: { min: 0, max: 100 },
            leftAnnotations: [limit('alarm', percent)],
            ...HALF,
          }),
          new cloudwatch.GraphWidget({
            title: 'Memory utilization (%)',
            left: [
              metrics.ecs('MemoryUtilization', cloudwatch.Stats.AVERAGE).with({ label: 'Average' }),
              metrics.ecs('MemoryUtilization', cloudwatch.Stats.MAXIMUM).with({ label: 'Maximum' }),
            ],
            leftYAxis: { min: 0, max: 100 },
            leftAnnotations: [limit('alarm', percent)],
            ...HALF,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Unexpected task stops',
            left: [props.taskStops],
            leftYAxis: { min: 0 },
            leftAnnotations: [limit('alarm', ALARM_THRESHOLDS.taskStops.stops)],
            ...HALF,
          }),
        ],
      ],
    });
  }
}
