// Service stacks of several environments, as ListStacks names them and DescribeStacks describes
// them by name; an identity that may describe only some of them.
import {
  DescribeStacksCommand,
  ListStacksCommand,
  type Stack,
  type StackSummary,
} from '@aws-sdk/client-cloudformation';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { STACK_TAGS } from '@hello-world/shared';
import {
  ACCOUNT,
  CLUSTER_ARN,
  NAME,
  REGION,
  REPOSITORY_URI,
  service,
  awsError,
  stackMissingError,
  stackParameters,
  T0,
  TAG,
  TASK_DEF_ARN,
} from './fixtures';
import type { AwsMocks } from './mock-aws';

/** The service stack name of `environment` (the default keeps the reference's). */
export function environmentStackName(environment: string, base = NAME): string {
  return environment === 'default' ? base : `${base}-${environment}`;
}

/** The tags `infra:deploy` puts on a service stack, plus those CloudFormation adds itself. */
export function environmentTags(environment: string, serviceName = 'hello-world'): Stack['Tags'] {
  return [
    { Key: STACK_TAGS.service, Value: serviceName },
    { Key: STACK_TAGS.environment, Value: environment },
  ];
}

/**
 * A service stack of `environment` as DescribeStacks lists it: its tags, parameters, outputs,
 * and its last update (`lastUpdated`, or none: only CreationTime).
 */
export function environmentStack(
  environment: string,
  {
    lastUpdated,
    imageTag = TAG,
    serviceName = 'hello-world',
    ...overrides
  }: Partial<Stack> & { lastUpdated?: Date; imageTag?: string; serviceName?: string } = {},
): Stack {
  const name = environmentStackName(environment, `${serviceName}-ecr-ecs-fargate`);
  return {
    StackName: name,
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/6c1e7f0a-2b3d-4e5f-8a9b-0c1d2e3f4a5b`,
    Description: `${serviceName} on ECS Fargate (${environment})`,
    StackStatus: lastUpdated ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
    CreationTime: T0,
    ...(lastUpdated ? { LastUpdatedTime: lastUpdated } : {}),
    DisableRollback: false,
    RollbackConfiguration: {},
    NotificationARNs: [],
    Capabilities: ['CAPABILITY_IAM'],
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    Parameters: [
      ...(stackParameters({ imageTag }) ?? []),
      { ParameterKey: 'BootstrapVersion', ParameterValue: '/cdk-bootstrap/hnb659fds/version' },
    ],
    Outputs: [
      { OutputKey: 'ECRRepositoryUri', OutputValue: REPOSITORY_URI },
      { OutputKey: 'ECSClusterName', OutputValue: name },
      { OutputKey: 'ECSServiceName', OutputValue: name },
    ],
    Tags: environmentTags(environment, serviceName),
    ...overrides,
  };
}

/** The ECS service of `environment`'s stack, running `desiredCount` tasks of TASK_DEF_ARN. */
export function environmentService(environment: string, overrides: Partial<Service> = {}): Service {
  const name = environmentStackName(environment);
  return service({
    serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${name}/${name}`,
    serviceName: name,
    clusterArn: CLUSTER_ARN.replace(NAME, name),
    ...overrides,
  });
}

/** A Fargate task definition of hello-world: `cpu` units, `memory` MiB, on `architecture`. */
export function fargateTaskDefinition({
  cpu = '256',
  memory = '512',
  architecture = 'X86_64',
  imageTag = TAG,
}: {
  cpu?: string;
  memory?: string;
  architecture?: string;
  imageTag?: string;
} = {}): TaskDefinition {
  return {
    taskDefinitionArn: TASK_DEF_ARN,
    family: 'hello-world',
    revision: 7,
    containerDefinitions: [
      {
        name: 'hello-world',
        image: `${REPOSITORY_URI}:${imageTag}`,
        essential: true,
        portMappings: [{ containerPort: 49000, hostPort: 49000, protocol: 'tcp' }],
      },
    ],
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu,
    memory,
    runtimePlatform: {
      cpuArchitecture: architecture as 'X86_64' | 'ARM64',
      operatingSystemFamily: 'LINUX',
    },
    status: 'ACTIVE',
  };
}

