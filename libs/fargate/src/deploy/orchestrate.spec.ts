import {
  CancelUpdateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import {
  BASIC_FINDINGS,
  basicScanComplete,
  configBlobFetch,
  IMAGE_MANIFEST,
  DEPLOYMENT_ID,
  NAME,
  OLD_DEPLOYMENT_ID,
  OLD_TASK_DEF_ARN,
  PUBLIC_IP,
  REGION,
  REPOSITORY_URI,
  TASK_DEF_ARN,
  awsError,
  deployment,
  failedRolloutService,
  fakeClock,
  registryStack,
  service,
  stack,
  stackMissingError,
  stackParameters,
  arrangeHealthyDeployment,
  ERROR_LOGS_ALARM_REASON,
  healthyAlarms,
  MONITORING,
  mockAwsClients,
} from '@hello-world/aws-ops/testing';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ListResourceRecordSetsCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import {
  aRecordSet,
  listRecordSets,
  ownerRecordSet,
  zoneApexRecordSets,
} from '@hello-world/dns-updater/testing';
import { deployAndReport } from './deploy-cli';
import {
  UPDATER,
  invokeDenied,
  invokeFunctionError,
  invokeSucceeded,
} from './lambda-fixtures-for-test';
import { runDeploy, type DeployDeps, type DeployRequest } from './orchestrate';
import type { PushReport, RegistryReport } from './push-report';

const aws = mockAwsClients();
const { cfn: cfnMock, ecs: ecsMock, ecr: ecrMock, logs: logsMock } = aws;

const NEW_TAG = 'sha-9f8e7d6-ecr-ecs-fargate';
const MARKER = 'deployed-hello-world-ecr-ecs-fargate';
const NEW_DIGEST = 'sha256:' + 'ab'.repeat(32);
const GIT_SHA = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

const request: DeployRequest = {
  region: REGION,
  project: 'infra',
  service: 'hello-world',
  port: 49000,
  registryStackName: `${NAME}-registry`,
  serviceStackName: NAME,
  timeoutMs: 600_000,
  pollIntervalMs: 5_000,
  taskArchitecture: 'X86_64',
  scanGate: { maxSeverity: 'CRITICAL', allowVulnerable: false, minDelaySeconds: 0.001 },
};

interface Harness {
  deps: DeployDeps;
  calls: string[];
  progress: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Fake phase runners that log their calls and take simulated time on the fake clock. The chain's
 * earlier tasks ran before this process: the registry stack (20 s) and then the push (45 s),
 * ending as the deploy starts, as their reports say.
 */
function harness(
  push: PushReport = { repository: REPOSITORY_URI, tag: NEW_TAG, digest: NEW_DIGEST, pushed: true },
): Harness {
  const calls: string[] = [];
  const progress: string[] = [];
  const clock = fakeClock();
  const t0 = clock.now();
  const registry: RegistryReport = {
    stack: `${NAME}-registry`,
    region: REGION,
    startedAt: iso(t0 - 65_000),
    finishedAt: iso(t0 - 45_000),
    durationMs: 20_000,
  };
  const deps: DeployDeps = {
    clients: aws.clients(),
    deployStack: async (name, parameters) => {
      calls.push(`deploy ${name}${parameters.imageTag ? ` ImageTag=${parameters.imageTag}` : ''}`);
      await clock.sleep(150_000);
    },
    registryReport: async () => {
      calls.push('registry report');
      return registry;
    },
    pushReport: async () => {
      calls.push('push report');
      return { startedAt: iso(t0 - 45_000), finishedAt: iso(t0), durationMs: 45_000, ...push };
    },
    fetchText: configBlobFetch(),
    gitSha: async () => GIT_SHA,
    callerIp: async () => '198.51.100.7',
    probe: async () => ({ ok: true, status: 200 }),
    clock,
    progress: (line) => progress.push(line),
  };
  return { deps, calls, progress };
}

/** The task definition the rollout ends on, running `image`, as DescribeTaskDefinition returns it. */
function taskDefinitionRuns(image: string) {
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: TASK_DEF_ARN,
      family: 'hello-world',
      revision: 7,
      containerDefinitions: [
        {
          name: 'hello-world',
          image,
          essential: true,
          portMappings: [{ containerPort: 49000, hostPort: 49000, protocol: 'tcp' }],
        },
      ],
      memory: '512',
      cpu: '256',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    },
  });
}

beforeEach(() => {
  // A healthy deployment whose service stack already names the tag this deploy pushes.
  arrangeHealthyDeployment(aws);
  // Before the stack update the service runs the previous deployment; after it, the new one,
  // whose task definition runs the pushed tag.
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce({
      services: [
        service({
          taskDefinition: OLD_TASK_DEF_ARN,
          deployments: [deployment({ id: OLD_DEPLOYMENT_ID, taskDefinition: OLD_TASK_DEF_ARN })],
        }),
      ],
    })
    .resolves({ services: [service()] });
  taskDefinitionRuns(`${REPOSITORY_URI}:${NEW_TAG}`);
  cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
    Stacks: [stack({ Parameters: stackParameters({ imageTag: NEW_TAG }) })],
  });
  cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  ecrMock.on(DescribeImagesCommand).resolves({
    imageDetails: [{ repositoryName: NAME, imageDigest: NEW_DIGEST, imageTags: [NEW_TAG] }],
  });
  logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
});

