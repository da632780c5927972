import { DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  describeEnvironment,
  isDeployedBefore,
  listEnvironmentStacks,
  type EnvironmentStack,
} from './environments';
import { OpsError } from './errors';
import {
  arrangeAccountStacks,
  arrangeHealthyDeployment,
  awsError,
  cloudFormationDenied,
  deployment,
  describeStacksOf,
  environmentService,
  environmentStack,
  environmentStackName,
  environmentTags,
  listStacksOf,
  fargateTaskDefinition,
  mockAwsClients,
  PUBLIC_IP,
  registryStack,
  stackMissingError,
  TAG,
  TASK_DEF_ARN,
} from './testing';

const mocks = mockAwsClients();

beforeEach(() => arrangeHealthyDeployment(mocks));

describe('listEnvironmentStacks', () => {
  const base = 'hello-world-ecr-ecs-fargate';
  const describedNames = () =>
    mocks.cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input.StackName);

  it('GIVEN stacks tagged for this service THEN lists each environment with its stack, status, image tag and last deploy', async () => {
    // GIVEN
    arrangeAccountStacks(mocks.cfn, [
      environmentStack('staging', { lastUpdated: new Date('2026-11-24T09:00:00Z') }),
      environmentStack('default', { imageTag: 'v1.2.0-ecr-ecs-fargate' }),
    ]);
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN
    expect(found).toEqual({
      environments: [
        expect.objectContaining({
          environment: 'default',
          stackName: base,
          status: 'CREATE_COMPLETE',
          stackImageTag: 'v1.2.0-ecr-ecs-fargate',
          lastDeployed: new Date('2026-11-25T18:00:00.000Z'),
        }),
        expect.objectContaining({
          environment: 'staging',
          stackName: `${base}-staging`,
          status: 'UPDATE_COMPLETE',
          stackImageTag: TAG,
          lastDeployed: new Date('2026-11-24T09:00:00Z'),
          outputs: expect.objectContaining({ ECSServiceName: `${base}-staging` }),
        }),
      ],
      skipped: [],
    });
  });

  it('GIVEN a stack named like an environment without the tags, one tagged for another service and the registry THEN none of them is listed', async () => {
    // GIVEN
    arrangeAccountStacks(mocks.cfn, [
      environmentStack('pr-3', { Tags: [] }),
      environmentStack('qa', { Tags: environmentTags('qa', 'greeter') }),
      registryStack(),
      environmentStack('pr-12'),
    ]);
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN: the names let them through to DescribeStacks; their tags keep them out
    expect(found.environments.map((e) => e.environment)).toEqual(['pr-12']);
    expect(describedNames().sort()).toEqual([
      `${base}-pr-12`,
      `${base}-pr-3`,
      `${base}-qa`,
      `${base}-registry`,
    ]);
  });

  it("GIVEN other services' stacks and stacks merely starting like the service's name THEN they are never described", async () => {
    // GIVEN
    arrangeAccountStacks(mocks.cfn, [
      environmentStack('staging', { serviceName: 'greeter' }),
      environmentStack('default', { StackName: `${base}x`, serviceName: 'hello-world' }),
      environmentStack('default', { StackName: 'CDKToolkit', Tags: [] }),
      environmentStack('staging'),
    ]);
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN
    expect(found.environments.map((e) => e.environment)).toEqual(['staging']);
    expect(describedNames()).toEqual([`${base}-staging`]);
  });

  it('GIVEN stacks over several ListStacks pages THEN reads every page and sorts default first, numbers in order', async () => {
    // GIVEN
    arrangeAccountStacks(
      mocks.cfn,
      [
        environmentStack('pr-10'),
        registryStack(),
        environmentStack('pr-2'),
        environmentStack('default'),
        environmentStack('staging'),
      ],
      { pageSize: 2 },
    );
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN
    expect(found.environments.map((e) => e.environment)).toEqual([
      'default',
      'pr-2',
      'pr-10',
      'staging',
    ]);
    // Five stacks, two a page (the paginator reuses its input object, so count the pages).
    expect(mocks.cfn.commandCalls(ListStacksCommand)).toHaveLength(3);
  });

  it('GIVEN ListStacks THEN it asks for every status but DELETE_COMPLETE', async () => {
    // GIVEN
    arrangeAccountStacks(mocks.cfn, [environmentStack('staging')]);
    // WHEN
    await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN
    const filter = mocks.cfn.commandCalls(ListStacksCommand)[0].args[0].input.StackStatusFilter;
    expect(filter).toEqual(expect.arrayContaining(['CREATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']));
    expect(filter).toContain('DELETE_IN_PROGRESS');
    expect(filter).not.toContain('DELETE_COMPLETE');
  });

  it('GIVEN a stack being deleted THEN it is no longer an environment and is not described', async () => {
    // GIVEN
    arrangeAccountStacks(mocks.cfn, [
      environmentStack('pr-4', { StackStatus: 'DELETE_IN_PROGRESS' }),
    ]);
    // WHEN / THEN
    expect(await listEnvironmentStacks(mocks.clients().cfn, 'hello-world')).toEqual({
      environments: [],
      skipped: [],
    });
    expect(describedNames()).toEqual([]);
  });

  it('GIVEN a stack deleted between ListStacks and DescribeStacks THEN it is left out without error', async () => {
    // GIVEN: listed, but DescribeStacks says it does not exist any more
    mocks.cfn.on(ListStacksCommand).callsFake(listStacksOf([environmentStack('pr-7')]));
    mocks.cfn.on(DescribeStacksCommand).rejects(stackMissingError(`${base}-pr-7`));
    // WHEN / THEN
    expect(await listEnvironmentStacks(mocks.clients().cfn, 'hello-world')).toEqual({
      environments: [],
      skipped: [],
    });
  });

  it('GIVEN DescribeStacks denied on one stack THEN the others are listed and that one is named as skipped', async () => {
    // GIVEN
    arrangeAccountStacks(
      mocks.cfn,
      [environmentStack('default'), environmentStack('production'), environmentStack('pr-5')],
      { describable: (name) => name !== `${base}-production` },
    );
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN
    expect(found.environments.map((e) => e.environment)).toEqual(['default', 'pr-5']);
    expect(found.skipped).toEqual([`${base}-production`]);
  });

  it('GIVEN previews only THEN only the pr-<number> stacks are described, as the preview role may', async () => {
    // GIVEN: the preview role may describe …-pr-* only
    arrangeAccountStacks(
      mocks.cfn,
      [
        environmentStack('default'),
        environmentStack('staging'),
        registryStack(),
        registryStack({ StackName: `${base}-previews` }),
        registryStack({ StackName: `${base}-staging-roles` }),
        environmentStack('pr-12'),
        environmentStack('pr-3'),
      ],
      { describable: (name) => name.startsWith(`${base}-pr-`) },
    );
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world', {
      previewsOnly: true,
    });
    // THEN
    expect(found).toEqual({
      environments: [
        expect.objectContaining({ environment: 'pr-3' }),
        expect.objectContaining({ environment: 'pr-12' }),
      ],
      skipped: [],
    });
    expect(describedNames().sort()).toEqual([`${base}-pr-12`, `${base}-pr-3`]);
  });

  it('GIVEN previews only and a pr- stack tagged as another environment THEN it is not listed', async () => {
    // GIVEN: named like a preview, tagged staging (its tags decide)
    arrangeAccountStacks(mocks.cfn, [
      environmentStack('pr-8', { Tags: environmentTags('staging') }),
    ]);
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world', {
      previewsOnly: true,
    });
    // THEN
    expect(found.environments).toEqual([]);
  });

  it('GIVEN ListStacks denied THEN one access-denied line names the action, and nothing is described', async () => {
    // GIVEN
    mocks.cfn.on(ListStacksCommand).rejects(cloudFormationDenied('ListStacks'));
    // WHEN
    const listing = listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN
    await expect(listing).rejects.toBeInstanceOf(OpsError);
    await expect(listing).rejects.toMatchObject({
      kind: 'access-denied',
      message: expect.stringMatching(/^access denied: .*cloudformation:ListStacks[^\n]*$/),
    });
    expect(describedNames()).toEqual([]);
  });

  it('GIVEN DescribeStacks throttled past retries THEN the listing fails rather than hide a stack', async () => {
    // GIVEN
    mocks.cfn.on(ListStacksCommand).callsFake(listStacksOf([environmentStack('staging')]));
    mocks.cfn
      .on(DescribeStacksCommand)
      .rejects(awsError('Throttling', 'Rate exceeded', { $retryable: { throttling: true } }));
    // WHEN / THEN
    await expect(
      listEnvironmentStacks(mocks.clients().cfn, 'hello-world', { concurrency: 1 }),
    ).rejects.toMatchObject({ name: 'Throttling' });
  });

  it('GIVEN many candidates and a concurrency of 2 THEN at most 2 DescribeStacks are in flight', async () => {
    // GIVEN
    const stacks = [1, 2, 3, 4, 5, 6].map((n) => environmentStack(`pr-${n}`));
    mocks.cfn.on(ListStacksCommand).callsFake(listStacksOf(stacks));
    const describe = describeStacksOf(stacks);
    let inFlight = 0;
    let most = 0;
    mocks.cfn.on(DescribeStacksCommand).callsFake(async (input: { StackName?: string }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Yield a few turns so that other calls would start now if they were allowed to.
      for (let i = 0; i < 5; i += 1) await Promise.resolve();
      inFlight -= 1;
      return describe(input);
    });
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world', {
      concurrency: 2,
    });
    // THEN
    expect(found.environments).toHaveLength(6);
    expect(most).toBe(2);
  });
});

