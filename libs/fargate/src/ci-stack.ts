import {
  CfnOutput,
  Duration,
  Fn,
  LegacyStackSynthesizer,
  Stack,
  StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  APP_NAME,
  DEFAULT_ENVIRONMENT,
  EnvironmentNameError,
  PREVIEW_GROUP,
  deploymentNames,
  previewEnvironment,
  type DeploymentNames,
} from '@hello-world/shared';
import { Construct } from 'constructs';
import {
  CI_SETTINGS,
  DEFAULT_CI_ENVIRONMENTS,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_URL,
  PREVIEW_GITHUB_ENVIRONMENT,
  type CiConfig,
} from './ci-config';
import {
  deployPolicies,
  deployPolicy,
  ingressDeployPolicies,
  monitoringDeployPolicy,
  publishPolicy,
  type CiPolicyScope,
  type DeployPolicyOptions,
  type IngressPolicyScope,
  type PreviewScope,
  type PromotionSource,
} from './ci-policies';
import { ConfigError, type InfraConfig } from './config';

export interface CiStackProps extends StackProps, CiPolicyScope {
  /** owner/name: the only repository whose workflows may assume the roles. */
  readonly repository: string;
  readonly mainBranch: string;
  /** The protected GitHub environment whose jobs may deploy the default environment. */
  readonly environment: string;
  /** Reuse this provider; otherwise the stack creates the account's GitHub OIDC provider. */
  readonly oidcProviderArn?: string;
  readonly publishRoleName: string;
  readonly deployRoleName: string;
  /** The default environment's ingress, when dns or alb: the deploy role's DeployIngressPolicy. */
  readonly ingress?: IngressPolicyScope;
}

/** Output keys of the CI stack. */
export const CI_STACK_OUTPUTS = {
  publishRoleArn: 'PublishRoleArn',
  deployRoleArn: 'DeployRoleArn',
  oidcProviderArn: 'GitHubOidcProviderArn',
} as const;

/**
 * The variables the workflows read each role from: the publish role's at repository level;
 * AWS_DEPLOY_ROLE_ARN at repository level for the default environment's role, and in each GitHub
 * environment (staging, production, preview) for that environment's own, which overrides it there.
 */
export const CI_ROLE_VARIABLES = {
  publishRoleArn: 'AWS_PUBLISH_ROLE_ARN',
  deployRoleArn: 'AWS_DEPLOY_ROLE_ARN',
} as const;

export const MAIN_BRANCH = 'main';
/** hello-world's CI roles; each deployment's own are its config's names.ciRoles. */
export const CI_PUBLISH_ROLE_NAME = deploymentNames(APP_NAME).ciRoles.publish;
export const CI_DEPLOY_ROLE_NAME = deploymentNames(APP_NAME).ciRoles.deploy;

/**
 * The stack holding one CI environment's deploy role, beside the CI stack: `<ci stack>-staging`,
 * and `<ci stack>-pr` for the previews' shared role. One stack per role keeps each template
 * under the 50 KiB CloudFormation takes inline (no bootstrap bucket): four deploy roles do not
 * fit in one.
 */
export function ciEnvironmentStackName(service: string, ciEnvironment: string): string {
  const { ciStack } = deploymentNames(service);
  return ciEnvironment === PREVIEW_GITHUB_ENVIRONMENT
    ? `${ciStack}-${PREVIEW_GROUP}`
    : `${ciStack}-${ciEnvironment}`;
}

/**
 * The names a CI environment's deploy role is scoped to: the deployment environment's own, or
 * for `preview` the previews' shared ones, with the pull request number a wildcard
 * (`hello-world-ecr-ecs-fargate-pr-*`).
 */