describe('runDeploy', () => {
  it('runs registry, image, service, wait and url in that order, deploying the pushed tag', async () => {
    // GIVEN an account where every step succeeds
    const h = harness();
    // WHEN deploying
    const outcome = await runDeploy(request, h.deps);
    // THEN the registry exists before the push, and the service gets the pushed tag
    expect(h.calls).toEqual([
      'registry report',
      'push report',
      `deploy service ImageTag=${NEW_TAG}`,
    ]);
    expect(outcome.ok && outcome.receipt.phases.map((p) => p.phase)).toEqual([
      'registry',
      'image',
      'service',
      'wait',
      'url',
    ]);
  });

  it('does not push when an explicit --image-tag is already in the registry', async () => {
    // GIVEN a tag ECR already holds
    const h = harness();
    // WHEN deploying that tag
    const outcome = await runDeploy({ ...request, imageTag: NEW_TAG }, h.deps);
    // THEN nothing is built or pushed, and the image phase says it was skipped
    expect(h.calls).toEqual(['registry report', `deploy service ImageTag=${NEW_TAG}`]);
    expect(outcome.ok && outcome.receipt.phases[1]).toMatchObject({
      phase: 'image',
      result: 'skipped',
    });
    expect(outcome.ok && outcome.receipt.image).toEqual({
      repository: REPOSITORY_URI,
      tag: NEW_TAG,
      digest: NEW_DIGEST,
      pushed: false,
      markerTag: MARKER,
      platforms: ['linux/amd64'],
    });
  });

  it('records the image as skipped when docker-push found its tag in the registry', async () => {
    // GIVEN docker-push reports the sha tag was already there
    const h = harness({
      repository: REPOSITORY_URI,
      tag: NEW_TAG,
      digest: NEW_DIGEST,
      pushed: false,
    });
    // WHEN deploying
    const outcome = await runDeploy(request, h.deps);
    // THEN the receipt says so
    expect(outcome.ok && outcome.receipt.phases[1]).toMatchObject({
      phase: 'image',
      result: 'skipped',
      note: 'tag already in the registry',
    });
  });

  it('stops before the service when an explicit tag is not in the registry', async () => {
    // GIVEN ECR does not know the tag
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(
        awsError(
          'ImageNotFoundException',
          "The image with imageId {imageTag:'nope'} does not exist",
        ),
      );
    const h = harness();
    // WHEN deploying it
    const outcome = await runDeploy({ ...request, imageTag: 'nope' }, h.deps);
    // THEN the service stack is left alone and the message says how to push it
    expect(h.calls).toEqual(['registry report']);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.phase).toBe('image');
    expect(!outcome.ok && outcome.problem.message).toMatch(
      /not in the registry: push it with `npx nx run hello-world:docker-push`/,
    );
  });

  it('refuses an image pushed to another registry than the one the service pulls from', async () => {
    // GIVEN docker-push went to an overriding registry
    const h = harness({
      repository: '127.0.0.1:5050/hello-world-ecr-ecs-fargate',
      tag: NEW_TAG,
      pushed: true,
    });
    // WHEN deploying
    const outcome = await runDeploy(request, h.deps);
    // THEN the service is not pointed at an image it cannot pull
    expect(h.calls).not.toContain(`deploy service ImageTag=${NEW_TAG}`);
    expect(!outcome.ok && outcome.problem.message).toMatch(/unset IMAGE_REGISTRY/);
  });

  it('fails with the diagnosis when the stack update rolls back after the circuit breaker trips', async () => {
    // GIVEN cdk deploy fails because the rollout failed and CloudFormation rolled back
    const h = harness();
    h.deps.deployStack = async (name) => {
      h.calls.push(`deploy ${name}`);
      if (name === 'service')
        throw new Error('cdk deploy hello-world-ecr-ecs-fargate failed (exit 1)');
    };
    ecsMock.on(DescribeServicesCommand).resolves({ services: [failedRolloutService()] });
    cfnMock
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })] });
    // WHEN deploying
    const outcome = await runDeploy(request, h.deps);
    // THEN the deploy failed at the service step, with the doctor's findings about the rollout
    expect(!outcome.ok && outcome.phase).toBe('service');
    const findings = (!outcome.ok && outcome.diagnosis?.findings) || [];
    expect(findings).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'deployment-failed' }),
    );
    expect(findings.flatMap((f) => f.evidence).join('\n')).toMatch(
      /circuit breaker: tasks failed to start/,
    );
  });

  it('GIVEN a deployment alarm in ALARM when the rollout rolled back THEN the diagnosis names the alarm and its reason', async () => {
    // GIVEN the rollout rolled back while the error-logs alarm (a deployment alarm) fired
    const h = harness();
    h.deps.deployStack = async (name) => {
      h.calls.push(`deploy ${name}`);
      if (name === 'service')
        throw new Error('cdk deploy hello-world-ecr-ecs-fargate failed (exit 1)');
    };
    ecsMock.on(DescribeServicesCommand).resolves({ services: [failedRolloutService()] });
    cfnMock
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })] });
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: healthyAlarms().map((alarm) =>
        alarm.AlarmName === MONITORING.alarms.errorLogs
          ? { ...alarm, StateValue: 'ALARM', StateReason: ERROR_LOGS_ALARM_REASON }
          : alarm,
      ),
    });
    // WHEN deploying
    const outcome = await runDeploy(request, h.deps);
    // THEN the diagnosis has the alarm's finding, with CloudWatch's reason as evidence
    const findings = (!outcome.ok && outcome.diagnosis?.findings) || [];
    const alarm = findings.find((f) => f.code === 'alarm-error-logs');
    expect(alarm?.evidence.join('\n')).toContain(ERROR_LOGS_ALARM_REASON);
  });

  it('fails when the rollout it waits for is FAILED, even though the stack update returned', async () => {
    // GIVEN the service's newest deployment was failed by the circuit breaker
    const h = harness();
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        service({
          deployments: [
            deployment({
              rolloutState: 'FAILED',
              rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
              failedTasks: 3,
              runningCount: 0,
            }),
          ],
        }),
      ],
    });
    // WHEN deploying
    const outcome = await runDeploy(request, h.deps);
    // THEN it fails at the wait with the breaker's reason
    expect(!outcome.ok && outcome.phase).toBe('wait');
    expect(!outcome.ok && outcome.problem.message).toMatch(
      /circuit breaker: tasks failed to start/,
    );
  });

  it('writes a receipt with git sha, image tag and digest, task definition revision, URL and phase times', async () => {
    // GIVEN every step succeeds, taking simulated time, and the stack admits your network only
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stack({ Parameters: stackParameters({ imageTag: NEW_TAG, allowedIp: '198.51.100.0/24' }) }),
      ],
    });
    const h = harness();
    // WHEN deploying
    const outcome = await runDeploy(request, h.deps);
    // THEN the receipt carries all of it
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.receipt).toMatchObject({
      stackName: NAME,
      region: REGION,
      gitSha: GIT_SHA,
      image: {
        repository: REPOSITORY_URI,
        tag: NEW_TAG,
        digest: NEW_DIGEST,
        pushed: true,
        markerTag: MARKER,
      },
      taskDefinition: { arn: TASK_DEF_ARN, family: 'hello-world', revision: 7 },
      url: `http://${PUBLIC_IP}:49000`,
      answersFromHere: true,
      allowedIp: '198.51.100.0/24',
      openToInternet: false,
      warnings: [],
    });
    expect(outcome.receipt.phases.slice(0, 3).map((p) => [p.phase, p.ms, p.result])).toEqual([
      ['registry', 20_000, 'done'],
      ['image', 45_000, 'done'],
      ['service', 150_000, 'done'],
    ]);
    expect(outcome.receipt.totalMs).toBe(215_000);
  });

  it('warns, without failing, when your public IP is outside AllowedIP', async () => {
    // GIVEN the stack admits one CIDR and you are elsewhere
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stack({ Parameters: [{ ParameterKey: 'AllowedIP', ParameterValue: '203.0.113.0/24' }] }),
      ],
    });
    const h = harness();
    h.deps.probe = async () => ({ ok: false, error: 'UND_ERR_CONNECT_TIMEOUT' });
    // WHEN deploying
    const outcome = await runDeploy(request, h.deps);
    // THEN the receipt carries the warning with its fix
    expect(outcome.ok && outcome.receipt.warnings[0]).toMatch(
      /198\.51\.100\.7 is outside AllowedIP 203\.0\.113\.0\/24.*--allowed-ip=198\.51\.100\.7\/32/,
    );
    expect(outcome.ok && outcome.receipt.answersFromHere).toBe(false);
  });
});

