import {
  type AwsClients,
  type CallerIpLookup,
  type Clock,
  type Diagnosis,
  type Problem,
  type ReleaseImage,
  type ServiceRef,
  type UrlProbe,
  type WaiterDelays,
  checkReachability,
  createImageChangeSet,
  diagnoseAfterFailure,
  doctorDepsOf,
  executeChangeSetAndWait,
  explainError,
  findImageDigest,
  findPreviousRelease,
  findStack,
  getRunningImages,
  getIngressUrl,
  type IngressInfo,
  readIngress,
  getStack,
  isSetupProblem,
  parseRepositoryUri,
  waitForDeployment,
} from '@hello-world/aws-ops';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '@hello-world/cli';
import {
  monitoringNames,
  REGISTRY_OUTPUTS,
  STACK_OUTPUTS,
  STACK_PARAMETERS,
} from '@hello-world/shared';
import { moveDeployedMarker } from '../deploy/move-deployed-marker';
import {
  formatPhases,
  parseTaskDefinitionArn,
  seconds,
  type TaskDefinitionRef,
} from '../deploy/receipt';
import type { CommonOptions } from './args';
import { formatDiagnosis, progressPrinter } from './format';

/** The steps of `<project>:rollback`, in the order they run. */
export const ROLLBACK_PHASES = ['target', 'change-set', 'stack', 'rollout', 'url'] as const;
export type RollbackPhase = (typeof ROLLBACK_PHASES)[number];

export interface RollbackPhaseTiming {
  phase: RollbackPhase;
  ms: number;
  result: 'done' | 'failed';
  note?: string;
}

export interface RollbackRequest {
  region: string;
  /** The deployment project (`infra`, `greeter-infra`), whose targets the messages name. */
  project: string;
  /** The service (its container, task family): `hello-world`, `greeter`. */
  service: string;
  port: number;
  stackName: string;
  registryStackName: string;
  logGroupName: string;
  /** `--to`: this tag, which must be in the registry; left out, the previous image that served. */
  toTag?: string;
  /** For the stack update and the rollout together. */
  timeoutMs: number;
  pollIntervalMs?: number;
  /** The CloudFormation waiters' poll delays (seconds); the specs make them milliseconds. */
  waiterDelays?: WaiterDelays;
  progressIntervalMs?: number;
}

export interface RollbackDeps {
  clients: Pick<AwsClients, 'cfn' | 'ecs' | 'ec2' | 'ecr' | 'logs'>;
  callerIp: CallerIpLookup;
  probe: UrlProbe;
  clock: Clock;
  /** Progress lines (stderr), so stdout carries only the receipt. */
  progress: (line: string) => void;
  signal?: AbortSignal;
}

export interface RollbackImage {
  repository: string;
  tag?: string;
  digest?: string;
}

/** What a finished rollback did: printed for people, and as JSON with --json. */
export interface RollbackReceipt {
  outcome: 'rolled-back';
  stackName: string;
  region: string;
  /** The stack's ImageTag before, and the digest the service ran. */
  from: RollbackImage;
  to: RollbackImage & { tag: string; digest: string };
  /** `history`: the previous image that served (ECS's deployment history); `tag`: --to. */
  chosenBy: 'history' | 'tag';
  /** The ECS service deployment that last served `to`, when chosen from the history. */
  servedBy?: { serviceDeploymentArn: string; finishedAt?: string };
  changeSetName: string;
  /** `deployed-<stack>`, now on the rolled-back image; absent if it could not be put. */
  markerTag?: string;
  taskDefinition?: TaskDefinitionRef;
  deploymentId: string;
  url: string;
  answersFromHere: boolean;
  warnings: string[];
  phases: RollbackPhaseTiming[];
  startedAt: string;
  finishedAt: string;
  totalMs: number;
}

/** The change set changed nothing: the stack already has that ImageTag. */
export interface RollbackUnchanged {
  outcome: 'unchanged';
  stackName: string;
  region: string;
  to: RollbackImage & { tag: string; digest: string };
  chosenBy: 'history' | 'tag';
  changeSetName: string;
  reason: string;
  phases: RollbackPhaseTiming[];
}

export type RollbackOutcome =
  | { ok: true; receipt: RollbackReceipt | RollbackUnchanged }
  | {
      ok: false;
      phase: RollbackPhase;
      problem: Problem;
      /** Present when the stack update or the rollout failed: why, from the doctor. */
      diagnosis?: Diagnosis;
      phases: RollbackPhaseTiming[];
    };