export function ciEnvironmentNames(service: string, ciEnvironment: string): DeploymentNames {
  if (ciEnvironment !== PREVIEW_GITHUB_ENVIRONMENT) return deploymentNames(service, ciEnvironment);
  const one = previewEnvironment(1);
  const names = deploymentNames(service, one);
  // The preview's name ends the deployment's, or is followed by a monitoring name's own suffix.
  const anyPreview = (name: string): string => {
    const pattern = name.replace(new RegExp(`-${one}(?=-|$)`), `-${PREVIEW_GROUP}-*`);
    if (pattern === name) throw new Error(`${name} does not hold the preview's name ${one}`);
    return pattern;
  };
  const m = names.monitoring;
  return {
    ...names,
    environment: PREVIEW_GITHUB_ENVIRONMENT,
    deployment: anyPreview(names.deployment),
    logGroup: anyPreview(names.logGroup),
    monitoring: {
      alarmPrefix: anyPreview(m.alarmPrefix),
      alarms: {
        tasksBelowDesired: anyPreview(m.alarms.tasksBelowDesired),
        taskStops: anyPreview(m.alarms.taskStops),
        errorLogs: anyPreview(m.alarms.errorLogs),
        cpuHigh: anyPreview(m.alarms.cpuHigh),
        memoryHigh: anyPreview(m.alarms.memoryHigh),
      },
      alarmTopic: anyPreview(m.alarmTopic),
      taskStopsTopic: anyPreview(m.taskStopsTopic),
      taskStopsRule: anyPreview(m.taskStopsRule),
      dashboard: anyPreview(m.dashboard),
      metricNamespace: anyPreview(m.metricNamespace),
    },
  };
}

/** A deploy role's policy scope, from its environment's names. */
export function policyScopeOf(names: DeploymentNames): CiPolicyScope {
  return {
    registryStackName: names.registryStack,
    serviceStackName: names.deployment,
    repositoryName: names.repository,
    clusterName: names.deployment,
    serviceName: names.deployment,
    taskFamily: names.service,
    logGroupName: names.logGroup,
    taskRoleNames: names.taskRoles,
    monitoring: names.monitoring,
  };
}

const OIDC_CLAIM = GITHUB_OIDC_URL.replace('https://', '');

type TrustProps = Pick<CiStackProps, 'repository' | 'mainBranch' | 'environment'>;

/**
 * Who may publish images: pushes and dispatches on the main branch only. A release promotes the
 * image main built (production never builds), so no release tag needs to push. A job that
 * declares an environment gets `environment:NAME` instead of its ref, so no deploy job and no
 * other branch, tag, pull request or fork matches.
 */