describe('deployAndReport', () => {
  it('exits 1 and prints the diagnosis when the rollout failed', async () => {
    // GIVEN a rollout the breaker fails
    const h = harness();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [failedRolloutService()] });
    h.deps.deployStack = async (name) => {
      if (name === 'service') throw new Error('cdk deploy failed (exit 1)');
    };
    const out: string[] = [];
    const err: string[] = [];
    // WHEN the deploy command runs
    const code = await deployAndReport(request, h.deps, {
      json: false,
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    // THEN exit 1, the findings and a last line naming the failed step; nothing on stdout
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/ERROR /);
    expect(err.at(-1)).toMatch(/^infra:deploy: service failed: /);
    expect(out).toEqual([]);
  });

  it('prints the receipt as JSON on stdout with --json', async () => {
    // GIVEN a successful deploy
    const h = harness();
    const out: string[] = [];
    // WHEN run with --json
    const code = await deployAndReport(request, h.deps, {
      json: true,
      out: (t) => out.push(t),
      err: () => undefined,
    });
    // THEN stdout is one JSON receipt
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ gitSha: GIT_SHA, image: { tag: NEW_TAG } });
  });

  it('exits 2 when AWS credentials are missing', async () => {
    // GIVEN no credentials: the first AWS call fails
    cfnMock.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    const h = harness();
    const err: string[] = [];
    // WHEN deploying
    const code = await deployAndReport(request, h.deps, {
      json: false,
      out: () => undefined,
      err: (t) => err.push(t),
    });
    // THEN a one-line problem with the next step and exit 2
    expect(code).toBe(2);
    expect(err.at(-1)).toMatch(/registry failed: no AWS credentials found: run `aws configure`/);
  });
});

