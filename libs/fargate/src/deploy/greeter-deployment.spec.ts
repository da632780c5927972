// A second deployment, apps/greeter-infra (service greeter, port 49010), through the whole deploy
// CLI: every stack, AWS call, target and line is greeter's; none is hello-world's.
import {
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type DescribeStacksCommandInput,
} from '@aws-sdk/client-cloudformation';
import { FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  GetDownloadUrlForLayerCommand,
  PutImageCommand,
  type PutImageCommandInput,
} from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  CONFIG_DOWNLOAD,
  basicScanComplete,
  configBlobFetch,
  PUBLIC_IP,
  REPOSITORY_URI,
  TAG,
  TASK_ARN,
  TASK_DEF_ARN,
  awsError,
  batchGetImageResult,
  deployment,
  fakeClock,
  failedRolloutService,
  mockAwsClients,
  networkInterface,
  registryStack,
  runningTask,
  service,
  stack,
  stackMissingError,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import { runDeployCli, type DeployCliDeps } from './deploy-cli';
import type { RegistryReport } from './push-report';

/** apps/greeter-infra: cdk.json names service greeter and port 49010. */
const GREETER = { project: 'greeter-infra', names: deploymentNames('greeter'), port: 49010 };
const DIGEST = 'sha256:' + '5e'.repeat(32);

/**
 * The shared fixtures are hello-world's account; greeter's is the same payloads under greeter's
 * names (stack, cluster, service, repository, task family, container), as AWS returns them for it.
 */
function forGreeter<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('hello-world', 'greeter') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => forGreeter(item)) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, forGreeter(item)]),
  ) as T;
}

const NAME = GREETER.names.deployment;
const GREETER_REPOSITORY_URI = forGreeter(REPOSITORY_URI);
const GREETER_TASK_ARN = forGreeter(TASK_ARN);

const aws = mockAwsClients();

/** greeter's healthy account, and nothing of hello-world's: a hello-world name finds nothing. */
function arrangeGreeterAccount(): void {
  aws.reset();
  aws.cfn.on(DescribeStacksCommand).rejects(stackMissingError('hello-world-ecr-ecs-fargate'));
  aws.cfn
    .on(DescribeStacksCommand, { StackName: NAME })
    .resolves({ Stacks: [forGreeter(stack())] });
  aws.cfn
    .on(DescribeStacksCommand, { StackName: GREETER.names.registryStack })
    .resolves({ Stacks: [forGreeter(registryStack())] });
  aws.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  aws.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
  aws.ecs
    .on(DescribeServicesCommand, { cluster: NAME, services: [NAME] })
    .resolves({ services: [forGreeter(service())] });
  aws.ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: forGreeter(TASK_DEF_ARN),
      family: 'greeter',
      revision: 7,
      containerDefinitions: [
        { name: 'greeter', image: `${GREETER_REPOSITORY_URI}:${TAG}`, essential: true },
      ],
      memory: '512',
      cpu: '256',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    },
  });
  aws.ecs
    .on(ListTasksCommand, { cluster: NAME, desiredStatus: 'RUNNING' })
    .resolves({ taskArns: [GREETER_TASK_ARN] });
  aws.ecs
    .on(ListTasksCommand, { cluster: NAME, desiredStatus: 'STOPPED' })
    .resolves({ taskArns: [] });
  aws.ecs
    .on(DescribeTasksCommand, { cluster: NAME, tasks: [GREETER_TASK_ARN] })
    .resolves({ tasks: [forGreeter(runningTask())] });
  aws.ec2.on(DescribeNetworkInterfacesCommand).resolves(networkInterface());
  aws.ecr
    .on(DescribeImagesCommand, { repositoryName: NAME, imageIds: [{ imageTag: TAG }] })
    .resolves({ imageDetails: [{ repositoryName: NAME, imageDigest: DIGEST, imageTags: [TAG] }] });
  aws.ecr.on(BatchGetImageCommand).resolves(forGreeter(batchGetImageResult(DIGEST)));
  aws.ecr.on(PutImageCommand).resolves({});
  aws.ecr.on(GetDownloadUrlForLayerCommand).resolves(CONFIG_DOWNLOAD);
  aws.ecr
    .on(DescribeImageScanFindingsCommand)
    .resolves({ ...basicScanComplete([]), repositoryName: NAME });
  aws.logs.on(GetLogEventsCommand).resolves({ events: [] });
  aws.logs.on(FilterLogEventsCommand).resolves({ events: [] });
}

