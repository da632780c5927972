import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  type AwsClients,
  type CallerIpLookup,
  type Clock,
  type Diagnosis,
  type FetchText,
  type Problem,
  type ServiceRef,
  type UrlProbe,
  checkReachability,
  deploymentCommand,
  describeService,
  diagnoseAfterFailure,
  doctorDepsOf,
  explainError,
  findStack,
  getServiceUrl,
  getStack,
  ingressUrl,
  readRegistryRepositoryUri,
  waitForDeployment,
} from '@hello-world/aws-ops';
import {
  STACK_OUTPUTS,
  STACK_PARAMETERS,
  dnsOwnerRecordName,
  monitoringNames,
  isWholeInternet,
  type CpuArchitecture,
  type IngressMode,
} from '@hello-world/shared';
import { progressPrinter } from '../ops/format';
import { deadlineFailure, raceDeadline } from './deploy-deadline';
import { invokeDnsUpdater, type UpdaterRun } from './dns-invoke';
import { waitForDnsRecord, type DnsWaitResult } from './dns-wait';
import type { DeployIngress } from './ingress-preflight';
import { ensureImage, readExistingRegistry, type ImageResult } from './deploy-image';
import { checkImage, type ScanGateSettings } from './image-checks';
import { moveDeployedMarker } from './move-deployed-marker';
import { PhaseFailure } from './phase-failure';
import type { PushReport, RegistryReport, StepTiming } from './push-report';
import {
  parseTaskDefinitionArn,
  type DeployReceipt,
  type PhaseName,
  type PhaseTiming,
  type TaskDefinitionRef,
} from './receipt';

export interface DeployRequest {
  region: string;
  /** The deployment project (`infra`, `greeter-infra`), whose targets the messages name. */
  project: string;
  /** The service the deployment runs (its Nx project: `hello-world`, `greeter`): its docker-push. */
  service: string;
  /** The service's port (the deployment's cdk.json): the URL and the open-port warning. */
  port: number;
  registryStackName: string;
  serviceStackName: string;
  /** Deploy this tag, which must already be in the registry; left out, the build's sha tag is pushed. */
  imageTag?: string;
  allowedIp?: string;
  /** The AlertEmail parameter (--alert-email); '' removes the subscription; left out, kept. */
  alertEmail?: string;
  /**
   * Deploy only the service stack (`--service-only`, what CI's deploy role may do): the registry
   * stack is read, never deployed, and `imageTag` must already be in it.
   */
  serviceOnly?: boolean;
  /**
   * How long this deploy may take, from its start to the end of the rollout: the service stack's
   * update (`cdk deploy`) and the wait. Past it the deploy is aborted and rolled back.
   */
  timeoutMs: number;
  /** Past the timeout, leave the stack update or rollout going instead of rolling it back. */
  noRollback?: boolean;
  /** How long the rollback after a timeout may take. @default ROLLBACK_TIMEOUT_MS */
  rollbackTimeoutMs?: number;
  pollIntervalMs?: number;
  /**
   * The task's CPU architecture, from the synthesized task definition: the image must be built
   * for it, or the task would die with `exec format error` minutes into the rollout.
   */
  taskArchitecture: CpuArchitecture;
  /** The scan gate: the worst severity of a scan finding the deploy accepts, and the override. */
  scanGate: ScanGateSettings;
  /**
   * How the synthesized service stack is reached (its outputs): dns waits for the record to hold
   * the new tasks' IPs, and dns and alb print their name's URL. Absent: public-ip.
   */
  ingress?: DeployIngress;
  /**
   * dns: the updater Lambda's name (deploymentNames().dnsUpdater.function), run once after the
   * rollout, as no task state change may come to run it. Absent: the wait relies on task events.
   */
  dnsUpdaterFunction?: string;
  /** The live stack's ingress mode before this deploy (its IngressMode output), if it exists. */
  previousIngress?: IngressMode;
}

/**
 * The steps that leave this process (CDK CLI) and everything AWS, injected. The registry stack
 * and the image are Nx tasks of their own that ran before this one (`<project>:deploy-registry`,
 * then `<service>:docker-push`): their reports say what they did and how long it took.
 */