describe('deployAndReport: the image checks come before the service stack', () => {
  it('GIVEN an image built for another CPU than the task THEN exit 1 at the image step, nothing deployed', async () => {
    // GIVEN an ARM64 task and the amd64 image the push reported
    const h = harness();
    const err: string[] = [];
    // WHEN deploying
    const code = await deployAndReport({ ...request, taskArchitecture: 'ARM64' }, h.deps, {
      json: false,
      out: () => undefined,
      err: (t) => err.push(t),
    });
    // THEN refused in one line naming the rebuild, and cdk deploy never ran
    expect(code).toBe(1);
    expect(err.at(-1)).toMatch(
      /^infra:deploy: image failed: image \S+ is built for linux\/amd64, but the task runs ARM64: rebuild with CPU_ARCHITECTURE=ARM64/,
    );
    expect(h.calls.some((c) => c.startsWith('deploy service'))).toBe(false);
  });

  it('GIVEN a CRITICAL finding THEN exit 1 listing it; with --allow-vulnerable the receipt records the override', async () => {
    // GIVEN the image's scan found a CRITICAL vulnerability
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete(BASIC_FINDINGS));
    const refused = harness();
    const err: string[] = [];
    // WHEN deploying, then deploying with --allow-vulnerable
    const code = await deployAndReport(request, refused.deps, {
      json: false,
      out: () => undefined,
      err: (t) => err.push(t),
    });
    const allowed = harness();
    const outcome = await runDeploy(
      { ...request, scanGate: { ...request.scanGate, allowVulnerable: true } },
      allowed.deps,
    );
    // THEN the first is refused before the stack changed; the second deploys and says why
    expect(code).toBe(1);
    expect(err.at(-1)).toMatch(
      /^infra:deploy: image failed: \S+ has 1 finding at or above CRITICAL: CVE-2024-5535/,
    );
    expect(refused.calls.some((c) => c.startsWith('deploy service'))).toBe(false);
    expect(outcome.ok && outcome.receipt.scan).toMatchObject({
      allowVulnerable: true,
      atOrAbove: 1,
      maxSeverity: 'CRITICAL',
    });
    expect(outcome.ok && outcome.receipt.warnings.join('\n')).toMatch(
      /^deploying anyway \(--allow-vulnerable\)/m,
    );
  });
});

describe('runDeploy --service-only', () => {
  const serviceOnly: DeployRequest = { ...request, serviceOnly: true, imageTag: NEW_TAG };

  it('deploys only the service stack with the tag, reading the registry stack, pushing nothing', async () => {
    // GIVEN the registry stack an administrator deployed, holding the tag
    const h = harness();
    // WHEN deploying the service only
    const outcome = await runDeploy(serviceOnly, h.deps);
    // THEN the only cdk deploy is the service stack's, and the receipt says the registry was skipped
    expect(h.calls).toEqual([`deploy service ImageTag=${NEW_TAG}`]);
    expect(outcome.ok && outcome.receipt.phases[0]).toMatchObject({
      phase: 'registry',
      result: 'skipped',
      note: 'service only: not deployed, outputs read',
    });
    expect(outcome.ok && outcome.receipt.image.repository).toBe(REPOSITORY_URI);
  });

  it('fails at the registry step, deploying nothing, when the registry stack does not exist', async () => {
    // GIVEN no registry stack in the region
    cfnMock
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .rejects(stackMissingError(`${NAME}-registry`));
    const h = harness();
    // WHEN deploying the service only
    const outcome = await runDeploy(serviceOnly, h.deps);
    // THEN nothing is deployed, and the problem says who deploys the registry stack
    expect(h.calls).toEqual([]);
    expect(!outcome.ok && outcome.phase).toBe('registry');
    expect(!outcome.ok && outcome.problem).toEqual({
      kind: 'stack-not-found',
      message: `stack ${NAME}-registry is not deployed in ${REGION}, and --service-only does not deploy it: an administrator deploys it: npx nx run infra:deploy-registry (or infra:deploy-ci)`,
    });
  });

  it('names the state of a registry stack that exists without its repository output', async () => {
    // GIVEN a registry stack whose creation rolled back
    cfnMock
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .resolves({ Stacks: [registryStack({ StackStatus: 'ROLLBACK_COMPLETE', Outputs: [] })] });
    const h = harness();
    // WHEN deploying the service only
    const outcome = await runDeploy(serviceOnly, h.deps);
    // THEN the message says what is wrong with it, and who fixes it
    expect(!outcome.ok && outcome.problem.message).toMatch(
      /^stack hello-world-ecr-ecs-fargate-registry has no ECRRepositoryUri output \(status ROLLBACK_COMPLETE\), and --service-only does not deploy it: an administrator fixes it: its creation failed and it cannot be updated: delete it .*then run `npx nx run infra:deploy-registry`$/,
    );
  });
});

describe('runDeploy: an AllowedIP of the whole internet is said out loud', () => {
  it('GIVEN the stack keeps AllowedIP 0.0.0.0/0 THEN a WARNING progress line says how to narrow it', async () => {
    const h = harness();
    await runDeploy(request, h.deps);
    expect(h.progress).toContain(
      'WARNING: hello-world-ecr-ecs-fargate admits the whole internet on port 49000 (AllowedIP 0.0.0.0/0): narrow it with --allowed-ip=$(curl -s https://checkip.amazonaws.com)/32',
    );
  });

  it('GIVEN the stack keeps AllowedIP 0.0.0.0/0 THEN the receipt says openToInternet, with the warning', async () => {
    const h = harness();
    const outcome = await runDeploy(request, h.deps);
    expect(outcome.ok && outcome.receipt).toMatchObject({
      allowedIp: '0.0.0.0/0',
      openToInternet: true,
      warnings: [expect.stringMatching(/admits the whole internet.*checkip\.amazonaws\.com/)],
    });
  });

  it('GIVEN a /32 THEN no whole-internet warning, and openToInternet is false', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stack({ Parameters: stackParameters({ imageTag: NEW_TAG, allowedIp: '198.51.100.7/32' }) }),
      ],
    });
    const h = harness();
    const outcome = await runDeploy(request, h.deps);
    expect(h.progress.filter((line) => line.startsWith('WARNING'))).toEqual([]);
    expect(outcome.ok && outcome.receipt.openToInternet).toBe(false);
  });
});

