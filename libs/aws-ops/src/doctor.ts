import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  APP_PORT,
  REGISTRY_OUTPUTS,
  STACK_OUTPUTS,
  STACK_PARAMETERS,
  checkIpv4Cidr,
  isWholeInternet,
} from '@hello-world/shared';
import {
  AlarmNames,
  AlarmReport,
  describeAlarmGaps,
  findAlarmProblems,
  readAlarmReport,
} from './alarms';
import { Clock, systemClock } from './clock';
import { findImageDigest } from './ecr';
import { OpsError } from './errors';
import {
  Finding,
  StoppedTaskContext,
  deploymentCommand,
  diagnoseStoppedTasks,
  pushCommand,
} from './findings';
import { IngressInfo, ingressUrl, readIngress } from './ingress';
import { IngressClients, readIngressReport } from './ingress-report';
import { getTaskLogTail } from './logs';
import { CALLER_IP_SERVICE, CallerIpLookup, UrlProbe, isIpInCidr } from './reachability';
import { ServiceSnapshot, describeService } from './service-status';
import { pickServiceUrl } from './service-url';
import { StackInfo, findStack, findStackFailure, isFailedStackStatus } from './stacks';
import { ServiceRef, TaskSummary, getServiceTasks } from './tasks';

/** Does `repository` hold an image tagged `tag`? */
export type ImageLookup = (repository: string, tag: string) => Promise<boolean>;

/** The default ImageLookup, over the ECR module's tag lookup; a missing repository holds nothing. */
export function describeImageExists(ecr: ECRClient): ImageLookup {
  return async (repositoryName, imageTag) => {
    try {
      return (await findImageDigest(ecr, repositoryName, imageTag)) !== undefined;
    } catch (error) {
      if (error instanceof OpsError) return false;
      throw error;
    }
  };
}

export interface DoctorDeps {
  cfn: CloudFormationClient;
  ecs: ECSClient;
  ec2: EC2Client;
  logs: CloudWatchLogsClient;
  /** Reads the environment's alarm states, when options.alarms names them. */
  cloudwatch?: CloudWatchClient;
  imageExists: ImageLookup;
  callerIp: CallerIpLookup;
  probe: UrlProbe;
  clock?: Clock;
  /**
   * Read a dns or alb stack's ingress (its record, targets, scaling, alias). Without them, a
   * dns or alb stack's ingress is not checked; a public-ip stack never needs them.
   */
  ingress?: IngressClients;
}

export interface DoctorOptions {
  region: string;
  stackName: string;
  registryStackName: string;
  /** @default `/ecs/<stackName>`, the log group deploymentNames gives the service stack's deployment */
  logGroupName?: string;
  /** The service's port, for its URL. @default APP_PORT (hello-world's) */
  port?: number;
  /** The service (its Nx project), whose docker-push target the fixes name. @default APP_NAME */
  service?: string;
  /** The deployment project (`greeter-infra`), whose targets the fixes name. @default infra */
  project?: string;
  /**
   * A deployment still rolling out after this long is reported. A redeploy that timed out passes
   * 0: its --timeout, however short, already said the rollout takes too long. @default 15 minutes
   */
  stuckAfterMs?: number;
  /**
   * The environment's alarms (deploymentNames().monitoring): each in ALARM is a finding. Without
   * them (or without deps.cloudwatch), alarms are not checked.
   */
  alarms?: AlarmNames;
  /**
   * The deployment's name (deploymentNames().deployment): the owner a dns record's TXT must name.
   * @default stackName (a deployment's service stack is named after it)
   */
  owner?: string;
  /** The dns updater's function and log group (deploymentNames().dnsUpdater), for the fixes. */
  dnsUpdater?: { function: string; logGroup: string };
}

/**
 * Findings that mean nothing (or not all) is deployed where doctor looked: the caller's setup
 * (region, stack name), so doctor exits 2 for them as every other command does.
 */