/** What a service stack update leaves: the stack updated, a new PRIMARY deployment completed. */
function arrangeRollout(): void {
  aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
    Stacks: [
      forGreeter(
        stack({
          StackStatus: 'UPDATE_COMPLETE',
          LastUpdatedTime: new Date('2026-11-25T18:02:30Z'),
        }),
      ),
    ],
  });
  aws.ecs.on(DescribeServicesCommand, { cluster: NAME, services: [NAME] }).resolves({
    services: [
      forGreeter(service({ deployments: [deployment({ id: 'ecs-svc/5550001112223334445' })] })),
    ],
  });
}

interface Harness {
  deps: DeployCliDeps;
  /** The stacks handed to cdk deploy, in order. */
  deployed: string[];
  out: string[];
  err: string[];
}

/** bin/deploy.ts run in apps/greeter-infra: its deployment, reports and a fake CDK CLI. */
function harness(overrides: Partial<DeployCliDeps> = {}): Harness {
  const deployed: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  let registryReport: RegistryReport | undefined;
  const deps: DeployCliDeps = {
    deployment: GREETER,
    env: {},
    readAssemblyRegion: () => 'eu-west-1',
    readTaskArchitecture: () => 'X86_64',
    readTaskSecrets: () => [],
    fetchText: configBlobFetch(),
    createClients: () => aws.clients(),
    resolveCredentials: async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }),
    deployStack: async (_target, stack, parameters) => {
      deployed.push(
        `${stack.role} ${stack.name}${parameters.imageTag ? ` ImageTag=${parameters.imageTag}` : ''}`,
      );
      if (stack.role === 'service') arrangeRollout();
    },
    pushReportFile: {
      path: 'dist/apps/greeter/image-push.json',
      read: () => ({ repository: GREETER_REPOSITORY_URI, tag: TAG, digest: DIGEST, pushed: true }),
    },
    currentImageTag: async () => TAG,
    takeRegistryReport: () => registryReport,
    writeRegistryReport: (report) => {
      registryReport = report;
    },
    gitSha: async () => '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
    callerIp: async () => '203.0.113.7',
    probe: async () => ({ ok: true, status: 200 }),
    clock: fakeClock(),
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    ...overrides,
  };
  return { deps, deployed, out, err };
}

/** Every line the CLI printed, split on newlines (the receipt is one multi-line text). */
const linesOf = (h: Harness) => [...h.out, ...h.err].flatMap((text) => text.split('\n'));

beforeEach(arrangeGreeterAccount);