export function publishSubjects(props: TrustProps): string[] {
  return [`repo:${props.repository}:ref:refs/heads/${props.mainBranch}`];
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
 * the deploy role changes the default environment's service stack. Neither can write IAM or touch
 * the registry stack (the task roles live there) or any CI stack: an administrator deploys those.
 * Each other CI environment's deploy role is in a CiEnvironmentStack beside it.
 */
export class CiStack extends Stack {
  readonly publishRole: iam.Role;
  readonly deployRole: iam.Role;
  /** The deploy role's rights on the service stack's monitoring (monitoringDeployPolicy). */
  readonly monitoringPolicy: iam.ManagedPolicy;
  /** Its rights on what a dns or alb ingress adds (ingressDeployPolicies); none for public-ip. */
  readonly ingressPolicies: readonly iam.ManagedPolicy[];
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
    const trustedBy = (subjects: string[]) => githubPrincipal(provider.oidcProviderArn, subjects);

    this.publishRole = new iam.Role(this, 'PublishRole', {
      roleName: props.publishRoleName,
      description: `GitHub Actions of ${props.repository} (main branch): push images to ${props.repositoryName}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: trustedBy(publishSubjects(props)),
      inlinePolicies: { publish: publishPolicy(props) },
    });
    this.monitoringPolicy = new iam.ManagedPolicy(this, 'DeployMonitoringPolicy', {
      description: `Deploy rights of ${props.deployRoleName} on the monitoring of ${props.serviceStackName}`,
      document: monitoringDeployPolicy(props),
    });
    this.ingressPolicies = newIngressPolicies(this, props, props.serviceStackName);
    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: props.deployRoleName,
      description: `GitHub Actions of ${props.repository} (environment ${props.environment}): deploy ${props.serviceStackName}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: trustedBy(deploySubjects(props)),
      inlinePolicies: { deploy: deployPolicy(props) },
      managedPolicies: [this.monitoringPolicy, ...this.ingressPolicies],
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

    acknowledgePublishRoleFindings(this.publishRole, props);
    acknowledgeDeployRoleFindings(this.deployRole, props, { monitoring: this.monitoringPolicy });
    if (props.ingress) {
      acknowledgeIngressPolicyFindings(this.ingressPolicies, props.serviceStackName, props.ingress);
    }
  }
}

/**
 * The deploy role's ingress policies when its environment's ingress is dns or alb; none at all
 * for public-ip, whose CI templates stay as they were before the ingress modes.
 */
function newIngressPolicies(
  stack: Stack,
  props: CiPolicyScope & { deployRoleName: string; ingress?: IngressPolicyScope },
  deploys: string,
): iam.ManagedPolicy[] {
  if (!props.ingress) return [];
  const { mode } = props.ingress;
  return ingressDeployPolicies(props, props.ingress).map(
    ({ id, covers, document }) =>
      new iam.ManagedPolicy(stack, id, {
        description: `Deploy rights of ${props.deployRoleName} on ${covers} (ingress ${mode}) of ${deploys}`,
        document,
      }),
  );
}

/** GitHub's OIDC tokens of these subjects, for this audience only. */
function githubPrincipal(providerArn: string, subjects: string[]): iam.WebIdentityPrincipal {
  return new iam.WebIdentityPrincipal(providerArn, {
    StringEquals: { [`${OIDC_CLAIM}:aud`]: GITHUB_OIDC_AUDIENCE },
    StringLike: { [`${OIDC_CLAIM}:sub`]: subjects },
  });
}

export interface CiEnvironmentStackProps extends StackProps, CiPolicyScope, DeployPolicyOptions {
  /** owner/name: the only repository whose workflows may assume the role. */
  readonly repository: string;
  /** The GitHub environment whose jobs alone may assume the role. */
  readonly githubEnvironment: string;
  /** The account's GitHub OIDC provider (the CI stack's, or the one given). */
  readonly oidcProviderArn: string;
  readonly deployRoleName: string;
  /** What the role deploys, for its description: `hello-world-ecr-ecs-fargate-staging`. */
  readonly deploys: string;
  /** The environment's ingress, when dns or alb: the role's DeployIngressPolicy. */
  readonly ingress?: IngressPolicyScope;
}

/**
 * One CI environment's deploy role, in a stack of its own beside the CI stack: trusted only by
 * jobs in the GitHub environment of the same name (`preview` for the previews' shared role), with
 * the deploy policy scoped to that environment's service stack, cluster, service, log group and
 * task roles.
 */
export class CiEnvironmentStack extends Stack {
  readonly deployRole: iam.Role;
  /** The role's statements that name nothing of its environment (SHARED_DEPLOY_STATEMENTS). */
  readonly sharedPolicy: iam.ManagedPolicy;
  /** The role's rights on the service stack's monitoring (monitoringDeployPolicy). */
  readonly monitoringPolicy: iam.ManagedPolicy;
  /** Its rights on what a dns or alb ingress adds (ingressDeployPolicies); none for public-ip. */
  readonly ingressPolicies: readonly iam.ManagedPolicy[];

  constructor(scope: Construct, id: string, props: CiEnvironmentStackProps) {
    super(scope, id, {
      synthesizer: new LegacyStackSynthesizer(),
      analyticsReporting: false,
      ...props,
    });
    const { scoped, shared } = deployPolicies(props, props);
    this.sharedPolicy = new iam.ManagedPolicy(this, 'DeploySharedPolicy', {
      description: `Deploy rights of ${props.deployRoleName} that name nothing of its environment`,
      document: shared,
    });
    this.monitoringPolicy = new iam.ManagedPolicy(this, 'DeployMonitoringPolicy', {
      description: `Deploy rights of ${props.deployRoleName} on the monitoring of ${props.deploys}`,
      document: monitoringDeployPolicy(props),
    });
    this.ingressPolicies = newIngressPolicies(this, props, props.deploys);
    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: props.deployRoleName,
      description: `GitHub Actions of ${props.repository} (environment ${props.githubEnvironment}): deploy ${props.deploys}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: githubPrincipal(props.oidcProviderArn, [
        `repo:${props.repository}:environment:${props.githubEnvironment}`,
      ]),
      inlinePolicies: { deploy: scoped },
      managedPolicies: [this.sharedPolicy, this.monitoringPolicy, ...this.ingressPolicies],
    });
    new CfnOutput(this, CI_STACK_OUTPUTS.deployRoleArn, {
      description: `Set as the variable ${CI_ROLE_VARIABLES.deployRoleArn} of the GitHub environment ${props.githubEnvironment}`,
      value: this.deployRole.roleArn,
    });
    acknowledgeDeployRoleFindings(this.deployRole, props, {
      shared: this.sharedPolicy,
      monitoring: this.monitoringPolicy,
    });
    if (props.ingress) {
      acknowledgeIngressPolicyFindings(this.ingressPolicies, props.serviceStackName, props.ingress);
    }
  }
}

/** The CI stack and, beside it, one stack per CI environment's deploy role. */
export interface CiStacks {
  readonly ci: CiStack;
  /** In the order of the CI config's environments. */
  readonly environments: readonly { ciEnvironment: string; stack: CiEnvironmentStack }[];
}

/**
 * Adds the optional CI stacks for the repository named in the CI config: the CI stack (OIDC
 * provider, publish role, the default environment's deploy role), then a stack per CI
 * environment. They are the same whichever environment the app is synthesized for.
 */
export function createCiStacks(app: Construct, config: InfraConfig, ci: CiConfig): CiStacks {
  const service = config.names.service;
  const env = { region: config.region };
  const names = deploymentNames(service);
  const main = new CiStack(app, names.ciStack, {
    env,
    description: `GitHub OIDC roles for ${ci.repository}: publish images and deploy ${names.deployment}`,
    repository: ci.repository,
    mainBranch: MAIN_BRANCH,
    environment: ci.environment,
    ...(ci.oidcProviderArn ? { oidcProviderArn: ci.oidcProviderArn } : {}),
    publishRoleName: names.ciRoles.publish,
    deployRoleName: names.ciRoles.deploy,
    ...policyScopeOf(names),
    ...secretArnsOf(ci, DEFAULT_ENVIRONMENT),
    ...ingressOf(ci, DEFAULT_ENVIRONMENT, names),
  });

  const ciEnvironments = ci.environments ?? DEFAULT_CI_ENVIRONMENTS;
  let promotesFrom: PromotionSource | undefined;
  const environments = ciEnvironments.map((ciEnvironment) => {
    const envNames = namesOrConfigError(service, ciEnvironment);
    // Previews push into their own repository (envNames.repository); the releases' is denied.
    const preview: PreviewScope | undefined =
      ciEnvironment === PREVIEW_GITHUB_ENVIRONMENT
        ? { releaseRepositoryName: names.repository }
        : undefined;
    const stack = new CiEnvironmentStack(app, ciEnvironmentStackName(service, ciEnvironment), {
      env,
      description: preview
        ? `GitHub OIDC deploy role of ${ci.repository} for pull-request previews: ${envNames.deployment} stacks only`
        : `GitHub OIDC deploy role of ${ci.repository} for environment ${ciEnvironment}`,
      repository: ci.repository,
      githubEnvironment: ciEnvironment,
      // By its ARN, which IAM derives from the issuer: no export ties the stacks together.
      oidcProviderArn:
        ci.oidcProviderArn ??
        Fn.sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/${OIDC_CLAIM}`),
      deployRoleName: envNames.ciRoles.deploy,
      deploys: envNames.deployment,
      ...policyScopeOf(envNames),
      ...secretArnsOf(ci, ciEnvironment),
      ...ingressOf(ci, ciEnvironment, envNames),
      ...(promotesFrom && !preview ? { promotesFrom } : {}),
      ...(preview ? { preview } : {}),
    });
    // The role trusts the CI stack's provider: IAM refuses a principal that does not exist yet.
    stack.addStackDependency(
      main,
      'its deploy role trusts the GitHub OIDC provider of the CI stack',
    );
    if (!preview) {
      promotesFrom = {
        serviceStackName: envNames.deployment,
        clusterName: envNames.deployment,
        serviceName: envNames.deployment,
      };
    }
    return { ciEnvironment, stack };
  });
  return { ci: main, environments };
}