const SETUP_FINDING_CODES: ReadonlySet<string> = new Set([
  'registry-stack-missing',
  'service-stack-missing',
  'service-missing',
]);

export function isSetupFinding(finding: Pick<Finding, 'code'>): boolean {
  return SETUP_FINDING_CODES.has(finding.code);
}

export interface Diagnosis {
  findings: Finding[];
  /** What was checked and found fine, for the human report. */
  passed: string[];
  url?: string;
  /** The alarm states, when they were checked. */
  alarms?: AlarmReport;
}

async function checkStack(
  cfn: CloudFormationClient,
  stackName: string,
  region: string,
  label: string,
  project: string | undefined,
): Promise<{ stack?: StackInfo; findings: Finding[] }> {
  const deployCommand = deploymentCommand('deploy', project);
  const stack = await findStack(cfn, stackName);
  if (!stack) {
    return {
      findings: [
        {
          severity: 'error',
          code: `${label}-stack-missing`,
          what: `the ${label} stack ${stackName} is not deployed in ${region}`,
          evidence: [`DescribeStacks: Stack with id ${stackName} does not exist`],
          fix: `run \`${deployCommand}\` (or pass --region if it lives elsewhere)`,
        },
      ],
    };
  }
  if (!isFailedStackStatus(stack.status)) return { stack, findings: [] };
  const failure = await findStackFailure(cfn, stack.stackId);
  return {
    stack,
    findings: [
      {
        // An update that rolled back leaves the previous version running: worth knowing, not fatal.
        severity: stack.status === 'UPDATE_ROLLBACK_COMPLETE' ? 'warning' : 'error',
        code: `${label}-stack-failed`,
        what: `the ${label} stack ${stackName} is in state ${stack.status}`,
        evidence: [
          ...(stack.statusReason ? [`stack: ${stack.statusReason}`] : []),
          ...(failure
            ? [
                `${failure.LogicalResourceId} (${failure.ResourceType}) ${failure.ResourceStatus}: ${failure.ResourceStatusReason ?? ''}`,
              ]
            : []),
        ],
        fix:
          stack.status === 'ROLLBACK_COMPLETE'
            ? `a stack that failed its first create cannot be updated: run \`${deploymentCommand('destroy', project)}\`, fix the cause, then \`${deployCommand}\``
            : `fix the cause above, then run \`${deployCommand}\` again`,
      },
    ],
  };
}

/** `45 s` under two minutes (a short redeploy --timeout), whole minutes above. */
function describeAge(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} minutes`;
}

function checkDeployments(
  snapshot: ServiceSnapshot,
  now: number,
  stuckAfterMs: number,
  project: string | undefined,
  /** Whether stopped-task findings say why tasks stop: the fixes point at them only then. */
  stopsExplained: boolean,
): Finding[] {
  const findings: Finding[] = [];
  const unexplained = `no stopped task says why yet: \`${deploymentCommand('status', project)}\` shows the service events, \`${deploymentCommand('logs', project)}\` the container output`;
  const recentEvents = snapshot.events.slice(0, 5).map((e) => `event: ${e.message}`);
  const failed = snapshot.deployments.find((d) => d.rolloutState === 'FAILED');
  if (failed) {
    findings.push({
      severity: 'error',
      code: 'deployment-failed',
      what: `the last deployment failed and the circuit breaker stopped it`,
      evidence: [
        `deployment ${failed.id}: ${failed.rolloutStateReason ?? 'FAILED'} (${failed.failedTasks} failed tasks)`,
        ...recentEvents,
      ],
      fix: stopsExplained
        ? 'see the stopped-task findings for the cause; fix it, push a new image and redeploy'
        : `${unexplained}; fix the cause, push a new image and redeploy`,
    });
  }
  const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
  // Never negative: this machine's clock may be behind AWS's.
  const age = primary?.createdAt ? Math.max(0, now - primary.createdAt.getTime()) : 0;
  if (primary?.rolloutState === 'IN_PROGRESS' && age >= stuckAfterMs) {
    findings.push({
      severity: 'error',
      code: 'service-not-stabilising',
      what: `deployment ${primary.id} has been rolling out for ${describeAge(age)}`,
      evidence: [
        `${primary.runningCount}/${primary.desiredCount} running, ${primary.pendingCount} pending, ${primary.failedTasks} failed`,
        ...recentEvents,
      ],
      // Name the events only when the evidence shows some.
      fix:
        recentEvents.length > 0
          ? `the service events above say what blocks it; fix that, or \`${deploymentCommand('redeploy', project)}\` once fixed`
          : `ECS reported no service event about it yet: watch it with \`${deploymentCommand('status', project)}\` and \`${deploymentCommand('logs', project)} -- --follow\``,
    });
  }
  if (snapshot.desiredCount > 0 && snapshot.runningCount === 0) {
    findings.push({
      severity: 'error',
      code: 'no-running-task',
      what: 'no task is running',
      evidence: [
        `desired ${snapshot.desiredCount}, running 0, pending ${snapshot.pendingCount}`,
        ...recentEvents,
      ],
      fix: stopsExplained
        ? `see the other findings for why tasks stop; \`${deploymentCommand('logs', project)}\` shows the container output`
        : unexplained,
    });
  }
  return findings;
}