describe('greeter-infra:deploy-registry then greeter-infra:deploy (the Nx chain)', () => {
  it("GIVEN greeter's deployment WHEN the chain runs THEN greeter's two stacks are deployed, the URL has port 49010, and no line says hello-world or 49000", async () => {
    const h = harness();
    // WHEN deploy-registry, then (after greeter:docker-push) deploy run in apps/greeter-infra
    expect(await runDeployCli(['--registry-only'], h.deps)).toBe(0);
    expect(await runDeployCli([], h.deps)).toBe(0);

    // THEN greeter's registry stack, then its service stack with the pushed tag
    expect(h.deployed).toEqual([
      'registry greeter-ecr-ecs-fargate-registry',
      `service greeter-ecr-ecs-fargate ImageTag=${TAG}`,
    ]);
    // AND the receipt names greeter's stack, its URL on greeter's port, and its registry step
    const receipt = h.out.join('\n');
    expect(receipt).toMatch(/^Deployed greeter-ecr-ecs-fargate in eu-west-1 in /);
    expect(receipt).toContain(`URL              http://${PUBLIC_IP}:49010 (answers from here)`);
    expect(receipt).toMatch(/phases +registry \d+s \(greeter-infra:deploy-registry\)/);
    expect(receipt).toContain('task definition  greeter:7');
    // AND the open-port warning says greeter's port
    expect(h.err).toContain(
      'WARNING: greeter-ecr-ecs-fargate admits the whole internet on port 49010 (AllowedIP 0.0.0.0/0): narrow it with --allowed-ip=$(curl -s https://checkip.amazonaws.com)/32',
    );
    // AND nothing printed is hello-world's: no name, port or infra target
    const lines = linesOf(h);
    expect(lines.filter((line) => /hello-world|49000|(^|[^-])infra:/.test(line))).toEqual([]);
    // AND every AWS call was about greeter's stacks, service and repository
    const stacks = aws.cfn
      .commandCalls(DescribeStacksCommand)
      .map((call) => (call.args[0].input as DescribeStacksCommandInput).StackName);
    expect(new Set(stacks)).toEqual(new Set([NAME, GREETER.names.registryStack]));
    const services = aws.ecs
      .commandCalls(DescribeServicesCommand)
      .map((call) => call.args[0].input as DescribeServicesCommandInput);
    expect(services.every((input) => input.cluster === NAME && input.services?.[0] === NAME)).toBe(
      true,
    );
    expect(
      aws.ecr.commandCalls(PutImageCommand)[0]?.args[0].input as PutImageCommandInput,
    ).toMatchObject({
      repositoryName: NAME,
      imageTag: 'deployed-greeter-ecr-ecs-fargate',
    });
  });

  it('GIVEN the URL does not answer from here THEN the warning names greeter-infra:logs', async () => {
    const h = harness({ probe: async () => ({ ok: false, error: 'ECONNREFUSED' }) });
    expect(await runDeployCli([], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain(
      `WARN             http://${PUBLIC_IP}:49010 does not answer from here: check the task is healthy and the security group admits you; \`npx nx run greeter-infra:logs\` shows the container output`,
    );
    expect(linesOf(h).filter((line) => /hello-world|49000|(^|[^-])infra:/.test(line))).toEqual([]);
  });

  it("GIVEN --json THEN the receipt is greeter's, with the URL on port 49010", async () => {
    const h = harness();
    expect(await runDeployCli(['--json'], h.deps)).toBe(0);
    const receipt = JSON.parse(h.out.join('\n')) as { stackName: string; url: string };
    expect(receipt).toMatchObject({
      stackName: 'greeter-ecr-ecs-fargate',
      url: `http://${PUBLIC_IP}:49010`,
    });
    expect(JSON.stringify(receipt)).not.toMatch(/hello-world|49000/);
  });

  it('GIVEN --help THEN the usage names greeter-infra and greeter:docker-push', async () => {
    const h = harness();
    expect(await runDeployCli(['--help'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toMatch(/^Usage: npx nx run greeter-infra:deploy /);
    expect(h.out.join('\n')).toContain('greeter:docker-push (image, skipped');
    expect(linesOf(h).filter((line) => /hello-world|(^|[^-])infra:/.test(line))).toEqual([]);
  });
});

describe('greeter-infra:deploy failures name greeter-infra and greeter', () => {
  it('GIVEN no push report THEN one line: greeter:docker-push has not run, run greeter-infra:deploy', async () => {
    const h = harness({
      pushReportFile: { path: 'dist/apps/greeter/image-push.json', read: () => undefined },
    });
    expect(await runDeployCli([], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'greeter-infra:deploy: no image report at dist/apps/greeter/image-push.json: greeter:docker-push has not run; run `npx nx run greeter-infra:deploy` without --exclude-task-dependencies, or deploy a pushed tag with --image-tag=TAG',
    ]);
  });

  it('GIVEN no credentials THEN the line names greeter-infra:deploy, exit 2, nothing deployed', async () => {
    const h = harness({
      resolveCredentials: () =>
        Promise.reject(
          Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          }),
        ),
    });
    expect(await runDeployCli([], h.deps)).toBe(2);
    expect(h.deployed).toEqual([]);
    expect(h.err).toEqual([
      'greeter-infra:deploy: no AWS credentials found: run `aws configure` or `aws sso login`, or name a profile with --profile NAME (greeter-infra:deploy passes it along its chain) or AWS_PROFILE=NAME',
    ]);
  });

  it("GIVEN --print-tag THEN deploy says it is greeter:docker-push's", async () => {
    const h = harness();
    expect(await runDeployCli(['--print-tag'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      "greeter-infra:deploy: --print-tag is greeter:docker-push's: npx nx run greeter:docker-push -- --print-tag",
    ]);
  });

  it('GIVEN --registry-only with --image-tag THEN deploy-registry leaves it to greeter-infra:deploy', async () => {
    const h = harness();
    expect(await runDeployCli(['--registry-only', `--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(h.err).toEqual([
      'greeter-infra:deploy-registry: --image-tag is for the service stack (greeter-infra:deploy); the registry stack takes none',
    ]);
  });

  it("GIVEN --service-only and no registry stack THEN an administrator runs greeter-infra's deploy-registry", async () => {
    aws.cfn
      .on(DescribeStacksCommand, { StackName: GREETER.names.registryStack })
      .rejects(stackMissingError(GREETER.names.registryStack));
    const h = harness();
    expect(await runDeployCli(['--service-only', `--image-tag=${TAG}`], h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      'greeter-infra:deploy: registry failed: stack greeter-ecr-ecs-fargate-registry is not deployed in eu-west-1, and --service-only does not deploy it: an administrator deploys it: npx nx run greeter-infra:deploy-registry (or greeter-infra:deploy-ci)',
    );
  });

  it("GIVEN greeter's service stack is gone after cdk deploy THEN the wait fails naming greeter-infra:deploy", async () => {
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError(NAME));
    // A CDK CLI that returns without the stack being there.
    const h = harness({ deployStack: async () => undefined });
    expect(await runDeployCli([], h.deps)).toBe(1);
    expect(h.err.at(-1)).toBe(
      'greeter-infra:deploy: wait failed: stack greeter-ecr-ecs-fargate is not deployed in eu-west-1: run `npx nx run greeter-infra:deploy`, or pass --region if it lives elsewhere',
    );
  });

  it('GIVEN --image-tag of a tag not in the repository THEN push it with greeter:docker-push', async () => {
    aws.ecr
      .on(DescribeImagesCommand, {
        repositoryName: NAME,
        imageIds: [{ imageTag: 'sha-0000000-ecr-ecs-fargate' }],
      })
      .rejects(
        awsError(
          'ImageNotFoundException',
          "The image with imageId {imageTag:'sha-0000000-ecr-ecs-fargate'} does not exist within the repository with name 'greeter-ecr-ecs-fargate' in the registry with id '123456789012'",
        ),
      );
    const h = harness();
    expect(await runDeployCli(['--image-tag=sha-0000000-ecr-ecs-fargate'], h.deps)).toBe(1);
    expect(h.deployed).toEqual([]);
    expect(h.err.at(-1)).toBe(
      `greeter-infra:deploy: image failed: image ${GREETER_REPOSITORY_URI}:sha-0000000-ecr-ecs-fargate is not in the registry: push it with \`npx nx run greeter:docker-push\`, or leave out --image-tag to deploy the current build`,
    );
  });

  it("GIVEN the service stack update fails and the breaker rolled back THEN greeter's diagnosis and a greeter-infra:deploy line", async () => {
    aws.ecs
      .on(DescribeServicesCommand, { cluster: NAME, services: [NAME] })
      .resolves({ services: [forGreeter(failedRolloutService())] });
    aws.cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [forGreeter(stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' }))] });
    const h = harness({
      deployStack: async (_target, stack) => {
        if (stack.role === 'service') {
          throw new Error(
            `cdk deploy ${stack.name} failed (exit 1); the CDK output above says why`,
          );
        }
      },
    });
    expect(await runDeployCli([], h.deps)).toBe(1);
    expect(h.err.at(-1)).toBe(
      'greeter-infra:deploy: service failed: cdk deploy greeter-ecr-ecs-fargate failed (exit 1); the CDK output above says why',
    );
    expect(h.err.join('\n')).toContain('circuit breaker');
    // AND the doctor's fixes name greeter-infra's targets, never hello-world's infra
    expect(h.err.join('\n')).toContain('`npx nx run greeter-infra:deploy` again');
    expect(linesOf(h).filter((line) => /hello-world|49000|(^|[^-])infra:/.test(line))).toEqual([]);
  });
});
