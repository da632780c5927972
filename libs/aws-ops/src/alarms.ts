import { CloudWatchClient, MetricAlarm, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { MonitoringNames, dashboardUrl } from '@hello-world/shared';
import { isAbortError } from './clock';
import { explainError } from './errors';
import { Finding, deploymentCommand } from './findings';

/** CloudWatch's three alarm states. */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One metric alarm as status and doctor show it. */
export interface AlarmState {
  name: string;
  state: AlarmStateValue;
  /** CloudWatch's own explanation of the state (StateReason). */
  reason: string;
  /** When the state last changed (StateTransitionedTimestamp, else StateUpdatedTimestamp). */
  since?: Date;
}

/** What status and doctor know of an environment's alarms: their states, or why not. */
export type AlarmReport =
  { readable: true; states: AlarmState[] } | { readable: false; reason: string };

/** The names status and doctor need: whose alarms, and the dashboard to link. */
export type AlarmNames = Pick<MonitoringNames, 'alarmPrefix' | 'alarms' | 'dashboard'>;

const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

function toAlarmState(alarm: MetricAlarm): AlarmState {
  const state = alarm.StateValue ?? 'INSUFFICIENT_DATA';
  return {
    name: alarm.AlarmName ?? '',
    state: STATES.has(state) ? (state as AlarmStateValue) : 'INSUFFICIENT_DATA',
    reason: alarm.StateReason ?? '',
    since: alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp,
  };
}

/**
 * The metric alarms whose names start with `alarmPrefix`, by name. `only`, when given, keeps those
 * names alone: the default environment's prefix (`hello-world-ecr-ecs-fargate-`) also starts
 * every other environment's alarm names (`hello-world-ecr-ecs-fargate-staging-…`).
 */
export async function getAlarmStates(
  cloudwatch: CloudWatchClient,
  alarmPrefix: string,
  only?: readonly string[],
): Promise<AlarmState[]> {
  const states: AlarmState[] = [];
  const pages = paginateDescribeAlarms(
    { client: cloudwatch },
    { AlarmNamePrefix: alarmPrefix, AlarmTypes: ['MetricAlarm'] },
  );
  for await (const page of pages) {
    states.push(...(page.MetricAlarms ?? []).map(toAlarmState));
  }
  const kept = only ? states.filter((s) => only.includes(s.name)) : states;
  return kept.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The environment's alarm states; an identity that may not call cloudwatch:DescribeAlarms gets the
 * reason instead, so status and doctor go on without them. Any other error is thrown.
 */
export async function readAlarmReport(
  cloudwatch: CloudWatchClient,
  names: AlarmNames,
  region: string,
): Promise<AlarmReport> {
  try {
    const states = await getAlarmStates(cloudwatch, names.alarmPrefix, Object.values(names.alarms));
    return { readable: true, states };
  } catch (error) {
    // The alarms are one part of a status or a diagnosis: a failure to read them (denied,
    // throttled, a network error) is shown in their place, never instead of the rest.
    if (isAbortError(error)) throw error;
    return { readable: false, reason: explainError(error, { region }).message };
  }
}

/** What each alarm of the environment means and where to look next, by its key in the names. */
const ALARM_MEANINGS: Record<
  keyof AlarmNames['alarms'],
  { severity: Finding['severity']; what: string; next: (project?: string) => string }
> = {
  tasksBelowDesired: {
    severity: 'error',
    what: 'fewer tasks are running than desired',
    next: (project) =>
      `\`${deploymentCommand('doctor', project)}\` says why tasks stop; \`${deploymentCommand('logs', project)}\` shows their output`,
  },
  taskStops: {
    severity: 'warning',
    what: 'tasks keep stopping unexpectedly (crashes, failed health checks)',
    next: (project) =>
      `\`${deploymentCommand('status', project)}\` lists the stopped tasks and why; \`${deploymentCommand('logs', project)} -- --since 1h\` shows their output`,
  },
  errorLogs: {
    severity: 'warning',
    what: 'the service logs error-level lines above the alarm rate',
    next: (project) =>
      `read them: \`${deploymentCommand('logs', project)} -- --since 1h --filter '{ $.level >= 50 }'\``,
  },
  cpuHigh: {
    severity: 'warning',
    what: "the tasks' CPU is near the task's limit",
    next: () => 'find what is busy, or give the task more CPU in the settings and redeploy',
  },
  memoryHigh: {
    severity: 'warning',
    what: "the tasks' memory is near the task's limit (at the limit ECS kills them, exit 137)",
    next: () =>
      'find what grows in memory, or give the task more memory in the settings and redeploy',
  },
};

function meaningOf(name: string, names: AlarmNames) {
  const key = (Object.keys(names.alarms) as (keyof AlarmNames['alarms'])[]).find(
    (k) => names.alarms[k] === name,
  );
  return key ? { key, ...ALARM_MEANINGS[key] } : undefined;
}

function time(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '?';
}

/**
 * One finding per alarm in ALARM: an ERROR when fewer tasks run than desired (the service is not
 * serving, as status's own task count says), a WARN for the others (it serves, but something is
 * wrong). Each names the reason CloudWatch gives, the next step and the dashboard.
 */
export function findAlarmProblems(
  states: readonly AlarmState[],
  names: AlarmNames,
  region: string,
  project?: string,
): Finding[] {
  const dashboard = dashboardUrl(region, names.dashboard);
  return states
    .filter((s) => s.state === 'ALARM')
    .map((s) => {
      const meaning = meaningOf(s.name, names);
      return {
        severity: meaning?.severity ?? 'warning',
        code: meaning ? `alarm-${kebab(meaning.key)}` : 'alarm',
        what: `alarm ${s.name} is in ALARM since ${time(s.since)}${meaning ? `: ${meaning.what}` : ''}`,
        evidence: s.reason ? [`alarm: ${s.reason}`] : [],
        fix: `${meaning ? meaning.next(project) : `\`${deploymentCommand('logs', project)}\` shows the service's output`}; the dashboard: ${dashboard}`,
      };
    });
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * What doctor says about the alarms beyond those in ALARM: that they could not be read, or that
 * the stack has none (it predates them: a deploy creates them). Info: a check that could not run.
 */
export function describeAlarmGaps(
  report: AlarmReport,
  names: AlarmNames,
  project?: string,
): Finding[] {
  if (!report.readable) {
    return [
      {
        severity: 'info',
        code: 'alarms-unreadable',
        what: 'the alarms could not be read',
        evidence: [report.reason],
        fix: `allow cloudwatch:DescribeAlarms on the alarms named ${names.alarmPrefix}* to see them`,
      },
    ];
  }
  if (report.states.length > 0) return [];
  return [
    {
      severity: 'info',
      code: 'alarms-missing',
      what: `no alarm named ${names.alarmPrefix}… is there: the stack predates alarms`,
      evidence: [`DescribeAlarms AlarmNamePrefix=${names.alarmPrefix}: none of this environment's`],
      fix: `redeploy with \`${deploymentCommand('deploy', project)}\` to create them`,
    },
  ];
}