describe('runDeploy: the deployed marker', () => {
  it('puts deployed-<stack> on the deployed digest, with the manifest ECR holds', async () => {
    // GIVEN a deploy that succeeds
    const h = harness();
    // WHEN it finishes
    await runDeploy(request, h.deps);
    // THEN the image was read by its digest (after its platform was read by tag) and put again
    // under the marker tag
    expect(ecrMock.commandCalls(BatchGetImageCommand).at(-1)?.args[0].input).toMatchObject({
      repositoryName: NAME,
      imageIds: [{ imageDigest: NEW_DIGEST }],
    });
    expect(ecrMock.commandCalls(PutImageCommand)[0]?.args[0].input).toEqual({
      repositoryName: NAME,
      imageTag: MARKER,
      imageManifest: IMAGE_MANIFEST,
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      imageDigest: NEW_DIGEST,
    });
  });

  it('GIVEN the role may not PutImage THEN the deploy still succeeds, with a warning in progress and receipt', async () => {
    ecrMock
      .on(PutImageCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:sts::123456789012:assumed-role/github-actions-deploy/GitHubActions is not authorized to perform: ecr:PutImage on resource: arn:aws:ecr:${REGION}:123456789012:repository/${NAME} because no identity-based policy allows the ecr:PutImage action`,
        ),
      );
    const h = harness();
    const outcome = await runDeploy(request, h.deps);
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.receipt.image.markerTag).toBeUndefined();
    const warning = expect.stringMatching(
      /^could not tag the deployed image deployed-hello-world-ecr-ecs-fargate \(access denied: your AWS identity may not call ecr:PutImage/,
    );
    expect(outcome.ok && outcome.receipt.warnings).toContainEqual(warning);
    expect(h.progress).toContainEqual(expect.stringMatching(/^WARNING: could not tag/));
  });

  it('GIVEN the rollout failed THEN no marker moves to the image that did not start', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [failedRolloutService()] });
    const h = harness();
    await runDeploy(request, h.deps);
    expect(ecrMock.commandCalls(PutImageCommand)).toHaveLength(0);
  });
});

describe('deployAndReport --service-only', () => {
  it('GIVEN no registry stack THEN exit 2 and one line naming the administrator step', async () => {
    cfnMock
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .rejects(stackMissingError(`${NAME}-registry`));
    const h = harness();
    const err: string[] = [];
    const code = await deployAndReport(
      { ...request, serviceOnly: true, imageTag: NEW_TAG },
      h.deps,
      { json: false, out: () => undefined, err: (t) => err.push(t) },
    );
    expect(code).toBe(2);
    expect(err).toEqual([
      `infra:deploy: registry failed: stack ${NAME}-registry is not deployed in ${REGION}, and --service-only does not deploy it: an administrator deploys it: npx nx run infra:deploy-registry (or infra:deploy-ci)`,
    ]);
  });

  it('GIVEN --json THEN the receipt carries allowedIp, openToInternet and the skipped registry', async () => {
    const h = harness();
    const out: string[] = [];
    await deployAndReport({ ...request, serviceOnly: true, imageTag: NEW_TAG }, h.deps, {
      json: true,
      out: (t) => out.push(t),
      err: () => undefined,
    });
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      allowedIp: '0.0.0.0/0',
      openToInternet: true,
      image: { tag: NEW_TAG, markerTag: MARKER },
      phases: [{ phase: 'registry', result: 'skipped' }, {}, {}, {}, {}],
    });
  });
});

describe('runDeploy: a deploy that changed nothing says so', () => {
  it('GIVEN CDK changed nothing and the service still runs its deployment THEN nothingChanged, noted on the phases', async () => {
    // The same stack and PRIMARY deployment before and after the stack update.
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service()] });
    const h = harness();
    const outcome = await runDeploy(request, h.deps);
    expect(outcome.ok && outcome.receipt.nothingChanged).toBe(true);
    expect(outcome.ok && outcome.receipt.phases.slice(2, 4)).toMatchObject([
      { phase: 'service', note: 'no changes' },
      { phase: 'wait', note: `no new deployment: ${DEPLOYMENT_ID} already ran` },
    ]);
  });

  it('GIVEN a new deployment rolled out THEN nothingChanged is false', async () => {
    const outcome = await runDeploy(request, harness().deps);
    expect(outcome.ok && outcome.receipt.nothingChanged).toBe(false);
  });

  it('GIVEN --json and nothing changed THEN the JSON receipt carries nothingChanged: true', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service()] });
    const out: string[] = [];
    await deployAndReport(request, harness().deps, {
      json: true,
      out: (t) => out.push(t),
      err: () => undefined,
    });
    expect(JSON.parse(out.join('\n'))).toMatchObject({ nothingChanged: true });
  });
});

describe('runDeploy: the task definition must run the deployed image', () => {
  it('GIVEN the rollout ends on a task definition of another tag THEN the deploy fails at the wait, naming both', async () => {
    taskDefinitionRuns(`${REPOSITORY_URI}:sha-0a0a0a0-ecr-ecs-fargate`);
    const h = harness();
    const err: string[] = [];
    const code = await deployAndReport(request, h.deps, {
      json: false,
      out: () => undefined,
      err: (t) => err.push(t),
    });
    expect(code).toBe(1);
    expect(err.at(-1)).toBe(
      `infra:deploy: wait failed: the service runs task definition hello-world:7 with ${REPOSITORY_URI}:sha-0a0a0a0-ecr-ecs-fargate, not ${REPOSITORY_URI}:${NEW_TAG}: another deploy may have replaced it; see \`npx nx run infra:status\`, then deploy again`,
    );
    // AND no deployed marker goes on an image the service does not run
    expect(ecrMock.commandCalls(PutImageCommand)).toHaveLength(0);
  });

  it('GIVEN the task definition pins the image by the pushed digest THEN it is the deployed image', async () => {
    taskDefinitionRuns(`${REPOSITORY_URI}@${NEW_DIGEST}`);
    const outcome = await runDeploy(request, harness().deps);
    expect(outcome.ok && outcome.receipt.taskDefinition).toEqual({
      arn: TASK_DEF_ARN,
      family: 'hello-world',
      revision: 7,
      image: `${REPOSITORY_URI}@${NEW_DIGEST}`,
    });
  });
});

