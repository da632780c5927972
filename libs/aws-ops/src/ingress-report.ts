import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import {
  DNS_RECORD_TTL_SECONDS,
  dnsOwnerRecordName,
  dnsOwnerRecordValue,
} from '@hello-world/shared';
import { isAbortError } from './clock';
import { explainError } from './errors';
import { Finding, deploymentCommand } from './findings';
import { IngressInfo, ingressUrl, runningTaskIps } from './ingress';
import {
  AliasCheck,
  ScalingBounds,
  TargetHealthState,
  checkAliasRecord,
  isTargetUnhealthy,
  readScalingBounds,
  readTargetHealth,
} from './ingress-alb';
import { DnsRecordCheck, compareServiceRecord, readServiceRecord } from './ingress-dns';
import { ServiceRef, TaskSummary } from './tasks';

export interface IngressReportOptions {
  region: string;
  /** The service's port: the dns mode's URL. */
  port: number;
  /** The deployment's name: the owner the dns record's TXT must name. */
  owner: string;
  /** The deployment project (`greeter-infra`), whose targets the fixes name. @default infra */
  project?: string;
  /** The dns updater's function and log group (deploymentNames().dnsUpdater), for the fixes. */
  updater?: { function: string; logGroup: string };
}

/** What status and doctor show about how users reach the service, beyond its tasks. */
export type IngressReport =
  | { mode: 'public-ip' }
  | {
      mode: 'dns';
      url?: string;
      domainName?: string;
      hostedZoneId?: string;
      /** Undefined when it could not be read (see findings). */
      record?: DnsRecordCheck;
      findings: Finding[];
      passed: string[];
    }
  | {
      mode: 'alb';
      url?: string;
      domainName?: string;
      loadBalancerDnsName?: string;
      targets?: TargetHealthState[];
      /** null: nothing scales the service. */
      scaling?: ScalingBounds | null;
      alias?: AliasCheck;
      findings: Finding[];
      passed: string[];
    };

export interface IngressClients {
  route53: Route53Client;
  elbv2: ElasticLoadBalancingV2Client;
  autoScaling: ApplicationAutoScalingClient;
}

type Read<T> = { ok: true; value: T } | { ok: false; finding: Finding };

/**
 * One read of the ingress: a failure (denied, throttled, unreachable) becomes an INFO finding in
 * its place, as the alarms do, so status and doctor still show the rest.
 */
async function attempt<T>(what: string, region: string, read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (isAbortError(error)) throw error;
    const reason = explainError(error, { region }).message;
    return {
      ok: false,
      finding: {
        severity: 'info',
        code: 'ingress-unreadable',
        what: `could not read ${what}: not checked`,
        evidence: [reason],
        fix: 'use an identity that may read it (see the IAM actions in the operations guide)',
      },
    };
  }
}

function missingOutputs(mode: string, names: string[], project: string | undefined): Finding {
  return {
    severity: 'info',
    code: 'ingress-outputs-missing',
    what: `the ${mode} stack lacks the output(s) ${names.join(', ')}: its ingress is not checked`,
    evidence: [],
    fix: `redeploy with \`${deploymentCommand('deploy', project)}\``,
  };
}

/**
 * The service's ingress in the stack's mode: nothing more for public-ip; for dns, the record
 * against the running tasks; for alb, the targets' health, the scaling bounds and the alias.
 * `tasks` are the service's (getServiceTasks 'RUNNING'), already read by status and doctor.
 */
