import { type AwsClients, type AwsTarget, isSetupProblem } from '@hello-world/aws-ops';
import { DEPLOYMENT_NAME, REGISTRY_STACK_NAME } from '@hello-world/shared';
import { ConfigError } from '../config';
import { formatDiagnosis } from '../ops/format';
import { DEPLOY_USAGE, parseDeployArgs, type DeployOptions } from './deploy-args';
import { runDeploy, type DeployDeps, type DeployOutcome, type DeployRequest } from './orchestrate';
import { findCredentialsProblem } from './preflight';
import type { PushReport } from './push-report';
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
  output.err(`infra:deploy: ${outcome.phase} failed: ${outcome.problem.message}`);
  return exitCodeOf(outcome);
}

/** Where the CDK CLI, docker-push and the SDK clients point: the assembly's region, the profile. */
export type DeployTarget = { region: string; profile?: string };

/** What bin/deploy.ts wires in: the real assembly, CDK CLI, docker-push, SDK and terminal. */
export interface DeployCliDeps extends Omit<
  DeployDeps,
  'clients' | 'deployStack' | 'pushImage' | 'progress'
> {
  env: Record<string, string | undefined>;
  /** The region the stacks were synthesized for; throws ConfigError (src/deploy/assembly.ts). */
  readAssemblyRegion: () => string;
  createClients: (target: AwsTarget) => AwsClients;
  /** Resolves credentials through the clients' own provider chain (src/deploy/preflight.ts). */
  resolveCredentials: (clients: AwsClients) => Promise<unknown>;
  deployStack: (
    target: DeployTarget,
    stack: 'registry' | 'service',
    parameters: { imageTag?: string; allowedIp?: string },
  ) => Promise<void>;
  pushImage: (target: DeployTarget, push: { allowDirty: boolean }) => Promise<PushReport>;
  out: (text: string) => void;
  /** Progress and errors. */
  err: (text: string) => void;
}

/**
 * `infra:deploy` and `infra:deploy-registry`: read the flags and the assembly, check the
 * credentials, then run `cdk deploy` (and for the full deploy the whole path to a URL;
 * `--service-only` the same path without the registry stack and the push). Every failure before
 * CDK starts is one line and exit 2; a failed deploy is exit 1.
 */
export async function runDeployCli(argv: string[], deps: DeployCliDeps): Promise<number> {
  const label = argv.includes('--registry-only') ? 'infra:deploy-registry' : 'infra:deploy';
  const fail = (message: string, code: number) => {
    deps.err(`${label}: ${message.split('\n')[0]}`);
    return code;
  };
  let target: DeployTarget;
  let options: DeployOptions;
  try {
    options = parseDeployArgs(argv, deps.env);
    if (options.help) {
      deps.out(DEPLOY_USAGE);
      return 0;
    }
    const imageRegistry = deps.env['IMAGE_REGISTRY'];
    // The registry stack exists for docker-push to push to; pushing elsewhere needs none.
    if (imageRegistry && options.registryOnly) {
      deps.err(`${label}: skipped, images go to IMAGE_REGISTRY=${imageRegistry}`);
      return 0;
    }
    // docker-push would push elsewhere; say so before anything is deployed, not halfway.
    if (imageRegistry && !options.imageTag) {
      throw new ConfigError(
        "IMAGE_REGISTRY is set, but the service pulls from the registry stack's ECR repository: unset it for infra:deploy",
      );
    }
    target = {
      region: deps.readAssemblyRegion(),
      ...(options.profile ? { profile: options.profile } : {}),
    };
  } catch (error) {
    return fail((error as Error).message, 2);
  }
  const clients = deps.createClients(target);
  const problem = await findCredentialsProblem(() => deps.resolveCredentials(clients), target);
  if (problem) return fail(problem.message, 2);

  if (options.registryOnly) {
    try {
      await deps.deployStack(target, 'registry', {});
      return 0;
    } catch (error) {
      return fail((error as Error).message, 1);
    }
  }
  return deployAndReport(
    {
      region: target.region,
      registryStackName: REGISTRY_STACK_NAME,
      serviceStackName: DEPLOYMENT_NAME,
      ...(options.imageTag ? { imageTag: options.imageTag } : {}),
      ...(options.allowedIp ? { allowedIp: options.allowedIp } : {}),
      ...(options.serviceOnly ? { serviceOnly: true } : {}),
      timeoutMs: options.timeoutMs,
    },
    {
      clients,
      deployStack: (stack, parameters) => deps.deployStack(target, stack, parameters),
      pushImage: () => deps.pushImage(target, { allowDirty: options.allowDirty }),
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
