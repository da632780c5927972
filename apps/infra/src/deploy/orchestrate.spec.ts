import { DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  NAME,
  PUBLIC_IP,
  REGION,
  REPOSITORY_URI,
  TASK_DEF_ARN,
  awsError,
  deployment,
  failedRolloutService,
  fakeClock,
  service,
  stack,
  stackParameters,
  arrangeHealthyDeployment,
  mockAwsClients,
} from '@hello-world/aws-ops/testing';
import { deployAndReport } from './deploy-cli';
import { runDeploy, type DeployDeps, type DeployRequest } from './orchestrate';
import type { PushReport } from './push-report';

const aws = mockAwsClients();
const { cfn: cfnMock, ecs: ecsMock, ecr: ecrMock, logs: logsMock } = aws;

const NEW_TAG = 'sha-9f8e7d6-ecr-ecs-fargate';
const NEW_DIGEST = 'sha256:' + 'ab'.repeat(32);
const GIT_SHA = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

const request: DeployRequest = {
  region: REGION,
  registryStackName: `${NAME}-registry`,
  serviceStackName: NAME,
  timeoutMs: 600_000,
  pollIntervalMs: 5_000,
};

interface Harness {
  deps: DeployDeps;
  calls: string[];
  progress: string[];
}

/** Fake phase runners that log their calls and take simulated time on the fake clock. */
function harness(
  push: PushReport = { repository: REPOSITORY_URI, tag: NEW_TAG, digest: NEW_DIGEST, pushed: true },
): Harness {
  const calls: string[] = [];
  const progress: string[] = [];
  const clock = fakeClock();
  const deps: DeployDeps = {
    clients: aws.clients(),
    deployStack: async (name, parameters) => {
      calls.push(`deploy ${name}${parameters.imageTag ? ` ImageTag=${parameters.imageTag}` : ''}`);
      await clock.sleep(name === 'registry' ? 20_000 : 150_000);
    },
    pushImage: async () => {
      calls.push('push');
      await clock.sleep(45_000);
      return push;
    },
    gitSha: async () => GIT_SHA,
    callerIp: async () => '198.51.100.7',
    probe: async () => ({ ok: true, status: 200 }),
    clock,
    progress: (line) => progress.push(line),
  };
  return { deps, calls, progress };
}

beforeEach(() => {
  // A healthy deployment whose service stack already names the tag this deploy pushes.
  arrangeHealthyDeployment(aws);
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
    expect(h.calls).toEqual(['deploy registry', 'push', `deploy service ImageTag=${NEW_TAG}`]);
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
    expect(h.calls).toEqual(['deploy registry', `deploy service ImageTag=${NEW_TAG}`]);
    expect(outcome.ok && outcome.receipt.phases[1]).toMatchObject({
      phase: 'image',
      result: 'skipped',
    });
    expect(outcome.ok && outcome.receipt.image).toEqual({
      repository: REPOSITORY_URI,
      tag: NEW_TAG,
      digest: NEW_DIGEST,
      pushed: false,
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
    expect(h.calls).toEqual(['deploy registry']);
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
    // GIVEN every step succeeds, taking simulated time
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
      image: { repository: REPOSITORY_URI, tag: NEW_TAG, digest: NEW_DIGEST, pushed: true },
      taskDefinition: { arn: TASK_DEF_ARN, family: 'hello-world', revision: 7 },
      url: `http://${PUBLIC_IP}:49000`,
      answersFromHere: true,
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
