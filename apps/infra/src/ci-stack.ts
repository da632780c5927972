import {
  Aws,
  CfnOutput,
  Duration,
  LegacyStackSynthesizer,
  Stack,
  StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  CI_STACK_NAME,
  DEPLOYMENT_NAME,
  LOG_GROUP_NAME,
  REGISTRY_STACK_NAME,
  RELEASE_TAG_GLOB,
} from '@hello-world/shared';
import { Construct } from 'constructs';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_URL, type CiConfig } from './ci-config';
import type { InfraConfig } from './config';

export interface CiStackProps extends StackProps {
  /** owner/name: the only repository whose workflows may assume the role. */
  readonly repository: string;
  readonly mainBranch: string;
  /** Git glob of release tags, e.g. `v*-ecr-ecs-fargate`. */
  readonly releaseTagPattern: string;
  /** The protected GitHub environment deploy jobs run in. */
  readonly environment: string;
  /** Reuse this provider; otherwise the stack creates the account's GitHub OIDC provider. */
  readonly oidcProviderArn?: string;
  readonly roleName: string;
  readonly registryStackName: string;
  readonly serviceStackName: string;
  readonly repositoryName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly taskFamily: string;
  readonly logGroupName: string;
}

/** Output keys of the CI stack. */
export const CI_STACK_OUTPUTS = {
  roleArn: 'GitHubActionsRoleArn',
  oidcProviderArn: 'GitHubOidcProviderArn',
} as const;

export const MAIN_BRANCH = 'main';
/** Outside the service stack's `<stack>-*` role names, so the role cannot edit itself. */
export const CI_ROLE_NAME = `github-actions-${DEPLOYMENT_NAME}`;

const OIDC_CLAIM = GITHUB_OIDC_URL.replace('https://', '');

/**
 * The OIDC subjects GitHub puts in a job's token that may assume the role: pushes and dispatches
 * on the main branch, release tags, and jobs in the protected environment (a job with an
 * environment gets `environment:NAME` instead of its ref). Nothing else: no pull request, no
 * other branch, no fork.
 */
export function trustedSubjects(
  props: Pick<CiStackProps, 'repository' | 'mainBranch' | 'releaseTagPattern' | 'environment'>,
): string[] {
  const repo = `repo:${props.repository}`;
  return [
    `${repo}:ref:refs/heads/${props.mainBranch}`,
    `${repo}:ref:refs/tags/${props.releaseTagPattern}`,
    `${repo}:environment:${props.environment}`,
  ];
}

/**
 * The optional `-ci` stack: GitHub's OIDC provider (or the account's existing one) and one role
 * that this repository's main branch, release tags and protected environment can assume without
 * any stored key. The role can push images to this repository and deploy these two stacks;
 * every resource change goes through CloudFormation (aws:CalledVia), so the role itself can
 * create, change or delete nothing directly but change sets on the two stacks and images.
 */
export class CiStack extends Stack {
  readonly role: iam.Role;
  readonly oidcProviderArn: string;

