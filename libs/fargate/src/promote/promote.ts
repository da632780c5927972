import {
  type Diagnosis,
  type Problem,
  explainError,
  findStack,
  isSetupProblem,
  parseRepositoryUri,
  readServiceImage,
  tagImage,
} from '@hello-world/aws-ops';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '@hello-world/cli';
import { STACK_OUTPUTS, type CpuArchitecture } from '@hello-world/shared';
import { exitCodeOf } from '../deploy/deploy-cli';
import type { ScanGateSettings } from '../deploy/image-checks';
import { runDeploy, type DeployDeps, type DeployRequest } from '../deploy/orchestrate';
import type { PromotePhase, PromotePhaseTiming, PromoteReceipt } from './promote-receipt';
import {
  SourceRefusal,
  environmentCommand,
  findSourceImage,
  type PromoteEnvironment,
  type SourceImage,
} from './source-image';

export interface PromoteRequest extends Pick<
  DeployRequest,
  'ingress' | 'dnsUpdaterFunction' | 'previousIngress'
> {
  region: string;
  /** The deployment project (`infra`), whose targets the messages name. */
  project: string;
  /** The service (its container and task family): `hello-world`. */
  service: string;
  port: number;
  from: PromoteEnvironment;
  to: PromoteEnvironment;
  /** The registry stack every environment shares. */
  registryStackName: string;
  /** From the start of the target's service stack update to the end of its rollout. */
  timeoutMs: number;
  noRollback?: boolean;
  pollIntervalMs?: number;
  /** The target's task CPU (its synthesized task definition): the image must be built for it. */
  taskArchitecture: CpuArchitecture;
  scanGate: ScanGateSettings;
  /** A release tag to put on the image once the target runs it (the registry keeps it). */
  releaseTag?: string;
  /** What the CLI did first (synth of the target's templates) and when it started. */
  prior: { startedAt: number; phases: PromotePhaseTiming[] };
}

/** The deploy's dependencies, less the chain's reports: promote builds and pushes nothing. */
export type PromoteDeps = Omit<DeployDeps, 'registryReport' | 'pushReport'>;

export type PromoteOutcome =
  | { ok: true; receipt: PromoteReceipt }
  | {
      ok: false;
      phase: PromotePhase;
      problem: Problem;
      /** The source could not be promoted from, or the target is not what it should be. */
      exitCode: number;
      diagnosis?: Diagnosis;
      phases: PromotePhaseTiming[];
    };

/**
 * `<project>:promote --from=S --to=T`: the image S runs (its tasks' digest, by a tag that names
 * it) → the deploy of T's service stack with that tag and nothing built (runDeploy with
 * `serviceOnly`: the image checks, the rollout, the deployed marker, the URL) → T's running tasks
 * must run that digest. Refusals about S change nothing and exit 2.
 */
