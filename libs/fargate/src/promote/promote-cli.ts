import {
  type AwsClients,
  type AwsTarget,
  type CallerIpLookup,
  type Clock,
  type FetchText,
  type UrlProbe,
  describeEndpoint,
  findStack,
} from '@hello-world/aws-ops';
import { EXIT_OK, EXIT_USAGE, firstLine } from '@hello-world/cli';
import { deploymentNames, type CpuArchitecture, type IngressMode } from '@hello-world/shared';
import type { Deployment } from '../deployment';
import {
  checkIngressBeforeUpdate,
  ingressFieldsOf,
  type DeployTarget,
  type IngressCheckIo,
} from '../deploy/deploy-cli';
import {
  readTemplateIngress,
  type CfnTemplate,
  type DeployIngress,
} from '../deploy/ingress-preflight';
import { findCredentialsProblem, findEndpointProblem } from '../deploy/preflight';
import { checkTaskSecrets, type TaskSecret } from '../deploy/secrets-preflight';
import { formatPhases } from '../deploy/receipt';
import { formatDiagnosis } from '../ops/format';
import { parsePromoteArgs, promoteUsage } from './promote-args';
import { formatPromoteReceipt } from './promote-receipt';
import { promoteExitCode, runPromote } from './promote';

/** The target's cloud assembly, as `cdk deploy` is given it. */
export interface TargetAssembly {
  assemblyDir: string;
  region: string;
  /** Its task definition's CPU architecture, which the image must be built for. */
  taskArchitecture: CpuArchitecture;
  /** Its task definition's secrets, which must exist before its stack is updated. */
  secrets: TaskSecret[];
  /**
   * Its service stack's template (src/deploy/assembly.ts): its outputs say the ingress mode,
   * domain and hosted zone, checked as the deploy checks them. Left out: public-ip, nothing checked.
   */
  serviceTemplate?: { template: CfnTemplate; templatePath: string };
}

/** What bin/promote.ts wires in: the CDK CLI, the SDK clients, the terminal. */
export interface PromoteCliDeps extends Pick<IngressCheckIo, 'interactive' | 'confirm'> {
  /** The working directory's deployment project: its project, service and port. */
  deployment: Pick<Deployment, 'project' | 'names' | 'port'>;
  env: Record<string, string | undefined>;
  /**
   * Synthesizes `environment`'s templates (DEPLOY_ENV=environment, its own settings) and reads
   * its assembly; rejects with one line (a ConfigError for an assembly that cannot be read).
   */
  synthesize: (
    environment: string,
    serviceStackName: string,
    signal?: AbortSignal,
  ) => Promise<TargetAssembly>;
  createClients: (target: AwsTarget) => AwsClients;
  resolveCredentials: (clients: AwsClients) => Promise<unknown>;
  /** `cdk deploy` of the target's service stack from its assembly, with ImageTag=imageTag. */
  deployStack: (
    target: DeployTarget,
    stack: { assemblyDir: string; serviceStackName: string; imageTag?: string; allowedIp?: string },
    options?: { signal?: AbortSignal },
  ) => Promise<void>;
  fetchText: FetchText;
  /** The checkout whose templates are deployed. */
  gitSha: () => Promise<string>;
  callerIp: CallerIpLookup;
  probe: UrlProbe;
  clock: Clock;
  signal?: AbortSignal;
  out: (text: string) => void;
  /** Progress and errors. */
  err: (text: string) => void;
}

/**
 * `<project>:promote --from=S --to=T`: the options, T's templates (synth), credentials, then
 * runPromote; prints the receipt (stdout) or the failure with its diagnosis (stderr). Exit 0
 * promoted, 1 the deploy, rollout or digest check failed, 2 usage, setup or a source that runs
 * nothing promotable.
 */