  constructor(scope: Construct, id: string, props: CiStackProps) {
    super(scope, id, {
      // No assets (the native OIDC provider needs no Lambda): deploys without `cdk bootstrap`.
      synthesizer: new LegacyStackSynthesizer(),
      analyticsReporting: false,
      ...props,
    });

    const provider = props.oidcProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidc', props.oidcProviderArn)
      : new iam.OidcProviderNative(this, 'GitHubOidc', {
          url: GITHUB_OIDC_URL,
          clientIds: [GITHUB_OIDC_AUDIENCE],
        });
    this.oidcProviderArn = provider.oidcProviderArn;

    this.role = new iam.Role(this, 'GitHubActionsRole', {
      roleName: props.roleName,
      description: `GitHub Actions of ${props.repository}: push images and deploy ${props.serviceStackName}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: { [`${OIDC_CLAIM}:aud`]: GITHUB_OIDC_AUDIENCE },
        StringLike: { [`${OIDC_CLAIM}:sub`]: trustedSubjects(props) },
      }),
      inlinePolicies: {
        push: pushPolicy(props),
        deploy: deployPolicy(props),
      },
    });

    new CfnOutput(this, CI_STACK_OUTPUTS.roleArn, {
      description: 'Set as the repository variable AWS_ROLE_ARN',
      value: this.role.roleArn,
    });
    new CfnOutput(this, CI_STACK_OUTPUTS.oidcProviderArn, {
      description: "The account's GitHub OIDC provider",
      value: provider.oidcProviderArn,
    });

    acknowledgeCiNagFindings(this.role, props);
  }
}

/** Adds the optional CI stack for the repository named in the CI config. */
export function createCiStack(app: Construct, config: InfraConfig, ci: CiConfig): CiStack {
  return new CiStack(app, CI_STACK_NAME, {
    env: { region: config.region },
    description: `GitHub OIDC role for ${ci.repository}: push images and deploy ${config.deploymentName}`,
    repository: ci.repository,
    mainBranch: MAIN_BRANCH,
    releaseTagPattern: RELEASE_TAG_GLOB,
    environment: ci.environment,
    ...(ci.oidcProviderArn ? { oidcProviderArn: ci.oidcProviderArn } : {}),
    roleName: CI_ROLE_NAME,
    registryStackName: REGISTRY_STACK_NAME,
    serviceStackName: config.deploymentName,
    repositoryName: config.deploymentName,
    clusterName: config.deploymentName,
    serviceName: config.deploymentName,
    taskFamily: config.appName,
    logGroupName: LOG_GROUP_NAME,
  });
}

const arn = (service: string, resource: string) =>
  `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
const iamArn = (resource: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:${resource}`;

/** Only calls CloudFormation makes on the caller's behalf while it deploys a change set. */
const viaCloudFormation = {
  'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] },
};

const repositoryArn = (props: CiStackProps) => arn('ecr', `repository/${props.repositoryName}`);
const stackArn = (name: string) => arn('cloudformation', `stack/${name}/*`);
/** CloudFormation names the service stack's task and execution roles `<stack>-<id>-<random>`. */
export const managedRolePattern = (serviceStackName: string) => `${serviceStackName}-*`;

/** docker-push: find the repository from the registry stack, log in, check tags, push layers. */
function pushPolicy(props: CiStackProps): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'EcrLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'PushAndPullThisRepository',
        actions: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:CompleteLayerUpload',
          'ecr:DescribeImages',
          'ecr:GetDownloadUrlForLayer',
          'ecr:InitiateLayerUpload',
          'ecr:PutImage',
          'ecr:UploadLayerPart',
        ],
        resources: [repositoryArn(props)],
      }),
      new iam.PolicyStatement({
        sid: 'ReadRegistryStackOutputs',
        actions: ['cloudformation:DescribeStacks'],
        resources: [stackArn(props.registryStackName)],
      }),
    ],
  });
}