/** The Secrets Manager secrets a CI environment's deploy role checks, when it has any. */
function secretArnsOf(ci: CiConfig, ciEnvironment: string): { secretArns?: readonly string[] } {
  const arns = ci.secretArns?.[ciEnvironment] ?? [];
  return arns.length > 0 ? { secretArns: arns } : {};
}

/**
 * A CI environment's ingress policy scope when its environment is dns or alb (previews never
 * are: config refuses it). The stack tags are the ones app.ts gives its service stack.
 */
function ingressOf(
  ci: CiConfig,
  ciEnvironment: string,
  names: DeploymentNames,
): { ingress?: IngressPolicyScope } {
  const ingress = ci.ingress?.[ciEnvironment];
  if (!ingress || ciEnvironment === PREVIEW_GITHUB_ENVIRONMENT) return {};
  return {
    ingress: {
      mode: ingress.mode,
      hostedZoneId: ingress.hostedZoneId,
      domainName: ingress.domainName,
      dnsUpdater: names.dnsUpdater,
      stackTags: { service: names.service, environment: names.environment },
    },
  };
}

/** The CI stack alone, as before environments (specs that only need it). */
export function createCiStack(app: Construct, config: InfraConfig, ci: CiConfig): CiStack {
  return createCiStacks(app, config, ci).ci;
}

