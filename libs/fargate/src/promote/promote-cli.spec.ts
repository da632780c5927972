import { DescribeStackEventsCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import {
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import {
  IMAGE_DIGEST,
  NAME,
  PUBLIC_IP,
  REGION,
  REPOSITORY_URI,
  TAG,
  arrangeHealthyDeployment,
  awsError,
  configBlobFetch,
  fakeClock,
  mockAwsClients,
} from '@hello-world/aws-ops/testing';
import {
  aRecordSet,
  listRecordSets,
  ownerRecordSet,
  zoneApexRecordSets,
} from '@hello-world/dns-updater/testing';
import { deploymentNames } from '@hello-world/shared';
import type { CfnTemplate } from '../deploy/ingress-preflight';
import { invokeSucceeded } from '../deploy/lambda-fixtures-for-test';
import type { PromoteReceipt } from './promote-receipt';
import type { TaskSecret } from '../deploy/secrets-preflight';
import { runPromoteCli, type PromoteCliDeps } from './promote-cli';
import {
  arrangeEnvironment,
  arrangeImage,
  arrangeNoStack,
  stackNameOf,
  type EnvironmentState,
} from './promote-fixtures-for-test';

const aws = mockAwsClients();
const STAGING = stackNameOf('staging');
const PRODUCTION = stackNameOf('production');
/** What production ran before: an older build. */
const OLD_TAG = 'sha-0f9e8d7-ecr-ecs-fargate';
const OLD_DIGEST = `sha256:${'0a1b2c3d'.repeat(8)}`;
const OTHER_DIGEST = `sha256:${'9e8d7c6b'.repeat(8)}`;

const STAGING_RUNS: EnvironmentState = {
  environment: 'staging',
  tag: TAG,
  digest: IMAGE_DIGEST,
  revision: 12,
  tasks: 2,
};
const PRODUCTION_RAN: EnvironmentState = {
  environment: 'production',
  tag: OLD_TAG,
  digest: OLD_DIGEST,
  revision: 5,
  tasks: 2,
};

interface Harness {
  deps: PromoteCliDeps;
  /** What left the process: the synth and the cdk deploys. */
  calls: string[];
  out: string[];
  err: string[];
}

/**
 * The CLI around mocked clients, as bin/promote.ts wires it: the synth answers production's
 * assembly, and `cdk deploy` makes production run what the tag names in the registry then
 * (`pulls`: the digest its tasks report), with a new task definition and deployment.
 */
function harness(
  pulls: (tag: string) => string = () => IMAGE_DIGEST,
  secrets: TaskSecret[] = [],
  /** Production's synthesized service stack, and the ingress outputs its update leaves. */
  production: { template?: CfnTemplate; ingressOutputs?: Record<string, string> } = {},
): Harness {
  const calls: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const deps: PromoteCliDeps = {
    deployment: { project: 'infra', names: deploymentNames('hello-world'), port: 49000 },
    env: {},
    synthesize: async (environment, serviceStackName) => {
      calls.push(`synth ${environment} (${serviceStackName})`);
      return {
        assemblyDir: `/work/dist/apps/infra/promote-${environment}.cdk.out`,
        region: REGION,
        taskArchitecture: 'X86_64',
        secrets,
        ...(production.template
          ? {
              serviceTemplate: {
                template: production.template,
                templatePath: `/work/dist/apps/infra/promote-${environment}.cdk.out/${serviceStackName}.template.json`,
              },
            }
          : {}),
      };
    },
    createClients: () => aws.clients(),
    resolveCredentials: async () => ({ accessKeyId: 'ASIAIOSFODNN7EXAMPLE' }),
    deployStack: async (target, stack) => {
      calls.push(
        `cdk deploy ${stack.serviceStackName} ImageTag=${stack.imageTag ?? '-'} --app ${stack.assemblyDir} in ${target.region}`,
      );
      const tag = stack.imageTag ?? OLD_TAG;
      arrangeEnvironment(aws, {
        environment: 'production',
        tag,
        digest: pulls(tag),
        revision: 6,
        tasks: 2,
        lastUpdated: new Date('2026-11-25T18:01:00.000Z'),
        ...(production.ingressOutputs ? { ingressOutputs: production.ingressOutputs } : {}),
      });
    },
    fetchText: configBlobFetch(),
    gitSha: async () => '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
    callerIp: async () => '203.0.113.7',
    probe: async () => ({ ok: true, status: 200 }),
    clock: fakeClock(),
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  };
  return { deps, calls, out, err };
}

const PROMOTE = ['--from=staging', '--to=production'];

beforeEach(() => {
  arrangeHealthyDeployment(aws);
  aws.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  aws.logs.on(FilterLogEventsCommand).resolves({ events: [] });
  aws.ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: [
      {
        repositoryName: NAME,
        repositoryUri: REPOSITORY_URI,
        imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [
          { filterType: 'WILDCARD', filter: 'v*.*.*-ecr-ecs-fargate' },
          { filterType: 'WILDCARD', filter: 'sha-*-ecr-ecs-fargate' },
        ],
      },
    ],
  });
  arrangeImage(aws, IMAGE_DIGEST, [TAG, `deployed-${STAGING}`]);
  arrangeImage(aws, OLD_DIGEST, [OLD_TAG, `deployed-${PRODUCTION}`]);
  arrangeEnvironment(aws, STAGING_RUNS);
  arrangeEnvironment(aws, PRODUCTION_RAN);
});