/** A `cdk deploy` still running at the deadline: it ends (rejects) only when its signal aborts. */
function hangingCdk(h: Harness): DeployDeps['deployStack'] {
  return (name, _parameters, options) =>
    new Promise((_resolve, reject) => {
      h.calls.push(`deploy ${name}`);
      options?.signal?.addEventListener('abort', () => {
        h.calls.push('cdk deploy ended');
        reject(new Error('cdk deploy hello-world-ecr-ecs-fargate failed (signal SIGTERM)'));
      });
    });
}

const SERVICE_DEPLOYMENT_ARN = `arn:aws:ecs:${REGION}:123456789012:service-deployment/${NAME}/${NAME}/Kx3vPq9ZtR7mW2bYcD8eF`;

describe('runDeploy --timeout: during the CloudFormation update', () => {
  beforeEach(() => {
    cfnMock
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_IN_PROGRESS' })] });
    cfnMock
      .on(DescribeStacksCommand, { StackName: stack().StackId })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })] });
    cfnMock.on(CancelUpdateStackCommand).resolves({});
  });

  it('GIVEN cdk deploy outlasts --timeout THEN ends it, cancels the stack update, waits for the rollback and fails with kind timeout', async () => {
    const h = harness();
    h.deps.deployStack = hangingCdk(h);
    const started = h.deps.clock.now();
    const outcome = await runDeploy(request, h.deps);
    expect(h.calls).toContain('cdk deploy ended');
    expect(cfnMock.commandCalls(CancelUpdateStackCommand)).toHaveLength(1);
    expect(!outcome.ok && outcome.phase).toBe('service');
    expect(!outcome.ok && outcome.problem.kind).toBe('timeout');
    expect(!outcome.ok && outcome.problem.message).toBe(
      `the deploy took longer than --timeout 10m: the service stack was still updating; aborted: the update of ${NAME} was cancelled and rolled back (UPDATE_ROLLBACK_COMPLETE); the service runs the previous version; fix what the diagnosis shows, or give it longer (--timeout=20m)`,
    );
    // AND the deadline is the request's, on the injected clock
    expect(!outcome.ok && outcome.phases.find((p) => p.phase === 'service')?.ms).toBe(600_000);
    expect(h.deps.clock.now() - started).toBeGreaterThanOrEqual(600_000);
    // AND the doctor's diagnosis comes with it
    expect(!outcome.ok && outcome.diagnosis).toBeDefined();
  });

  it('GIVEN --no-rollback THEN cancels nothing, and says the update goes on, how to watch and stop it', async () => {
    const h = harness();
    h.deps.deployStack = hangingCdk(h);
    const outcome = await runDeploy({ ...request, noRollback: true }, h.deps);
    expect(cfnMock.commandCalls(CancelUpdateStackCommand)).toHaveLength(0);
    expect(!outcome.ok && outcome.problem).toEqual({
      kind: 'timeout',
      message: `the deploy took longer than --timeout 10m: the service stack was still updating; --no-rollback: the update of ${NAME} goes on (UPDATE_IN_PROGRESS): watch it with \`npx nx run infra:status\`, stop it with \`npx nx run infra:abort\``,
    });
  });

  it('GIVEN cdk deploy finishes within --timeout THEN nothing is aborted', async () => {
    const h = harness();
    cfnMock
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ Parameters: stackParameters({ imageTag: NEW_TAG }) })] });
    const outcome = await runDeploy(request, h.deps);
    expect(outcome.ok).toBe(true);
    expect(cfnMock.commandCalls(CancelUpdateStackCommand)).toHaveLength(0);
  });
});