/** A CI environment the service's names cannot hold (too long for its IAM role) is a config error. */
function namesOrConfigError(service: string, ciEnvironment: string): DeploymentNames {
  try {
    return ciEnvironmentNames(service, ciEnvironment);
  } catch (error) {
    if (!(error instanceof EnvironmentNameError)) throw error;
    throw new ConfigError(
      `Invalid CI environment (context "${CI_SETTINGS.environments.context}" or --environments): ${error.message}.`,
    );
  }
}

const rule = (id: string) => `AwsSolutions::AwsSolutions-${id}`;
// cdk-nag names a resource by its template text, pseudo parameters as <AWS::...>.
const at = (service: string, rest: string) =>
  `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${rest}`;
const acknowledge = (holder: Construct, resource: string, reason: string) =>
  Validations.of(holder).acknowledge({ id: rule(`IAM5[Resource::${resource}]`), reason });
const isPattern = (name: string) => name.includes('*');
const stackReason = (name: string) =>
  isPattern(name)
    ? `CloudFormation stack ARNs end in a generated id; "stack/${name}/*" is every preview's stack ` +
      "(pr-<number>) by name; no other environment's stack matches it (no other environment name starts pr-, and the previews' own stack is …-previews)."
    : `CloudFormation stack ARNs end in a generated id; "stack/${name}/*" is this one stack by name.`;

/** Every wildcard the publish role keeps, each with why it is the narrowest AWS allows. */
function acknowledgePublishRoleFindings(role: iam.Role, props: CiStackProps): void {
  acknowledge(
    role,
    '*',
    'Resource "*" only for ecr:GetAuthorizationToken, which supports no resource-level permission; ' +
      'pushes are held to this one repository.',
  );
  acknowledge(
    role,
    at('cloudformation', `stack/${props.registryStackName}/*`),
    stackReason(props.registryStackName),
  );
}

/**
 * Every wildcard a deploy role keeps, each with why it is the narrowest AWS allows, on the policy
 * that holds it: the role's inline policy, or its shared managed policy for the statements
 * SHARED_DEPLOY_STATEMENTS lists. Anything not listed fails synth, so a new wildcard needs a
 * reason here; each reason names only what that policy holds.
 */
