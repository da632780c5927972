import {
  type AwsClients,
  type AwsTarget,
  type FetchText,
  describeEndpoint,
  explainError,
  findStack,
  isSetupProblem,
} from '@hello-world/aws-ops';
import {
  DEFAULT_CPU_ARCHITECTURE,
  type CpuArchitecture,
  type DeploymentNames,
  type IngressMode,
} from '@hello-world/shared';
import { ConfigError } from '../config';
import type { Deployment } from '../deployment';
import { runAbortCommand } from '../ops/abort';
import { formatDiagnosis } from '../ops/format';
import { deployUsage, parseDeployArgs, type DeployOptions } from './deploy-args';
import {
  runDeploy,
  type DeployDeps,
  type DeployOutcome,
  type DeployRequest,
  type StackParameters,
} from './orchestrate';
import {
  checkIngress,
  readLiveIngress,
  readTemplateIngress,
  type CfnTemplate,
  type DeployIngress,
  type LiveIngress,
} from './ingress-preflight';
import { decideIngressSwitch, findSwitchChanges, formatIngressSwitch } from './ingress-switch';
import { findCredentialsProblem, findEndpointProblem } from './preflight';
import { checkTaskSecrets, type TaskSecret } from './secrets-preflight';
import { checkPushReportIsCurrent, type PushReport, type RegistryReport } from './push-report';
import { formatPhases, formatReceipt } from './receipt';

/** 0 deployed; 1 the deploy or rollout failed; 2 credentials, permissions or network. */
export function exitCodeOf(outcome: DeployOutcome): number {
  if (outcome.ok) return 0;
  // A stack or service missing once the deploy has run is the deploy's failure, not setup.
  // The registry phase deploys nothing before it reads (--service-only), or only the registry
  // stack, which cannot then be missing: a stack missing there is setup.
  const { kind } = outcome.problem;
  const missingAfterDeploy =
    (kind === 'stack-not-found' || kind === 'service-not-found') && outcome.phase !== 'registry';
  return isSetupProblem(outcome.problem) && !missingAfterDeploy ? 2 : 1;
}