describe('runDeploy --timeout: during the ECS rollout', () => {
  beforeEach(() => {
    // The stack update returned; its rollout never completes.
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        service({
          runningCount: 1,
          deployments: [
            deployment({
              id: DEPLOYMENT_ID,
              rolloutState: 'IN_PROGRESS',
              rolloutStateReason: 'ECS deployment ecs-svc/1234567890123456789 in progress.',
              runningCount: 0,
              pendingCount: 1,
              failedTasks: 0,
            }),
            deployment({
              id: OLD_DEPLOYMENT_ID,
              status: 'ACTIVE',
              taskDefinition: OLD_TASK_DEF_ARN,
            }),
          ],
        }),
      ],
    });
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stack({
          StackStatus: 'UPDATE_COMPLETE',
          Parameters: stackParameters({ imageTag: NEW_TAG }),
        }),
      ],
    });
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
          serviceArn: `arn:aws:ecs:${REGION}:123456789012:service/${NAME}/${NAME}`,
          clusterArn: `arn:aws:ecs:${REGION}:123456789012:cluster/${NAME}`,
          startedAt: new Date('2026-11-25T18:02:30Z'),
          createdAt: new Date('2026-11-25T18:02:30Z'),
          status: 'IN_PROGRESS',
        },
      ],
    });
    ecsMock
      .on(StopServiceDeploymentCommand)
      .resolves({ serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
          status: 'ROLLBACK_SUCCESSFUL',
          rollback: {
            reason: 'Service deployment rolled back because of a StopServiceDeployment request.',
            startedAt: new Date('2026-11-25T18:10:00Z'),
            serviceRevisionArn: `arn:aws:ecs:${REGION}:123456789012:service-revision/${NAME}/${NAME}/8571093648162048713`,
          },
        },
      ],
      failures: [],
    });
  });

  it('GIVEN the rollout outlasts --timeout THEN stops it with ROLLBACK and fails with kind timeout, saying what was going on', async () => {
    const h = harness();
    const outcome = await runDeploy(request, h.deps);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
      stopType: 'ROLLBACK',
    });
    expect(!outcome.ok && outcome.phase).toBe('wait');
    expect(!outcome.ok && outcome.problem.kind).toBe('timeout');
    expect(!outcome.ok && outcome.problem.message).toMatch(
      /^the deploy took longer than --timeout 10m: the rollout was still going \(deployment ecs-svc\/1234567890123456789 still IN_PROGRESS after \d+ s \(0\/1 running, 0 failed tasks\)\); aborted: the rollout of hello-world-ecr-ecs-fargate was stopped and rolled back \(ROLLBACK_SUCCESSFUL\)/,
    );
    // AND the whole deploy, stack update included, stayed within the deadline
    expect(!outcome.ok && outcome.phases.reduce((sum, p) => sum + p.ms, 0)).toBe(
      20_000 + 45_000 + 600_000,
    );
  });

  it('GIVEN --no-rollback THEN stops nothing, and says the rollout goes on with status and abort', async () => {
    const h = harness();
    const outcome = await runDeploy({ ...request, noRollback: true }, h.deps);
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(!outcome.ok && outcome.problem.message).toMatch(
      /; --no-rollback: the rollout goes on \(service deployment IN_PROGRESS\): watch it with `npx nx run infra:status`, stop it with `npx nx run infra:abort`$/,
    ); // AND the diagnosis names the rollout still going, though younger than the doctor's 15 minutes
    expect(!outcome.ok && outcome.diagnosis?.findings.map((f) => f.code)).toContain(
      'service-not-stabilising',
    );
  });

  it('GIVEN a timeout THEN deployAndReport exits 1 with the diagnosis, and --json says problem.kind timeout', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await deployAndReport(request, harness().deps, {
      json: true,
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    expect(code).toBe(1);
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      ok: false,
      phase: 'wait',
      problem: { kind: 'timeout' },
    });
    expect(err.at(-1)).toMatch(
      /^infra:deploy: wait failed: the deploy took longer than --timeout 10m/,
    );
  });
});