function acknowledgeDeployRoleFindings(
  deploy: iam.Role,
  props: CiPolicyScope & DeployPolicyOptions,
  policies: { shared?: iam.ManagedPolicy; monitoring: iam.ManagedPolicy },
): void {
  const { shared } = policies;
  const monitored = (resource: string, reason: string) =>
    acknowledge(policies.monitoring, resource, reason);
  const preview = Boolean(props.preview);
  // Where a statement lives: the role (inline), the shared policy, or both hold such a resource.
  const inline = (resource: string, reason: string) => acknowledge(deploy, resource, reason);
  const common = (resource: string, reason: string) =>
    acknowledge(shared ?? deploy, resource, reason);
  const both = (resource: string, reason: string) => {
    inline(resource, reason);
    if (shared) common(resource, reason);
  };

  const tasksHeldTo = props.promotesFrom
    ? "this environment's cluster and the promotion source's cluster (read only)"
    : preview
      ? "the previews' clusters"
      : 'this cluster';
  const starShared =
    'ec2:Describe*, ' +
    "kms:CreateKey (via CloudFormation; a new key is nobody's), " +
    'ecs:RegisterTaskDefinition/DeregisterTaskDefinition (via CloudFormation only), DescribeTaskDefinition, ' +
    "ssm:DescribeParameters (the deploy's secrets preflight: names and versions, never values)" +
    (preview
      ? ', ecr:GetAuthorizationToken (ECR login to push the preview image) and ' +
        'cloudformation:ListStacks (stack names and statuses, for the previews sweep)'
      : '');
  const starTasks = `ecs:ListTasks/DescribeTasks, which are held to ${tasksHeldTo} by the ecs:cluster condition`;
  const imports = 'The one Deny on "*" (resource imports) narrows, never widens.';
  if (shared) {
    inline(
      '*',
      `Resource "*" only for ${starTasks}: AWS authorizes them on "*" for a cluster given as a condition.`,
    );
    common(
      '*',
      `Resource "*" only where AWS offers no resource-level permission: ${starShared}. ${imports}`,
    );
  } else {
    inline(
      '*',
      `Resource "*" only where AWS offers no resource-level permission: ${starShared}, and ${starTasks}. ${imports}`,
    );
  }
  common(
    at('cloudformation', `stack/${props.registryStackName}/*`),
    stackReason(props.registryStackName),
  );
  inline(
    at('cloudformation', `stack/${props.serviceStackName}/*`),
    stackReason(props.serviceStackName),
  );
  if (props.promotesFrom) {
    const source = props.promotesFrom.serviceStackName;
    inline(
      at('cloudformation', `stack/${source}/*`),
      `${stackReason(source)} Read only (DescribeStacks): the environment infra:promote copies the image from.`,
    );
  }
  const taggedBy = preview
    ? "a preview stack's aws:cloudformation:stack-name tag (…-pr-*)"
    : "the service stack's aws:cloudformation:stack-name tag";
  for (const type of ['internet-gateway', 'vpc', 'security-group']) {
    both(
      at('ec2', `${type}/*`),
      `EC2 ids are unknown before CloudFormation creates them: "${type}/*" lets CloudFormation create a ` +
        `new ${type}; changing or deleting one is allowed only where it carries ${taggedBy}, which no caller can set.`,
    );
  }
  for (const type of ['route-table', 'subnet']) {
    both(
      at('ec2', `${type}/*`),
      `EC2 ids are unknown before CloudFormation creates them: "${type}/*" lets CloudFormation create a ` +
        `new ${type} inside a VPC that must carry ${taggedBy}; ` +
        'changing or deleting one needs the same tag, which no caller can set.',
    );
  }
  common(
    at('ec2', 'security-group-rule/*'),
    'A new security group rule gets its id as it is created; the group it is added to must carry ' +
      `${taggedBy}.`,
  );
  common(
    at('ec2', '*'),
    'ec2:CreateTags only as part of creating a VPC, subnet, route table, gateway or security group ' +
      '(ec2:CreateAction), via CloudFormation.',
  );
  inline(
    at('kms', 'key/*'),
    "KMS key ids are unknown before CloudFormation creates the log group's or the monitoring topics' key (controlTower=strict); changing one is " +
      `allowed only where it carries ${taggedBy}, which no caller can set.`,
  );
  inline(
    at('ecs', `task-definition/${props.taskFamily}:*`),
    'Each task definition revision is a new ARN; "<family>:*" is this family only, tagged via CloudFormation.',
  );
  for (const type of ['service-deployment', 'service-revision']) {
    inline(
      at('ecs', `${type}/${props.clusterName}/${props.serviceName}/*`),
      preview
        ? `ECS names each ${type} of a service with an id it generates; "${type}/<cluster>/<service>/*" with ` +
            "cluster and service …-pr-* is the previews' services' only."
        : `ECS names each ${type} of a service with an id it generates; "${type}/<cluster>/<service>/*" is this one service's.`,
    );
  }
  inline(
    at('logs', `log-group:${props.logGroupName}:*`),
    preview
      ? 'Log streams are created per task under each preview\'s log group; ":*" names their streams.'
      : 'Log streams are created per task under this one log group; ":*" names its streams.',
  );
  common(
    at('logs', 'log-group:*'),
    'logs:DescribeLogGroups is authorized on the account-wide log-group ARN only.',
  );
  const { monitoring } = props;
  monitored(
    at('sns', `${monitoring.alarmTopic}:*`),
    preview
      ? 'An email subscription\'s ARN ends in an id SNS generates; "<topic>:*" is the subscriptions of the previews\' alarm topics, via CloudFormation only.'
      : 'An email subscription\'s ARN ends in an id SNS generates; "<topic>:*" is this alarm topic\'s subscriptions, via CloudFormation only.',
  );
  if (preview) {
    const every = (what: string) =>
      `Previews come and go with pull requests: "${what}" is every preview's (pr-<number>) by name, and no other environment's name matches it.`;
    for (const what of [
      `cluster/${props.clusterName}`,
      `service/${props.clusterName}/${props.serviceName}`,
    ]) {
      inline(at('ecs', what), every(what));
    }
    inline(at('logs', `log-group:${props.logGroupName}`), every(`log-group:${props.logGroupName}`));
    for (const what of [monitoring.alarmTopic, monitoring.taskStopsTopic]) {
      monitored(at('sns', what), every(what));
    }
    monitored(
      at('events', `rule/${monitoring.taskStopsRule}`),
      every(`rule/${monitoring.taskStopsRule}`),
    );
    for (const alarm of Object.values(monitoring.alarms)) {
      monitored(at('cloudwatch', `alarm:${alarm}`), every(`alarm:${alarm}`));
    }
    monitored(
      `arn:<AWS::Partition>:cloudwatch::<AWS::AccountId>:dashboard/${monitoring.dashboard}`,
      every(`dashboard/${monitoring.dashboard}`),
    );
  }
}