export interface DeployOutput {
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs the deploy and prints the receipt (stdout) or the failure with its diagnosis (stderr). */
export async function deployAndReport(
  request: DeployRequest,
  deps: DeployDeps,
  output: DeployOutput,
): Promise<number> {
  const outcome = await runDeploy(request, deps);
  if (output.json) output.out(JSON.stringify(outcome.ok ? outcome.receipt : outcome, null, 2));
  if (outcome.ok) {
    if (!output.json) output.out(formatReceipt(outcome.receipt));
    return 0;
  }
  if (outcome.diagnosis) output.err(formatDiagnosis(outcome.diagnosis));
  // After the first step the timings say how far it got; before, the failure line says it all.
  if (outcome.phases.length > 1) output.err(`phases: ${formatPhases(outcome.phases)}`);
  output.err(`${request.project}:deploy: ${outcome.phase} failed: ${outcome.problem.message}`);
  return exitCodeOf(outcome);
}

/** Where the CDK CLI, docker-push and the SDK clients point: the assembly's region, the profile. */
export type DeployTarget = { region: string; profile?: string };

/** A stack of the deployment to `cdk deploy`: its role and its name (deploymentNames'). */
export interface StackToDeploy {
  role: 'registry' | 'service';
  name: string;
}

/** What bin/deploy.ts wires in: the real assembly, CDK CLI, the chain's reports, SDK and terminal. */
export interface DeployCliDeps extends Omit<
  DeployDeps,
  'clients' | 'deployStack' | 'pushReport' | 'registryReport' | 'progress'
> {
  /**
   * The deployment the working directory holds (src/deployment.ts): its stacks are deployed, its
   * port is in the URL, and every line names its project's targets (`greeter-infra:deploy`) and
   * its service's (`greeter:docker-push`).
   */
  deployment: Pick<Deployment, 'project' | 'names' | 'port'>;
  env: Record<string, string | undefined>;
  /** The region the stacks were synthesized for; throws ConfigError (src/deploy/assembly.ts). */
  readAssemblyRegion: () => string;
  /** The synthesized task definition's CPU architecture, which the image must be built for. */
  readTaskArchitecture: () => CpuArchitecture;
  /** The synthesized task definition's secrets, which must exist before any stack update. */
  readTaskSecrets: () => TaskSecret[];
  /**
   * The synthesized service stack's template (src/deploy/assembly.ts): its outputs say the
   * ingress mode, domain and hosted zone, checked before any stack update; a mode switch lists
   * its changes against the live template. Left out: public-ip, nothing checked.
   */
  readServiceTemplate?: () => { template: CfnTemplate; templatePath: string };
  /** A person is at the terminal (stdin is a TTY): a mode switch is asked, not refused. */
  interactive?: boolean;
  /** Asks a y/N question on the terminal; true for yes. */
  confirm?: (question: string) => Promise<boolean>;
  /** Reads the image's config blob (its platform) from ECR's presigned URL: fetch. */
  fetchText: FetchText;
  createClients: (target: AwsTarget) => AwsClients;
  /** Resolves credentials through the clients' own provider chain (src/deploy/preflight.ts). */
  resolveCredentials: (clients: AwsClients) => Promise<unknown>;
  /** `cdk deploy`; aborting `options.signal` ends the CLI (the deploy's --timeout). */
  deployStack: (
    target: DeployTarget,
    stack: StackToDeploy,
    parameters: StackParameters,
    options?: { signal?: AbortSignal },
  ) => Promise<void>;
  /**
   * The chain's reports (src/deploy/push-report.ts). docker-push's: undefined when there is none;
   * `path` names it in messages. The registry report is read once: deploy consumes it.
   */
  pushReportFile: { path: string; read: () => PushReport | undefined };
  /** The sha tag of the current build (docker-push --print-tag), to refuse a stale push report. */
  currentImageTag: (push: { allowDirty: boolean }) => Promise<string>;
  takeRegistryReport: () => RegistryReport | undefined;
  writeRegistryReport: (report: RegistryReport) => void;
  out: (text: string) => void;
  /** Progress and errors. */
  err: (text: string) => void;
}

/**
 * `<project>:deploy` and `<project>:deploy-registry`, two tasks of one Nx chain (deploy-registry →
 * `<service>:docker-push` → deploy) that all get the command line: read the flags and the assembly, check the
 * credentials, then `cdk deploy` the registry stack (deploy-registry, which writes its timing for
 * the receipt) or, for deploy, take docker-push's report of this build and go from the service
 * stack to a URL (`--service-only`: a tag already in ECR, no report needed). Every failure before
 * CDK starts is one line and exit 2; a failed deploy is exit 1.
 */
export async function runDeployCli(argv: string[], deps: DeployCliDeps): Promise<number> {
  const { project, names, port } = deps.deployment;
  const service = names.service;
  const label = `${project}:${argv.includes('--registry-only') ? 'deploy-registry' : 'deploy'}`;
  const fail = (message: string, code: number) => {
    deps.err(`${label}: ${message.split('\n')[0]}`);
    return code;
  };
  let target: DeployTarget;
  let options: DeployOptions;
  let taskArchitecture: CpuArchitecture | undefined;
  let taskSecrets: TaskSecret[] = [];
  let synthesized: { template: CfnTemplate; templatePath: string } | undefined;
  let ingress: DeployIngress = { mode: 'public-ip' };
  let previousIngress: IngressMode | undefined;
  try {
    options = parseDeployArgs(argv, deps.env);
    if (options.help) {
      deps.out(deployUsage(project, service));
      return 0;
    }
    const imageRegistry = deps.env['IMAGE_REGISTRY'];
    // The registry stack exists for docker-push to push to; pushing elsewhere needs none.
    if (imageRegistry && options.registryOnly) {
      deps.err(`${label}: skipped, images go to IMAGE_REGISTRY=${imageRegistry}`);
      return 0;
    }
    // docker-push would push elsewhere; say so before anything is deployed, not halfway.
    if (imageRegistry && !options.imageTag && !options.abort) {
      throw new ConfigError(
        `IMAGE_REGISTRY is set, but the service pulls from the registry stack's ECR repository: unset it for ${project}:deploy`,
      );
    }
    if (options.registryOnly && options.registrySkip) {
      // Handed along the chain by docker-push or deploy: nothing for the registry stack to do.
      deps.err(`${label}: skipped, ${options.registrySkip}`);
      return 0;
    }
    if (options.printTag && !options.registryOnly && !options.abort) {
      throw new ConfigError(
        `--print-tag is ${service}:docker-push's: npx nx run ${service}:docker-push -- --print-tag`,
      );
    }
    const region = deps.readAssemblyRegion();
    if (options.region && options.region !== region) {
      throw new ConfigError(
        `--region ${options.region}, but the stacks were synthesized for ${region}: synth reads AWS_REGION, so run with AWS_REGION=${options.region} instead`,
      );
    }
    target = { region, ...(options.profile ? { profile: options.profile } : {}) };
    // Only the service stack's deploy checks its image; read here, so a bad assembly is exit 2.
    if (!options.registryOnly && !options.abort) taskArchitecture = deps.readTaskArchitecture();
    // Both stack updates of the chain check them first: deploy-registry's is the first update.
    if (!options.abort) taskSecrets = deps.readTaskSecrets();
    // The stack's ingress as synthesized (its outputs), as the secrets are read: the assembly is
    // what is deployed, whatever the shell's settings are now.
    if (!options.abort && deps.readServiceTemplate) {
      synthesized = deps.readServiceTemplate();
      ingress = readTemplateIngress(synthesized.template, synthesized.templatePath);
    }
  } catch (error) {
    return fail((error as Error).message, 2);
  }
  // The image the deploy rolls out is the one docker-push reported, and only if it is this
  // build's: checked before any AWS call, so a stale report costs nothing.
  let pushReport: PushReport | undefined;
  if (!options.registryOnly && !options.imageTag && !options.abort) {
    try {
      const { path } = deps.pushReportFile;
      pushReport = deps.pushReportFile.read();
      if (!pushReport) {
        throw new ConfigError(
          `no image report at ${path}: ${service}:docker-push has not run; run \`npx nx run ${project}:deploy\` without --exclude-task-dependencies, or deploy a pushed tag with --image-tag=TAG`,
        );
      }
      checkPushReportIsCurrent(
        pushReport,
        await deps.currentImageTag({ allowDirty: options.allowDirty }),
        path,
        { project, service },
      );
    } catch (error) {
      return fail((error as Error).message, 2);
    }
  }
  const clients = deps.createClients(target);
  const problem = await findCredentialsProblem(() => deps.resolveCredentials(clients), {
    ...target,
    project,
  });
  if (problem) return fail(problem.message, 2);
  // Where the SDK and CDK send requests must answer before CDK starts (AWS_ENDPOINT_URL…).
  const unreachable = await findEndpointProblem(() => findStack(clients.cfn, names.registryStack), {
    ...target,
    project,
    endpoint: describeEndpoint(target.region, deps.env),
  });
  if (unreachable) return fail(unreachable.message, 2);

  if (!options.abort && taskSecrets.length > 0) {
    // A missing secret would only fail the rollout minutes later (ECS starts no task): refused
    // here, before any stack changes.
    const secrets = await checkTaskSecrets(clients, taskSecrets, {
      project,
      environment: names.environment,
      secretsPath: names.secretsPath,
      region: target.region,
    });
    if (!secrets.ok) return fail(secrets.message, secrets.exitCode);
    for (const warning of secrets.warnings) deps.err(`${label}: WARNING: ${warning}`);
    deps.err(`${label}: the task's secrets exist: ${taskSecrets.map((s) => s.name).join(', ')}`);
  }

  if (synthesized) {
    // The zone, the domain and the name's records, then a mode switch asked or refused: all
    // before the first stack update of the chain, as the secrets are.
    const checked = await checkIngressBeforeUpdate(deps, clients, {
      label,
      project,
      stackName: names.deployment,
      region: target.region,
      ingress,
      template: synthesized.template,
      registryStep: options.registryOnly,
      switchIngress: options.switchIngress ?? false,
    });
    if ('exitCode' in checked) return checked.exitCode;
    previousIngress = checked.live?.mode;
  }

  if (options.abort) {
    try {
      return await runAbortCommand(
        clients,
        {
          stackName: names.deployment,
          region: target.region,
          project,
          timeoutMs: options.timeoutMs,
          json: options.json,
        },
        {
          out: deps.out,
          err: deps.err,
          clock: deps.clock,
          ...(deps.signal ? { signal: deps.signal } : {}),
        },
      );
    } catch (error) {
      const failure = explainError(error, {
        ...target,
        project,
        stackName: names.deployment,
      });
      return fail(failure.message, isSetupProblem(failure) ? 2 : 1);
    }
  }

  if (options.registryOnly) {
    for (const flag of options.leftToService) {
      deps.err(
        `${label}: ${flag} is for the service stack (${project}:deploy); the registry stack takes none`,
      );
    }
    try {
      const t0 = deps.clock.now();
      await deps.deployStack(target, { role: 'registry', name: names.registryStack }, {});
      // Another environment's task roles are in their own administrator's stack.
      if (names.rolesStack !== names.registryStack) {
        await deps.deployStack(target, { role: 'registry', name: names.rolesStack }, {});
      }
      const t1 = deps.clock.now();
      // For <project>:deploy's receipt: the registry phase is this task's.
      deps.writeRegistryReport({
        stack: names.registryStack,
        region: target.region,
        startedAt: new Date(t0).toISOString(),
        finishedAt: new Date(t1).toISOString(),
        durationMs: t1 - t0,
      });
      return 0;
    } catch (error) {
      return fail((error as Error).message, 1);
    }
  }
  // This run's registry step, if it ran for this stack and region; read once.
  const taken = options.serviceOnly ? undefined : deps.takeRegistryReport();
  const registryReport =
    taken && taken.stack === names.registryStack && taken.region === target.region
      ? taken
      : undefined;
  return deployAndReport(
    {
      region: target.region,
      project,
      service,
      port,
      registryStackName: names.registryStack,
      serviceStackName: names.deployment,
      ...(options.imageTag ? { imageTag: options.imageTag } : {}),
      ...(options.allowedIp ? { allowedIp: options.allowedIp } : {}),
      ...(options.alertEmail !== undefined ? { alertEmail: options.alertEmail } : {}),
      ...(options.serviceOnly ? { serviceOnly: true } : {}),
      timeoutMs: options.timeoutMs,
      ...(options.noRollback ? { noRollback: true } : {}),
      taskArchitecture: taskArchitecture ?? DEFAULT_CPU_ARCHITECTURE,
      scanGate: { maxSeverity: options.maxSeverity, allowVulnerable: options.allowVulnerable },
      ...ingressFieldsOf(ingress, previousIngress, names.dnsUpdater),
    },
    {
      clients,
      deployStack: (role, parameters, stackOptions) =>
        deps.deployStack(target, { role, name: names.deployment }, parameters, stackOptions),
      registryReport: async () => registryReport,
      pushReport: async () => {
        if (!pushReport) throw new Error('no image report');
        return pushReport;
      },
      fetchText: deps.fetchText,
      gitSha: deps.gitSha,
      callerIp: deps.callerIp,
      probe: deps.probe,
      clock: deps.clock,
      progress: deps.err,
      ...(deps.signal ? { signal: deps.signal } : {}),
    },
    { json: options.json, out: deps.out, err: deps.err },
  );
}

/**
 * The deploy request's ingress (public-ip: none, as before the setting), the updater it runs in
 * dns mode, and the live mode it switches from: what deploy and promote pass to runDeploy.
 */
export function ingressFieldsOf(
  ingress: DeployIngress,
  previousIngress: IngressMode | undefined,
  dnsUpdater: Pick<DeploymentNames['dnsUpdater'], 'function'>,
): Pick<DeployRequest, 'ingress' | 'dnsUpdaterFunction' | 'previousIngress'> {
  if (ingress.mode === 'public-ip') return {};
  return {
    ingress,
    ...(ingress.mode === 'dns' ? { dnsUpdaterFunction: dnsUpdater.function } : {}),
    ...(previousIngress ? { previousIngress } : {}),
  };
}

/** Where the ingress checks write, and how a mode switch is asked. */
export interface IngressCheckIo {
  /** A person is at the terminal (stdin is a TTY): a mode switch is asked, not refused. */
  interactive?: boolean;
  /** Asks a y/N question on the terminal; true for yes. */
  confirm?: (question: string) => Promise<boolean>;
  err: (text: string) => void;
}

export interface IngressCheckRequest {
  /** The target the lines start with (`infra:deploy`, `infra:promote`). */
  label: string;
  project: string;
  /** The service stack about to be updated (its deployment name: the record's owner). */
  stackName: string;
  region: string;
  /** The synthesized stack's ingress and template. */
  ingress: DeployIngress;
  template: CfnTemplate;
  /** The chain's registry step: refuses early, but leaves the question to the service step. */
  registryStep: boolean;
  switchIngress: boolean;
}

/**
 * Before a stack update of a dns or alb deployment: the hosted zone, the domain and the records at
 * it (src/deploy/ingress-preflight.ts); then, in every mode, a switch of the live stack's mode is
 * shown and asked in a terminal, refused without one unless --switch-ingress. The registry step
 * (the chain's first update) refuses early; the question waits for the service stack's step,
 * whose update it is about. Returns the exit code of a refusal, or the live stack's ingress.
 * deploy and promote both run it before their service stack's update.
 */
export async function checkIngressBeforeUpdate(
  io: IngressCheckIo,
  clients: Pick<AwsClients, 'cfn' | 'route53'>,
  request: IngressCheckRequest,
): Promise<{ exitCode: number } | { live?: LiveIngress }> {
  const { label, region, ingress, project, stackName } = request;
  const fail = (message: string, exitCode: number) => {
    io.err(`${label}: ${message.split('\n')[0]}`);
    return { exitCode };
  };
  let live: LiveIngress | undefined;
  try {
    const stack = await findStack(clients.cfn, stackName);
    live = stack ? readLiveIngress(stack.outputs, stackName) : undefined;
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, 2);
    const problem = explainError(error, { region, project, stackName });
    return fail(problem.message, isSetupProblem(problem) ? 2 : 1);
  }
  const checked = await checkIngress(clients.route53, ingress, live, {
    project,
    owner: stackName,
    region,
  });
  if (checked && !checked.ok) return fail(checked.message, checked.exitCode);
  if (checked?.ok && ingress.mode !== 'public-ip') {
    io.err(
      `${label}: ${ingress.domainName} is in hosted zone ${ingress.hostedZoneId} (${checked.zoneName}) and holds no other deployment's record`,
    );
  }
  const decision = decideIngressSwitch(live?.mode, ingress.mode, {
    stackName,
    interactive: io.interactive ?? false,
    switchIngress: request.switchIngress,
  });
  if (decision.action === 'refuse') return fail(decision.message, 2);
  if (decision.action === 'proceed' || request.registryStep || !live) return { live };
  const changes = await findSwitchChanges(clients.cfn, stackName, request.template, region);
  const [head, ...lines] = formatIngressSwitch(live.mode, ingress.mode, stackName, changes);
  io.err(`${label}: ${head}`);
  for (const line of lines) io.err(line);
  if (decision.action === 'confirmed') {
    io.err(`${label}: --switch-ingress: switching ${stackName} to ${ingress.mode}`);
    return { live };
  }
  const yes = io.confirm
    ? await io.confirm(`Switch ${stackName} from ${live.mode} to ${ingress.mode}? [y/N] `)
    : false;
  if (yes) return { live };
  io.err(`${label}: nothing deployed: ${stackName} keeps ingress ${live.mode}`);
  return { exitCode: 1 };
}
