import {
  CancelUpdateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import {
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { DescribeServicesCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  aRecordSet,
  listRecordSets,
  ownerRecordSet,
  zoneApexRecordSets,
} from '@hello-world/dns-updater/testing';
import {
  configBlobFetch,
  deployment,
  NAME,
  OLD_DEPLOYMENT_ID,
  OLD_TASK_DEF_ARN,
  PUBLIC_IP,
  service,
  REPOSITORY_URI,
  TAG,
  arrangeHealthyDeployment,
  awsError,
  fakeClock,
  mockAwsClients,
  stack,
  stackMissingError,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import { ConfigError } from '../config';
import { runDeployCli, type DeployCliDeps } from './deploy-cli';
import { invokeSucceeded } from './lambda-fixtures-for-test';

/** hello-world's deployment, apps/infra. */
const HELLO_WORLD = { project: 'infra', names: deploymentNames('hello-world'), port: 49000 };

const aws = mockAwsClients();
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
/** What the SDK's default chain throws when every provider failed. */
const noCredentials = () =>
  Object.assign(new Error('Could not load credentials from any providers'), {
    name: 'CredentialsProviderError',
  });

interface Harness {
  deps: DeployCliDeps;
  /** Everything that left the process, in order. */
  calls: string[];
  out: string[];
  err: string[];
}

function harness(overrides: Partial<DeployCliDeps> = {}): Harness {
  const calls: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const deps: DeployCliDeps = {
    deployment: HELLO_WORLD,
    env: {},
    readAssemblyRegion: () => {
      calls.push('read assembly');
      return 'eu-central-1';
    },
    readTaskArchitecture: () => 'X86_64',
    readTaskSecrets: () => [],
    fetchText: configBlobFetch(),
    createClients: () => aws.clients(),
    resolveCredentials: async () => {
      calls.push('resolve credentials');
      return CREDENTIALS;
    },
    deployStack: async (target, stack, parameters) => {
      const tag = parameters.imageTag ? ` ImageTag=${parameters.imageTag}` : '';
      const email =
        parameters.alertEmail !== undefined ? ` AlertEmail=${parameters.alertEmail}` : '';
      calls.push(
        `cdk deploy ${stack.role} ${target.region} ${target.profile ?? '(default)'}${tag}${email}`,
      );
    },
    pushReportFile: {
      path: 'dist/apps/hello-world/image-push.json',
      read: () => {
        calls.push('read push report');
        return { repository: REPOSITORY_URI, tag: TAG, digest: 'sha256:abc', pushed: true };
      },
    },
    currentImageTag: async ({ allowDirty }) => {
      calls.push(allowDirty ? 'current tag --allow-dirty' : 'current tag');
      return TAG;
    },
    takeRegistryReport: () => {
      calls.push('take registry report');
      return undefined;
    },
    writeRegistryReport: (report) => {
      calls.push(`write registry report ${report.stack} ${report.region} ${report.durationMs}ms`);
    },
    gitSha: async () => '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
    callerIp: async () => '203.0.113.7',
    probe: async () => ({ ok: true, status: 200 }),
    clock: fakeClock(),
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    ...overrides,
  };
  return { deps, calls, out, err };
}

beforeEach(() => {
  arrangeHealthyDeployment(aws);
  aws.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  aws.logs.on(FilterLogEventsCommand).resolves({ events: [] });
});

describe('runDeployCli: credentials are checked before any cdk deploy', () => {
  it('GIVEN --registry-only and no credentials THEN one line saying how to sign in, exit 2, no cdk deploy', async () => {
    const h = harness({ resolveCredentials: () => Promise.reject(noCredentials()) });
    expect(await runDeployCli(['--registry-only'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:deploy-registry: no AWS credentials found: run `aws configure` or `aws sso login`, or name a profile with --profile NAME (infra:deploy passes it along its chain) or AWS_PROFILE=NAME',
    ]);
    expect(h.calls).toEqual(['read assembly']);
  });

  it('GIVEN --profile naming a missing profile THEN the full deploy names it, exit 2, no cdk deploy', async () => {
    const h = harness({ resolveCredentials: () => Promise.reject(noCredentials()) });
    expect(await runDeployCli(['--profile=nope'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:deploy: AWS profile "nope" not found or has no credentials: run `aws configure --profile nope` (or `aws sso login --profile nope`)',
    ]);
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN an expired session token THEN says to sign in again, exit 2', async () => {
    const h = harness({
      resolveCredentials: () =>
        Promise.reject(
          awsError('ExpiredToken', 'The security token included in the request is expired'),
        ),
    });
    expect(await runDeployCli([], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:deploy: your AWS session token has expired: sign in again (e.g. `aws sso login`) and retry',
    ]);
  });
});

describe('runDeployCli: --registry-only', () => {
  it('GIVEN credentials THEN deploys only the registry stack, in the assembly region with the profile', async () => {
    const h = harness();
    expect(await runDeployCli(['--registry-only', '--profile=dev'], h.deps)).toBe(0);
    expect(h.calls).toEqual([
      'read assembly',
      'resolve credentials',
      'cdk deploy registry eu-central-1 dev',
      // For infra:deploy's receipt, the next task but one.
      'write registry report hello-world-ecr-ecs-fargate-registry eu-central-1 0ms',
    ]);
  });

  it('GIVEN cdk deploy fails THEN one line pointing at its output, exit 1', async () => {
    const h = harness({
      deployStack: () =>
        Promise.reject(
          new Error(
            'cdk deploy hello-world-ecr-ecs-fargate-registry failed (exit 1); the CDK output above says why',
          ),
        ),
    });
    expect(await runDeployCli(['--registry-only'], h.deps)).toBe(1);
    expect(h.err).toEqual([
      'infra:deploy-registry: cdk deploy hello-world-ecr-ecs-fargate-registry failed (exit 1); the CDK output above says why',
    ]);
  });

  it('GIVEN IMAGE_REGISTRY THEN skips, needing neither the assembly nor credentials', async () => {
    const h = harness({ env: { IMAGE_REGISTRY: '127.0.0.1:5050' } });
    expect(await runDeployCli(['--registry-only'], h.deps)).toBe(0);
    expect(h.err).toEqual([
      'infra:deploy-registry: skipped, images go to IMAGE_REGISTRY=127.0.0.1:5050',
    ]);
    expect(h.calls).toEqual([]);
  });

  it("GIVEN --image-tag handed along by infra:deploy THEN the registry is deployed and a line says the tag is the service stack's", async () => {
    const h = harness();
    expect(await runDeployCli(['--registry-only', '--image-tag=v1'], h.deps)).toBe(0);
    expect(h.err).toEqual([
      'infra:deploy-registry: --image-tag is for the service stack (infra:deploy); the registry stack takes none',
    ]);
    expect(h.calls).toContain('cdk deploy registry eu-central-1 (default)');
  });

  it.each([
    [
      ['--service-only', '--image-tag=v1'],
      'infra:deploy-registry: skipped, --service-only deploys only the service stack',
    ],
    [['--print-tag'], 'infra:deploy-registry: skipped, --print-tag only prints the image tag'],
  ])('GIVEN %j handed along the chain THEN skips without AWS, saying why', async (argv, line) => {
    const h = harness();
    expect(await runDeployCli(['--registry-only', ...argv], h.deps)).toBe(0);
    expect(h.err).toEqual([line]);
    expect(h.calls).toEqual([]);
  });

  it('GIVEN --region other than the synthesized one THEN exit 2 naming both, before credentials', async () => {
    const h = harness();
    expect(await runDeployCli(['--registry-only', '--region=us-east-1'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:deploy-registry: --region us-east-1, but the stacks were synthesized for eu-central-1: synth reads AWS_REGION, so run with AWS_REGION=us-east-1 instead',
    ]);
    expect(h.calls).toEqual(['read assembly']);
  });
});

describe('runDeployCli: before the deploy starts', () => {
  it('GIVEN a corrupt cloud assembly THEN its one line, exit 2, credentials not even tried', async () => {
    const message =
      "cannot read the cloud assembly at dist/apps/infra/cdk.out/manifest.json (Expected property name or '}' in JSON at position 2): run `npx nx run infra:synth`";
    const h = harness({
      readAssemblyRegion: () => {
        throw new ConfigError(message);
      },
    });
    expect(await runDeployCli([], h.deps)).toBe(2);
    expect(h.err).toEqual([`infra:deploy: ${message}`]);
    expect(h.calls).toEqual([]);
  });

  it('GIVEN IMAGE_REGISTRY on a full deploy that would push THEN exit 2 before any stack is deployed', async () => {
    const h = harness({ env: { IMAGE_REGISTRY: '127.0.0.1:5050' } });
    expect(await runDeployCli([], h.deps)).toBe(2);
    expect(h.err).toEqual([
      expect.stringMatching(/^infra:deploy: IMAGE_REGISTRY is set, .*unset it/),
    ]);
    expect(h.calls).toEqual([]);
  });
});

describe('runDeployCli: full deploy', () => {
  it('GIVEN credentials and a tag already in ECR THEN deploys both stacks with it and prints the receipt', async () => {
    const h = harness();
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(h.calls).toEqual([
      'read assembly',
      'resolve credentials',
      'take registry report',
      `cdk deploy service eu-central-1 (default) ImageTag=${TAG}`,
    ]);
    expect(h.out.join('\n')).toContain(TAG);
  });

  it("GIVEN docker-push's report of this build THEN deploys its tag, the registry stack being infra:deploy-registry's task", async () => {
    const h = harness();
    expect(await runDeployCli([], h.deps)).toBe(0);
    expect(h.calls).toEqual([
      'read assembly',
      'read push report',
      'current tag',
      'resolve credentials',
      'take registry report',
      `cdk deploy service eu-central-1 (default) ImageTag=${TAG}`,
    ]);
  });

  it('GIVEN --allow-dirty THEN the report must be of the dirty build docker-push made', async () => {
    const h = harness();
    expect(await runDeployCli(['--allow-dirty'], h.deps)).toBe(0);
    expect(h.calls).toContain('current tag --allow-dirty');
  });

  it("GIVEN a stale push report (an earlier build's tag) THEN one line, exit 2, before any AWS call", async () => {
    const h = harness({ currentImageTag: async () => 'sha-2222222-ecr-ecs-fargate' });
    expect(await runDeployCli([], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:deploy: dist/apps/hello-world/image-push.json is stale: it reports ${TAG}, but the current build is sha-2222222-ecr-ecs-fargate: run \`npx nx run infra:deploy\` (it pushes first), or \`npx nx run hello-world:docker-push\` before deploying with --exclude-task-dependencies`,
    ]);
    expect(h.calls).toEqual(['read assembly', 'read push report']);
  });

  it('GIVEN no push report (docker-push did not run) THEN one line, exit 2, before any AWS call', async () => {
    const h = harness();
    h.deps.pushReportFile.read = () => undefined;
    expect(await runDeployCli([], h.deps)).toBe(2);
    expect(h.err).toEqual([
      expect.stringMatching(
        /^infra:deploy: no image report at dist\/apps\/hello-world\/image-push\.json: hello-world:docker-push has not run/,
      ),
    ]);
  });

  it('GIVEN the registry report of this chain THEN the receipt times the registry phase by it', async () => {
    const h = harness({
      takeRegistryReport: () => ({
        stack: `${NAME}-registry`,
        region: 'eu-central-1',
        startedAt: '2026-11-25T17:59:00.000Z',
        finishedAt: '2026-11-25T17:59:20.000Z',
        durationMs: 20_000,
      }),
    });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(h.out.join('\n')).toMatch(
      /phases +registry 20s \(infra:deploy-registry\), image 0s skipped/,
    );
  });
});

describe("runDeployCli: the task definition's secrets are checked before any stack update", () => {
  const STAGING = { ...HELLO_WORLD, names: deploymentNames('hello-world', 'staging') };
  const API_KEY = '/hello-world-ecr-ecs-fargate/staging/API_KEY';
  const secrets = () => [
    { name: 'API_KEY', source: { kind: 'ssm' as const, parameterName: API_KEY } },
  ];

  it.each([
    [['--registry-only']],
    [[`--image-tag=${TAG}`]],
    [['--service-only', `--image-tag=${TAG}`]],
  ])(
    'GIVEN a secret whose parameter does not exist WHEN %j THEN one line naming it and how to create it, exit 1, no cdk deploy',
    async (argv) => {
      aws.ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
      const h = harness({ deployment: STAGING, readTaskSecrets: secrets });
      expect(await runDeployCli(argv, h.deps)).toBe(1);
      expect(h.err).toEqual([
        expect.stringMatching(
          /^infra:deploy(-registry)?: secret API_KEY \(SSM parameter \/hello-world-ecr-ecs-fargate\/staging\/API_KEY\) does not exist: create it with `echo -n VALUE \| npx nx run infra:secrets -- set API_KEY --env=staging`$/,
        ),
      ]);
      expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
    },
  );

  it('GIVEN the parameter exists THEN says so by name and deploys', async () => {
    const DEFAULT_API_KEY = `${HELLO_WORLD.names.secretsPath}API_KEY`;
    aws.ssm.on(DescribeParametersCommand).resolves({
      Parameters: [
        {
          Name: DEFAULT_API_KEY,
          ARN: `arn:aws:ssm:eu-central-1:123456789012:parameter${DEFAULT_API_KEY}`,
          Type: 'SecureString',
          KeyId: 'alias/aws/ssm',
          LastModifiedDate: new Date('2026-11-30T09:12:44.512Z'),
          Version: 1,
          Tier: 'Standard',
          DataType: 'text',
        },
      ],
    });
    const h = harness({
      readTaskSecrets: () => [
        { name: 'API_KEY', source: { kind: 'ssm', parameterName: DEFAULT_API_KEY } },
      ],
    });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(h.err).toContain("infra:deploy: the task's secrets exist: API_KEY");
    expect(h.calls).toContain(`cdk deploy service eu-central-1 (default) ImageTag=${TAG}`);
  });

  it('GIVEN a ValueFrom the assembly cannot name THEN its one line, exit 2, before credentials', async () => {
    const h = harness({
      readTaskSecrets: () => {
        throw new ConfigError('the task definition has a secret "X" whose ValueFrom is neither…');
      },
    });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(2);
    expect(h.calls).toEqual(['read assembly']);
  });

  it('GIVEN --abort THEN no secret is checked', async () => {
    const readTaskSecrets = jest.fn(secrets);
    const h = harness({ readTaskSecrets });
    await runDeployCli(['--abort', '--timeout=1s'], h.deps);
    expect(readTaskSecrets).not.toHaveBeenCalled();
  });
});

describe('runDeployCli: --alert-email', () => {
  it('GIVEN --alert-email=ADDRESS THEN the service stack gets it as AlertEmail', async () => {
    const h = harness();
    expect(
      await runDeployCli([`--image-tag=${TAG}`, '--alert-email=ops@example.com'], h.deps),
    ).toBe(0);
    expect(h.calls).toContain(
      `cdk deploy service eu-central-1 (default) ImageTag=${TAG} AlertEmail=ops@example.com`,
    );
  });

  it('GIVEN --alert-email= (empty) THEN AlertEmail is passed empty: the subscription is removed', async () => {
    const h = harness();
    expect(await runDeployCli([`--image-tag=${TAG}`, '--alert-email='], h.deps)).toBe(0);
    expect(h.calls).toContain(
      `cdk deploy service eu-central-1 (default) ImageTag=${TAG} AlertEmail=`,
    );
  });

  it('GIVEN no --alert-email THEN no AlertEmail: the stack keeps its own', async () => {
    const h = harness();
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(h.calls).toContain(`cdk deploy service eu-central-1 (default) ImageTag=${TAG}`);
  });

  it('GIVEN --alert-email that is not an address THEN one line, exit 2, before anything', async () => {
    const h = harness();
    expect(await runDeployCli(['--alert-email=ops@', `--image-tag=${TAG}`], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:deploy: Invalid alert email "ops@": use an email address, e.g. --alert-email=ops@example.com (or --alert-email= to remove the subscription).',
    ]);
    expect(h.calls).toEqual([]);
  });
});

describe('runDeployCli: --service-only (what the CI deploy role runs)', () => {
  it('GIVEN a tag in ECR THEN only the service stack is deployed, and the receipt is printed', async () => {
    const h = harness();
    expect(await runDeployCli(['--service-only', `--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(h.calls).toEqual([
      'read assembly',
      'resolve credentials',
      `cdk deploy service eu-central-1 (default) ImageTag=${TAG}`,
    ]);
    expect(h.out.join('\n')).toMatch(/phases +registry 0s skipped \(service only/);
  });

  it('GIVEN no --image-tag THEN one line and exit 2, before reading anything', async () => {
    const h = harness();
    expect(await runDeployCli(['--service-only'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      expect.stringMatching(/^infra:deploy: --service-only deploys an image already in ECR/),
    ]);
    expect(h.calls).toEqual([]);
  });

  it('GIVEN no registry stack THEN one line naming the administrator step, exit 2, no cdk deploy', async () => {
    aws.cfn
      .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
      .rejects(stackMissingError(`${NAME}-registry`));
    const h = harness();
    expect(await runDeployCli(['--service-only', `--image-tag=${TAG}`], h.deps)).toBe(2);
    expect(h.err.filter((line) => line.startsWith('infra:deploy'))).toEqual([
      `infra:deploy: registry failed: stack ${NAME}-registry is not deployed in eu-central-1, and --service-only does not deploy it: an administrator deploys it: npx nx run infra:deploy-registry (or infra:deploy-ci)`,
    ]);
    expect(h.calls.filter((call) => call.startsWith('cdk'))).toEqual([]);
  });
});

/** What the SDK throws when nothing listens at the endpoint (AWS_ENDPOINT_URL=http://127.0.0.1:1). */
const connectionRefused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
    name: 'Error',
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
    address: '127.0.0.1',
    port: 1,
  });

describe('runDeployCli: an endpoint that does not answer', () => {
  it('GIVEN AWS_ENDPOINT_URL refusing connections THEN one line naming the endpoint, exit 2, no cdk deploy', async () => {
    aws.cfn.on(DescribeStacksCommand).rejects(connectionRefused());
    const h = harness({ env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' } });
    expect(await runDeployCli(['--image-tag=' + TAG], h.deps)).toBe(2);
    expect(h.calls.filter((c) => c.startsWith('cdk deploy'))).toEqual([]);
    expect(h.err).toEqual([
      'infra:deploy: cannot reach AWS at http://127.0.0.1:1 (AWS_ENDPOINT_URL) (ECONNREFUSED): check your network or proxy, or the AWS_ENDPOINT_URL* variables',
    ]);
  });

  it('GIVEN --registry-only and an unreachable endpoint THEN the registry stack is not deployed either', async () => {
    aws.cfn.on(DescribeStacksCommand).rejects(connectionRefused());
    const h = harness();
    expect(await runDeployCli(['--registry-only'], h.deps)).toBe(2);
    expect(h.calls.filter((c) => c.startsWith('cdk deploy'))).toEqual([]);
    expect(h.err[0]).toMatch(
      /^infra:deploy-registry: cannot reach AWS at https:\/\/\*\.eu-central-1\.amazonaws\.com/,
    );
  });

  it('GIVEN no registry stack yet (a first deploy) THEN the check passes and deploy-registry creates it', async () => {
    aws.cfn.on(DescribeStacksCommand).rejects(stackMissingError(`${NAME}-registry`));
    const h = harness();
    expect(await runDeployCli(['--registry-only'], h.deps)).toBe(0);
    expect(h.calls).toContain('cdk deploy registry eu-central-1 (default)');
  });
});

describe('runDeployCli --abort', () => {
  it('GIVEN nothing in progress THEN deploys nothing, says so on stdout and exits 0', async () => {
    aws.cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_COMPLETE' })] });
    aws.ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    const h = harness();
    expect(await runDeployCli(['--abort'], h.deps)).toBe(0);
    expect(h.calls).toEqual(['read assembly', 'resolve credentials']);
    expect(h.out).toEqual([
      `nothing to abort: ${NAME} is UPDATE_COMPLETE and ${NAME} has no deployment in progress`,
    ]);
  });

  it('GIVEN a stack update in progress THEN cancels it, waits for the rollback and prints the result as JSON with --json', async () => {
    aws.cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_IN_PROGRESS' })] });
    aws.cfn
      .on(DescribeStacksCommand, { StackName: stack().StackId })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })] });
    aws.cfn.on(CancelUpdateStackCommand).resolves({});
    const h = harness();
    expect(await runDeployCli(['--abort', '--json'], h.deps)).toBe(0);
    expect(JSON.parse(h.out.join('\n'))).toMatchObject({
      outcome: 'rolled-back',
      stopped: 'stack-update',
      stackStatus: 'UPDATE_ROLLBACK_COMPLETE',
    });
    expect(h.err.join('\n')).toMatch(/CancelUpdateStack/);
  });

  it('GIVEN no service stack THEN one line and exit 2', async () => {
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError(NAME));
    const h = harness();
    expect(await runDeployCli(['--abort'], h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:deploy: stack ${NAME} is not deployed in eu-central-1: nothing to abort (pass --region if it lives elsewhere)`,
    );
  });

  it('GIVEN --abort handed to deploy-registry by the chain THEN it skips, reading nothing', async () => {
    const h = harness();
    expect(await runDeployCli(['--registry-only', '--abort'], h.deps)).toBe(0);
    expect(h.calls).toEqual([]);
    expect(h.err).toEqual([
      'infra:deploy-registry: skipped, --abort stops a deploy in progress and deploys nothing',
    ]);
  });
});

describe('runDeployCli: ingress dns and alb, before any stack update', () => {
  const DOMAIN = 'api.example.com';
  const ZONE = 'Z0123456789ABCDEFGHIJ';
  const TEMPLATE_PATH = `dist/apps/infra/cdk.out/${NAME}.template.json`;
  /** The service stack as synthesized: its service and, in dns or alb mode, the ingress outputs. */
  const template = (mode: 'public-ip' | 'dns' | 'alb') => ({
    template: {
      Resources: {
        AppService606B9134: {
          Type: 'AWS::ECS::Service',
          Properties: { DesiredCount: 1, LaunchType: 'FARGATE', ServiceName: NAME },
        },
        ...(mode === 'dns'
          ? {
              IngressDnsUpdaterFunction3F2A1B0C: {
                Type: 'AWS::Lambda::Function',
                Properties: { FunctionName: `${NAME}-dns`, Runtime: 'nodejs22.x' },
              },
            }
          : {}),
      },
      Outputs:
        mode === 'public-ip'
          ? { ECSClusterName: { Value: NAME } }
          : {
              ECSClusterName: { Value: NAME },
              IngressMode: { Value: mode },
              DomainName: { Value: DOMAIN },
              HostedZoneId: { Value: ZONE },
            },
    },
    templatePath: TEMPLATE_PATH,
  });
  const asked: string[] = [];
  /** A terminal where the person answers `answer`. */
  const terminal = (answer: boolean): Partial<DeployCliDeps> => ({
    interactive: true,
    confirm: async (question) => {
      asked.push(question);
      return answer;
    },
  });

  beforeEach(() => {
    asked.length = 0;
    aws.route53.on(GetHostedZoneCommand, { Id: ZONE }).resolves({
      HostedZone: {
        Id: `/hostedzone/${ZONE}`,
        Name: 'example.com.',
        CallerReference: 'RISWorkflow-RD:7c8b5f0e-2a3d-4e1f-9b6c-5d4e3f2a1b0c',
        Config: { PrivateZone: false },
        ResourceRecordSetCount: 4,
      },
      DelegationSet: { NameServers: ['ns-1536.awsdns-00.co.uk', 'ns-0.awsdns-00.com'] },
    });
    // The record the updater keeps at the name, ours by its TXT, on the running task's IP.
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake(
        listRecordSets([...zoneApexRecordSets(), aRecordSet([PUBLIC_IP]), ownerRecordSet(NAME)]),
      );
    // The updater, run once by a dns deploy, finds the record already on the task.
    aws.lambda
      .on(InvokeCommand, { FunctionName: `${NAME}-dns` })
      .resolves(invokeSucceeded({ action: 'unchanged', values: [PUBLIC_IP] }));
    // The live stack (public-ip, as stack() has no IngressMode output), as CloudFormation has it.
    aws.cfn
      .on(GetTemplateCommand, { StackName: NAME })
      .resolves({ TemplateBody: JSON.stringify(template('public-ip').template) });
  });

  it('GIVEN a hosted zone this account does not have WHEN deploy-registry THEN one line, exit 2, no cdk deploy', async () => {
    aws.route53
      .on(GetHostedZoneCommand)
      .rejects(awsError('NoSuchHostedZone', `No hosted zone found with ID: ${ZONE}`));
    const h = harness({ readServiceTemplate: () => template('dns') });
    expect(await runDeployCli(['--registry-only'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:deploy-registry: hosted zone ${ZONE} does not exist in this account: check HOSTED_ZONE_ID (the zone's id in the Route 53 console, e.g. Z0123456789ABCDEFGHIJ) and the account you deploy to`,
    ]);
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN dns on a live public-ip stack without a terminal THEN refused naming --switch-ingress, exit 2, no cdk deploy', async () => {
    const h = harness({ readServiceTemplate: () => template('dns') });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:deploy: ${NAME} runs ingress public-ip and this deploy switches it to dns, which replaces resources and changes its URL: run it in a terminal to see the changes and confirm, or pass --switch-ingress`,
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN the same switch in a terminal, answered no THEN the changes, the question, exit 1, no cdk deploy', async () => {
    const h = harness({ readServiceTemplate: () => template('dns'), ...terminal(false) });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(1);
    expect(h.err).toContain(
      `infra:deploy: ${NAME} runs ingress public-ip; this deploy switches it to dns. CloudFormation will:`,
    );
    expect(h.err).toContain('  add      AWS::Lambda::Function  IngressDnsUpdaterFunction3F2A1B0C');
    expect(asked).toEqual([`Switch ${NAME} from public-ip to dns? [y/N] `]);
    expect(h.err.at(-1)).toBe(`infra:deploy: nothing deployed: ${NAME} keeps ingress public-ip`);
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN the switch answered yes THEN the service stack is deployed and the receipt names the domain', async () => {
    const h = harness({ readServiceTemplate: () => template('dns'), ...terminal(true) });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(h.calls).toContain(`cdk deploy service eu-central-1 (default) ImageTag=${TAG}`);
    expect(h.out.join('\n')).toContain(`URL              http://${DOMAIN}:49000/`);
  });

  it('GIVEN --switch-ingress without a terminal THEN the changes are printed and it deploys, asking nothing', async () => {
    const h = harness({ readServiceTemplate: () => template('dns') });
    expect(await runDeployCli([`--image-tag=${TAG}`, '--switch-ingress'], h.deps)).toBe(0);
    expect(h.err).toContain(`infra:deploy: --switch-ingress: switching ${NAME} to dns`);
    expect(h.calls).toContain(`cdk deploy service eu-central-1 (default) ImageTag=${TAG}`);
  });

  it('GIVEN a switch in a terminal WHEN deploy-registry THEN no question yet: the service step asks', async () => {
    const h = harness({ readServiceTemplate: () => template('dns'), ...terminal(false) });
    expect(await runDeployCli(['--registry-only'], h.deps)).toBe(0);
    expect(asked).toEqual([]);
    expect(h.calls).toContain('cdk deploy registry eu-central-1 (default)');
  });

  it('GIVEN alb on a live alb stack whose alias is at the name THEN no question, and the URL is https on the name', async () => {
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stack({
          Outputs: [
            ...(stack().Outputs ?? []),
            { OutputKey: 'IngressMode', OutputValue: 'alb' },
            { OutputKey: 'DomainName', OutputValue: DOMAIN },
            { OutputKey: 'HostedZoneId', OutputValue: ZONE },
            {
              OutputKey: 'LoadBalancerDnsName',
              OutputValue: 'hello-w-Alb16-1A2B3C4D.eu-central-1.elb.amazonaws.com',
            },
          ],
        }),
      ],
    });
    aws.route53.on(ListResourceRecordSetsCommand).callsFake(
      listRecordSets([
        ...zoneApexRecordSets(),
        {
          Name: `${DOMAIN}.`,
          Type: 'A',
          AliasTarget: {
            HostedZoneId: 'Z215JYRZR1TBD5',
            DNSName: 'dualstack.hello-w-alb16-1a2b3c4d.eu-central-1.elb.amazonaws.com.',
            EvaluateTargetHealth: false,
          },
        },
      ]),
    );
    const h = harness({ readServiceTemplate: () => template('alb') });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(h.err).toContain(
      `infra:deploy: ${DOMAIN} is in hosted zone ${ZONE} (example.com) and holds no other deployment's record`,
    );
    expect(h.out.join('\n')).toContain(`URL              https://${DOMAIN}/`);
  });

  it('GIVEN a switch from alb to dns THEN the deploy runs the updater, which sets the record the alias’s removal left empty', async () => {
    const albDnsName = 'hello-w-Alb16-1A2B3C4D.eu-central-1.elb.amazonaws.com';
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [
        stack({
          Outputs: [
            ...(stack().Outputs ?? []),
            { OutputKey: 'IngressMode', OutputValue: 'alb' },
            { OutputKey: 'LoadBalancerDnsName', OutputValue: albDnsName },
          ],
        }),
      ],
    });
    // Before the update the stack's alias holds the name; its cleanup removes it.
    let records: ResourceRecordSet[] = [
      {
        Name: `${DOMAIN}.`,
        Type: 'A',
        AliasTarget: {
          HostedZoneId: 'Z215JYRZR1TBD5',
          DNSName: `dualstack.${albDnsName.toLowerCase()}.`,
          EvaluateTargetHealth: false,
        },
      },
    ];
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake((input) => listRecordSets([...zoneApexRecordSets(), ...records])(input));
    // A new ECS deployment rolls out: its tasks started while the alias held the name.
    aws.ecs
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
    // What the updater does when run: the record and its owner TXT on the running task.
    aws.lambda.on(InvokeCommand, { FunctionName: `${NAME}-dns` }).callsFake(() => {
      records = [aRecordSet([PUBLIC_IP]), ownerRecordSet(NAME)];
      return invokeSucceeded({ action: 'created', values: [PUBLIC_IP] });
    });
    const h = harness({ readServiceTemplate: () => template('dns') });
    const deployStack = h.deps.deployStack;
    h.deps.deployStack = async (...args) => {
      await deployStack(...args);
      records = [];
    };
    expect(await runDeployCli([`--image-tag=${TAG}`, '--switch-ingress'], h.deps)).toBe(0);
    expect(h.err).toContain(`${NAME}-dns: record created (${PUBLIC_IP})`);
    expect(h.out.join('\n')).toContain(`URL              http://${DOMAIN}:49000/`);
    expect(aws.lambda.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  it('GIVEN a dns template with HostedZoneName naming another zone than the id THEN one line, exit 2, no cdk deploy', async () => {
    const synthesized = template('dns');
    const h = harness({
      readServiceTemplate: () => ({
        ...synthesized,
        template: {
          ...synthesized.template,
          Outputs: { ...synthesized.template.Outputs, HostedZoneName: { Value: 'example.org' } },
        },
      }),
    });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:deploy: hosted zone ${ZONE} is example.com, not example.org: set HOSTED_ZONE_NAME=example.com, or HOSTED_ZONE_ID to example.org's zone`,
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN a public-ip template on a live public-ip stack THEN neither Route 53 nor the live template is read', async () => {
    const h = harness({ readServiceTemplate: () => template('public-ip') });
    expect(await runDeployCli([`--image-tag=${TAG}`], h.deps)).toBe(0);
    expect(aws.route53.calls()).toHaveLength(0);
    expect(aws.cfn.commandCalls(GetTemplateCommand)).toHaveLength(0);
  });
});