export async function runPromoteCli(argv: string[], deps: PromoteCliDeps): Promise<number> {
  const { project, names, port } = deps.deployment;
  const label = `${project}:promote`;
  const fail = (message: string, code: number) => {
    deps.err(`${label}: ${firstLine(message)}`);
    return code;
  };
  let options;
  try {
    const parsed = parsePromoteArgs(argv, deps.env, names.service);
    if (parsed.help) {
      deps.out(promoteUsage(project));
      return EXIT_OK;
    }
    options = parsed;
  } catch (error) {
    return fail(firstLine(error), EXIT_USAGE);
  }
  const from = deploymentNames(names.service, options.from);
  const to = deploymentNames(names.service, options.to);

  const startedAt = deps.clock.now();
  deps.err('==> synth');
  let assembly: TargetAssembly;
  try {
    assembly = await deps.synthesize(options.to, to.deployment, deps.signal);
  } catch (error) {
    return fail(`synthesizing ${options.to}: ${firstLine(error)}`, EXIT_USAGE);
  }
  const synthMs = deps.clock.now() - startedAt;
  // The target's ingress as synthesized, read before any AWS call as the deploy reads it.
  let ingress: DeployIngress = { mode: 'public-ip' };
  try {
    if (assembly.serviceTemplate) {
      const { template, templatePath } = assembly.serviceTemplate;
      ingress = readTemplateIngress(template, templatePath);
    }
  } catch (error) {
    return fail(firstLine(error), EXIT_USAGE);
  }
  if (options.region && options.region !== assembly.region) {
    return fail(
      `--region ${options.region}, but the templates were synthesized for ${assembly.region}: synth reads AWS_REGION, so run with AWS_REGION=${options.region} instead`,
      EXIT_USAGE,
    );
  }
  const target: DeployTarget = {
    region: assembly.region,
    ...(options.profile ? { profile: options.profile } : {}),
  };
  const clients = deps.createClients(target);
  const problem = await findCredentialsProblem(() => deps.resolveCredentials(clients), {
    ...target,
    project,
  });
  if (problem) return fail(problem.message, EXIT_USAGE);
  const unreachable = await findEndpointProblem(() => findStack(clients.cfn, from.deployment), {
    ...target,
    project,
    endpoint: describeEndpoint(target.region, deps.env),
  });
  if (unreachable) return fail(unreachable.message, EXIT_USAGE);
  if (assembly.secrets.length > 0) {
    // The target's secrets, as the deploy checks them: a missing one fails here, not the rollout.
    const secrets = await checkTaskSecrets(clients, assembly.secrets, {
      project,
      environment: options.to,
      secretsPath: to.secretsPath,
      region: target.region,
    });
    if (!secrets.ok) return fail(secrets.message, secrets.exitCode);
    for (const warning of secrets.warnings) deps.err(`${label}: WARNING: ${warning}`);
  }
  // The target's zone, name and records, then a switch of its mode asked or refused: the deploy's
  // own checks, before its service stack is updated.
  let previousIngress: IngressMode | undefined;
  if (assembly.serviceTemplate) {
    const checked = await checkIngressBeforeUpdate(
      {
        err: deps.err,
        ...(deps.interactive ? { interactive: true } : {}),
        ...(deps.confirm ? { confirm: deps.confirm } : {}),
      },
      clients,
      {
        label,
        project,
        stackName: to.deployment,
        region: target.region,
        ingress,
        template: assembly.serviceTemplate.template,
        registryStep: false,
        switchIngress: options.switchIngress,
      },
    );
    if ('exitCode' in checked) return checked.exitCode;
    previousIngress = checked.live?.mode;
  }

  const outcome = await runPromote(
    {
      region: target.region,
      project,
      service: names.service,
      port,
      from: { environment: options.from, stackName: from.deployment },
      to: { environment: options.to, stackName: to.deployment },
      registryStackName: to.registryStack,
      timeoutMs: options.timeoutMs,
      ...(options.noRollback ? { noRollback: true } : {}),
      ...(options.releaseTag ? { releaseTag: options.releaseTag } : {}),
      taskArchitecture: assembly.taskArchitecture,
      scanGate: { maxSeverity: options.maxSeverity, allowVulnerable: options.allowVulnerable },
      ...ingressFieldsOf(ingress, previousIngress, to.dnsUpdater),
      prior: {
        startedAt,
        phases: [{ phase: 'synth', ms: synthMs, result: 'done', note: options.to }],
      },
    },
    {
      clients,
      deployStack: (_role, parameters, stackOptions) =>
        deps.deployStack(
          target,
          { assemblyDir: assembly.assemblyDir, serviceStackName: to.deployment, ...parameters },
          stackOptions,
        ),
      fetchText: deps.fetchText,
      gitSha: deps.gitSha,
      callerIp: deps.callerIp,
      probe: deps.probe,
      clock: deps.clock,
      progress: deps.err,
      ...(deps.signal ? { signal: deps.signal } : {}),
    },
  );
  if (options.json) {
    deps.out(JSON.stringify(outcome.ok ? outcome.receipt : outcome, null, 2));
  }
  if (outcome.ok) {
    if (!options.json) deps.out(formatPromoteReceipt(outcome.receipt));
    return EXIT_OK;
  }
  if (outcome.diagnosis) deps.err(formatDiagnosis(outcome.diagnosis));
  if (outcome.phases.length > 2) deps.err(`phases: ${formatPhases(outcome.phases)}`);
  // A refusal about the source changed nothing: its line says it all.
  deps.err(
    outcome.phase === 'source'
      ? `${label}: ${outcome.problem.message}`
      : `${label}: ${outcome.phase} failed: ${outcome.problem.message}`,
  );
  return promoteExitCode(outcome);
}