class PhaseFailure extends Error {
  constructor(
    readonly phase: RollbackPhase,
    readonly problem: Problem,
  ) {
    super(problem.message);
  }
}

/** The stack and service phases: a failure there gets the doctor's diagnosis. */
const DIAGNOSED: ReadonlySet<RollbackPhase> = new Set(['stack', 'rollout']);

interface Target {
  stackId: string;
  parameterKeys: string[];
  ref: ServiceRef;
  /** How users reach it: the URL checked after the rollout is the stack's. */
  ingress: IngressInfo;
  allowedIp?: string;
  repositoryUri: string;
  from: RollbackImage;
  to: RollbackImage & { tag: string; digest: string };
  chosenBy: 'history' | 'tag';
  servedBy?: RollbackReceipt['servedBy'];
}

/** How to list the tags a --to may name, for the refusals that suggest one. */
export function listTagsHint(repositoryName: string, region: string): string {
  return `aws ecr describe-images --repository-name ${repositoryName} --region ${region} --query 'reverse(sort_by(imageDetails,&imagePushedAt))[].[imageTags[0],imagePushedAt]' --output text`;
}

/**
 * `<project>:rollback`: the previous image that served (ECS's service deployment history), or
 * `--to`'s tag → a change set of the deployed template with only ImageTag changed → the stack
 * update → the rollout, followed like deploy's → the deployed marker moved → URL → receipt.
 * Refusals (stack busy, nothing to go back to, tag not in the registry) throw UsageError (exit 2).
 */