describe('runPromoteCli: the image staging runs, promoted to production', () => {
  it('GIVEN staging runs a tag that still names its digest THEN production is deployed with that tag from its own templates, exit 0', async () => {
    const h = harness();
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(0);
    expect(h.calls).toEqual([
      `synth production (${PRODUCTION})`,
      `cdk deploy ${PRODUCTION} ImageTag=${TAG} --app /work/dist/apps/infra/promote-production.cdk.out in ${REGION}`,
    ]);
  });

  it('GIVEN the same with --json THEN the receipt names both environments, the tag, the digest and not rebuilt', async () => {
    const h = harness();
    expect(await runPromoteCli([...PROMOTE, '--json'], h.deps)).toBe(0);
    const receipt = JSON.parse(h.out.join('\n')) as PromoteReceipt;
    expect({
      outcome: receipt.outcome,
      from: receipt.from,
      to: { ...receipt.to, taskDefinition: receipt.to.taskDefinition?.revision },
      image: receipt.image,
      phases: receipt.phases.map((p) => `${p.phase} ${p.result}`),
    }).toEqual({
      outcome: 'promoted',
      from: {
        environment: 'staging',
        stackName: STAGING,
        taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-world:12',
        runningTasks: 2,
      },
      to: {
        environment: 'production',
        stackName: PRODUCTION,
        taskDefinition: 6,
        deploymentId: `ecs-svc/6${'0'.repeat(18)}`,
        runningTasks: 2,
      },
      image: {
        repository: REPOSITORY_URI,
        tag: TAG,
        digest: IMAGE_DIGEST,
        rebuilt: false,
        platforms: ['linux/amd64'],
        markerTag: `deployed-${PRODUCTION}`,
      },
      phases: [
        'synth done',
        'source done',
        'registry skipped',
        'image skipped',
        'service done',
        'wait done',
        'url done',
        'verify done',
      ],
    });
  });

  it('GIVEN the same THEN the printed receipt says which image went where, with its digest, not rebuilt', async () => {
    const h = harness();
    await runPromoteCli(PROMOTE, h.deps);
    const lines = h.out.join('\n').split('\n');
    expect(lines[0]).toMatch(
      /^Promoted staging → production in eu-west-1 in \d+m?\d*s: the image staging runs, not rebuilt$/,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        `  image            ${REPOSITORY_URI}:${TAG}`,
        `  digest           ${IMAGE_DIGEST}`,
        '  rebuilt          no: the same tag and digest, from the registry',
        `  from             staging (${STAGING}), 2 tasks running it`,
        `  to               production (${PRODUCTION}), 2 tasks running it`,
      ]),
    );
  });

  it('GIVEN production already runs that image THEN nothing changed, and the receipt says so', async () => {
    arrangeEnvironment(aws, { ...STAGING_RUNS, environment: 'production', revision: 6 });
    const h = harness();
    h.deps.deployStack = async (_target, stack) => {
      h.calls.push(`cdk deploy ${stack.serviceStackName} ImageTag=${stack.imageTag}`);
    };
    expect(await runPromoteCli([...PROMOTE, '--json'], h.deps)).toBe(0);
    const receipt = JSON.parse(h.out.join('\n')) as PromoteReceipt;
    expect({ outcome: receipt.outcome, digest: receipt.image.digest }).toEqual({
      outcome: 'unchanged',
      digest: IMAGE_DIGEST,
    });
  });
});