export async function readIngressReport(
  clients: IngressClients,
  ingress: IngressInfo,
  ref: ServiceRef,
  tasks: readonly TaskSummary[],
  options: IngressReportOptions,
): Promise<IngressReport> {
  if (ingress.mode === 'public-ip') return { mode: 'public-ip' };
  const url = ingressUrl(ingress, options.port);
  const base = {
    ...(url ? { url } : {}),
    ...(ingress.domainName ? { domainName: ingress.domainName } : {}),
  };
  if (ingress.mode === 'dns') {
    const { domainName, hostedZoneId } = ingress;
    if (!domainName || !hostedZoneId) {
      return {
        mode: 'dns',
        ...base,
        findings: [missingOutputs('dns', ['DomainName', 'HostedZoneId'], options.project)],
        passed: [],
      };
    }
    const target = { domainName, hostedZoneId, owner: options.owner };
    const read = await attempt(`the dns record ${domainName}`, options.region, () =>
      readServiceRecord(clients.route53, target),
    );
    if (!read.ok)
      return { mode: 'dns', ...base, hostedZoneId, findings: [read.finding], passed: [] };
    const record = compareServiceRecord(target, read.value, runningTaskIps(tasks));
    const findings = findDnsRecordProblems(record, options);
    return {
      mode: 'dns',
      ...base,
      hostedZoneId,
      record,
      findings,
      passed:
        findings.length === 0
          ? [
              record.record.exists
                ? `dns record ${domainName} holds the running tasks' IPs (${record.taskIps.join(', ')})`
                : `dns record ${domainName} is absent, as no task runs`,
            ]
          : [],
    };
  }
  const { targetGroupArn, loadBalancerDnsName, domainName, hostedZoneId } = ingress;
  const findings: Finding[] = [];
  const passed: string[] = [];
  const missing = [
    ...(targetGroupArn ? [] : ['TargetGroupArn']),
    ...(loadBalancerDnsName ? [] : ['LoadBalancerDnsName']),
    ...(domainName && hostedZoneId ? [] : ['DomainName', 'HostedZoneId']),
  ];
  if (missing.length > 0) findings.push(missingOutputs('alb', missing, options.project));
  const [targets, scaling, alias] = await Promise.all([
    targetGroupArn
      ? attempt('the target health', options.region, () =>
          readTargetHealth(clients.elbv2, targetGroupArn),
        )
      : undefined,
    attempt('the scaling bounds', options.region, async () =>
      readScalingBounds(clients.autoScaling, ref),
    ),
    domainName && hostedZoneId && loadBalancerDnsName
      ? attempt(`the alias record ${domainName}`, options.region, () =>
          checkAliasRecord(clients.route53, { hostedZoneId, domainName, loadBalancerDnsName }),
        )
      : undefined,
  ]);
  const report: Extract<IngressReport, { mode: 'alb' }> = {
    mode: 'alb',
    ...base,
    ...(loadBalancerDnsName ? { loadBalancerDnsName } : {}),
    findings,
    passed,
  };
  if (targets?.ok) {
    report.targets = targets.value;
    const problems = findTargetProblems(targets.value, runningTaskIps(tasks).length, options);
    findings.push(...problems);
    if (problems.length === 0 && targets.value.length > 0) {
      passed.push(`load balancer targets: ${describeTargetCounts(targets.value)}`);
    }
  } else if (targets) findings.push(targets.finding);
  if (scaling.ok) {
    report.scaling = scaling.value ?? null;
    if (!scaling.value) findings.push(scalingMissing(options.project));
  } else findings.push(scaling.finding);
  if (alias?.ok) {
    report.alias = alias.value;
    const problem = findAliasProblem(alias.value, ingress, options.project);
    if (problem) findings.push(problem);
    else passed.push(`${domainName} is an alias to the load balancer`);
  } else if (alias) findings.push(alias.finding);
  return report;
}

/** `2 of 3 healthy`, then the other states' counts. */
export function describeTargetCounts(targets: readonly TargetHealthState[]): string {
  const healthy = targets.filter((t) => t.state === 'healthy').length;
  const others = new Map<string, number>();
  for (const t of targets.filter((x) => x.state !== 'healthy')) {
    others.set(t.state, (others.get(t.state) ?? 0) + 1);
  }
  const rest = [...others.entries()].map(([state, n]) => `${n} ${state}`).join(', ');
  return `${healthy} of ${targets.length} healthy${rest ? ` (${rest})` : ''}`;
}

function logsHint(options: Pick<IngressReportOptions, 'project' | 'updater'>): string {
  return options.updater
    ? `its log group ${options.updater.logGroup} says why (\`aws logs tail ${options.updater.logGroup}\`)`
    : 'its log group says why';
}

/**
 * The dns record against the running tasks: missing while tasks run, holding IPs no task has
 * (stale: users reach nothing, or a released IP), or made by someone else (the updater leaves a
 * foreign record alone, so it will never follow the tasks).
 */
export function findDnsRecordProblems(
  check: DnsRecordCheck,
  options: Pick<IngressReportOptions, 'project' | 'updater' | 'owner'>,
): Finding[] {
  const { record, taskIps, domainName, hostedZoneId } = check;
  const ownerName = dnsOwnerRecordName(domainName);
  const updater = options.updater
    ? `the dns updater ${options.updater.function}`
    : 'the dns updater';
  const redeploy = `\`${deploymentCommand('redeploy', options.project)}\``;
  const evidence = [
    `A ${domainName}: ${record.exists ? record.values.join(', ') || '(no values)' : 'absent'}`,
    `TXT ${ownerName}: ${record.owner === 'ours' ? dnsOwnerRecordValue(options.owner) : record.owner === 'foreign' ? 'another owner' : 'absent'}`,
    `running tasks' public IPs: ${taskIps.join(', ') || 'none'}`,
  ];
  if (record.owner === 'foreign' || (record.exists && record.owner === 'none')) {
    return [
      {
        severity: 'error',
        code: 'dns-record-foreign',
        what: `the dns record ${domainName} is not this deployment's: ${updater} leaves it alone, so it does not follow the tasks`,
        evidence,
        fix: `if it is a leftover, delete ${domainName} A${record.owner === 'foreign' ? ` and ${ownerName} TXT` : ''} in hosted zone ${hostedZoneId}, then ${redeploy} so the updater creates its own; else deploy with another DOMAIN_NAME`,
      },
    ];
  }
  if (check.matches) return [];
  if (!record.exists) {
    return [
      {
        severity: 'error',
        code: 'dns-record-missing',
        what: `the dns record ${domainName} is missing while ${taskIps.length} task(s) run`,
        evidence,
        fix: `${updater} should have created it: ${logsHint(options)}; ${redeploy} starts a task, which runs it again`,
      },
    ];
  }
  const reachable = record.values.filter((v) => taskIps.includes(v));
  return [
    {
      // Some users still reach a task: a lagging update, not an outage.
      severity: reachable.length > 0 ? 'warning' : 'error',
      code: 'dns-record-stale',
      what:
        taskIps.length === 0
          ? `the dns record ${domainName} still points at ${record.values.join(', ')} while no task runs: released IPs someone else may get`
          : `the dns record ${domainName} disagrees with the running tasks${reachable.length === 0 ? ': it sends users to no task' : ''}`,
      evidence,
      fix: `${updater} updates it on every task start and stop (TTL ${record.ttl ?? DNS_RECORD_TTL_SECONDS} s): if it stays so, ${logsHint(options)}; ${redeploy} runs it again`,
    },
  ];
}