/** infra:deploy: change sets on the two stacks; CloudFormation then acts with these rights. */
function deployPolicy(props: CiStackProps): iam.PolicyDocument {
  const clusterArn = arn('ecs', `cluster/${props.clusterName}`);
  const serviceArn = arn('ecs', `service/${props.clusterName}/${props.serviceName}`);
  const managedRoles = iamArn(`role/${managedRolePattern(props.serviceStackName)}`);
  const logGroup = arn('logs', `log-group:${props.logGroupName}`);
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'ChangeSetsOnTheseStacks',
        actions: [
          'cloudformation:CreateChangeSet',
          'cloudformation:DeleteChangeSet',
          'cloudformation:DescribeChangeSet',
          'cloudformation:DescribeStackEvents',
          'cloudformation:DescribeStackResources',
          'cloudformation:DescribeStacks',
          'cloudformation:ExecuteChangeSet',
          'cloudformation:GetTemplate',
          'cloudformation:GetTemplateSummary',
          'cloudformation:ListStackResources',
        ],
        resources: [stackArn(props.registryStackName), stackArn(props.serviceStackName)],
      }),
      new iam.PolicyStatement({
        sid: 'NetworkViaCloudFormation',
        actions: [
          'ec2:AssociateRouteTable',
          'ec2:AttachInternetGateway',
          'ec2:AuthorizeSecurityGroupEgress',
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:CreateInternetGateway',
          'ec2:CreateRoute',
          'ec2:CreateRouteTable',
          'ec2:CreateSecurityGroup',
          'ec2:CreateSubnet',
          'ec2:CreateTags',
          'ec2:CreateVpc',
          'ec2:DeleteInternetGateway',
          'ec2:DeleteRoute',
          'ec2:DeleteRouteTable',
          'ec2:DeleteSecurityGroup',
          'ec2:DeleteSubnet',
          'ec2:DeleteTags',
          'ec2:DeleteVpc',
          'ec2:DetachInternetGateway',
          'ec2:DisassociateRouteTable',
          'ec2:ModifySecurityGroupRules',
          'ec2:ModifySubnetAttribute',
          'ec2:ModifyVpcAttribute',
          'ec2:ReplaceRoute',
          'ec2:RevokeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupIngress',
        ],
        resources: [arn('ec2', '*')],
        conditions: viaCloudFormation,
      }),
      new iam.PolicyStatement({
        sid: 'ReadNetworkAndTaskAddresses',
        actions: [
          'ec2:DescribeAccountAttributes',
          'ec2:DescribeAvailabilityZones',
          'ec2:DescribeInternetGateways',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeRouteTables',
          'ec2:DescribeSecurityGroupRules',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcAttribute',
          'ec2:DescribeVpcs',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ClusterAndServiceViaCloudFormation',
        actions: [
          'ecs:CreateCluster',
          'ecs:CreateService',
          'ecs:DeleteCluster',
          'ecs:DeleteService',
          'ecs:PutClusterCapacityProviders',
          'ecs:TagResource',
          'ecs:UntagResource',
          'ecs:UpdateCluster',
          'ecs:UpdateClusterSettings',
          'ecs:UpdateService',
        ],
        resources: [clusterArn, serviceArn, arn('ecs', `task-definition/${props.taskFamily}:*`)],
        conditions: viaCloudFormation,
      }),
      new iam.PolicyStatement({
        sid: 'TaskDefinitionsViaCloudFormation',
        actions: ['ecs:DeregisterTaskDefinition', 'ecs:RegisterTaskDefinition'],
        resources: ['*'],
        conditions: viaCloudFormation,
      }),
      new iam.PolicyStatement({
        sid: 'ReadClusterAndService',
        actions: ['ecs:DescribeClusters', 'ecs:DescribeServices'],
        resources: [clusterArn, serviceArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadTasksOfThisCluster',
        actions: ['ecs:DescribeTasks', 'ecs:ListTasks'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': clusterArn } },
      }),
      new iam.PolicyStatement({
        sid: 'ReadTaskDefinitions',
        actions: ['ecs:DescribeTaskDefinition'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ServiceRolesViaCloudFormation',
        actions: [
          'iam:CreateRole',
          'iam:DeleteRole',
          'iam:DeleteRolePolicy',
          'iam:GetRole',
          'iam:GetRolePolicy',
          'iam:PutRolePolicy',
          'iam:TagRole',
          'iam:UntagRole',
          'iam:UpdateAssumeRolePolicy',
        ],
        resources: [managedRoles],
        conditions: viaCloudFormation,
      }),
      new iam.PolicyStatement({
        sid: 'PassServiceRolesToEcsTasks',
        actions: ['iam:PassRole'],
        resources: [managedRoles],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
      new iam.PolicyStatement({
        sid: 'EcsServiceLinkedRoleOnFirstCluster',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [iamArn('role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS')],
        conditions: { StringEquals: { 'iam:AWSServiceName': 'ecs.amazonaws.com' } },
      }),
      new iam.PolicyStatement({
        sid: 'LogGroupViaCloudFormation',
        actions: [
          'logs:CreateLogGroup',
          'logs:DeleteLogGroup',
          'logs:DeleteRetentionPolicy',
          'logs:PutRetentionPolicy',
          'logs:TagResource',
          'logs:UntagResource',
        ],
        resources: [logGroup, `${logGroup}:*`],
        conditions: viaCloudFormation,
      }),
      new iam.PolicyStatement({
        sid: 'ReadLogGroupAndEvents',
        actions: ['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:ListTagsForResource'],
        resources: [logGroup, `${logGroup}:*`],
      }),
      new iam.PolicyStatement({
        sid: 'FindLogGroups',
        actions: ['logs:DescribeLogGroups'],
        resources: [arn('logs', 'log-group:*')],
      }),
      new iam.PolicyStatement({
        sid: 'RepositoryViaCloudFormation',
        actions: [
          'ecr:CreateRepository',
          'ecr:DeleteLifecyclePolicy',
          'ecr:DeleteRepository',
          'ecr:PutImageScanningConfiguration',
          'ecr:PutImageTagMutability',
          'ecr:PutLifecyclePolicy',
          'ecr:TagResource',
          'ecr:UntagResource',
        ],
        resources: [repositoryArn(props)],
        conditions: viaCloudFormation,
      }),
      new iam.PolicyStatement({
        sid: 'ReadRepositorySettings',
        actions: [
          'ecr:DescribeRepositories',
          'ecr:GetLifecyclePolicy',
          'ecr:GetRepositoryPolicy',
          'ecr:ListTagsForResource',
        ],
        resources: [repositoryArn(props)],
      }),
    ],
  });
}

const rule = (id: string) => `AwsSolutions::AwsSolutions-${id}`;

/**
 * Every wildcard the role keeps, each with why it is the narrowest AWS allows. Anything not
 * listed fails synth, so a new wildcard needs a reason here.
 */
function acknowledgeCiNagFindings(role: iam.Role, props: CiStackProps): void {
  const validations = Validations.of(role);
  const acknowledge = (resource: string, reason: string) =>
    validations.acknowledge({ id: rule(`IAM5[Resource::${resource}]`), reason });
  // cdk-nag names a resource by its template text, pseudo parameters as <AWS::...>.
  const at = (service: string, rest: string) =>
    `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${rest}`;

  acknowledge(
    '*',
    'Resource "*" only where AWS offers no resource-level permission: ecr:GetAuthorizationToken, ' +
      'ec2:Describe*, ecs:RegisterTaskDefinition/DeregisterTaskDefinition/DescribeTaskDefinition, ' +
      'and ecs:ListTasks/DescribeTasks, which are held to this cluster by the ecs:cluster condition; ' +
      'the task definition writes are allowed only via CloudFormation.',
  );
  acknowledge(
    at('ec2', '*'),
    'EC2 creates a VPC, subnet, gateway, route table and security group under ids unknown before ' +
      'CloudFormation makes them; the statement is held to this account and region and to calls ' +
      'CloudFormation makes while deploying these stacks (aws:CalledVia).',
  );
  for (const stack of [props.registryStackName, props.serviceStackName]) {
    acknowledge(
      at('cloudformation', `stack/${stack}/*`),
      `CloudFormation stack ARNs end in a generated id; "stack/${stack}/*" is this one stack by name.`,
    );
  }
  acknowledge(
    `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${managedRolePattern(props.serviceStackName)}`,
    'CloudFormation names the task and execution roles <service stack>-<logical id>-<random>; the ' +
      'role may change them only via CloudFormation and pass them only to ECS tasks. The CI role ' +
      'itself is named outside this pattern, so it can never widen its own rights.',
  );
  acknowledge(
    at('ecs', `task-definition/${props.taskFamily}:*`),
    'Each task definition revision is a new ARN; "<family>:*" is this family only, tagged via CloudFormation.',
  );
  acknowledge(
    at('logs', `log-group:${props.logGroupName}:*`),
    'Log streams are created per task under this one log group; ":*" names its streams.',
  );
  acknowledge(
    at('logs', 'log-group:*'),
    'logs:DescribeLogGroups is authorized on the account-wide log-group ARN only.',
  );
}
