import type {
  AlarmReport,
  DeploymentProgress,
  DestroyResult,
  Diagnosis,
  Finding,
  IngressReport,
  LogLine,
  ServiceStatus,
  StackDeleteProgress,
  TaskSummary,
} from '@hello-world/aws-ops';
import { describeTargetCounts } from '@hello-world/aws-ops';
import { describeSkipped, type EnvironmentsReport } from './envs';

/** Columns padded to their widest cell; the last column is left ragged. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

function time(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** `hello-world:7` from a task definition ARN. */
function shortTaskDef(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : '-';
}

function exitOf(task: TaskSummary): string {
  const c = task.containers.find((x) => x.exitCode !== undefined || x.reason);
  if (!c) return '-';
  return [c.exitCode ?? '', c.reason ?? ''].filter((x) => x !== '').join(' ');
}

/** ERROR, WARN or INFO: how a finding's severity is printed. */
export function severityLabel(finding: Pick<Finding, 'severity'>): string {
  return finding.severity === 'error' ? 'ERROR' : finding.severity === 'warning' ? 'WARN' : 'INFO';
}

/** The environment's alarms as status shows them, with findAlarmProblems' findings. */
export interface StatusAlarms {
  report: AlarmReport;
  problems: Finding[];
  dashboardUrl: string;
  /** The command that creates them, for a stack that predates them. */
  deployCommand: string;
}

/** Why an alarm can be INSUFFICIENT_DATA, said once under the alarms that are. */
const INSUFFICIENT_DATA_NOTE =
  'INSUFFICIENT_DATA: too few data points to decide yet: usual for a few minutes after a deploy, or while the metric gets no data (no task running to report it)';

/** The alarms section: a line per alarm, ERROR/WARN for those in ALARM, the dashboard link. */
export function formatAlarms(alarms: StatusAlarms): string[] {
  const { report } = alarms;
  if (!report.readable) {
    return [`Alarms: not readable (${report.reason})`, `Dashboard: ${alarms.dashboardUrl}`];
  }
  if (report.states.length === 0) {
    return [
      `Alarms: none: the stack predates alarms; redeploy with \`${alarms.deployCommand}\` to create them and the dashboard`,
    ];
  }
  const count = (state: string) => report.states.filter((s) => s.state === state).length;
  const summary = (['ALARM', 'INSUFFICIENT_DATA', 'OK'] as const)
    .filter((state) => count(state) > 0)
    .map((state) => `${count(state)} ${state === 'ALARM' ? 'in ALARM' : state}`)
    .join(', ');
  return [
    `Alarms: ${summary}`,
    formatTable(
      ['STATE', 'ALARM', 'SINCE', 'REASON'],
      report.states.map((s) => [
        s.state,
        s.name,
        time(s.since),
        s.state === 'OK' ? '-' : s.reason || '-',
      ]),
    ),
    ...alarms.problems.map((f) => `  ${severityLabel(f)} ${f.what}: ${f.fix}`),
    ...(count('INSUFFICIENT_DATA') > 0 ? [`  ${INSUFFICIENT_DATA_NOTE}`] : []),
    `Dashboard: ${alarms.dashboardUrl}`,
  ];
}

/** A finding as one indented status line: ERROR/WARN/INFO, what, then the fix. */
function findingLine(f: Finding, indent = '  '): string {
  // A target's reason is its evidence: status shows it on the line.
  const why = f.code === 'alb-target-unhealthy' && f.evidence[0] ? ` (${f.evidence[0]})` : '';
  return `${indent}${severityLabel(f)} ${f.what}${why}: ${f.fix}`;
}

/**
 * The ingress section of a dns or alb stack (none for public-ip, whose status is the
 * reference's): the mode, then the record against the tasks, or the load balancer's targets,
 * scaling and alias; its findings under it.
 */