/** Why ELB says a target is unhealthy, and where to look. */
function targetFix(target: TargetHealthState, project: string | undefined): string {
  const logs = `\`${deploymentCommand('logs', project)}\``;
  switch (target.reason) {
    case 'Target.ResponseCodeMismatch':
      return `the service answers its health check with another status than 200: ${logs} shows why`;
    case 'Target.Timeout':
      return `the health check gets no answer in time: the task is overloaded or its security group does not admit the load balancer's; ${logs}, then \`${deploymentCommand('deploy', project)}\``;
    case 'Target.FailedHealthChecks':
      return `the service fails its health check: ${logs} shows why`;
    case 'Elb.InternalError':
      return 'an Elastic Load Balancing error: it usually clears itself; if not, AWS support';
    default:
      return `${logs} shows what the task does`;
  }
}

/**
 * A finding per target that cannot take requests (an error when none can, a warning while others
 * serve), and one when tasks run but none is registered.
 */
export function findTargetProblems(
  targets: readonly TargetHealthState[],
  runningTasks: number,
  options: Pick<IngressReportOptions, 'project'>,
): Finding[] {
  const healthy = targets.filter((t) => t.state === 'healthy').length;
  const findings: Finding[] = targets.filter(isTargetUnhealthy).map((t) => ({
    severity: healthy === 0 ? 'error' : 'warning',
    code: 'alb-target-unhealthy',
    what: `load balancer target ${t.id}${t.port ? `:${t.port}` : ''} is ${t.state}${healthy > 0 ? ` (${healthy} of ${targets.length} healthy serve meanwhile)` : ''}`,
    evidence: [
      `${t.reason ?? 'no reason given'}${t.description ? `: ${t.description}` : ''}`,
      ...(t.availabilityZone ? [`availability zone ${t.availabilityZone}`] : []),
    ],
    fix: targetFix(t, options.project),
  }));
  if (targets.length === 0 && runningTasks > 0) {
    findings.push({
      severity: 'error',
      code: 'alb-no-targets',
      what: `${runningTasks} task(s) run but none is registered with the load balancer's target group`,
      evidence: ['DescribeTargetHealth: no targets'],
      fix: `the service's load balancer settings may have been changed by hand: \`${deploymentCommand('deploy', options.project)}\``,
    });
  }
  return findings;
}

function scalingMissing(project: string | undefined): Finding {
  return {
    severity: 'warning',
    code: 'alb-scaling-missing',
    what: 'nothing scales the service: no Application Auto Scaling target for it',
    evidence: ['DescribeScalableTargets: none for the service'],
    fix: `redeploy with \`${deploymentCommand('deploy', project)}\` to create it`,
  };
}

/** The domain's A record must be an alias to this load balancer, or users never reach it. */
export function findAliasProblem(
  alias: AliasCheck,
  ingress: Pick<IngressInfo, 'domainName' | 'hostedZoneId' | 'loadBalancerDnsName'>,
  project: string | undefined,
): Finding | undefined {
  if (alias.state === 'points-here') return undefined;
  const deploy = `\`${deploymentCommand('deploy', project)}\``;
  return alias.state === 'missing'
    ? {
        severity: 'error',
        code: 'alb-alias-missing',
        what: `${ingress.domainName} has no A record in hosted zone ${ingress.hostedZoneId}: it does not resolve to the load balancer`,
        evidence: [`load balancer: ${ingress.loadBalancerDnsName}`],
        // CloudFormation restores no record deleted or changed outside it: only a person can.
        fix: `recreate it as an alias A record to ${ingress.loadBalancerDnsName} in the hosted zone (CloudFormation does not restore a record deleted outside it), or destroy and ${deploy}`,
      }
    : {
        severity: 'error',
        code: 'alb-alias-elsewhere',
        what: `${ingress.domainName} does not point at the load balancer`,
        evidence: [`record: ${alias.target}`, `load balancer: ${ingress.loadBalancerDnsName}`],
        fix: `someone changed the record: set it back to an alias to ${ingress.loadBalancerDnsName} (CloudFormation does not restore it)`,
      };
}