export interface DeployDeps {
  clients: Pick<AwsClients, 'cfn' | 'ecs' | 'ec2' | 'ecr' | 'logs' | 'route53' | 'lambda'>;
  /**
   * `cdk deploy` of the service stack; rejects when the CLI fails. Aborting `signal` (the deploy's
   * deadline) ends the CLI; the promise settles once it has.
   */
  deployStack: (
    stack: 'service',
    parameters: StackParameters,
    options?: { signal?: AbortSignal },
  ) => Promise<void>;
  /** What `<project>:deploy-registry` did in this run, or undefined when it did not run. */
  registryReport: () => Promise<RegistryReport | undefined>;
  /** What `<service>:docker-push` did (already checked to be this build's tag). */
  pushReport: () => Promise<PushReport>;
  /** Reads the image's config blob from ECR's presigned URL (its platform): fetch. */
  fetchText: FetchText;
  gitSha: () => Promise<string>;
  callerIp: CallerIpLookup;
  probe: UrlProbe;
  clock: Clock;
  /** Progress lines (stderr), so stdout carries only the receipt. */
  progress: (line: string) => void;
  signal?: AbortSignal;
}

/** The service stack's parameters a deploy passes; each left out keeps the stack's value. */
export interface StackParameters {
  imageTag?: string;
  allowedIp?: string;
  alertEmail?: string;
}

export type DeployOutcome =
  | { ok: true; receipt: DeployReceipt }
  | {
      ok: false;
      phase: PhaseName;
      problem: Problem;
      /** Present when the service or its rollout failed: why, from aws-ops' doctor. */
      diagnosis?: Diagnosis;
      phases: PhaseTiming[];
    };

/** How to narrow an AllowedIP of 0.0.0.0/0 to the caller's own address. */
export const NARROW_ALLOWED_IP = '--allowed-ip=$(curl -s https://checkip.amazonaws.com)/32';

/**
 * `<project>:deploy`: registry stack and image (`<project>:deploy-registry` and
 * `<service>:docker-push`, the Nx tasks before this one, read from their reports) → service stack with that ImageTag → wait for the rollout with progress → deployed marker on the
 * image → URL, checked from here → receipt. `--service-only` skips the registry stack (it reads
 * its outputs) and the push. A failed rollout or stack update comes back with the doctor's
 * diagnosis.
 */
