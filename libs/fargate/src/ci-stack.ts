import {
  CfnOutput,
  Duration,
  LegacyStackSynthesizer,
  Stack,
  StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { APP_NAME, RELEASE_TAG_GLOB, deploymentNames } from '@hello-world/shared';
import { Construct } from 'constructs';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_URL, type CiConfig } from './ci-config';
import { deployPolicy, publishPolicy, type CiPolicyScope } from './ci-policies';
import type { InfraConfig } from './config';

export interface CiStackProps extends StackProps, CiPolicyScope {
  /** owner/name: the only repository whose workflows may assume the roles. */
  readonly repository: string;
  readonly mainBranch: string;
  /** Git glob of release tags, e.g. `v*-ecr-ecs-fargate`. */
  readonly releaseTagPattern: string;
  /** The protected GitHub environment deploy jobs run in. */
  readonly environment: string;
  /** Reuse this provider; otherwise the stack creates the account's GitHub OIDC provider. */
  readonly oidcProviderArn?: string;
  readonly publishRoleName: string;
  readonly deployRoleName: string;
}

/** Output keys of the CI stack. */
export const CI_STACK_OUTPUTS = {
  publishRoleArn: 'PublishRoleArn',
  deployRoleArn: 'DeployRoleArn',
  oidcProviderArn: 'GitHubOidcProviderArn',
} as const;

/** The repository variables the workflows read each role from. */
export const CI_ROLE_VARIABLES = {
  publishRoleArn: 'AWS_PUBLISH_ROLE_ARN',
  deployRoleArn: 'AWS_DEPLOY_ROLE_ARN',
} as const;

export const MAIN_BRANCH = 'main';
/** hello-world's CI roles; each deployment's own are its config's names.ciRoles. */
export const CI_PUBLISH_ROLE_NAME = deploymentNames(APP_NAME).ciRoles.publish;
export const CI_DEPLOY_ROLE_NAME = deploymentNames(APP_NAME).ciRoles.deploy;

const OIDC_CLAIM = GITHUB_OIDC_URL.replace('https://', '');

type TrustProps = Pick<
  CiStackProps,
  'repository' | 'mainBranch' | 'releaseTagPattern' | 'environment'
>;

/**
 * Who may publish images: pushes and dispatches on the main branch, and release tags. A job
 * that declares an environment gets `environment:NAME` instead of its ref, so no deploy job
 * and no other branch, pull request or fork matches.
 */
export function publishSubjects(props: TrustProps): string[] {
  const repo = `repo:${props.repository}`;
  return [
    `${repo}:ref:refs/heads/${props.mainBranch}`,
    `${repo}:ref:refs/tags/${props.releaseTagPattern}`,
  ];
}

/**
 * Who may deploy: only jobs in the protected environment, so every deploy passes its reviewers
 * and its deployment branch and tag policy. No ref subject at all.
 */
export function deploySubjects(props: TrustProps): string[] {
  return [`repo:${props.repository}:environment:${props.environment}`];
}

/**
 * The optional `-ci` stack: GitHub's OIDC provider (or the account's existing one) and two roles
 * assumed without any stored key, each able to do only its job. The publish role pushes images;
 * the deploy role changes the service stack. Neither can write IAM or touch the registry stack
 * (the task roles live there) or this stack: an administrator deploys those.
 */
export class CiStack extends Stack {
  readonly publishRole: iam.Role;
  readonly deployRole: iam.Role;
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
    const trustedBy = (subjects: string[]) =>
      new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: { [`${OIDC_CLAIM}:aud`]: GITHUB_OIDC_AUDIENCE },
        StringLike: { [`${OIDC_CLAIM}:sub`]: subjects },
      });

    this.publishRole = new iam.Role(this, 'PublishRole', {
      roleName: props.publishRoleName,
      description: `GitHub Actions of ${props.repository} (main, release tags): push images to ${props.repositoryName}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: trustedBy(publishSubjects(props)),
      inlinePolicies: { publish: publishPolicy(props) },
    });
    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: props.deployRoleName,
      description: `GitHub Actions of ${props.repository} (environment ${props.environment}): deploy ${props.serviceStackName}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: trustedBy(deploySubjects(props)),
      inlinePolicies: { deploy: deployPolicy(props) },
    });

    new CfnOutput(this, CI_STACK_OUTPUTS.publishRoleArn, {
      description: `Set as the repository variable ${CI_ROLE_VARIABLES.publishRoleArn}`,
      value: this.publishRole.roleArn,
    });
    new CfnOutput(this, CI_STACK_OUTPUTS.deployRoleArn, {
      description: `Set as the repository variable ${CI_ROLE_VARIABLES.deployRoleArn}`,
      value: this.deployRole.roleArn,
    });
    new CfnOutput(this, CI_STACK_OUTPUTS.oidcProviderArn, {
      description: "The account's GitHub OIDC provider",
      value: provider.oidcProviderArn,
    });

    acknowledgeCiNagFindings(this, props);
  }
}