describe('runDeploy: ingress dns and alb', () => {
  const DOMAIN = 'api.example.com';
  const ZONE = 'Z0123456789ABCDEFGHIJ';
  /** No updater named: the wait relies on the rollout's task events alone. */
  const dnsWithoutUpdater: DeployRequest = {
    ...request,
    ingress: { mode: 'dns', domainName: DOMAIN, hostedZoneId: ZONE },
  };
  const dns: DeployRequest = { ...dnsWithoutUpdater, dnsUpdaterFunction: UPDATER };
  /** The hosted zone as Route 53's API holds it: the A record with `values`, ours by its TXT. */
  const zoneHolds = (values: string[]) =>
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake(
        listRecordSets([...zoneApexRecordSets(), aRecordSet(values), ownerRecordSet(NAME)]),
      );
  /**
   * The zone's records as they change, and an updater that does what the Lambda does when run:
   * the record and its owner TXT on the running task's IP, answering what it did.
   */
  function updaterSetsRecord(initial: ResourceRecordSet[] = []) {
    let records = initial;
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake((input) => listRecordSets([...zoneApexRecordSets(), ...records])(input));
    aws.lambda.on(InvokeCommand, { FunctionName: UPDATER }).callsFake(() => {
      const action = records.length ? 'updated' : 'created';
      records = [aRecordSet([PUBLIC_IP]), ownerRecordSet(NAME)];
      return invokeSucceeded({ action, values: [PUBLIC_IP] });
    });
  }
  const invocations = () =>
    aws.lambda.commandCalls(InvokeCommand).map((c) => ({
      FunctionName: c.args[0].input.FunctionName,
      InvocationType: c.args[0].input.InvocationType,
    }));

  it('GIVEN dns and the updater already set the new task’s IP THEN a dns phase before url, and the URL is the name', async () => {
    zoneHolds([PUBLIC_IP]);
    aws.lambda
      .on(InvokeCommand)
      .resolves(invokeSucceeded({ action: 'unchanged', values: [PUBLIC_IP] }));
    const h = harness();
    const outcome = await runDeploy(dns, h.deps);
    expect(outcome.ok && outcome.receipt.phases.map((p) => `${p.phase} ${p.result}`)).toEqual([
      'registry done',
      'image done',
      'service done',
      'wait done',
      'dns done',
      'url done',
    ]);
    expect(outcome.ok && outcome.receipt.url).toBe(`http://${DOMAIN}:49000/`);
    expect(h.progress).toContain(`${UPDATER}: record unchanged (${PUBLIC_IP})`);
    expect(h.progress).toContain(`${DOMAIN} → ${PUBLIC_IP}`);
  });

  it('GIVEN dns after a rollout THEN the updater is run once, synchronously, before the wait', async () => {
    updaterSetsRecord();
    const outcome = await runDeploy(dns, harness().deps);
    expect(outcome.ok).toBe(true);
    expect(invocations()).toEqual([{ FunctionName: UPDATER, InvocationType: 'RequestResponse' }]);
  });

  it('GIVEN dns and a record still on the old task past --timeout THEN exit 1, one line with both sides and doctor', async () => {
    zoneHolds(['52.18.200.7']);
    const err: string[] = [];
    const code = await deployAndReport(
      { ...dnsWithoutUpdater, timeoutMs: 200_000 },
      harness().deps,
      {
        json: false,
        out: () => undefined,
        err: (t) => err.push(t),
      },
    );
    expect(code).toBe(1);
    expect(err.at(-1)).toBe(
      `infra:deploy: dns failed: ${DOMAIN} still holds 52.18.200.7 while the running tasks are ${PUBLIC_IP} (the deploy's --timeout passed; the service itself is deployed): see \`npx nx run infra:doctor\``,
    );
    expect(aws.lambda.calls()).toHaveLength(0);
  });

  it('GIVEN dns and no new ECS deployment (no task event) THEN the run of the updater sets the record, and the deploy succeeds', async () => {
    // The same PRIMARY deployment before and after the stack update: ECS started no task.
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service()] });
    updaterSetsRecord();
    const h = harness();
    const outcome = await runDeploy(dns, h.deps);
    expect(outcome.ok && outcome.receipt.url).toBe(`http://${DOMAIN}:49000/`);
    expect(h.progress).toContain(`${UPDATER}: record created (${PUBLIC_IP})`);
    expect(h.progress).toContain(`${DOMAIN} → ${PUBLIC_IP}`);
    expect(invocations()).toHaveLength(1);
  });

  it('GIVEN the updater ran and the record still differs with no task event coming THEN at once, naming the run and its logs', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service()] });
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake(listRecordSets([...zoneApexRecordSets()]));
    // The task's ENI had no public IP yet when it ran: it skipped the task.
    aws.lambda.on(InvokeCommand).resolves(invokeSucceeded({ action: 'unchanged', values: [] }));
    const h = harness();
    const t0 = h.deps.clock.now();
    const outcome = await runDeploy(dns, h.deps);
    expect(!outcome.ok && outcome.problem.message).toBe(
      `${DOMAIN} still holds no A record while the running tasks are ${PUBLIC_IP}, though this deploy ran its updater ${UPDATER}, answering unchanged, and no task change is coming to run it again (the service itself is deployed): see \`npx nx run infra:doctor\` and the log group /aws/lambda/${UPDATER}`,
    );
    // Not a wait to --timeout: the stack update's 150 s and the reads, no polling.
    expect(h.deps.clock.now() - t0).toBeLessThan(200_000);
  });

  it('GIVEN a switch from alb to dns THEN the updater run after the alias’s removal sets the record', async () => {
    // The rollout's task events came while the alias held the name; the cleanup removed it since.
    updaterSetsRecord();
    const outcome = await runDeploy({ ...dns, previousIngress: 'alb' }, harness().deps);
    expect(outcome.ok && outcome.receipt.phases.find((p) => p.phase === 'dns')?.result).toBe(
      'done',
    );
    expect(invocations()).toHaveLength(1);
  });

  it('GIVEN the updater throws THEN exit 1 at the dns phase, one line with its error and doctor', async () => {
    aws.lambda
      .on(InvokeCommand)
      .resolves(
        invokeFunctionError(
          'InvalidChangeBatch',
          `[Tried to create resource record set [name='${DOMAIN}.', type='A'] but it already exists]`,
        ),
      );
    const err: string[] = [];
    const code = await deployAndReport(dns, harness().deps, {
      json: false,
      out: () => undefined,
      err: (t) => err.push(t),
    });
    expect(code).toBe(1);
    expect(err.at(-1)).toBe(
      `infra:deploy: dns failed: the dns updater ${UPDATER} failed (InvalidChangeBatch: [Tried to create resource record set [name='${DOMAIN}.', type='A'] but it already exists]); its log group /aws/lambda/${UPDATER} says more: see \`npx nx run infra:doctor\``,
    );
    expect(aws.route53.calls()).toHaveLength(0);
  });

  it('GIVEN an identity that may not invoke the updater THEN exit 2, one line naming lambda:InvokeFunction', async () => {
    aws.lambda
      .on(InvokeCommand)
      .rejects(
        invokeDenied(
          'arn:aws:sts::123456789012:assumed-role/github-actions-hello-world-deploy/GitHubActions',
        ),
      );
    const err: string[] = [];
    const code = await deployAndReport(dns, harness().deps, {
      json: false,
      out: () => undefined,
      err: (t) => err.push(t),
    });
    expect(code).toBe(2);
    expect(err.at(-1)).toBe(
      `infra:deploy: dns failed: your AWS identity may not call lambda:InvokeFunction on ${UPDATER}, which the deploy runs once to set the record: add it to the deploy role's (or your) IAM policy`,
    );
  });

  it('GIVEN alb THEN no dns phase, no Route 53 or Lambda call, and the URL is https on the name', async () => {
    const h = harness();
    const outcome = await runDeploy(
      { ...request, ingress: { mode: 'alb', domainName: DOMAIN, hostedZoneId: ZONE } },
      h.deps,
    );
    expect(outcome.ok && outcome.receipt.url).toBe(`https://${DOMAIN}/`);
    expect(outcome.ok && outcome.receipt.phases.map((p) => p.phase)).not.toContain('dns');
    expect(aws.route53.calls()).toHaveLength(0);
    expect(aws.lambda.calls()).toHaveLength(0);
  });

  it('GIVEN public-ip (no ingress in the request) THEN neither Route 53 nor Lambda is called', async () => {
    const outcome = await runDeploy(request, harness().deps);
    expect(outcome.ok && outcome.receipt.url).toBe(`http://${PUBLIC_IP}:49000`);
    expect(aws.route53.calls()).toHaveLength(0);
    expect(aws.lambda.calls()).toHaveLength(0);
  });
});