describe("runPromoteCli: the target's secrets", () => {
  it("GIVEN production's task definition names a parameter that does not exist THEN one line naming it and how to create it, exit 1, nothing deployed", async () => {
    aws.ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
    const h = harness(undefined, [
      {
        name: 'API_KEY',
        source: { kind: 'ssm', parameterName: '/hello-world-ecr-ecs-fargate/production/API_KEY' },
      },
    ]);
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(1);
    expect(h.err.at(-1)).toBe(
      'infra:promote: secret API_KEY (SSM parameter /hello-world-ecr-ecs-fargate/production/API_KEY) does not exist: create it with `echo -n VALUE | npx nx run infra:secrets -- set API_KEY --env=production`',
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });
});

describe('runPromoteCli: the source must run one settled image', () => {
  it('GIVEN staging runs no task THEN one line saying so and how to deploy it, exit 2, nothing deployed', async () => {
    arrangeEnvironment(aws, { ...STAGING_RUNS, tasks: 0 });
    const h = harness();
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      'infra:promote: promoting from staging: it runs no image (its desired count is 0); deploy it first: `npx nx run infra:deploy -- --env=staging`, and see `npx nx run infra:status -- --env=staging`',
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN staging was never deployed THEN one line naming its stack and infra:envs, exit 2, nothing deployed', async () => {
    arrangeNoStack(aws, 'staging');
    const h = harness();
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:promote: promoting from staging: it is not deployed in eu-west-1 (no stack ${STAGING}): deploy it first (\`npx nx run infra:deploy -- --env=staging\`), or list the deployed environments with \`npx nx run infra:envs\``,
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN staging is still rolling out THEN it is refused until settled, exit 2', async () => {
    arrangeEnvironment(aws, { ...STAGING_RUNS, rolloutState: 'IN_PROGRESS' });
    const h = harness();
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(2);
    expect(h.err.at(-1)).toMatch(
      /^infra:promote: promoting from staging: it is rolling out deployment ecs-svc\/\d+ \(IN_PROGRESS\), so what it runs is not settled: wait for it/,
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it("GIVEN an identity that may not read staging's tasks THEN one line naming the denied action, exit 2, nothing deployed", async () => {
    aws.ecs
      .on(ListTasksCommand, { cluster: STAGING, desiredStatus: 'RUNNING' })
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:sts::123456789012:assumed-role/github-actions-${PRODUCTION}-deploy/GitHubActions is not authorized to perform: ecs:ListTasks on resource: arn:aws:ecs:eu-west-1:123456789012:container-instance/${STAGING}/* because no identity-based policy allows the ecs:ListTasks action`,
        ),
      );
    const h = harness();
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      'infra:promote: promoting from staging: reading its service: access denied: your AWS identity may not call ecs:ListTasks; add it to your IAM policy or use another --profile',
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it("GIVEN staging's tag was moved to another image THEN the image staging runs is promoted by its build tag, and the receipt says why", async () => {
    arrangeEnvironment(aws, { ...STAGING_RUNS, tag: 'latest' });
    arrangeImage(aws, OTHER_DIGEST, ['latest']);
    const h = harness();
    expect(await runPromoteCli([...PROMOTE, '--json'], h.deps)).toBe(0);
    expect(h.calls).toContain(
      `cdk deploy ${PRODUCTION} ImageTag=${TAG} --app /work/dist/apps/infra/promote-production.cdk.out in ${REGION}`,
    );
    const receipt = JSON.parse(h.out.join('\n')) as PromoteReceipt;
    expect({
      tag: receipt.image.tag,
      digest: receipt.image.digest,
      sourceTag: receipt.from.tag,
      note: receipt.tagNote,
    }).toEqual({
      tag: TAG,
      digest: IMAGE_DIGEST,
      sourceTag: 'latest',
      note: `its tag latest now names ${OTHER_DIGEST} in ${REPOSITORY_URI}, not the ${IMAGE_DIGEST} it runs: promoted by its tag ${TAG}, which names that image`,
    });
  });

  it('GIVEN staging runs latest, which still names its image THEN it is promoted by its build tag, which cannot move', async () => {
    arrangeEnvironment(aws, { ...STAGING_RUNS, tag: 'latest' });
    arrangeImage(aws, IMAGE_DIGEST, [TAG, 'latest']);
    const h = harness();
    expect(await runPromoteCli([...PROMOTE, '--json'], h.deps)).toBe(0);
    const receipt = JSON.parse(h.out.join('\n')) as PromoteReceipt;
    expect({
      deployed: h.calls.filter((c) => c.startsWith('cdk')).map((c) => c.split(' ')[3]),
      tag: receipt.image.tag,
      digest: receipt.image.digest,
      note: receipt.tagNote,
    }).toEqual({
      deployed: [`ImageTag=${TAG}`],
      tag: TAG,
      digest: IMAGE_DIGEST,
      note: `its tag latest can move to another image: promoted by its tag ${TAG}, which names the same image and cannot move`,
    });
  });

  it('GIVEN the tag moved and the image staging runs has no tag that cannot move THEN refused, exit 2, nothing deployed', async () => {
    arrangeEnvironment(aws, { ...STAGING_RUNS, tag: 'latest' });
    arrangeImage(aws, OTHER_DIGEST, ['latest']);
    arrangeImage(aws, IMAGE_DIGEST, [`deployed-${STAGING}`]);
    const h = harness();
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:promote: promoting from staging: its tag latest now names ${OTHER_DIGEST} in ${REPOSITORY_URI}, not the ${IMAGE_DIGEST} it runs, and that image has no tag that cannot move (deployed-${STAGING}; a build tag sha-… would do): deploy staging again (\`npx nx run infra:deploy -- --env=staging\`), then promote`,
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });
});

describe('runPromoteCli: production must end up on the digest staging runs', () => {
  it('GIVEN production tasks report another digest after the rollout THEN exit 1, loudly, naming the rollback', async () => {
    const h = harness(() => OTHER_DIGEST);
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(1);
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toHaveLength(1);
    expect(h.err.at(-1)).toBe(
      `infra:promote: verify failed: production (${PRODUCTION}) runs ${OTHER_DIGEST}: it is not the image staging runs; roll it back with \`npx nx run infra:rollback -- --env=production\`, or promote again`,
    );
    expect(h.out).toEqual([]);
  });
});

describe('runPromoteCli: a tag moved while the promote ran', () => {
  it('GIVEN staging runs latest, which names its digest and has no build tag, but another image by the deploy THEN exit 1: production got another image', async () => {
    arrangeEnvironment(aws, { ...STAGING_RUNS, tag: 'latest' });
    arrangeImage(aws, IMAGE_DIGEST, ['latest', `deployed-${STAGING}`]);
    aws.ecr
      .on(DescribeImagesCommand, { repositoryName: NAME, imageIds: [{ imageTag: 'latest' }] })
      .resolvesOnce({ imageDetails: [{ repositoryName: NAME, imageDigest: IMAGE_DIGEST }] })
      .resolves({ imageDetails: [{ repositoryName: NAME, imageDigest: OTHER_DIGEST }] });
    const h = harness(() => OTHER_DIGEST);
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(1);
    expect(h.err.at(-1)).toBe(
      `infra:promote: verify failed: production (${PRODUCTION}) was deployed with latest, which named ${OTHER_DIGEST} by then, not ${IMAGE_DIGEST}: it is not the image staging runs; roll it back with \`npx nx run infra:rollback -- --env=production\`, or promote again`,
    );
  });
});

describe('runPromoteCli: --release-tag', () => {
  const RELEASE = 'v1.2.3-ecr-ecs-fargate';
  const releaseTagPuts = () =>
    aws.ecr
      .commandCalls(PutImageCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.imageTag === RELEASE)
      .map((input) => ({ tag: input.imageTag, digest: input.imageDigest }));

  it("GIVEN a release tag THEN once production runs staging's image, that image gets the tag too", async () => {
    const h = harness();
    expect(await runPromoteCli([...PROMOTE, `--release-tag=${RELEASE}`, '--json'], h.deps)).toBe(0);
    const receipt = JSON.parse(h.out.join('\n')) as PromoteReceipt;
    expect({ puts: releaseTagPuts(), receipt: receipt.image.releaseTag }).toEqual({
      puts: [{ tag: RELEASE, digest: IMAGE_DIGEST }],
      receipt: RELEASE,
    });
  });

  it('GIVEN the release tag already names another image THEN exit 1 saying production runs the image but the tag failed', async () => {
    aws.ecr
      .on(PutImageCommand, { imageTag: RELEASE })
      .rejects(
        awsError(
          'ImageTagAlreadyExistsException',
          `The image tag '${RELEASE}' already exists in the '${NAME}' repository and cannot be overwritten because the repository is immutable.`,
        ),
      );
    const h = harness();
    expect(await runPromoteCli([...PROMOTE, `--release-tag=${RELEASE}`], h.deps)).toBe(1);
    expect(h.err.at(-1)).toMatch(
      new RegExp(
        `^infra:promote: release-tag failed: production runs the promoted image, but tagging it ${RELEASE.replace(/\./g, '\\.')} failed: .*already names another image`,
      ),
    );
  });

  it('GIVEN a tag that is not a release THEN one line and exit 2, before any synth', async () => {
    const h = harness();
    expect(await runPromoteCli([...PROMOTE, '--release-tag=latest'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:promote: --release-tag "latest" is not a release\'s image tag: use v<major>.<minor>.<patch>-ecr-ecs-fargate, e.g. v1.2.3-ecr-ecs-fargate',
    ]);
    expect(h.calls).toEqual([]);
  });
});

describe('runPromoteCli: the command line', () => {
  it.each([
    [
      ['--from=staging'],
      'missing --to: promote takes both environments, e.g. --from=staging --to=production',
    ],
    [
      ['--to=production'],
      'missing --from: promote takes both environments, e.g. --from=staging --to=production',
    ],
    [
      ['--from=staging', '--to=staging'],
      "--from and --to both name staging: promote deploys one environment's image to another, e.g. --from=staging --to=production",
    ],
    [
      ['--from=Staging', '--to=production'],
      '--from "Staging" is not an environment: use lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, e.g. staging',
    ],
    [
      ['--from=pr-12', '--to=production'],
      '--from pr-12 is a pull-request preview: previews build their own images into their own repository and are never promoted from or to; deploy it with `npx nx run infra:deploy -- --env=pr-12`',
    ],
    [
      ['--from=staging', '--to=pr-12'],
      '--to pr-12 is a pull-request preview: previews build their own images into their own repository and are never promoted from or to; deploy it with `npx nx run infra:deploy -- --env=pr-12`',
    ],
    [
      ['--env=staging'],
      '--env names one environment, but promote takes two: --from=SOURCE --to=TARGET, e.g. --from=staging --to=production',
    ],
  ])('GIVEN %j THEN one line and exit 2, before any synth or AWS call', async (argv, line) => {
    const h = harness();
    expect(await runPromoteCli(argv, h.deps)).toBe(2);
    expect(h.err).toEqual([`infra:promote: ${line}`]);
    expect(h.calls).toEqual([]);
  });

  it('GIVEN --help THEN the usage on stdout naming --from and --to, exit 0', async () => {
    const h = harness();
    expect(await runPromoteCli(['--help'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toMatch(
      /^Usage: npx nx run infra:promote -- --from=SOURCE --to=TARGET/,
    );
  });

  it('GIVEN --region other than the synthesized one THEN exit 2 naming both, before any AWS call', async () => {
    const h = harness();
    expect(await runPromoteCli([...PROMOTE, '--region=us-east-1'], h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      'infra:promote: --region us-east-1, but the templates were synthesized for eu-west-1: synth reads AWS_REGION, so run with AWS_REGION=us-east-1 instead',
    );
    expect(h.calls).toEqual([`synth production (${PRODUCTION})`]);
  });
});

describe("runPromoteCli: the target's ingress, checked and waited for as a deploy does", () => {
  const DOMAIN = 'api.example.com';
  const ZONE = 'Z0123456789ABCDEFGHIJ';
  const UPDATER = deploymentNames('hello-world', 'production').dnsUpdater.function;
  const DNS_OUTPUTS = { IngressMode: 'dns', DomainName: DOMAIN, HostedZoneId: ZONE };
  /** Production's service stack as synthesized in dns mode: its updater and ingress outputs. */
  const dnsTemplate: CfnTemplate = {
    Resources: {
      AppService606B9134: {
        Type: 'AWS::ECS::Service',
        Properties: { LaunchType: 'FARGATE', ServiceName: PRODUCTION },
      },
      IngressDnsUpdaterFunction3F2A1B0C: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: UPDATER, Runtime: 'nodejs22.x' },
      },
    },
    Outputs: {
      ECSClusterName: { Value: PRODUCTION },
      IngressMode: { Value: 'dns' },
      DomainName: { Value: DOMAIN },
      HostedZoneId: { Value: ZONE },
      HostedZoneName: { Value: 'example.com' },
    },
  };
  let records: ResourceRecordSet[];

  beforeEach(() => {
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
    // The record production's updater keeps, still on the task it ran before the promote.
    records = [aRecordSet(['52.18.200.7']), ownerRecordSet(PRODUCTION)];
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake((input) => listRecordSets([...zoneApexRecordSets(), ...records])(input));
    // What the updater does when run: the record on the tasks that run now.
    aws.lambda.on(InvokeCommand, { FunctionName: UPDATER }).callsFake(() => {
      records = [aRecordSet([PUBLIC_IP]), ownerRecordSet(PRODUCTION)];
      return invokeSucceeded({ action: 'updated', values: [PUBLIC_IP] });
    });
    aws.cfn.on(GetTemplateCommand, { StackName: PRODUCTION }).resolves({
      TemplateBody: JSON.stringify({
        Resources: { AppService606B9134: dnsTemplate.Resources?.['AppService606B9134'] },
      }),
    });
  });

  it('GIVEN production is dns THEN its zone is checked, its updater run once, and the receipt URL is the name', async () => {
    arrangeEnvironment(aws, { ...PRODUCTION_RAN, ingressOutputs: DNS_OUTPUTS });
    const h = harness(undefined, [], { template: dnsTemplate, ingressOutputs: DNS_OUTPUTS });
    expect(await runPromoteCli([...PROMOTE, '--json'], h.deps)).toBe(0);
    const receipt = JSON.parse(h.out.join('\n')) as PromoteReceipt;
    expect(receipt.url).toBe(`http://${DOMAIN}:49000/`);
    expect(receipt.phases.map((p) => p.phase)).toEqual(
      expect.arrayContaining(['service', 'wait', 'dns', 'url', 'verify']),
    );
    expect(h.err).toContain(
      `infra:promote: ${DOMAIN} is in hosted zone ${ZONE} (example.com) and holds no other deployment's record`,
    );
    expect(aws.lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName)).toEqual(
      [UPDATER],
    );
  });

  it('GIVEN production is public-ip and its templates dns, without a terminal THEN refused naming --switch-ingress, exit 2, no cdk deploy', async () => {
    const h = harness(undefined, [], { template: dnsTemplate, ingressOutputs: DNS_OUTPUTS });
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:promote: ${PRODUCTION} runs ingress public-ip and this deploy switches it to dns, which replaces resources and changes its URL: run it in a terminal to see the changes and confirm, or pass --switch-ingress`,
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN the same switch in a terminal, answered no THEN the changes and the question, exit 1, no cdk deploy', async () => {
    const asked: string[] = [];
    const h = harness(undefined, [], { template: dnsTemplate, ingressOutputs: DNS_OUTPUTS });
    h.deps.interactive = true;
    h.deps.confirm = async (question) => {
      asked.push(question);
      return false;
    };
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(1);
    expect(h.err).toContain(`  add      AWS::Lambda::Function  IngressDnsUpdaterFunction3F2A1B0C`);
    expect(asked).toEqual([`Switch ${PRODUCTION} from public-ip to dns? [y/N] `]);
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });

  it('GIVEN --switch-ingress THEN promoted, the updater run, and the URL is the name', async () => {
    // A first dns deploy: no record yet at the name.
    records = [];
    const h = harness(undefined, [], { template: dnsTemplate, ingressOutputs: DNS_OUTPUTS });
    expect(await runPromoteCli([...PROMOTE, '--switch-ingress'], h.deps)).toBe(0);
    expect(h.err).toContain(`infra:promote: --switch-ingress: switching ${PRODUCTION} to dns`);
    expect(h.err).toContain(`${UPDATER}: record updated (${PUBLIC_IP})`);
    expect(h.out.join('\n')).toContain(`http://${DOMAIN}:49000/`);
  });

  it('GIVEN templates of an ingress mode this version does not know THEN one line, exit 2, before any AWS call', async () => {
    const h = harness(undefined, [], {
      template: { ...dnsTemplate, Outputs: { IngressMode: { Value: 'nlb' } } },
    });
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:promote: /work/dist/apps/infra/promote-production.cdk.out/${PRODUCTION}.template.json's IngressMode output is "nlb", not public-ip, dns or alb: synth again with the tools of this version`,
    );
    expect(aws.cfn.calls()).toHaveLength(0);
  });

  it('GIVEN a hosted zone the account does not have THEN one line, exit 2, no cdk deploy', async () => {
    aws.route53
      .on(GetHostedZoneCommand)
      .rejects(awsError('NoSuchHostedZone', `No hosted zone found with ID: ${ZONE}`));
    arrangeEnvironment(aws, { ...PRODUCTION_RAN, ingressOutputs: DNS_OUTPUTS });
    const h = harness(undefined, [], { template: dnsTemplate, ingressOutputs: DNS_OUTPUTS });
    expect(await runPromoteCli(PROMOTE, h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:promote: hosted zone ${ZONE} does not exist in this account: check HOSTED_ZONE_ID (the zone's id in the Route 53 console, e.g. Z0123456789ABCDEFGHIJ) and the account you deploy to`,
    );
    expect(h.calls.filter((c) => c.startsWith('cdk'))).toEqual([]);
  });
});