export async function runPromote(
  request: PromoteRequest,
  deps: PromoteDeps,
): Promise<PromoteOutcome> {
  const { clock } = deps;
  const phases: PromotePhaseTiming[] = [...request.prior.phases];
  const context = { region: request.region, project: request.project };
  const failed = (
    phase: PromotePhase,
    problem: Problem,
    exitCode: number,
    diagnosis?: Diagnosis,
  ): PromoteOutcome => ({
    ok: false,
    phase,
    problem,
    exitCode,
    ...(diagnosis ? { diagnosis } : {}),
    phases,
  });

  deps.progress('==> source');
  const t0 = clock.now();
  let source: SourceImage;
  try {
    source = await findSourceImage(deps.clients, {
      from: request.from,
      service: request.service,
      registryStackName: request.registryStackName,
      region: request.region,
      project: request.project,
    });
  } catch (error) {
    phases.push({ phase: 'source', ms: clock.now() - t0, result: 'failed' });
    if (error instanceof SourceRefusal) {
      return failed('source', { kind: 'unknown', message: error.message }, EXIT_USAGE);
    }
    const problem = explainError(error, { ...context, stackName: request.from.stackName });
    // The target's identity reads the source (CI: the target's deploy role): say whose read failed.
    const message = `promoting from ${request.from.environment}: reading its service: ${problem.message}`;
    return failed(
      'source',
      { ...problem, message },
      isSetupProblem(problem) ? EXIT_USAGE : EXIT_FAILED,
    );
  }
  phases.push({
    phase: 'source',
    ms: clock.now() - t0,
    result: 'done',
    note: `${request.from.environment} runs ${source.tag}`,
  });
  deps.progress(
    `${request.from.environment} runs ${source.repository}:${source.tag} (${source.digest}) on ${source.runningTasks} task(s)`,
  );
  if (source.note) deps.progress(`NOTE: ${source.note}`);

  const deployed = await runDeploy(
    {
      region: request.region,
      project: request.project,
      service: request.service,
      port: request.port,
      registryStackName: request.registryStackName,
      serviceStackName: request.to.stackName,
      imageTag: source.tag,
      serviceOnly: true,
      timeoutMs: request.timeoutMs,
      ...(request.noRollback ? { noRollback: true } : {}),
      ...(request.pollIntervalMs ? { pollIntervalMs: request.pollIntervalMs } : {}),
      taskArchitecture: request.taskArchitecture,
      scanGate: request.scanGate,
      // The target's ingress, as its templates say: dns runs its updater and waits for the
      // record, and dns and alb receipt the name's URL, as a deploy does.
      ...(request.ingress ? { ingress: request.ingress } : {}),
      ...(request.dnsUpdaterFunction ? { dnsUpdaterFunction: request.dnsUpdaterFunction } : {}),
      ...(request.previousIngress ? { previousIngress: request.previousIngress } : {}),
    },
    {
      ...deps,
      registryReport: async () => undefined,
      pushReport: () => Promise.reject(new Error('promote pushes no image')),
    },
  );
  phases.push(...(deployed.ok ? deployed.receipt.phases : deployed.phases));
  if (!deployed.ok) {
    return failed(deployed.phase, deployed.problem, exitCodeOf(deployed), deployed.diagnosis);
  }
  const { receipt } = deployed;
  const rollback = environmentCommand(request.project, 'rollback', request.to.environment);

  deps.progress('==> verify');
  const t1 = clock.now();
  let runningTasks: number;
  try {
    runningTasks = await verifyTargetRunsDigest(request, deps, source, receipt.image.digest);
  } catch (error) {
    phases.push({ phase: 'verify', ms: clock.now() - t1, result: 'failed' });
    const message =
      error instanceof TargetMismatch
        ? `${error.message}: it is not the image ${request.from.environment} runs; roll it back with \`${rollback}\`, or promote again`
        : explainError(error, { ...context, stackName: request.to.stackName }).message;
    return failed('verify', { kind: 'unknown', message }, EXIT_FAILED);
  }
  phases.push({
    phase: 'verify',
    ms: clock.now() - t1,
    result: 'done',
    note: `${runningTasks} task(s) run ${source.digest.slice(0, 19)}…`,
  });
  if (request.releaseTag) {
    deps.progress('==> release-tag');
    const t2 = clock.now();
    try {
      const result = await tagImage(
        deps.clients.ecr,
        parseRepositoryUri(receipt.image.repository).repositoryName,
        source.digest,
        request.releaseTag,
      );
      phases.push({
        phase: 'release-tag',
        ms: clock.now() - t2,
        result: 'done',
        note: result === 'tagged' ? request.releaseTag : `${request.releaseTag} (already)`,
      });
      deps.progress(
        `${result === 'tagged' ? 'tagged' : 'already tagged'} ${receipt.image.repository}@${source.digest} ${request.releaseTag}: the registry keeps release images`,
      );
    } catch (error) {
      phases.push({ phase: 'release-tag', ms: clock.now() - t2, result: 'failed' });
      const problem = explainError(error, context);
      // The target runs the release; only its tag is missing (promoting again retries it).
      const message = `${request.to.environment} runs the promoted image, but tagging it ${request.releaseTag} failed: ${problem.message}`;
      return failed('release-tag', { ...problem, message }, EXIT_FAILED);
    }
  }
  const finished = clock.now();
  return {
    ok: true,
    receipt: {
      outcome: receipt.nothingChanged ? 'unchanged' : 'promoted',
      region: request.region,
      from: {
        environment: request.from.environment,
        stackName: request.from.stackName,
        ...(source.sourceTag ? { tag: source.sourceTag } : {}),
        ...(source.taskDefinition ? { taskDefinition: source.taskDefinition } : {}),
        runningTasks: source.runningTasks,
      },
      to: {
        environment: request.to.environment,
        stackName: request.to.stackName,
        ...(receipt.taskDefinition ? { taskDefinition: receipt.taskDefinition } : {}),
        deploymentId: receipt.deploymentId,
        runningTasks,
      },
      image: {
        repository: receipt.image.repository,
        tag: receipt.image.tag,
        digest: source.digest,
        rebuilt: false,
        platforms: receipt.image.platforms,
        ...(receipt.image.markerTag ? { markerTag: receipt.image.markerTag } : {}),
        ...(request.releaseTag ? { releaseTag: request.releaseTag } : {}),
      },
      ...(source.note ? { tagNote: source.note } : {}),
      scan: receipt.scan,
      url: receipt.url,
      answersFromHere: receipt.answersFromHere,
      ...(receipt.allowedIp !== undefined ? { allowedIp: receipt.allowedIp } : {}),
      openToInternet: receipt.openToInternet,
      warnings: receipt.warnings,
      gitSha: receipt.gitSha,
      phases,
      startedAt: new Date(request.prior.startedAt).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      totalMs: finished - request.prior.startedAt,
    },
  };
}