function checkRunningTasks(
  snapshot: ServiceSnapshot,
  tasks: TaskSummary[],
  project: string | undefined,
): Finding[] {
  const deployCommand = deploymentCommand('deploy', project);
  const findings: Finding[] = [];
  for (const task of tasks.filter((t) => t.lastStatus === 'RUNNING')) {
    if (!task.publicIp) {
      findings.push({
        severity: 'error',
        code: 'no-public-ip',
        what: `running task ${task.taskId} has no public IP, so it cannot be reached`,
        evidence: [
          `network interface ${task.networkInterfaceId ?? '?'} has no public IP association`,
          `service assignPublicIp: ${snapshot.assignPublicIp ?? 'unknown'}`,
        ],
        fix: `the service must assign public IPs in a public subnet: redeploy with \`${deployCommand}\``,
      });
    }
    if (task.healthStatus === 'UNHEALTHY') {
      findings.push({
        severity: 'error',
        code: 'task-unhealthy',
        what: `task ${task.taskId} fails its container health check`,
        evidence: [`healthStatus UNHEALTHY since ${task.startedAt?.toISOString() ?? '?'}`],
        fix: `read \`${deploymentCommand('logs', project)} -- --task ${task.taskId}\`; the service must answer its health check`,
      });
    }
  }
  return findings;
}

async function checkImage(
  deps: DoctorDeps,
  repository: string,
  tag: string | undefined,
  service: string | undefined,
  project: string | undefined,
): Promise<Finding[]> {
  if (!tag) return [];
  if (await deps.imageExists(repository, tag)) return [];
  return [
    {
      severity: 'error',
      code: 'image-missing',
      what: `image tag ${tag} is not in repository ${repository}`,
      evidence: [`DescribeImages ${repository}:${tag}: ImageNotFoundException`],
      fix: `push it with \`${pushCommand(service)}\`, then \`${deploymentCommand('deploy', project)}\``,
    },
  ];
}

/**
 * Does the URL answer from here, and is your public IP inside AllowedIP? Shared by doctor and
 * status (and deploy), since the task's IP changes with every deployment. The fixes name the
 * deployment `project`'s targets (default hello-world's, infra).
 */