describe('isDeployedBefore', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const week = 7 * 86_400_000;

  it('GIVEN a last deploy eight days ago THEN it is older than seven days', () => {
    expect(isDeployedBefore({ lastDeployed: new Date('2026-11-25T12:00:00Z') }, week, now)).toBe(
      true,
    );
  });

  it('GIVEN a last deploy six days ago THEN it is not', () => {
    expect(isDeployedBefore({ lastDeployed: new Date('2026-11-27T12:00:00Z') }, week, now)).toBe(
      false,
    );
  });
});

describe('describeEnvironment', () => {
  const staging = (): EnvironmentStack => ({
    environment: 'staging',
    stackName: environmentStackName('staging'),
    stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/x/y',
    status: 'UPDATE_COMPLETE',
    lastDeployed: new Date('2026-11-24T09:00:00Z'),
    stackImageTag: TAG,
    outputs: {
      ECSClusterName: environmentStackName('staging'),
      ECSServiceName: environmentStackName('staging'),
    },
  });
  const options = { port: 49000, logGroupName: '/ecs/hello-world-ecr-ecs-fargate-staging' };

  beforeEach(() => {
    mocks.ecs.on(DescribeServicesCommand).resolves({
      services: [
        environmentService('staging', {
          desiredCount: 2,
          runningCount: 2,
          launchType: undefined,
          capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }],
        }),
      ],
    });
    mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: fargateTaskDefinition({
        cpu: '512',
        memory: '1024',
        imageTag: 'sha-9f8e7d6-ecr-ecs-fargate',
      }),
    });
    mocks.ecs.on(DescribeClustersCommand).resolves({
      clusters: [
        {
          clusterName: environmentStackName('staging'),
          status: 'ACTIVE',
          settings: [{ name: 'containerInsights', value: 'disabled' }],
        },
      ],
    });
    mocks.logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [
        {
          logGroupName: '/ecs/hello-world-ecr-ecs-fargate-staging',
          retentionInDays: 7,
          storedBytes: 1024,
          arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/hello-world-ecr-ecs-fargate-staging:*',
        },
      ],
    });
  });

  it('GIVEN a running service THEN returns its URL, the image it runs and what it is billed for', async () => {
    // WHEN
    const details = await describeEnvironment(mocks.clients(), staging(), options);
    // THEN
    expect(details).toMatchObject({
      environment: 'staging',
      url: `http://${PUBLIC_IP}:49000`,
      stackImageTag: TAG,
      service: {
        cluster: 'hello-world-ecr-ecs-fargate-staging',
        desiredCount: 2,
        imageTag: 'sha-9f8e7d6-ecr-ecs-fargate',
        cpu: 512,
        memoryMiB: 1024,
        architecture: 'X86_64',
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }],
        assignPublicIp: true,
        containerInsights: 'disabled',
      },
      logGroup: { name: options.logGroupName, retentionDays: 7, encrypted: false },
    });
    expect(mocks.ecs.commandCalls(DescribeClustersCommand)[0].args[0].input).toEqual({
      clusters: ['hello-world-ecr-ecs-fargate-staging'],
      include: ['SETTINGS'],
    });
  });

  it("GIVEN a rollout in progress THEN the image is the PRIMARY deployment's", async () => {
    // GIVEN
    const newer = `${TASK_DEF_ARN.replace(/:7$/, ':8')}`;
    mocks.ecs.on(DescribeServicesCommand).resolves({
      services: [
        environmentService('staging', {
          deployments: [
            deployment({ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: newer }),
            deployment({ status: 'ACTIVE' }),
          ],
        }),
      ],
    });
    mocks.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: newer }).resolves({
      taskDefinition: fargateTaskDefinition({ imageTag: 'sha-0000001-ecr-ecs-fargate' }),
    });
    // WHEN
    const details = await describeEnvironment(mocks.clients(), staging(), options);
    // THEN
    expect(details.service?.imageTag).toBe('sha-0000001-ecr-ecs-fargate');
  });

  it('GIVEN a stack whose cluster is gone THEN describes the stack alone, without a service or URL', async () => {
    // GIVEN
    mocks.ecs.on(DescribeServicesCommand).rejects(
      Object.assign(new Error('Cluster not found.'), {
        name: 'ClusterNotFoundException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    // WHEN
    const details = await describeEnvironment(mocks.clients(), staging(), options);
    // THEN
    expect(details.service).toBeUndefined();
    expect(details.url).toBeUndefined();
    expect(mocks.ecs.commandCalls(ListTasksCommand)).toHaveLength(0);
  });

  it('GIVEN an alb environment THEN its URL is the HTTPS name, without looking for tasks', async () => {
    // GIVEN
    const alb = staging();
    alb.outputs = { ...alb.outputs, IngressMode: 'alb', DomainName: 'staging.example.com' };
    // WHEN
    const details = await describeEnvironment(mocks.clients(), alb, options);
    // THEN
    expect(details.url).toBe('https://staging.example.com/');
    expect(mocks.ecs.commandCalls(ListTasksCommand)).toHaveLength(0);
  });

  it('GIVEN no task with a public IP THEN there is no URL', async () => {
    // GIVEN
    mocks.ecs.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [] });
    // WHEN
    const details = await describeEnvironment(mocks.clients(), staging(), options);
    // THEN
    expect(details.url).toBeUndefined();
    expect(details.service?.desiredCount).toBe(2);
  });

  it('GIVEN a log group encrypted with a KMS key and kept for ever THEN says so', async () => {
    // GIVEN
    mocks.logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [
        {
          logGroupName: options.logGroupName,
          kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      ],
    });
    // WHEN
    const details = await describeEnvironment(mocks.clients(), staging(), options);
    // THEN
    expect(details.logGroup).toEqual({ name: options.logGroupName, encrypted: true });
  });
});