/** Adds the optional CI stack for the repository named in the CI config. */
export function createCiStack(app: Construct, config: InfraConfig, ci: CiConfig): CiStack {
  const { names } = config;
  return new CiStack(app, names.ciStack, {
    env: { region: config.region },
    description: `GitHub OIDC roles for ${ci.repository}: publish images and deploy ${config.deploymentName}`,
    repository: ci.repository,
    mainBranch: MAIN_BRANCH,
    releaseTagPattern: RELEASE_TAG_GLOB,
    environment: ci.environment,
    ...(ci.oidcProviderArn ? { oidcProviderArn: ci.oidcProviderArn } : {}),
    publishRoleName: names.ciRoles.publish,
    deployRoleName: names.ciRoles.deploy,
    registryStackName: names.registryStack,
    serviceStackName: config.deploymentName,
    repositoryName: config.deploymentName,
    clusterName: config.deploymentName,
    serviceName: config.deploymentName,
    taskFamily: config.appName,
    logGroupName: names.logGroup,
    taskRoleNames: names.taskRoles,
  });
}

const rule = (id: string) => `AwsSolutions::AwsSolutions-${id}`;

/**
 * Every wildcard the two roles keep, each with why it is the narrowest AWS allows. Anything not
 * listed fails synth, so a new wildcard needs a reason here.
 */
function acknowledgeCiNagFindings(stack: CiStack, props: CiStackProps): void {
  // cdk-nag names a resource by its template text, pseudo parameters as <AWS::...>.
  const at = (service: string, rest: string) =>
    `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${rest}`;
  const acknowledge = (role: iam.Role, resource: string, reason: string) =>
    Validations.of(role).acknowledge({ id: rule(`IAM5[Resource::${resource}]`), reason });
  const stackReason = (name: string) =>
    `CloudFormation stack ARNs end in a generated id; "stack/${name}/*" is this one stack by name.`;

  acknowledge(
    stack.publishRole,
    '*',
    'Resource "*" only for ecr:GetAuthorizationToken, which supports no resource-level permission; ' +
      'pushes are held to this one repository.',
  );
  acknowledge(
    stack.publishRole,
    at('cloudformation', `stack/${props.registryStackName}/*`),
    stackReason(props.registryStackName),
  );

  const deploy = stack.deployRole;
  acknowledge(
    deploy,
    '*',
    'Resource "*" only where AWS offers no resource-level permission: ec2:Describe*, ' +
      "kms:CreateKey (via CloudFormation; a new key is nobody's), " +
      'ecs:RegisterTaskDefinition/DeregisterTaskDefinition/DescribeTaskDefinition, and ' +
      'ecs:ListTasks/DescribeTasks, which are held to this cluster by the ecs:cluster condition; ' +
      'the task definition writes are allowed only via CloudFormation. The one Deny on "*" ' +
      '(resource imports) narrows, never widens.',
  );
  for (const name of [props.registryStackName, props.serviceStackName]) {
    acknowledge(deploy, at('cloudformation', `stack/${name}/*`), stackReason(name));
  }
  for (const type of ['internet-gateway', 'vpc', 'security-group']) {
    acknowledge(
      deploy,
      at('ec2', `${type}/*`),
      `EC2 ids are unknown before CloudFormation creates them: "${type}/*" lets CloudFormation create a ` +
        `new ${type}; changing or deleting one is allowed only where it carries the service stack's ` +
        'aws:cloudformation:stack-name tag, which no caller can set.',
    );
  }
  for (const type of ['route-table', 'subnet']) {
    acknowledge(
      deploy,
      at('ec2', `${type}/*`),
      `EC2 ids are unknown before CloudFormation creates them: "${type}/*" lets CloudFormation create a ` +
        `new ${type} inside a VPC that must carry the service stack's aws:cloudformation:stack-name tag; ` +
        'changing or deleting one needs the same tag, which no caller can set.',
    );
  }
  acknowledge(
    deploy,
    at('ec2', 'security-group-rule/*'),
    'A new security group rule gets its id as it is created; the group it is added to must carry ' +
      "the service stack's aws:cloudformation:stack-name tag.",
  );
  acknowledge(
    deploy,
    at('ec2', '*'),
    'ec2:CreateTags only as part of creating a VPC, subnet, route table, gateway or security group ' +
      '(ec2:CreateAction), via CloudFormation.',
  );
  acknowledge(
    deploy,
    at('kms', 'key/*'),
    'KMS key ids are unknown before CloudFormation creates the log group key; changing one is ' +
      "allowed only where it carries the service stack's aws:cloudformation:stack-name tag, which " +
      'no caller can set.',
  );
  acknowledge(
    deploy,
    at('ecs', `task-definition/${props.taskFamily}:*`),
    'Each task definition revision is a new ARN; "<family>:*" is this family only, tagged via CloudFormation.',
  );
  for (const type of ['service-deployment', 'service-revision']) {
    acknowledge(
      deploy,
      at('ecs', `${type}/${props.clusterName}/${props.serviceName}/*`),
      `ECS names each ${type} of a service with an id it generates; "${type}/<cluster>/<service>/*" is this one service's.`,
    );
  }
  acknowledge(
    deploy,
    at('logs', `log-group:${props.logGroupName}:*`),
    'Log streams are created per task under this one log group; ":*" names its streams.',
  );
  acknowledge(
    deploy,
    at('logs', 'log-group:*'),
    'logs:DescribeLogGroups is authorized on the account-wide log-group ARN only.',
  );
}