export async function checkReachability(
  deps: { callerIp: CallerIpLookup; probe: UrlProbe },
  url: string,
  allowedIp: string | undefined,
  project?: string,
): Promise<Finding[]> {
  const deployCommand = deploymentCommand('deploy', project);
  const findings: Finding[] = [];
  const hostBits = allowedIp ? findAllowedIpHostBits(allowedIp, deployCommand) : undefined;
  if (hostBits) findings.push(hostBits);
  const callerIp = await deps.callerIp();
  const outside = callerIp && allowedIp ? !isIpInCidr(callerIp, allowedIp) : false;
  // A check that could not run says so, unless AllowedIP admits everyone anyway.
  if (!callerIp && allowedIp && !isWholeInternet(allowedIp)) {
    findings.push({
      severity: 'info',
      code: 'caller-ip-unknown',
      what: `could not find your public IP (${CALLER_IP_SERVICE} did not answer): AllowedIP ${allowedIp} not checked`,
      evidence: [`the security group only admits ${allowedIp} on the service port`],
      fix: `if ${url} does not answer, check your public IP is inside ${allowedIp}, or redeploy with \`${deployCommand} --allowed-ip=<your IP>/32\``,
    });
  }
  if (outside) {
    findings.push({
      severity: 'warning',
      code: 'caller-ip-not-allowed',
      what: `your public IP ${callerIp} is outside AllowedIP ${allowedIp}`,
      evidence: [`the security group only admits ${allowedIp} on the service port`],
      fix: `allow it: \`${deployCommand} --allowed-ip=${callerIp}/32\` (or a CIDR that contains it)`,
    });
  }
  const probe = await deps.probe(url);
  if (!probe.ok) {
    findings.push({
      severity: outside ? 'warning' : 'error',
      code: 'url-not-answering',
      what: `${url} does not answer from here`,
      evidence: [
        probe.status ? `HTTP ${probe.status}` : `request failed: ${probe.error ?? 'no answer'}`,
        ...(allowedIp ? [`the stack's AllowedIP is ${allowedIp}`] : []),
      ],
      fix: outside
        ? `your IP is not in AllowedIP ${allowedIp} (see above)`
        : `check the task is healthy ${admits(allowedIp)}; \`${deploymentCommand('logs', project)}\` shows the container output`,
    });
  }
  return findings;
}

/** Whom the stack's AllowedIP lets in, as the URL finding's fix says it. */
function admits(allowedIp: string | undefined): string {
  return !allowedIp || isWholeInternet(allowedIp)
    ? 'and the security group admits you'
    : `and that AllowedIP ${allowedIp} admits you`;
}

/**
 * A deployed AllowedIP with host bits set (the template's AllowedPattern checks only the shape):
 * EC2 drops them, so 8.8.8.8/0 admits the whole internet. Deploys refuse such values now; a stack
 * deployed before, or by hand, may still carry one.
 */
function findAllowedIpHostBits(allowedIp: string, deployCommand: string): Finding | undefined {
  const check = checkIpv4Cidr(allowedIp);
  if (check.ok || !check.network) return undefined;
  const address = allowedIp.split('/')[0];
  return {
    severity: 'warning',
    code: 'allowed-ip-host-bits',
    what: `AllowedIP ${allowedIp} has host bits set: the security group admits all of ${check.network}${isWholeInternet(check.network) ? ', the whole internet' : ''}`,
    evidence: [`EC2 drops a rule's host bits: ${allowedIp} is stored as ${check.network}`],
    fix: `deploy the block you mean: \`${deployCommand} --allowed-ip=${address}/32\` for that one address, or --allowed-ip=${check.network}`,
  };
}

/** Memory and CPU architecture from the service's task definition, for the fixes' wording. */
async function taskContext(
  ecs: ECSClient,
  snapshot: ServiceSnapshot,
  service: string | undefined,
  project: string | undefined,
): Promise<StoppedTaskContext> {
  const known = {
    ...(service ? { service } : {}),
    ...(project ? { project } : {}),
    assignPublicIp: snapshot.assignPublicIp,
  };
  if (!snapshot.taskDefinition) return known;
  const { taskDefinition } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: snapshot.taskDefinition }),
  );
  return {
    ...known,
    taskMemoryMiB: taskDefinition?.memory,
    cpuArchitecture: taskDefinition?.runtimePlatform?.cpuArchitecture,
  };
}