export function formatIngress(report: IngressReport, desiredCount: number): string[] {
  if (report.mode === 'public-ip') return [];
  if (report.mode === 'dns') {
    const check = report.record;
    return [
      `Ingress: dns, record ${report.domainName ?? '?'} in hosted zone ${report.hostedZoneId ?? '?'}`,
      ...(check
        ? [
            `  record: ${check.record.exists ? `${check.record.values.join(', ') || '(no values)'} (TTL ${check.record.ttl ?? '-'}, ${describeOwner(check.record.owner)})` : '(absent)'}`,
            `  tasks:  ${check.taskIps.join(', ') || '(no running task with a public IP)'}`,
            `  ${check.matches ? 'matches the running tasks' : 'does NOT match the running tasks'}`,
          ]
        : []),
      ...report.findings.map((f) => findingLine(f)),
    ];
  }
  const scaling =
    report.scaling === undefined
      ? []
      : report.scaling === null
        ? ['  scaling: none']
        : [
            `  scaling: ${report.scaling.minTasks} to ${report.scaling.maxTasks} tasks (desired now ${desiredCount})${report.scaling.suspended ? ', suspended' : ''}`,
          ];
  return [
    `Ingress: alb, load balancer ${report.loadBalancerDnsName ?? '?'}`,
    ...(report.targets ? [`  targets: ${describeTargetCounts(report.targets)}`] : []),
    ...scaling,
    ...(report.alias?.state === 'points-here' ? [`  ${report.domainName} is an alias to it`] : []),
    ...report.findings.map((f) => findingLine(f)),
  ];
}

function describeOwner(owner: 'ours' | 'foreign' | 'none'): string {
  return owner === 'ours'
    ? "this deployment's"
    : owner === 'foreign'
      ? 'owned by another deployment'
      : 'no owner marker';
}

/**
 * `problems` are findStatusProblems' (the service's own), printed as ERROR under the counts;
 * `reachability` is checkReachability's, under the URL; `alarms`, when read, under those; a dns
 * or alb stack's `ingress` section between the URL and the alarms.
 */
export function formatStatus(
  status: ServiceStatus,
  url: string | undefined,
  region: string,
  reachability: Finding[] = [],
  problems: Finding[] = [],
  alarms?: StatusAlarms,
  ingress: IngressReport = { mode: 'public-ip' },
): string {
  const out: string[] = [];
  const answers = url && !reachability.some((f) => f.code === 'url-not-answering');
  out.push(
    `Service ${status.service} (cluster ${status.cluster}, ${region}): ${status.status}`,
    `Tasks: ${status.desiredCount} desired, ${status.runningCount} running, ${status.pendingCount} pending`,
    ...problems.map((f) => `  ${severityLabel(f)} ${f.what}: ${f.fix}`),
    `URL: ${url ?? '(no running task with a public IP yet)'}${answers ? ' (answers from here)' : ''}`,
    ...reachability.map((f) => `  ${severityLabel(f)} ${f.what}: ${f.fix}`),
    ...formatIngress(ingress, status.desiredCount),
    ...(alarms ? ['', ...formatAlarms(alarms)] : []),
    '',
    'Deployments',
    formatTable(
      ['ID', 'STATUS', 'ROLLOUT', 'TASK DEFINITION', 'RUNNING', 'FAILED', 'CREATED'],
      status.deployments.map((d) => [
        d.id,
        d.status,
        d.rolloutState ?? '-',
        shortTaskDef(d.taskDefinition),
        `${d.runningCount}/${d.desiredCount}`,
        String(d.failedTasks),
        time(d.createdAt),
      ]),
    ),
  );
  const failing = status.deployments.filter(
    (d) => d.rolloutState === 'FAILED' && d.rolloutStateReason,
  );
  for (const d of failing) out.push(`  ${d.id}: ${d.rolloutStateReason}`);
  out.push(
    '',
    'Tasks',
    status.tasks.length === 0
      ? '  (none)'
      : formatTable(
          ['TASK', 'STATUS', 'HEALTH', 'IMAGE TAG', 'STARTED', 'PRIVATE IP', 'PUBLIC IP'],
          status.tasks.map((t) => [
            t.taskId,
            t.lastStatus,
            t.healthStatus ?? '-',
            t.imageTag ?? '-',
            time(t.startedAt),
            t.privateIp ?? '-',
            t.publicIp ?? '-',
          ]),
        ),
  );
  if (status.stoppedTasks.length > 0) {
    out.push(
      '',
      'Recently stopped tasks',
      formatTable(
        ['TASK', 'STOPPED', 'EXIT', 'REASON'],
        status.stoppedTasks.map((t) => [
          t.taskId,
          time(t.stoppedAt),
          exitOf(t),
          t.stoppedReason ?? t.stopCode ?? '-',
        ]),
      ),
    );
  }
  out.push(
    '',
    'Last events',
    status.events.length === 0
      ? '  (none)'
      : status.events.map((e) => `  ${time(e.createdAt)}  ${e.message}`).join('\n'),
  );
  return out.join('\n');
}