/** The target ended up on another image than the source's: the promote failed, loudly. */
class TargetMismatch extends Error {}

/**
 * After the rollout: the registry gave the deploy the source's digest for the tag, and the
 * target's RUNNING tasks run it (none may run another). Answers how many run it.
 */
async function verifyTargetRunsDigest(
  request: PromoteRequest,
  deps: PromoteDeps,
  source: SourceImage,
  deployedDigest: string,
): Promise<number> {
  const target = `${request.to.environment} (${request.to.stackName})`;
  if (deployedDigest !== source.digest) {
    throw new TargetMismatch(
      `${target} was deployed with ${source.tag}, which named ${deployedDigest} by then, not ${source.digest}`,
    );
  }
  const stack = await findStack(deps.clients.cfn, request.to.stackName);
  const now = await readServiceImage(deps.clients.ecs, {
    cluster: stack?.outputs[STACK_OUTPUTS.clusterName] ?? request.to.stackName,
    service: stack?.outputs[STACK_OUTPUTS.serviceName] ?? request.to.stackName,
    containerName: request.service,
    project: request.project,
  });
  const others = now.digests.filter((d) => d !== source.digest);
  if (others.length > 0) {
    throw new TargetMismatch(`${target} runs ${others.join(', ')}`);
  }
  if (now.primary?.desiredCount === 0) return 0;
  const confirmed = now.tasks.filter((t) => t.digest === source.digest).length;
  if (confirmed === 0) {
    throw new TargetMismatch(
      `${target} has no RUNNING task that reports ${source.digest} after the rollout`,
    );
  }
  return confirmed;
}

/** 0 promoted (or nothing to change); 1 the deploy, rollout or check failed; 2 usage or setup. */
export function promoteExitCode(outcome: PromoteOutcome): number {
  return outcome.ok ? EXIT_OK : outcome.exitCode;
}