/**
 * Every wildcard of a deploy role's ingress policies, each on the policy that holds it, with why it
 * is the narrowest AWS allows (ingressDeployPolicies says how each is held in by conditions).
 */
function acknowledgeIngressPolicyFindings(
  policies: readonly iam.ManagedPolicy[],
  serviceStackName: string,
  ingress: IngressPolicyScope,
): void {
  const [first, second] = policies;
  const on = (policy: iam.ManagedPolicy | undefined) => (resource: string, reason: string) => {
    if (!policy) throw new Error(`no ingress policy to acknowledge ${resource} on`);
    acknowledge(policy, resource, reason);
  };
  on(first)(
    at('cloudformation', `stack/${serviceStackName}/*`),
    `${stackReason(serviceStackName)} Change sets with this ingress's resource types too.`,
  );
  if (ingress.mode === 'dns') {
    on(first)(
      at('logs', `log-group:${ingress.dnsUpdater.logGroup}:*`),
      'The updater\'s log streams are created per run under its one log group; ":*" names its streams.',
    );
    return;
  }
  const loadBalancing = on(first);
  loadBalancing(
    '*',
    'Resource "*" only for elasticloadbalancing:Describe*, reads AWS offers no resource-level permission for.',
  );
  loadBalancing(
    at('elasticloadbalancing', 'loadbalancer/app/*'),
    "A load balancer's ARN ends in the name CloudFormation generates and ELB's id: it is created with " +
      "this environment's stack tags, and only one carrying them may be changed, deleted or given a listener.",
  );
  for (const type of ['listener/app', 'targetgroup']) {
    loadBalancing(
      at('elasticloadbalancing', `${type}/*`),
      `ELB ids are unknown before CloudFormation creates them: "${type}/*" via CloudFormation only, ` +
        'which changes and deletes only what its stack created (no resource imports).',
    );
  }
  const scaling = on(second);
  scaling(
    '*',
    'Resource "*" only where AWS offers no resource-level permission: application-autoscaling:Describe* ' +
      '(reads), and acm:RequestCertificate, held to this domain and DNS validation by its conditions, via ' +
      'CloudFormation only.',
  );
  scaling(
    at('acm', 'certificate/*'),
    "Certificate ids are ACM's: via CloudFormation only, which deletes only the certificate its stack requested.",
  );
  scaling(
    'arn:<AWS::Partition>:route53:::change/*',
    "route53:GetChange only: a change's id is Route 53's, and its status is all it reads.",
  );
  scaling(
    at('application-autoscaling', 'scalable-target/*'),
    "Scalable target ids are the service's: via CloudFormation only, ECS desired counts only; registering " +
      'one needs ecs:UpdateService on the service it scales, which this role has on its own service only.',
  );
}