/**
 * DescribeStacks over an account holding `stacks`, for `mocks.cfn.on(DescribeStacksCommand)
 * .callsFake(…)`: a name or stack id gives that stack (else CloudFormation's "does not exist"
 * error); no name lists them all, `pageSize` a page at a time with NextToken.
 */
export function describeStacksOf(stacks: Stack[], pageSize = 100) {
  return (input: { StackName?: string; NextToken?: string }) => {
    if (input.StackName !== undefined) {
      const found = stacks.find(
        (s) => s.StackName === input.StackName || s.StackId === input.StackName,
      );
      if (!found) throw stackMissingError(input.StackName);
      return { Stacks: [found] };
    }
    const start = Number(input.NextToken ?? 0);
    const next = start + pageSize;
    return {
      Stacks: stacks.slice(start, next),
      ...(next < stacks.length ? { NextToken: String(next) } : {}),
    };
  };
}

/** A stack as ListStacks summarizes it: name, id, status, times; no tags, parameters, outputs. */
export function stackSummary(stack: Stack): StackSummary {
  return {
    StackId: stack.StackId,
    StackName: stack.StackName,
    ...(stack.Description ? { TemplateDescription: stack.Description } : {}),
    CreationTime: stack.CreationTime,
    ...(stack.LastUpdatedTime ? { LastUpdatedTime: stack.LastUpdatedTime } : {}),
    ...(stack.DeletionTime ? { DeletionTime: stack.DeletionTime } : {}),
    StackStatus: stack.StackStatus,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/**
 * ListStacks over an account holding `stacks`, for
 * `mocks.cfn.on(ListStacksCommand).callsFake(…)`: the summaries whose status is in
 * StackStatusFilter (all when none is given), `pageSize` a page at a time with NextToken.
 */
export function listStacksOf(stacks: Stack[], pageSize = 100) {
  return (input: { StackStatusFilter?: string[]; NextToken?: string }) => {
    const listed = stacks.filter(
      (s) => !input.StackStatusFilter || input.StackStatusFilter.includes(s.StackStatus ?? ''),
    );
    const start = Number(input.NextToken ?? 0);
    const next = start + pageSize;
    return {
      StackSummaries: listed.slice(start, next).map(stackSummary),
      ...(next < listed.length ? { NextToken: String(next) } : {}),
    };
  };
}

/** CloudFormation's answer to an identity whose policy does not allow `action` on `stackName`. */
export function cloudFormationDenied(action: string, stackName?: string): Error {
  const resource = stackName
    ? `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/*`
    : `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/*/*`;
  return awsError(
    'AccessDenied',
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/github-actions-hello-world-ecr-ecs-fargate-pr-deploy/GitHubActions is not authorized to perform: cloudformation:${action} on resource: ${resource} because no identity-based policy allows the cloudformation:${action} action`,
    { Code: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } },
  );
}

/**
 * An account holding `stacks`, for an identity that may describe only the stacks `describable`
 * allows (every one by default): ListStacks pages through them, DescribeStacks by name answers
 * each (CloudFormation's AccessDenied for the others, "does not exist" for unknown names).
 * DescribeStacks without a name needs the stack `*`, as IAM evaluates it.
 */
export function arrangeAccountStacks(
  cfn: AwsMocks['cfn'],
  stacks: Stack[],
  {
    pageSize = 100,
    describable = () => true,
  }: { pageSize?: number; describable?: (stackName: string) => boolean } = {},
): void {
  cfn.on(ListStacksCommand).callsFake(listStacksOf(stacks, pageSize));
  const describe = describeStacksOf(stacks, pageSize);
  cfn.on(DescribeStacksCommand).callsFake((input: { StackName?: string; NextToken?: string }) => {
    if (!describable(input.StackName ?? '*')) {
      throw cloudFormationDenied('DescribeStacks', input.StackName);
    }
    return describe(input);
  });
}
