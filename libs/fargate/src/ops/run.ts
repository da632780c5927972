import {
  AwsClients,
  AwsTarget,
  CallerIpLookup,
  Clock,
  ProblemContext,
  isSetupProblem,
  ServiceRef,
  UrlProbe,
  checkReachability,
  clientConfig,
  describeEndpoint,
  doctorDepsOf,
  destroyDeployment,
  diagnoseService,
  explainError,
  findAlarmProblems,
  findStatusProblems,
  findTaskLogStreams,
  followLogs,
  forceNewDeployment,
  getServiceStatus,
  getIngressUrl,
  getServiceTasks,
  getServiceUrl,
  getStack,
  type IngressInfo,
  type IngressReport,
  ingressUrl,
  readIngress,
  readIngressReport,
  findStack,
  isAbortError,
  listEnvironmentStacks,
  isSetupFinding,
  OpsError,
  pickServiceUrl,
  readAlarmReport,
  readLogs,
  waitForDeployment,
} from '@hello-world/aws-ops';
import {
  dashboardUrl,
  isDefaultEnvironment,
  REGISTRY_OUTPUTS,
  STACK_TAGS,
  STACK_OUTPUTS,
  STACK_PARAMETERS,
} from '@hello-world/shared';
import { cliName, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '@hello-world/cli';
import type { Deployment } from '../deployment';
import { opsCli, OpsCommand, parseOpsArgs } from './args';
import { runAbortCommand } from './abort';
import { checkDestroyRequest, type DestroyConfirmation } from './destroy-guard';
import {
  describeFilters,
  describeSkipped,
  listEnvironments,
  undeployedEnvironmentMessage,
} from './envs';
import { runScan } from './scan';
import { runExecCommand } from './exec';
import { runSecretsCommand, type SecretSettings } from './secrets';
import { rollbackCommand } from './rollback';
import {
  formatDeleteProgress,
  formatDestroy,
  formatDiagnosis,
  formatEnvironments,
  formatLogLine,
  formatNoLogLines,
  formatOutputs,
  progressPrinter,
  formatStatus,
  severityLabel,
} from './format';

/** Everything the commands touch outside themselves, so tests can pass fakes. */
export interface OpsDeps {
  env: Record<string, string | undefined>;
  createClients: (target: AwsTarget) => AwsClients;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether a person can answer a question on stdin. */
  interactive: boolean;
  confirm: (question: string) => Promise<boolean>;
  /** The answer typed to a question (destroy of production asks for the environment's name). */
  ask: (question: string) => Promise<string>;
  callerIp: CallerIpLookup;
  probe: UrlProbe;
  clock: Clock;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /**
   * The deployment operated: its names and port, from its cdk.json (readDeployment), and its
   * project (`infra`, `greeter-infra`), which errors start with.
   */
  deployment: Pick<Deployment, 'project' | 'names' | 'port'>;
  /**
   * secrets set: all of stdin when it is not a terminal (one trailing newline dropped), else
   * typed at a prompt that does not echo; undefined when cancelled. Never from argv.
   */
  readSecretValue: (name: string) => Promise<string | undefined>;
  /** The environment's secret settings from the deployment's cdk.json (throws ConfigError). */
  secretSettings: () => SecretSettings;
  /** exec: the path of an executable on PATH (session-manager-plugin), or undefined. */
  findExecutable: (name: string) => string | undefined;
  /** exec: runs it on this terminal (stdio inherited) and resolves to its exit code. */
  runInteractive: (file: string, args: readonly string[]) => Promise<number>;
}

interface Context {
  deps: OpsDeps;
  clients: AwsClients;
  region: string;
  json: boolean;
  print: (data: unknown, human: () => string) => void;
}

async function resolveService(
  ctx: Context,
  stackName: string,
): Promise<ServiceRef & { allowedIp?: string; ingress: IngressInfo }> {
  const stack = await getStack(ctx.clients.cfn, stackName, ctx.region, ctx.deps.deployment.project);
  return {
    allowedIp: stack.parameters[STACK_PARAMETERS.allowedIp],
    // Its IngressMode output; none (every public-ip stack) is public-ip.
    ingress: readIngress(stack.outputs),
    // Without outputs, the names the stack gives them: both are named after the stack.
    cluster: stack.outputs[STACK_OUTPUTS.clusterName] ?? stackName,
    service: stack.outputs[STACK_OUTPUTS.serviceName] ?? stackName,
  };
}

async function execute(
  command: Exclude<OpsCommand, { name: 'help' }>,
  ctx: Context,
): Promise<number> {
  const { common } = command;
  const { clients, deps } = ctx;
  // A destroy that must be refused is refused before AWS is touched.
  const confirmation =
    command.name === 'destroy'
      ? checkDestroyRequest(
          { stackName: common.stackName, ...command },
          deps.deployment.names.environment,
          deps.interactive,
        )
      : undefined;
  await refuseUndeployedEnvironment(ctx, command);
  switch (command.name) {
    case 'abort':
      return runAbortCommand(
        clients,
        {
          stackName: common.stackName,
          region: ctx.region,
          project: deps.deployment.project,
          timeoutMs: common.timeoutMs,
          json: ctx.json,
        },
        { out: deps.out, err: deps.err, clock: deps.clock, signal: deps.signal },
      );
    case 'scan':
      return runScan(
        {
          clients,
          region: ctx.region,
          project: deps.deployment.project,
          defaultRepositoryName: deps.deployment.names.repository,
          clock: deps.clock,
          signal: deps.signal,
          progress: deps.err,
          print: ctx.print,
          err: deps.err,
        },
        {
          ...command.scan,
          stackName: common.stackName,
          registryStackName: common.registryStackName,
          timeoutMs: common.timeoutMs,
        },
      );
    case 'status': {
      const { project } = deps.deployment;
      const ref = await resolveService(ctx, common.stackName);
      const monitoring = deps.deployment.names.monitoring;
      // An identity that may not read the alarms still gets the rest (report.readable false).
      const [status, report] = await Promise.all([
        getServiceStatus(clients, ref, { project }),
        readAlarmReport(clients.cloudwatch, monitoring, ctx.region),
      ]);
      const ingress = await readIngressReport(
        clients,
        ref.ingress,
        ref,
        status.tasks,
        ingressReportOptions(ctx, common.stackName),
      );
      const taskUrl = pickServiceUrl(status.tasks, deps.deployment.port)?.url;
      // dns and alb: users come by the name, so that is the URL shown and probed.
      const url = ingressUrl(ref.ingress, deps.deployment.port) ?? taskUrl;
      const reachability = url ? await checkReachability(deps, url, ref.allowedIp, project) : [];
      const alarms = {
        report,
        problems: report.readable
          ? findAlarmProblems(report.states, monitoring, ctx.region, project)
          : [],
        dashboardUrl: dashboardUrl(ctx.region, monitoring.dashboard),
        deployCommand: `npx nx run ${project}:deploy`,
      };
      // A dns record needs a task's public IP; behind a load balancer, its private IP serves.
      const own = findStatusProblems(status, ref.ingress.mode === 'alb' ? url : taskUrl, project);
      const ingressProblems = ingress.mode === 'public-ip' ? [] : ingress.findings;
      // --json: one list of what status reports, the alarms' findings (codes alarm-*) included.
      const problems = [...own, ...ingressProblems, ...alarms.problems];
      ctx.print(
        {
          region: ctx.region,
          url: url ?? null,
          problems,
          reachability,
          ...status,
          alarms: report,
          dashboardUrl: alarms.dashboardUrl,
          ...(ingress.mode === 'public-ip' ? {} : { ingress }),
        },
        () => formatStatus(status, url, ctx.region, reachability, own, alarms, ingress),
      );
      // 0: the desired count runs and the URL answers from here; 1: an ERROR line was printed
      // (tasks missing, a failed rollout, the URL not answering from an allowed IP, the
      // tasks-below-desired alarm in ALARM; other alarms in ALARM are WARN).
      const failed = [...problems, ...reachability].some((f) => f.severity === 'error');
      return failed ? EXIT_FAILED : EXIT_OK;
    }
    case 'url': {
      const ref = await resolveService(ctx, common.stackName);
      if (ref.ingress.mode === 'public-ip') {
        const taskUrl = await getServiceUrl(
          clients,
          ref,
          deps.deployment.port,
          deps.deployment.project,
        );
        ctx.print(taskUrl, () => taskUrl.url);
        return EXIT_OK;
      }
      const found = await getIngressUrl(
        clients,
        ref,
        ref.ingress,
        deps.deployment.port,
        deps.deployment.project,
      );
      if (found.mode !== 'dns') {
        ctx.print(found, () => found.url);
        return EXIT_OK;
      }
      // The name is stable; whether it leads to the tasks now is said on stderr, stdout stays
      // the URL alone for scripts.
      const tasks = await getServiceTasks(clients.ecs, clients.ec2, ref, 'RUNNING');
      const record = await readIngressReport(
        clients,
        ref.ingress,
        ref,
        tasks,
        ingressReportOptions(ctx, common.stackName),
      );
      if (record.mode === 'dns') deps.err(describeRecordState(record));
      ctx.print(
        { ...found, ...(record.mode === 'dns' && record.record ? { record: record.record } : {}) },
        () => found.url,
      );
      return EXIT_OK;
    }
    case 'outputs': {
      // Each stack's outputs that is there; the one missing is named on stderr, and only when
      // neither is there is it the caller's setup (exit 2).
      const names = [common.stackName, common.registryStackName];
      const stacks = await Promise.all(names.map((name) => findStack(clients.cfn, name)));
      if (stacks.every((found) => !found)) throw nothingDeployed(ctx, names);
      const outputs: Record<string, Record<string, string>> = {};
      names.forEach((name, i) => {
        const found = stacks[i];
        if (found) outputs[name] = found.outputs;
        else deps.err(`stack ${name} is not deployed in ${ctx.region}: its outputs are not shown`);
      });
      ctx.print(outputs, () => formatOutputs(outputs));
      return EXIT_OK;
    }
    case 'logs': {
      await getStack(clients.cfn, common.stackName, ctx.region, deps.deployment.project);
      const logGroupName = deps.deployment.names.logGroup;
      const { taskId } = command.logs;
      const query = {
        logGroupName,
        startTime: command.logs.startTime,
        filterPattern: command.logs.filter,
        logStreamNames: taskId ? [await findTaskStream(ctx, logGroupName, taskId)] : undefined,
      };
      const show = (lines: { timestamp: number; message: string; logStreamName: string }[]) =>
        lines.forEach((l) => deps.out(formatLogLine(l, !command.logs.taskId)));
      if (command.logs.follow) {
        await followLogs(clients.logs, {
          ...query,
          onLines: show,
          signal: deps.signal,
          clock: deps.clock,
        });
        return EXIT_OK;
      }
      const lines = await readLogs(clients.logs, query);
      if (ctx.json) ctx.print(lines, () => '');
      else if (lines.length === 0) {
        deps.err(
          formatNoLogLines({
            startTime: command.logs.startTime,
            now: deps.clock.now(),
            filter: command.logs.filter,
            taskId,
          }),
        );
      } else show(lines);
      return EXIT_OK;
    }
    case 'redeploy': {
      const ref = await resolveService(ctx, common.stackName);
      const deploymentId = await forceNewDeployment(clients.ecs, ref);
      deps.err(
        `started deployment ${deploymentId} of ${ref.service}; waiting up to ${Math.round(common.timeoutMs / 1000)} s`,
      );
      const result = await waitForDeployment(clients.ecs, {
        ...ref,
        deploymentId,
        timeoutMs: common.timeoutMs,
        clock: deps.clock,
        signal: deps.signal,
        onProgress: progressPrinter(deps.err),
      });
      if (result.outcome !== 'completed') {
        const timedOut = result.outcome === 'timed-out';
        // The wait ran out, however short --timeout was: the rollout is what to look at.
        const diagnosis = await diagnoseService(doctorDeps(ctx), {
          ...doctorOptions(ctx, common),
          ...(timedOut ? { stuckAfterMs: 0 } : {}),
        });
        const project = deps.deployment.project;
        ctx.print({ ...result, diagnosis }, () =>
          [
            timedOut
              ? `redeploy timed out: ${result.reason}`
              : `redeploy ${result.outcome}: ${result.reason}`,
            ...(timedOut ? [timedOutNextSteps(project)] : []),
            formatDiagnosis(diagnosis),
          ].join('\n'),
        );
        return EXIT_FAILED;
      }
      const found = await getIngressUrl(
        clients,
        ref,
        ref.ingress,
        deps.deployment.port,
        deps.deployment.project,
      );
      // The IP is new after every deployment: say whether it answers from here.
      const reachability = await checkReachability(
        deps,
        found.url,
        ref.allowedIp,
        deps.deployment.project,
      );
      ctx.print({ ...result, url: found.url, reachability }, () =>
        [
          `deployed ${deploymentId}: ${found.url}`,
          ...reachability.map((f) => `  WARN ${f.what}: ${f.fix}`),
        ].join('\n'),
      );
      return EXIT_OK;
    }
    case 'rollback':
      return rollbackCommand(command, ctx);
    case 'secrets':
      return runSecretsCommand(command.secrets, ctx);
    case 'exec': {
      const ref = await resolveService(ctx, common.stackName);
      return runExecCommand(command.exec, ref, {
        ...ctx,
        ...(common.profile ? { profile: common.profile } : {}),
      });
    }
    case 'envs': {
      const report = await listEnvironments(
        { clients, region: ctx.region, deployment: deps.deployment, now: deps.clock.now() },
        command.envs,
      );
      if (!ctx.json && report.environments.length === 0) {
        deps.out(
          `${report.service} has no deployed ${describeFilters(command.envs)} in ${ctx.region} (found by the stack tag ${STACK_TAGS.service}=${report.service}${skippedNote(report.skipped)}); pass --region if they live elsewhere`,
        );
        return EXIT_OK;
      }
      ctx.print(report, () => formatEnvironments(report));
      return EXIT_OK;
    }
    case 'doctor': {
      const diagnosis = await diagnoseService(doctorDeps(ctx), doctorOptions(ctx, common));
      ctx.print(diagnosis, () => formatDiagnosis(diagnosis));
      // 2 when nothing (or not all) is deployed where it looked, as every command's missing stack.
      if (diagnosis.findings.some(isSetupFinding)) return EXIT_USAGE;
      return diagnosis.findings.some((f) => f.severity === 'error') ? EXIT_FAILED : EXIT_OK;
    }
    case 'destroy': {
      if (command.deleteImages) await refuseWhileOthersDeployed(ctx);
      const [main, registry] = await Promise.all([
        findStack(clients.cfn, common.stackName),
        findStack(clients.cfn, common.registryStackName),
      ]);
      if (!main && !registry) {
        throw nothingDeployed(
          ctx,
          [common.stackName, common.registryStackName],
          'nothing to destroy',
        );
      }
      const repositoryName =
        registry?.outputs[REGISTRY_OUTPUTS.repositoryName] ?? deps.deployment.names.repository;
      // Read before the stack goes: its outputs are where the record's name and zone are.
      const dnsRecord = main ? dnsRecordOf(readIngress(main.outputs), common.stackName) : undefined;
      const record = dnsRecord
        ? ` and its dns record ${dnsRecord.domainName} (A and owner TXT) if this deployment owns it`
        : '';
      const what = command.deleteImages
        ? `stack ${common.stackName}${record}, every image in ${repositoryName} and stack ${common.registryStackName}`
        : `stack ${common.stackName}${record} (images in ${repositoryName} are kept)`;
      if (!main && !command.deleteImages) {
        // Only the registry is there, and it is kept: nothing to delete, nothing to ask.
        const kept = { stack: 'absent', imagesDeleted: 0, registry: 'kept' } as const;
        ctx.print(kept, () =>
          formatDestroy(kept, common.stackName, common.registryStackName, ctx.region),
        );
        return EXIT_OK;
      }
      if (
        !(await confirmDestroy(ctx, confirmation ?? { ask: 'yes-no' }, `${what} in ${ctx.region}`))
      ) {
        deps.err('nothing deleted');
        return EXIT_FAILED;
      }
      const result = await destroyDeployment(clients, {
        stackName: common.stackName,
        registryStackName: common.registryStackName,
        repositoryName,
        deleteImages: command.deleteImages,
        ...(dnsRecord ? { dnsRecord } : {}),
        timeoutMs: common.timeoutMs,
        clock: deps.clock,
        onProgress: (p) => formatDeleteProgress(p).forEach((l) => deps.err(l)),
      });
      ctx.print(result, () =>
        formatDestroy(result, common.stackName, common.registryStackName, ctx.region),
      );
      // The stack is gone but a record it owned still points at a released IP: left to do.
      return result.record?.outcome === 'failed' ? EXIT_FAILED : EXIT_OK;
    }
  }
}

/** A dns-mode stack's record, as the updater's OWNER names it (the deployment: its stack). */
function dnsRecordOf(ingress: IngressInfo, stackName: string) {
  return ingress.mode === 'dns' && ingress.domainName && ingress.hostedZoneId
    ? { domainName: ingress.domainName, hostedZoneId: ingress.hostedZoneId, owner: stackName }
    : undefined;
}

/**
 * What status, url and doctor need to check a dns or alb stack: the record's owner is the
 * deployment (its stack's name, which the updater gets as OWNER), the updater's names for fixes.
 */
function ingressReportOptions(ctx: Context, stackName: string) {
  const { names, port, project } = ctx.deps.deployment;
  return {
    region: ctx.region,
    port,
    owner: stackName,
    project,
    updater: { function: names.dnsUpdater.function, logGroup: names.dnsUpdater.logGroup },
  };
}

/** url's line on stderr in dns mode: whether the name leads to the running tasks now. */
function describeRecordState(report: Extract<IngressReport, { mode: 'dns' }>): string {
  const problem = report.findings[0];
  if (problem) return `${severityLabel(problem)} ${problem.what}: ${problem.fix}`;
  const check = report.record;
  if (!check) return `the dns record ${report.domainName ?? ''} was not checked`;
  return check.record.exists
    ? `the dns record ${check.domainName} holds the running tasks' IPs (${check.taskIps.join(', ')})`
    : `no task runs: the dns record ${check.domainName} is absent until one does`;
}

/** Asks as `confirmation` says: y/N, or the environment's name typed (production). */
async function confirmDestroy(
  ctx: Context,
  confirmation: DestroyConfirmation,
  what: string,
): Promise<boolean> {
  if (confirmation.ask === 'no') return true;
  if (confirmation.ask === 'yes-no') return ctx.deps.confirm(`Delete ${what}? [y/N] `);
  const { environment } = ctx.deps.deployment.names;
  const typed = await ctx.deps.ask(
    `Delete ${what}? This is the ${environment} environment: type its name (${environment}) to delete it: `,
  );
  return typed.trim() === environment;
}

/** `; not read (…): a, b` when DescribeStacks was denied on some candidates, else nothing. */
function skippedNote(skipped: readonly string[]): string {
  const note = describeSkipped(skipped);
  return note ? `; ${note}` : '';
}

/**
 * The registry's images serve every environment: deleting them while another environment is
 * deployed would leave it unable to start a task. One line listing them (exit 2).
 */
async function refuseWhileOthersDeployed(ctx: Context): Promise<void> {
  const { names, project } = ctx.deps.deployment;
  const listing = await listEnvironmentStacks(ctx.clients.cfn, names.service);
  const others = listing.environments.filter((e) => e.environment !== names.environment);
  if (others.length === 0 && listing.skipped.length === 0) return;
  if (others.length === 0) {
    // A stack this identity may not read may be an environment running those images.
    throw new UsageError(
      `--delete-images cannot tell whether stacks ${listing.skipped.join(', ')} run the images: your identity may not call cloudformation:DescribeStacks on them; use an identity that may, or leave out --delete-images`,
    );
  }
  throw new UsageError(
    `--delete-images would delete the images environments ${others.map((e) => e.environment).join(', ')} still run: destroy them first (\`npx nx run ${project}:destroy -- --env=NAME\`), or leave out --delete-images`,
  );
}

/**
 * A named environment whose service stack is not there is a mistake in the name far more often
 * than a deployment to make: every command but `envs` refuses it with the deployed ones (exit 2).
 * Only when the stack is the environment's own (no --stack), and only in a named environment: the
 * default environment's commands keep their own "not deployed" messages.
 */
async function refuseUndeployedEnvironment(
  ctx: Context,
  command: Exclude<OpsCommand, { name: 'help' }>,
): Promise<void> {
  const { names, project } = ctx.deps.deployment;
  // secrets come before an environment's first deploy: the deploy refuses one that is missing.
  if (command.name === 'envs' || command.name === 'secrets') return;
  if (isDefaultEnvironment(names.environment)) return;
  if (command.common.stackName !== names.deployment) return;
  if (await findStack(ctx.clients.cfn, command.common.stackName)) return;
  throw new UsageError(
    await undeployedEnvironmentMessage(ctx.clients, {
      service: names.service,
      environment: names.environment,
      region: ctx.region,
      project,
    }),
  );
}

/** Neither stack is in this region: the caller's setup (exit 2), naming the region. */
function nothingDeployed(ctx: Context, stackNames: string[], what = 'nothing found'): OpsError {
  return new OpsError(
    'stack-not-found',
    `${what} in ${ctx.region}: neither stack ${stackNames.join(' nor ')} is deployed there; pass --region if they live elsewhere, or run \`npx nx run ${ctx.deps.deployment.project}:deploy\``,
  );
}

/**
 * The log stream of the task whose id is or starts with `taskId` (the 8 characters `logs`
 * prints): none, or several, is a mistake in the id (exit 2) naming where to find the ids.
 */
async function findTaskStream(ctx: Context, logGroupName: string, taskId: string): Promise<string> {
  const { project, names } = ctx.deps.deployment;
  const streams = await findTaskLogStreams(ctx.clients.logs, logGroupName, taskId, names.service);
  if (streams.length === 0) {
    throw new UsageError(
      `no log stream for task ${taskId} in ${logGroupName}: see the task ids with \`npx nx run ${project}:status\``,
    );
  }
  if (streams.length > 1) {
    const ids = streams.map((s) => s.slice(s.lastIndexOf('/') + 1));
    throw new UsageError(
      `task id ${taskId} matches ${ids.length} tasks (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}): give more of its id`,
    );
  }
  return streams[0];
}

/** A redeploy that ran out of time: the rollout goes on, so say how to follow it or wait longer. */
function timedOutNextSteps(project: string): string {
  const target = (name: string) => `\`npx nx run ${project}:${name}\``;
  return (
    `the rollout goes on: watch it with ${target('status')} and ${target('logs -- --follow')}, ` +
    `or stop it with ${target('abort')}; ` +
    `next time, wait longer with ${target('redeploy -- --timeout=30m')}`
  );
}

function doctorDeps(ctx: Context) {
  return doctorDepsOf(ctx.clients, ctx.deps);
}

function doctorOptions(ctx: Context, common: { stackName: string; registryStackName: string }) {
  return {
    region: ctx.region,
    stackName: common.stackName,
    registryStackName: common.registryStackName,
    logGroupName: ctx.deps.deployment.names.logGroup,
    port: ctx.deps.deployment.port,
    service: ctx.deps.deployment.names.service,
    project: ctx.deps.deployment.project,
    alarms: ctx.deps.deployment.names.monitoring,
    owner: common.stackName,
    dnsUpdater: {
      function: ctx.deps.deployment.names.dnsUpdater.function,
      logGroup: ctx.deps.deployment.names.dnsUpdater.logGroup,
    },
  };
}

/**
 * The operations CLI: parse, wire clients, run one command, and turn every failure into one line
 * on stderr and an exit code (0 ok, 1 failed, 2 usage or environment). Never a stack trace.
 * status and doctor exit 1 when what they print holds an ERROR (status: fewer tasks running than
 * desired, a failed rollout, the URL not answering from an allowed IP, the tasks-below-desired
 * alarm in ALARM), and 2 for setup: no stack, credentials, region, endpoint.
 */
export async function runOps(argv: string[], deps: OpsDeps): Promise<number> {
  // Errors start with the nx target as typed (infra:status, greeter-infra:status), as every
  // script's do (CONTRIBUTING).
  const { project } = deps.deployment;
  const target = cliName(opsCli(project), argv);
  // Until the arguments are read, errors can only name the region the SDK would fall back to.
  const fallbackRegion = clientConfig({}, deps.env).region;
  let context: ProblemContext = {
    region: fallbackRegion,
    project,
    endpoint: describeEndpoint(fallbackRegion, deps.env),
  };
  try {
    const command = parseOpsArgs(
      argv,
      deps.clock.now(),
      deps.env,
      deps.deployment.names,
      deps.deployment.project,
    );
    if (command.name === 'help') {
      if (command.missing) {
        deps.err(command.text);
        return EXIT_USAGE;
      }
      deps.out(command.text);
      return EXIT_OK;
    }
    const { region, profile, stackName, json } = command.common;
    context = {
      region,
      stackName,
      project,
      endpoint: describeEndpoint(region, deps.env),
      ...(profile ? { profile } : {}),
    };
    const ctx: Context = {
      deps,
      clients: deps.createClients({ region, ...(profile ? { profile } : {}) }),
      region,
      json,
      print: (data, human) => deps.out(json ? JSON.stringify(data, null, 2) : human()),
    };
    return await execute(command, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      deps.err(`${target}: ${error.message}`);
      return EXIT_USAGE;
    }
    if (isAbortError(error)) {
      deps.err(
        `stopped waiting (Ctrl-C); whatever AWS was doing goes on: see \`npx nx run ${project}:status\``,
      );
      return EXIT_FAILED;
    }
    const problem = explainError(error, context);
    deps.err(`${target}: ${problem.message}`);
    return isSetupProblem(problem) ? EXIT_USAGE : EXIT_FAILED;
  }
}
