import { DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import {
  IMAGE_DIGEST,
  NAME,
  REGION,
  REPOSITORY_URI,
  TAG,
  arrangeHealthyDeployment,
  awsError,
  configBlobFetch,
  fakeClock,
  mockAwsClients,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
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