/** The doctor's dependencies from the clients an operation already has, and its lookups. */
export function doctorDepsOf(
  clients: {
    cfn: CloudFormationClient;
    ecs: ECSClient;
    ec2: EC2Client;
    ecr: ECRClient;
    logs: CloudWatchLogsClient;
    cloudwatch?: CloudWatchClient;
  } & Partial<IngressClients>,
  lookups: { callerIp: CallerIpLookup; probe: UrlProbe; clock?: Clock },
): DoctorDeps {
  const { route53, elbv2, autoScaling } = clients;
  return {
    cfn: clients.cfn,
    ecs: clients.ecs,
    ec2: clients.ec2,
    logs: clients.logs,
    ...(clients.cloudwatch ? { cloudwatch: clients.cloudwatch } : {}),
    imageExists: describeImageExists(clients.ecr),
    callerIp: lookups.callerIp,
    probe: lookups.probe,
    ...(lookups.clock ? { clock: lookups.clock } : {}),
    ...(route53 && elbv2 && autoScaling ? { ingress: { route53, elbv2, autoScaling } } : {}),
  };
}

/**
 * The doctor's view after an operation failed (a deploy, a rollback): undefined when the doctor
 * itself cannot look, so a failure to diagnose never hides the failure being diagnosed.
 */
export async function diagnoseAfterFailure(
  deps: DoctorDeps,
  options: DoctorOptions,
): Promise<Diagnosis | undefined> {
  try {
    return await diagnoseService(deps, options);
  } catch {
    return undefined;
  }
}

/**
 * Automates the reference's troubleshooting page: stacks, image, deployments, stopped tasks and
 * their logs, public IP, AllowedIP and the URL, then the environment's alarms. Returns findings;
 * never throws for what it finds.
 */
