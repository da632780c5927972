import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
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
import {
  arrangeHealthyDeployment,
  deployment,
  environmentService,
  environmentStack,
  environmentStackName,
  fargateTaskDefinition,
  mockAwsClients,
  PUBLIC_IP,
  registryStack,
  stack,
  TAG,
  TASK_DEF_ARN,
} from './testing';

const mocks = mockAwsClients();

beforeEach(() => arrangeHealthyDeployment(mocks));

describe('listEnvironmentStacks', () => {
  it('GIVEN stacks tagged for this service THEN lists each environment with its stack, status, image tag and last deploy', async () => {
    // GIVEN
    mocks.cfn.on(DescribeStacksCommand, {}).resolves({
      Stacks: [
        environmentStack('staging', { lastUpdated: new Date('2026-11-24T09:00:00Z') }),
        environmentStack('default', { imageTag: 'v1.2.0-ecr-ecs-fargate' }),
      ],
    });
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN
    expect(found).toEqual([
      expect.objectContaining({
        environment: 'default',
        stackName: 'hello-world-ecr-ecs-fargate',
        status: 'CREATE_COMPLETE',
        stackImageTag: 'v1.2.0-ecr-ecs-fargate',
        lastDeployed: new Date('2026-11-25T18:00:00.000Z'),
      }),
      expect.objectContaining({
        environment: 'staging',
        stackName: 'hello-world-ecr-ecs-fargate-staging',
        status: 'UPDATE_COMPLETE',
        stackImageTag: TAG,
        lastDeployed: new Date('2026-11-24T09:00:00Z'),
        outputs: expect.objectContaining({ ECSServiceName: 'hello-world-ecr-ecs-fargate-staging' }),
      }),
    ]);
  });

  it("GIVEN a stack named like an environment without the tags, another service's stack and the registry THEN none of them is listed", async () => {
    // GIVEN
    mocks.cfn.on(DescribeStacksCommand, {}).resolves({
      Stacks: [
        environmentStack('pr-3', { Tags: [] }),
        environmentStack('staging', { serviceName: 'greeter' }),
        registryStack(),
        stack(),
        environmentStack('pr-12'),
      ],
    });
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN
    expect(found.map((e) => e.environment)).toEqual(['pr-12']);
  });

  it('GIVEN stacks over several pages THEN reads every page', async () => {
    // GIVEN
    mocks.cfn
      .on(DescribeStacksCommand, {})
      .resolvesOnce({ Stacks: [environmentStack('pr-10')], NextToken: 'page-2' });
    mocks.cfn
      .on(DescribeStacksCommand, { NextToken: 'page-2' })
      .resolves({ Stacks: [environmentStack('pr-2'), environmentStack('default')] });
    // WHEN
    const found = await listEnvironmentStacks(mocks.clients().cfn, 'hello-world');
    // THEN: default first, then by name with numbers in order
    expect(found.map((e) => e.environment)).toEqual(['default', 'pr-2', 'pr-10']);
  });

  it('GIVEN a stack being deleted THEN it is no longer an environment', async () => {
    // GIVEN
    mocks.cfn.on(DescribeStacksCommand, {}).resolves({
      Stacks: [environmentStack('pr-4', { StackStatus: 'DELETE_IN_PROGRESS' })],
    });
    // WHEN / THEN
    expect(await listEnvironmentStacks(mocks.clients().cfn, 'hello-world')).toEqual([]);
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