export function formatOutputs(outputs: Record<string, Record<string, string>>): string {
  const rows = Object.entries(outputs).flatMap(([stack, values]) =>
    Object.entries(values).map(([key, value]) => [stack, key, value]),
  );
  return formatTable(['STACK', 'OUTPUT', 'VALUE'], rows);
}

/** Windows to suggest when one shows nothing, each wider than the last. */
const WIDER_WINDOWS: [string, number][] = [
  ['1h', 3_600_000],
  ['1d', 86_400_000],
  ['7d', 7 * 86_400_000],
];

/**
 * Why `logs` printed nothing and what to try: a window wider than the one given (never the same
 * or narrower), and dropping --filter or --task when given.
 */
export function formatNoLogLines(query: {
  startTime: number;
  now: number;
  filter?: string;
  taskId?: string;
}): string {
  const since = new Date(query.startTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const what = [
    'no log lines',
    ...(query.filter ? [`matching ${JSON.stringify(query.filter)}`] : []),
    ...(query.taskId ? [`from task ${query.taskId}`] : []),
    `since ${since}`,
  ].join(' ');
  const wider = WIDER_WINDOWS.find(([, ms]) => ms > query.now - query.startTime)?.[0];
  const tries = [
    ...(wider ? [`--since ${wider}`] : []),
    ...(query.filter ? ['without --filter'] : []),
    ...(query.taskId ? ['without --task'] : []),
  ];
  return tries.length > 0
    ? `${what}: try ${tries.join(', or ')}`
    : `${what}: the service wrote nothing in that window`;
}

export function formatLogLine(line: LogLine, withStream: boolean): string {
  const stream = withStream ? ` ${line.logStreamName.split('/').pop()?.slice(0, 8)}` : '';
  return `${new Date(line.timestamp).toISOString()}${stream} ${line.message}`;
}

export function formatProgress(p: DeploymentProgress): string[] {
  return [
    `[${Math.round(p.elapsedMs / 1000)}s] ${progressState(p)}`,
    ...p.newEvents.map((e) => `  event: ${e.message}`),
  ];
}

function progressState(p: DeploymentProgress): string {
  return `${p.rolloutState} ${p.runningCount}/${p.desiredCount} running, ${p.pendingCount} pending, ${p.failedTasks} failed`;
}

/**
 * A progress callback that prints a line only when something changed, plus a heartbeat line
 * every `heartbeatMs` so a long wait still shows it is alive.
 */
export function progressPrinter(
  write: (line: string) => void,
  heartbeatMs = 60_000,
): (p: DeploymentProgress) => void {
  let lastState: string | undefined;
  let lastPrinted = -Infinity;
  return (p) => {
    const state = progressState(p);
    if (
      state === lastState &&
      p.newEvents.length === 0 &&
      p.elapsedMs - lastPrinted < heartbeatMs
    ) {
      return;
    }
    lastState = state;
    lastPrinted = p.elapsedMs;
    formatProgress(p).forEach(write);
  };
}

export function formatDeleteProgress(p: StackDeleteProgress): string[] {
  return p.events.map(
    (e) => `  ${p.stackName}: ${e.resource} ${e.status}${e.reason ? ` (${e.reason})` : ''}`,
  );
}

export function formatDiagnosis(diagnosis: Diagnosis): string {
  const out: string[] = diagnosis.passed.map((p) => `ok    ${p}`);
  for (const f of diagnosis.findings) {
    out.push(
      '',
      `${severityLabel(f).padEnd(5)} ${f.what}`,
      ...f.evidence.map((e) => `      ${e}`),
      `      fix: ${f.fix}`,
    );
  }
  // INFO (a check that could not run) is shown, not counted as a problem.
  const errors = diagnosis.findings.filter((f) => f.severity === 'error').length;
  const warnings = diagnosis.findings.filter((f) => f.severity === 'warning').length;
  out.push(
    '',
    errors + warnings === 0
      ? `No problems found.${diagnosis.url ? ` ${diagnosis.url}` : ''}`
      : `${errors} problem(s), ${warnings} warning(s).`,
  );
  return out.join('\n');
}

export function formatDestroy(
  result: DestroyResult,
  stackName: string,
  registryStackName: string,
  region: string,
): string {
  const stack =
    result.stack === 'deleted'
      ? `deleted stack ${stackName}`
      : `stack ${stackName} is not deployed in ${region}`;
  const registry =
    result.registry === 'kept'
      ? `kept stack ${registryStackName} and its images (pass --delete-images to delete them)`
      : result.registry === 'deleted'
        ? `deleted ${result.imagesDeleted} image(s) and stack ${registryStackName}`
        : `stack ${registryStackName} is not deployed in ${region}`;
  const record = result.record ? [formatRecordRemoval(result.record)] : [];
  return [`${stack}; ${registry}`, ...record].join('\n');
}

/** What destroy did with a dns-mode stack's record. */
function formatRecordRemoval(record: NonNullable<DestroyResult['record']>): string {
  switch (record.outcome) {
    case 'removed':
      return `deleted the dns record${record.removed.length > 1 ? 's' : ''} ${record.removed.join(' and ')}${record.values.length > 0 ? ` (it pointed at ${record.values.join(', ')})` : ''}`;
    case 'foreign':
      return `left the dns record ${record.domainName} alone: its owner TXT does not name this deployment`;
    case 'absent':
      return 'no dns record to delete: neither its A record nor its owner TXT is there';
    case 'failed':
      return `ERROR the dns record ${record.domainName} was not deleted (${record.reason}): delete its A record and its _ecs-owner TXT in Route 53 by hand, or it points at an IP AWS gives to others`;
  }
}

/** `infra:envs`' table: one row per environment, then the cost's notes and assumptions. */
export function formatEnvironments(report: EnvironmentsReport): string {
  const { environments } = report;
  const dollars = (amount: number) => `$${amount.toFixed(2)}`;
  const rows = environments.map((e) => [
    e.environment,
    e.stackName,
    e.stackStatus,
    e.url ?? '-',
    // What the service runs, and what its stack asked for when they differ (a rollout).
    e.imageTag && e.stackImageTag && e.imageTag !== e.stackImageTag
      ? `${e.imageTag} (stack: ${e.stackImageTag})`
      : (e.imageTag ?? '-'),
    e.lastDeployed.replace(/\.\d{3}Z$/, 'Z'),
    e.monthlyCost === null ? '-' : dollars(e.monthlyCost),
  ]);
  const priced = environments.filter((e) => e.monthlyCost !== null);
  const total = priced.reduce((sum, e) => sum + (e.monthlyCost ?? 0), 0);
  return [
    `Environments of ${report.service} in ${report.region}: ${environments.length}`,
    '',
    formatTable(
      ['ENVIRONMENT', 'STACK', 'STATUS', 'URL', 'IMAGE TAG', 'LAST DEPLOY', 'COST/MONTH'],
      rows,
    ),
    ...environments.flatMap((e) =>
      e.costNote ? [`  ${e.environment}: no cost: ${e.costNote}`] : [],
    ),
    ...(report.skipped.length > 0
      ? [`  skipped ${report.skipped.length} stack(s): ${describeSkipped(report.skipped)}`]
      : []),
    '',
    `Monthly cost estimate (${report.currency}): ${dollars(total)} for ${priced.length} environment(s); it assumes`,
    ...report.costAssumptions.map((a) => `  - ${a}`),
  ].join('\n');
}