export async function runDeploy(request: DeployRequest, deps: DeployDeps): Promise<DeployOutcome> {
  const { clock, clients } = deps;
  const started = clock.now();
  // --timeout bounds this task, the service stack's update and the rollout; the registry stack
  // and the push are earlier Nx tasks of the chain.
  const deadline = started + request.timeoutMs;
  const phases: PhaseTiming[] = [];
  const context = { region: request.region, project: request.project };

  // The chain's earlier tasks started before this process: the receipt starts with the first.
  let firstStart = started;

  async function phase<T>(
    name: PhaseName,
    run: () => Promise<{ value: T; skipped?: boolean; note?: string; timing?: StepTiming }>,
    rollout = false,
  ): Promise<T> {
    const t0 = clock.now();
    deps.progress(`==> ${name}`);
    try {
      const { value, skipped, note, timing } = await run();
      // A step another Nx task ran is timed by its report, not by the reading of it.
      const reported = timing ? Date.parse(timing.startedAt) : NaN;
      if (Number.isFinite(reported)) firstStart = Math.min(firstStart, reported);
      phases.push({
        phase: name,
        ms: timing ? timing.durationMs : clock.now() - t0,
        result: skipped ? 'skipped' : 'done',
        ...(note ? { note } : {}),
      });
      return value;
    } catch (error) {
      phases.push({ phase: name, ms: clock.now() - t0, result: 'failed' });
      if (error instanceof PhaseFailure) throw error;
      throw new PhaseFailure(
        name,
        explainError(error, { ...context, stackName: stackOf(name, request) }),
        rollout,
      );
    }
  }

  try {
    const gitSha = await deps.gitSha();
    const repositoryUri = await phase('registry', async () => {
      if (request.serviceOnly) {
        return {
          value: await readExistingRegistry(request, deps),
          skipped: true,
          note: 'service only: not deployed, outputs read',
        };
      }
      // Deployed by <project>:deploy-registry, the task Nx ran before the image's.
      const report = await deps.registryReport();
      const value = await readRegistryRepositoryUri(
        clients.cfn,
        request.region,
        request.registryStackName,
        request.project,
      );
      const registryTarget = `${request.project}:deploy-registry`;
      return report
        ? { value, timing: report, note: registryTarget }
        : {
            value,
            skipped: true,
            note: `${registryTarget} did not run in this chain: outputs read`,
          };
    });
    const { image, checked } = await phase('image', async () => {
      const found = await ensureImage(request, deps, repositoryUri);
      const verdict = await checkImage(
        { ...request, clients: deps.clients, fetchText: deps.fetchText, clock: deps.clock },
        found.value,
        deps.progress,
        deps.signal,
      );
      if (!verdict.ok) {
        throw new PhaseFailure('image', { kind: 'image-refused', message: verdict.message }, false);
      }
      return { ...found, value: { image: found.value, checked: verdict.checked } };
    });
    // What ran before, so a deploy that changes nothing says so instead of "Deployed".
    const before = await readServiceBefore(request, deps);
    await phase(
      'service',
      async () => {
        const stop = new AbortController();
        const run = deps.deployStack(
          'service',
          {
            imageTag: image.tag,
            ...(request.allowedIp ? { allowedIp: request.allowedIp } : {}),
            ...(request.alertEmail !== undefined ? { alertEmail: request.alertEmail } : {}),
          },
          { signal: stop.signal },
        );
        if ((await raceDeadline(run, deadline, clock)) === 'timed-out') {
          // The CLI first, so it cannot start the change set after the abort looked.
          stop.abort();
          await run.catch(() => undefined);
          throw await deadlineFailure(
            'service',
            request,
            deps,
            'the service stack was still updating',
          );
        }
        return { value: undefined };
      },
      true,
    );
    const { rollout, ref, allowedIp, taskDefinition, unchanged, newRollout } = await phase(
      'wait',
      async () => {
        const service = await getStack(
          clients.cfn,
          request.serviceStackName,
          request.region,
          request.project,
        );
        const ref: ServiceRef = {
          // The service stack names both after itself (deploymentNames' `deployment`).
          cluster: service.outputs[STACK_OUTPUTS.clusterName] ?? request.serviceStackName,
          service: service.outputs[STACK_OUTPUTS.serviceName] ?? request.serviceStackName,
        };
        // Known once the stack is updated: the value passed, else the one it kept, else the
        // template's default. Said before the wait, so it is not lost behind the progress.
        const allowedIp = service.parameters[STACK_PARAMETERS.allowedIp] ?? request.allowedIp;
        if (allowedIp && isWholeInternet(allowedIp)) {
          deps.progress(`WARNING: ${openToInternetWarning(request, allowedIp)}`);
        }
        const result = await waitForDeployment(clients.ecs, {
          ...ref,
          timeoutMs: Math.max(0, deadline - clock.now()),
          ...(request.pollIntervalMs ? { pollIntervalMs: request.pollIntervalMs } : {}),
          clock,
          onProgress: progressPrinter((line) => deps.progress(line)),
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        if (result.outcome === 'timed-out') {
          throw await deadlineFailure(
            'wait',
            request,
            deps,
            `the rollout was still going (${result.reason ?? 'no reason given'})`,
          );
        }
        if (result.outcome !== 'completed') {
          throw new PhaseFailure(
            'wait',
            {
              kind: 'unknown',
              message: `the rollout ${result.outcome}: ${result.reason ?? 'no reason given'}`,
            },
            true,
          );
        }
        const taskDefinition = await checkTaskDefinitionRunsImage(
          request,
          deps,
          result.deployment?.taskDefinition,
          image,
        );
        // The PRIMARY deployment is the one that ran before: ECS had nothing to roll out.
        const sameRollout = before?.deploymentId === result.deploymentId;
        const sameStack =
          before?.lastUpdated !== undefined &&
          before.lastUpdated.getTime() === service.lastUpdated?.getTime();
        return {
          value: {
            rollout: result,
            ref,
            allowedIp,
            taskDefinition,
            unchanged: sameRollout && sameStack,
            newRollout: !sameRollout,
          },
          ...(sameRollout ? { note: `no new deployment: ${result.deploymentId} already ran` } : {}),
        };
      },
      true,
    );
    if (unchanged) {
      const service = phases.find((p) => p.phase === 'service');
      if (service) service.note = 'no changes';
    }
    const marker = await moveDeployedMarker(
      clients.ecr,
      {
        repositoryUri: image.repository,
        imageDigest: image.digest,
        serviceStackName: request.serviceStackName,
        region: request.region,
        project: request.project,
      },
      deps.progress,
    );
    const { ingress } = request;
    if (ingress?.mode === 'dns') {
      await phase('dns', async () => {
        const { domainName, hostedZoneId } = ingress;
        // The updater runs on task state changes; this deploy may have caused none (same image,
        // a mode switch, an infrastructure change): run it once, then watch as before.
        const updater = request.dnsUpdaterFunction;
        let ran: UpdaterRun | undefined;
        if (updater) {
          deps.progress(`running the dns updater ${updater} once`);
          const invoked = await invokeDnsUpdater(clients.lambda, updater, {
            ...context,
            ...(deps.signal ? { signal: deps.signal } : {}),
          });
          if (!invoked.ok) throw new PhaseFailure('dns', invoked.problem, false);
          ran = invoked.run;
          if (ran.action) {
            const values = ran.values?.length ? ` (${ran.values.join(', ')})` : '';
            deps.progress(`${updater}: record ${ran.action}${values}`);
          }
        }
        deps.progress(
          `waiting for ${domainName} to hold the running tasks' IPs in hosted zone ${hostedZoneId} (Route 53's answer, not this machine's resolver)`,
        );
        const result = await waitForDnsRecord(
          clients,
          ref,
          // The updater's OWNER is the deployment's name, which is its service stack's.
          { hostedZoneId, domainName, owner: request.serviceStackName },
          {
            deadline,
            clock,
            // From alb, the rollout's task events came while the load balancer's alias still
            // held the name (the stack's cleanup removes it last): the updater left it alone
            // then, and no event is coming after.
            tasksChanged: newRollout && request.previousIngress !== 'alb',
            ...(request.pollIntervalMs ? { pollIntervalMs: request.pollIntervalMs } : {}),
            ...(deps.signal ? { signal: deps.signal } : {}),
          },
        );
        if (result.outcome !== 'matched') {
          throw new PhaseFailure('dns', dnsProblem(request, ingress, result, ran), false);
        }
        deps.progress(`${domainName} → ${result.values.join(', ') || 'no record (no task runs)'}`);
        return { value: undefined, note: domainName };
      });
    }
    const reach = await phase('url', async () => {
      // dns and alb: the name users reach; public-ip: the newest task's IP.
      const stable = ingress && ingressUrl(ingress, request.port);
      const found = stable
        ? { url: stable }
        : await getServiceUrl(clients, ref, request.port, request.project);
      const findings = await checkReachability(deps, found.url, allowedIp, request.project);
      return {
        value: {
          url: found.url,
          answers: !findings.some((f) => f.code === 'url-not-answering'),
          warnings: findings.map((f) => `${f.what}: ${f.fix}`),
        },
      };
    });
    const openToInternet = allowedIp !== undefined && isWholeInternet(allowedIp);
    const finished = clock.now();
    return {
      ok: true,
      receipt: {
        stackName: request.serviceStackName,
        region: request.region,
        gitSha,
        image: {
          ...image,
          platforms: checked.platforms,
          ...(marker.tag ? { markerTag: marker.tag } : {}),
        },
        scan: checked.scan,
        ...(taskDefinition ? { taskDefinition } : {}),
        deploymentId: rollout.deploymentId,
        nothingChanged: unchanged,
        url: reach.url,
        answersFromHere: reach.answers,
        ...(allowedIp !== undefined ? { allowedIp } : {}),
        openToInternet,
        warnings: [
          ...(openToInternet && allowedIp ? [openToInternetWarning(request, allowedIp)] : []),
          ...(checked.warning ? [checked.warning] : []),
          ...reach.warnings,
          ...(marker.warning ? [marker.warning] : []),
        ],
        phases,
        startedAt: new Date(firstStart).toISOString(),
        finishedAt: new Date(finished).toISOString(),
        totalMs: finished - firstStart,
      },
    };
  } catch (error) {
    // Only the git lookup runs outside phase(); its failure is put on the step it came after.
    const failure =
      error instanceof PhaseFailure
        ? error
        : new PhaseFailure(
            phases.at(-1)?.phase ?? 'registry',
            explainError(error, { ...context, stackName: request.serviceStackName }),
            false,
          );
    // Past --timeout a rollout still going is the finding, however young it is.
    const diagnosis = failure.rollout
      ? await diagnose(request, deps, failure.problem.kind === 'timeout' ? 0 : undefined)
      : undefined;
    return {
      ok: false,
      phase: failure.phase,
      problem: failure.problem,
      ...(diagnosis ? { diagnosis } : {}),
      phases,
    };
  }
}

/** Why the dns phase ended without the record following the tasks: one line, the next step. */
function dnsProblem(
  request: DeployRequest,
  ingress: DeployIngress & { mode: 'dns' | 'alb' },
  result: Exclude<DnsWaitResult, { outcome: 'matched' }>,
  ran: UpdaterRun | undefined,
): Problem {
  const domain = ingress.domainName;
  const doctor = `\`${deploymentCommand('doctor', request.project)}\``;
  if (result.outcome === 'foreign') {
    const { values, owner } = result.record;
    return {
      kind: 'unknown',
      message:
        owner === 'foreign'
          ? `${domain} is marked as another deployment's (its TXT at ${dnsOwnerRecordName(domain)}), so the updater leaves it alone: pick another DOMAIN_NAME, or delete both records if that deployment is gone; see ${doctor}`
          : `${domain} has an A record (${values.join(', ')}) without this deployment's owner TXT, so the updater leaves it alone: delete it if it is a leftover; see ${doctor}`,
    };
  }
  const held = result.record.length ? result.record.join(', ') : 'no A record';
  const tasks = result.tasks.length ? result.tasks.join(', ') : 'none with a public IP';
  const state = `${domain} still holds ${held} while the running tasks are ${tasks}`;
  if (result.outcome === 'no-event') {
    // The updater runs on task state changes only, and none is coming after this deploy's.
    const fn = request.dnsUpdaterFunction;
    if (fn) {
      const said = ran?.action ? `, answering ${ran.action}` : '';
      return {
        kind: 'unknown',
        message: `${state}, though this deploy ran its updater ${fn}${said}, and no task change is coming to run it again (the service itself is deployed): see ${doctor} and the log group /aws/lambda/${fn}`,
      };
    }
    return {
      kind: 'unknown',
      message: `${state}, and no task change is coming to run its updater (the service itself is deployed): run its updater function once, then see ${doctor}`,
    };
  }
  return {
    kind: 'timeout',
    message: `${state} (the deploy's --timeout passed; the service itself is deployed): see ${doctor}`,
  };
}

function openToInternetWarning(request: DeployRequest, allowedIp: string): string {
  return `${request.serviceStackName} admits the whole internet on port ${request.port} (AllowedIP ${allowedIp}): narrow it with ${NARROW_ALLOWED_IP}`;
}

function stackOf(phase: PhaseName, request: DeployRequest): string {
  return phase === 'registry' || phase === 'image'
    ? request.registryStackName
    : request.serviceStackName;
}

/** The doctor's view after a failed rollout; a failure to diagnose never hides the failure itself. */
function diagnose(
  request: DeployRequest,
  deps: DeployDeps,
  stuckAfterMs?: number,
): Promise<Diagnosis | undefined> {
  return diagnoseAfterFailure(doctorDepsOf(deps.clients, deps), {
    region: request.region,
    stackName: request.serviceStackName,
    registryStackName: request.registryStackName,
    port: request.port,
    service: request.service,
    project: request.project,
    // A deployment alarm that rolled the release back is named with its reason.
    alarms: monitoringNames(request.serviceStackName),
    ...(stuckAfterMs !== undefined ? { stuckAfterMs } : {}),
  });
}

/** The stack's last update and the service's PRIMARY deployment before this deploy, if any. */
async function readServiceBefore(
  request: DeployRequest,
  deps: DeployDeps,
): Promise<{ lastUpdated?: Date; deploymentId?: string } | undefined> {
  try {
    const stack = await findStack(deps.clients.cfn, request.serviceStackName);
    if (!stack) return undefined;
    const snapshot = await describeService(
      deps.clients.ecs,
      {
        cluster: stack.outputs[STACK_OUTPUTS.clusterName] ?? request.serviceStackName,
        service: stack.outputs[STACK_OUTPUTS.serviceName] ?? request.serviceStackName,
      },
      request.project,
    );
    return {
      ...(stack.lastUpdated ? { lastUpdated: stack.lastUpdated } : {}),
      ...(() => {
        const id = snapshot.deployments.find((d) => d.status === 'PRIMARY')?.id;
        return id ? { deploymentId: id } : {};
      })(),
    };
  } catch {
    // Best effort (a first deploy has neither): unknown reads as "changed".
    return undefined;
  }
}

/**
 * The task definition the rollout ended on must run the image this deploy asked for (its tag or
 * digest): a stack that kept another ImageTag, or another deploy in between, would otherwise be
 * receipted as this one.
 */
async function checkTaskDefinitionRunsImage(
  request: DeployRequest,
  deps: DeployDeps,
  arn: string | undefined,
  image: ImageResult,
): Promise<TaskDefinitionRef | undefined> {
  const ref = parseTaskDefinitionArn(arn);
  if (!arn || !ref) return ref;
  const { taskDefinition } = await deps.clients.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: arn }),
  );
  const images = (taskDefinition?.containerDefinitions ?? []).flatMap((c) =>
    c.image ? [c.image] : [],
  );
  const match = images.find((i) => i.endsWith(`:${image.tag}`) || i.endsWith(`@${image.digest}`));
  if (!match) {
    throw new PhaseFailure(
      'wait',
      {
        kind: 'unknown',
        message: `the service runs task definition ${ref.family}:${ref.revision} with ${images.join(', ') || 'no image'}, not ${image.repository}:${image.tag}: another deploy may have replaced it; see \`${deploymentCommand('status', request.project)}\`, then deploy again`,
      },
      false,
    );
  }
  return { ...ref, image: match };
}