export async function diagnoseService(
  deps: DoctorDeps,
  options: DoctorOptions,
): Promise<Diagnosis> {
  const clock = deps.clock ?? systemClock;
  const findings: Finding[] = [];
  const passed: string[] = [];
  const logGroupName = options.logGroupName ?? `/ecs/${options.stackName}`;

  const { project } = options;
  const registry = await checkStack(
    deps.cfn,
    options.registryStackName,
    options.region,
    'registry',
    project,
  );
  const main = await checkStack(deps.cfn, options.stackName, options.region, 'service', project);
  findings.push(...registry.findings, ...main.findings);
  if (registry.findings.length === 0)
    passed.push(`registry stack ${options.registryStackName} ${registry.stack?.status}`);
  if (main.findings.length === 0)
    passed.push(`service stack ${options.stackName} ${main.stack?.status}`);
  if (!main.stack) return { findings, passed };

  // Without outputs, the names the stacks give them: cluster, service and repository are all
  // named after the service stack (deploymentNames).
  const ref: ServiceRef = {
    cluster: main.stack.outputs[STACK_OUTPUTS.clusterName] ?? options.stackName,
    service: main.stack.outputs[STACK_OUTPUTS.serviceName] ?? options.stackName,
  };
  const repository = registry.stack?.outputs[REGISTRY_OUTPUTS.repositoryName] ?? options.stackName;

  let snapshot: ServiceSnapshot;
  try {
    snapshot = await describeService(deps.ecs, ref, project);
  } catch (error) {
    if (!(error instanceof OpsError)) throw error;
    findings.push({
      severity: 'error',
      code: 'service-missing',
      what: error.message,
      evidence: [`DescribeServices ${ref.cluster}/${ref.service}`],
      fix: `run \`${deploymentCommand('deploy', project)}\``,
    });
    return { findings, passed };
  }

  const [tasks, stopped] = await Promise.all([
    getServiceTasks(deps.ecs, deps.ec2, ref, 'RUNNING'),
    getServiceTasks(deps.ecs, deps.ec2, ref, 'STOPPED'),
  ]);
  const newestStopped = stopped
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
    .slice(0, 5);

  const imageTag =
    main.stack.parameters[STACK_PARAMETERS.imageTag] ??
    [...tasks, ...newestStopped].find((t) => t.imageTag)?.imageTag;
  const imageFindings = await checkImage(deps, repository, imageTag, options.service, project);
  findings.push(...imageFindings);
  if (imageTag && imageFindings.length === 0) passed.push(`image ${repository}:${imageTag} exists`);

  const evidence = await Promise.all(
    newestStopped.map(async (task) => ({
      task,
      logTail:
        task.stopCode === 'TaskFailedToStart' && !task.startedAt
          ? []
          : // The stream is named after the container, which ECS reports with the task.
            await getTaskLogTail(
              deps.logs,
              logGroupName,
              task.taskId,
              10,
              ...(task.containers[0] ? [task.containers[0].name] : []),
            ),
    })),
  );
  const stops = diagnoseStoppedTasks(
    evidence,
    await taskContext(deps.ecs, snapshot, options.service, project),
  );
  findings.push(
    ...stops,
    ...checkDeployments(
      snapshot,
      clock.now(),
      options.stuckAfterMs ?? 15 * 60_000,
      project,
      stops.length > 0,
    ),
    ...checkRunningTasks(snapshot, tasks, project),
  );

  // A dns or alb stack is reached at its name: that URL is the one to probe, not a task's IP
  // (an alb task admits only the load balancer).
  const ingress = readStackIngress(main.stack.outputs, findings);
  const port = options.port ?? APP_PORT;
  const url = (ingress && ingressUrl(ingress, port)) ?? pickServiceUrl(tasks, port)?.url;
  if (url) {
    const reach = await checkReachability(
      deps,
      url,
      main.stack.parameters[STACK_PARAMETERS.allowedIp],
      project,
    );
    findings.push(...reach);
    if (reach.length === 0) passed.push(`${url} answers`);
  }
  if (ingress && ingress.mode !== 'public-ip' && deps.ingress) {
    const report = await readIngressReport(deps.ingress, ingress, ref, tasks, {
      region: options.region,
      port,
      owner: options.owner ?? options.stackName,
      ...(project ? { project } : {}),
      ...(options.dnsUpdater ? { updater: options.dnsUpdater } : {}),
    });
    if (report.mode !== 'public-ip') {
      findings.push(...report.findings);
      passed.push(...report.passed);
    }
  }
  const alarms = await checkAlarms(deps, options);
  if (!alarms) return { findings, passed, url };
  findings.push(...alarms.findings);
  passed.push(...alarms.passed);
  return { findings, passed, url, alarms: alarms.report };
}

/** The stack's ingress; a mode this version does not know is a finding, and the rest goes on. */
function readStackIngress(
  outputs: Record<string, string>,
  findings: Finding[],
): IngressInfo | undefined {
  try {
    return readIngress(outputs);
  } catch (error) {
    if (!(error instanceof OpsError)) throw error;
    findings.push({
      severity: 'info',
      code: 'ingress-unknown',
      what: 'the stack runs an ingress mode this version does not know: not checked',
      evidence: [error.message],
      fix: 'update the tools (git pull, npm ci)',
    });
    return undefined;
  }
}

/** Each alarm in ALARM, or why the alarms say nothing (unreadable, none there). */
async function checkAlarms(
  deps: DoctorDeps,
  options: DoctorOptions,
): Promise<{ report: AlarmReport; findings: Finding[]; passed: string[] } | undefined> {
  if (!deps.cloudwatch || !options.alarms) return undefined;
  const report = await readAlarmReport(deps.cloudwatch, options.alarms, options.region);
  const gaps = describeAlarmGaps(report, options.alarms, options.project);
  if (!report.readable || gaps.length > 0) return { report, findings: gaps, passed: [] };
  const findings = findAlarmProblems(
    report.states,
    options.alarms,
    options.region,
    options.project,
  );
  const counts = new Map<string, number>();
  for (const s of report.states) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const summary = [...counts.entries()].map(([state, n]) => `${n} ${state}`).join(', ');
  return {
    report,
    findings,
    passed: findings.length === 0 ? [`alarms: none in ALARM (${summary})`] : [],
  };
}