export async function runRollback(
  request: RollbackRequest,
  deps: RollbackDeps,
): Promise<RollbackOutcome> {
  const { clock, clients } = deps;
  const started = clock.now();
  const phases: RollbackPhaseTiming[] = [];
  const context = { region: request.region, project: request.project };

  async function phase<T>(
    name: RollbackPhase,
    run: () => Promise<{ value: T; note?: string }>,
  ): Promise<T> {
    const t0 = clock.now();
    deps.progress(`==> ${name}`);
    try {
      const { value, note } = await run();
      phases.push({ phase: name, ms: clock.now() - t0, result: 'done', ...(note ? { note } : {}) });
      return value;
    } catch (error) {
      phases.push({ phase: name, ms: clock.now() - t0, result: 'failed' });
      if (error instanceof PhaseFailure || error instanceof UsageError) throw error;
      // Ctrl-C is the CLI's to word, not a failed step.
      if ((error as { name?: string }).name === 'AbortError') throw error;
      throw new PhaseFailure(
        name,
        explainError(error, { ...context, stackName: request.stackName }),
      );
    }
  }

  try {
    const target = await phase('target', async () => {
      const value = await resolveTarget(request, deps);
      return { value, note: `${value.to.tag}, ${value.chosenBy === 'tag' ? '--to' : 'previous'}` };
    });
    const changeSetName = changeSetNameFor(target.to.tag, clock.now());
    const changeSet = await phase('change-set', async () => {
      const value = await createImageChangeSet(clients.cfn, {
        stackName: request.stackName,
        imageTag: target.to.tag,
        parameterKeys: target.parameterKeys,
        changeSetName,
        description: `${request.project}:rollback to ${target.to.tag} (${target.to.digest})`,
        ...(request.waiterDelays ? { delays: request.waiterDelays } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      if (value.outcome === 'created') {
        for (const c of value.changes) {
          deps.progress(
            `  ${c.action} ${c.resource}${c.type ? ` (${c.type})` : ''}${c.replacement === 'True' ? ', replaced' : ''}`,
          );
        }
      }
      return { value, note: value.outcome === 'created' ? changeSetName : 'no changes' };
    });
    if (changeSet.outcome === 'no-change') {
      deps.progress(`deleted change set ${changeSetName}: it had no changes`);
      return {
        ok: true,
        receipt: {
          outcome: 'unchanged',
          stackName: request.stackName,
          region: request.region,
          to: target.to,
          chosenBy: target.chosenBy,
          changeSetName,
          reason: changeSet.reason,
          phases,
        },
      };
    }
    await phase('stack', async () => {
      deps.progress(
        `executing ${changeSetName}; waiting up to ${Math.round(request.timeoutMs / 1000)} s for ${request.stackName} (CloudFormation waits for the ECS service to settle)`,
      );
      const value = await executeChangeSetAndWait(clients.cfn, {
        stackName: request.stackName,
        changeSetName,
        timeoutMs: request.timeoutMs,
        clock,
        ...(request.waiterDelays ? { delays: request.waiterDelays } : {}),
        ...(request.progressIntervalMs ? { progressIntervalMs: request.progressIntervalMs } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
        onProgress: (p) =>
          p.events.forEach((e) =>
            deps.progress(`  ${e.resource} ${e.status}${e.reason ? ` (${e.reason})` : ''}`),
          ),
      });
      return { value, note: value.status };
    });
    const rollout = await phase('rollout', async () => {
      // One budget for both waits; CloudFormation has usually waited for the rollout already.
      const left = request.timeoutMs - (clock.now() - started);
      const result = await waitForDeployment(clients.ecs, {
        ...target.ref,
        timeoutMs: Math.max(left, 60_000),
        ...(request.pollIntervalMs ? { pollIntervalMs: request.pollIntervalMs } : {}),
        clock,
        onProgress: progressPrinter((line) => deps.progress(line)),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      if (result.outcome !== 'completed') {
        throw new PhaseFailure('rollout', {
          kind: 'unknown',
          message: `the rollout ${result.outcome}: ${result.reason ?? 'no reason given'}`,
        });
      }
      return { value: result, note: result.deploymentId };
    });
    const marker = await moveDeployedMarker(
      deps.clients.ecr,
      {
        repositoryUri: target.repositoryUri,
        imageDigest: target.to.digest,
        serviceStackName: request.stackName,
        region: request.region,
        project: request.project,
      },
      deps.progress,
    );
    const reach = await phase('url', async () => {
      const found = await getIngressUrl(
        clients,
        target.ref,
        target.ingress,
        request.port,
        request.project,
      );
      const findings = await checkReachability(deps, found.url, target.allowedIp, request.project);
      return {
        value: {
          url: found.url,
          answers: !findings.some((f) => f.code === 'url-not-answering'),
          warnings: findings.map((f) => `${f.what}: ${f.fix}`),
        },
      };
    });
    const taskDefinition = parseTaskDefinitionArn(rollout.deployment?.taskDefinition);
    const finished = clock.now();
    return {
      ok: true,
      receipt: {
        outcome: 'rolled-back',
        stackName: request.stackName,
        region: request.region,
        from: target.from,
        to: target.to,
        chosenBy: target.chosenBy,
        ...(target.servedBy ? { servedBy: target.servedBy } : {}),
        changeSetName,
        ...(marker.tag ? { markerTag: marker.tag } : {}),
        ...(taskDefinition ? { taskDefinition } : {}),
        deploymentId: rollout.deploymentId,
        url: reach.url,
        answersFromHere: reach.answers,
        warnings: [...reach.warnings, ...(marker.warning ? [marker.warning] : [])],
        phases,
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date(finished).toISOString(),
        totalMs: finished - started,
      },
    };
  } catch (error) {
    if (!(error instanceof PhaseFailure)) throw error;
    const diagnosis = DIAGNOSED.has(error.phase) ? await diagnose(request, deps) : undefined;
    return {
      ok: false,
      phase: error.phase,
      problem: error.problem,
      ...(diagnosis ? { diagnosis } : {}),
      phases,
    };
  }
}

/** `rollback-<tag>-<epoch s>`: CloudFormation's `[a-zA-Z][-a-zA-Z0-9]*`, at most 128. */
export function changeSetNameFor(tag: string, now: number): string {
  const safeTag = tag.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 100);
  return `rollback-${safeTag}-${Math.floor(now / 1000)}`;
}

/**
 * Why the stack cannot take a rollback now, or undefined when it can (a *_COMPLETE state other
 * than ROLLBACK_COMPLETE, which is a failed creation that CloudFormation will not update).
 */
export function unsettledStackMessage(
  stackName: string,
  status: string,
  project: string,
): string | undefined {
  if (status === 'ROLLBACK_COMPLETE') {
    return `stack ${stackName} is ROLLBACK_COMPLETE (its creation failed) and cannot be updated: deploy it again with \`npx nx run ${project}:deploy\``;
  }
  if (status.endsWith('_IN_PROGRESS')) {
    return `stack ${stackName} is ${status} (a deploy is under way): wait for it to finish, or stop it with \`npx nx run ${project}:abort\`, then roll back`;
  }
  if (!status.endsWith('_COMPLETE')) {
    return `stack ${stackName} is ${status} and cannot be updated until it is settled: see \`npx nx run ${project}:doctor\`, or \`npx nx run ${project}:abort\``;
  }
  return undefined;
}

/** The stack, the service, what runs now, and the image to go back to. */
async function resolveTarget(request: RollbackRequest, deps: RollbackDeps): Promise<Target> {
  const { clients } = deps;
  const { project, stackName, region } = request;
  const stack = await getStack(clients.cfn, stackName, region, project);
  const unsettled = unsettledStackMessage(stackName, stack.status, project);
  if (unsettled) throw new UsageError(unsettled);
  const ref: ServiceRef = {
    cluster: stack.outputs[STACK_OUTPUTS.clusterName] ?? stackName,
    service: stack.outputs[STACK_OUTPUTS.serviceName] ?? stackName,
  };
  const repositoryUri =
    stack.outputs[STACK_OUTPUTS.repositoryUri] ??
    (await findStack(clients.cfn, request.registryStackName))?.outputs[
      REGISTRY_OUTPUTS.repositoryUri
    ];
  if (!repositoryUri) {
    throw new UsageError(
      `neither ${stackName} nor ${request.registryStackName} names the ECR repository (${STACK_OUTPUTS.repositoryUri} output): run \`npx nx run ${project}:deploy\``,
    );
  }
  const { repositoryName } = parseRepositoryUri(repositoryUri);
  const query = { ...ref, containerName: request.service, project };
  const base = {
    stackId: stack.stackId,
    parameterKeys: Object.keys(stack.parameters),
    ref,
    ingress: readIngress(stack.outputs),
    ...(stack.parameters[STACK_PARAMETERS.allowedIp]
      ? { allowedIp: stack.parameters[STACK_PARAMETERS.allowedIp] }
      : {}),
    repositoryUri,
  };
  const fromOf = (running: ReleaseImage[]): RollbackImage => ({
    repository: repositoryUri,
    ...(stack.parameters[STACK_PARAMETERS.imageTag]
      ? { tag: stack.parameters[STACK_PARAMETERS.imageTag] }
      : {}),
    ...(running[0]?.digest ? { digest: running[0].digest } : {}),
  });
  const listTags = `list its tags with \`${listTagsHint(repositoryName, region)}\``;

  if (request.toTag) {
    const tag = request.toTag;
    const [digest, running] = await Promise.all([
      findImageDigest(clients.ecr, repositoryName, tag, project),
      getRunningImages(clients.ecs, query),
    ]);
    if (!digest) {
      throw new UsageError(`--to ${tag} is not a tag in ${repositoryUri}: ${listTags}`);
    }
    return {
      ...base,
      from: fromOf(running),
      to: { repository: repositoryUri, tag, digest },
      chosenBy: 'tag',
    };
  }

  const history = await findPreviousRelease(clients.ecs, query);
  const previous = history.previous;
  const tag = previous?.image?.tag;
  if (!previous || !tag) {
    throw new UsageError(
      `nothing to roll back to: none of the ${history.releasesSeen} successful deployment(s) in ECS's history of ${ref.service} ran another image than the one running now; pass --to=TAG, ${listTags}`,
    );
  }
  const finishedAt = previous.finishedAt?.toISOString();
  const digest = await findImageDigest(clients.ecr, repositoryName, tag, project);
  if (!digest) {
    throw new UsageError(
      `the previous image ${tag} (served until ${finishedAt ?? 'an earlier deployment'}) is no longer in ${repositoryUri}, e.g. expired by its lifecycle policy: pass --to=TAG, ${listTags}`,
    );
  }
  if (previous.image?.digest && previous.image.digest !== digest) {
    throw new UsageError(
      `tag ${tag} now names ${digest} in ${repositoryUri}, not the ${previous.image.digest} that served: pass --to=${tag} to deploy what it names now, or another --to=TAG, ${listTags}`,
    );
  }
  return {
    ...base,
    from: fromOf(history.running),
    to: { repository: repositoryUri, tag, digest },
    chosenBy: 'history',
    servedBy: {
      serviceDeploymentArn: previous.serviceDeploymentArn,
      ...(finishedAt ? { finishedAt } : {}),
    },
  };
}

/** The doctor's view after a failed update or rollout; never hides the failure itself. */
function diagnose(request: RollbackRequest, deps: RollbackDeps): Promise<Diagnosis | undefined> {
  return diagnoseAfterFailure(doctorDepsOf(deps.clients, deps), {
    region: request.region,
    stackName: request.stackName,
    registryStackName: request.registryStackName,
    logGroupName: request.logGroupName,
    port: request.port,
    service: request.service,
    project: request.project,
    // A deployment alarm that rolled the release back is named with its reason.
    alarms: monitoringNames(request.stackName),
  });
}

function imageText(image: RollbackImage): string {
  return `${image.repository}:${image.tag ?? '?'}${image.digest ? ` (${image.digest})` : ''}`;
}

export function formatRollbackReceipt(receipt: RollbackReceipt | RollbackUnchanged): string {
  if (receipt.outcome === 'unchanged') {
    return `${receipt.stackName} already runs ${receipt.to.tag}: nothing to roll back (change set ${receipt.changeSetName} had no changes and was deleted)`;
  }
  const td = receipt.taskDefinition;
  const why =
    receipt.chosenBy === 'tag'
      ? 'chosen with --to'
      : `the previous image that served${receipt.servedBy?.finishedAt ? `, until ${receipt.servedBy.finishedAt}` : ''}`;
  return [
    `Rolled back ${receipt.stackName} in ${receipt.region} in ${seconds(receipt.totalMs)}`,
    `  URL              ${receipt.url}${receipt.answersFromHere ? ' (answers from here)' : ''}`,
    ...receipt.warnings.map((w) => `  WARN             ${w}`),
    `  from             ${imageText(receipt.from)}`,
    `  to               ${imageText(receipt.to)}, ${why}`,
    `  marker tag       ${receipt.markerTag ?? '- (not moved, see WARN)'}`,
    `  change set       ${receipt.changeSetName}`,
    `  task definition  ${td ? `${td.family}:${td.revision}` : '-'}`,
    `  deployment       ${receipt.deploymentId}`,
    `  phases           ${formatPhases(receipt.phases)}`,
    `  finished         ${receipt.finishedAt}`,
  ].join('\n');
}

/**
 * A failed rollback for people (stderr): the doctor's diagnosis, the phases, then one line
 * prefixed with the target, as deploy's failure reads.
 */
export function formatRollbackFailure(
  failure: Extract<RollbackOutcome, { ok: false }>,
  project: string,
): string[] {
  return [
    ...(failure.diagnosis ? [formatDiagnosis(failure.diagnosis)] : []),
    ...(failure.phases.length > 1 ? [`phases: ${formatPhases(failure.phases)}`] : []),
    `${project}:rollback: ${failure.phase} failed: ${failure.problem.message}`,
  ];
}

/**
 * 2 for the caller's setup (credentials, permissions, nothing deployed), 1 for a rollback that
 * ran and failed; a stack or service gone once the update began is the latter.
 */
export function rollbackExitCode(outcome: RollbackOutcome): number {
  if (outcome.ok) return EXIT_OK;
  const { kind } = outcome.problem;
  const goneMidway =
    (kind === 'stack-not-found' || kind === 'service-not-found') && outcome.phase !== 'target';
  return isSetupProblem(outcome.problem) && !goneMidway ? EXIT_USAGE : EXIT_FAILED;
}

/** What the ops CLI hands the command (run.ts' context). */
export interface RollbackCommandContext {
  deps: {
    callerIp: CallerIpLookup;
    probe: UrlProbe;
    clock: Clock;
    signal: AbortSignal;
    err: (text: string) => void;
    deployment: {
      project: string;
      port: number;
      names: { service: string; logGroup: string };
    };
  };
  clients: RollbackDeps['clients'];
  region: string;
  json: boolean;
  print: (data: unknown, human: () => string) => void;
}

/**
 * The `rollback` command: runs it, prints the receipt (or the failure with its diagnosis) and
 * answers the exit code: 0 rolled back or nothing to do, 1 the update or rollout failed, 2 setup.
 */
export async function rollbackCommand(
  command: { common: CommonOptions; to?: string },
  ctx: RollbackCommandContext,
  tuning: Pick<RollbackRequest, 'waiterDelays' | 'pollIntervalMs' | 'progressIntervalMs'> = {},
): Promise<number> {
  const { deps } = ctx;
  const { common } = command;
  const outcome = await runRollback(
    {
      region: ctx.region,
      project: deps.deployment.project,
      service: deps.deployment.names.service,
      port: deps.deployment.port,
      stackName: common.stackName,
      registryStackName: common.registryStackName,
      logGroupName: deps.deployment.names.logGroup,
      ...(command.to ? { toTag: command.to } : {}),
      timeoutMs: common.timeoutMs,
      ...tuning,
    },
    {
      clients: ctx.clients,
      callerIp: deps.callerIp,
      probe: deps.probe,
      clock: deps.clock,
      progress: deps.err,
      signal: deps.signal,
    },
  );
  if (outcome.ok) {
    ctx.print(outcome.receipt, () => formatRollbackReceipt(outcome.receipt));
    return EXIT_OK;
  }
  if (ctx.json) ctx.print({ outcome: 'failed', ...outcome }, () => '');
  formatRollbackFailure(outcome, deps.deployment.project).forEach((block) => deps.err(block));
  return rollbackExitCode(outcome);
}
