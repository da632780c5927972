import { Duration } from 'aws-cdk-lib';

/**
 * When each alarm of an environment fires. One place, so the templates, the specs and the docs
 * state the same numbers.
 */
export const ALARM_THRESHOLDS = {
  /** Fewer tasks running than desired (or none, without Container Insights) for this long. */
  tasksBelowDesired: { minutes: 5 },
  /**
   * This many unexpected task stops (crash, failed start, failed health check) in the window.
   * As a deployment alarm, its window is also how long ECS keeps watching after a rollout (its
   * bake time follows the longest alarm's evaluation time), so it matches the error-log window:
   * a longer one would hold every deploy that much longer. Two stops in five minutes is already
   * a loop for a service whose tasks each take a minute or two to start and fail.
   */
  taskStops: { stops: 2, window: Duration.minutes(5) },
  /** This many error-level log lines (pino level ≥ 50: error, fatal) in the window. */
  errorLogs: { lines: 10, window: Duration.minutes(5) },
  /** CPU or memory utilization of the busiest task at or above this, minute after minute. */
  utilization: { percent: 90, minutes: 3 },
} as const;

/** pino's `error` level; `fatal` is 60. The app logs JSON with a numeric `level`. */
export const ERROR_LOG_LEVEL = 50;

/** The metric the service log group's filter counts error-level lines in. */
export const ERROR_LOG_METRIC = 'ErrorLogLines';

/**
 * The stop codes of a task that stopped on its own (its essential container exited, or it never
 * started), as ECS Task State Change events spell them. Not ServiceSchedulerInitiated (deployments,
 * scaling), UserInitiated or SpotInterruption/TerminationNotice: those are planned.
 */
export const UNEXPECTED_STOP_CODES = ['EssentialContainerExited', 'TaskFailedToStart'] as const;

/**
 * How ECS's stoppedReason starts when the scheduler replaced a task whose container health check
 * failed (its stopCode is then ServiceSchedulerInitiated, as for a deployment).
 */
export const HEALTH_CHECK_STOP_REASON_PREFIX = 'Task failed container health checks';
