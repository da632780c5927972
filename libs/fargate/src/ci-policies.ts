import { Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { STACK_TAGS, type DeploymentNames, type MonitoringNames } from '@hello-world/shared';
import { dnsDeadLetterQueueName } from './ingress/dns-ingress';
import type { TaskRoleNames } from './task-roles';

/**
 * What the CI roles' policies are scoped to: names only, all known before any deploy. For the
 * previews' shared role the service stack, cluster, service and log group are patterns ending
 * `-pr-*`, which only preview environments (`pr-<number>`) are given.
 */
export interface CiPolicyScope {
  readonly registryStackName: string;
  readonly serviceStackName: string;
  readonly repositoryName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly taskFamily: string;
  readonly logGroupName: string;
  /** The environment's task roles: the only roles its deploy role may hand to ECS. */
  readonly taskRoleNames: TaskRoleNames;
  /**
   * The environment's alarms, topics, rule and dashboard (deploymentNames(…).monitoring), the
   * only ones its deploy role may change; for the previews' role, `…-pr-*` patterns.
   */
  readonly monitoring: CiMonitoringScope;
  /**
   * The Secrets Manager secrets (full ARNs) the environment's tasks read: the deploy's preflight
   * checks each exists (DescribeSecret: metadata, never the value). None: no such statement.
   */
  readonly secretArns?: readonly string[];
}

/** What of an environment's monitoring names a deploy role's policy names. */
export type CiMonitoringScope = Pick<
  MonitoringNames,
  'alarms' | 'alarmTopic' | 'taskStopsTopic' | 'taskStopsRule' | 'dashboard'
>;

/**
 * What the service stack's task-stops rule matches (monitoring): the only events a deploy role's
 * rule may match, so no change set can forward other events (CloudTrail's API calls) elsewhere.
 */
export const TASK_STOPS_EVENT = { source: 'aws.ecs', detailType: 'ECS Task State Change' } as const;

/**
 * The environment a deploy role may read, never change: `infra:promote --from=<it>` finds the
 * image (tag and digest) it runs there, then deploys that image here.
 */
export interface PromotionSource {
  readonly serviceStackName: string;
  readonly clusterName: string;
  readonly serviceName: string;
}

/**
 * What the previews' shared deploy role adds to a deploy role, and what it must never touch. Its
 * scope's repository and registry stack are the previews' own (`…-previews`); the stack pattern
 * `…-pr-*` matches no other stack (environment names starting `pr-` are previews only, and
 * `…-previews` does not start `…-pr-`).
 */
export interface PreviewScope {
  /**
   * The release repository (the registry stack's), which main and releases deploy from without
   * building: every ECR action on it is denied, whatever an Allow says.
   */
  readonly releaseRepositoryName: string;
}

/**
 * The resource types the service stack is made of. The deploy role's change sets may contain
 * these and nothing else (`cloudformation:ResourceTypes`), so an edited template cannot even
 * ask for an IAM role, a Lambda function or a resource import. `ci-policies.spec.ts` fails when
 * the service stack gains a type that is not listed here.
 */
export const SERVICE_STACK_RESOURCE_TYPES = [
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::Route',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::Subnet',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::VPC',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::ECS::Cluster',
  'AWS::ECS::ClusterCapacityProviderAssociations',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::Events::Rule',
  // The log group's key and the monitoring topics' key, under controlTower=strict only.
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::Logs::MetricFilter',
  'AWS::SNS::Subscription',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
] as const;

/**
 * The resource types a dns or alb service stack adds to SERVICE_STACK_RESOURCE_TYPES. A deploy role
 * is allowed them only when its environment's ingress is that mode (ingressDeployPolicy), so a
 * public-ip environment's change sets still cannot ask for a Lambda function or a load balancer.
 * `ci-policies.spec.ts` fails when a dns or alb service stack gains a type not listed here.
 */
export const INGRESS_STACK_RESOURCE_TYPES = {
  dns: [
    'AWS::Lambda::Function',
    'AWS::Lambda::Permission',
    // The updater rule's dead-letter queue, and the policy letting EventBridge send to it.
    'AWS::SQS::Queue',
    'AWS::SQS::QueuePolicy',
  ],
  alb: [
    'AWS::ApplicationAutoScaling::ScalableTarget',
    'AWS::ApplicationAutoScaling::ScalingPolicy',
    'AWS::CertificateManager::Certificate',
    // The rules between the load balancer's group and the service's, one resource each.
    'AWS::EC2::SecurityGroupEgress',
    'AWS::EC2::SecurityGroupIngress',
    'AWS::ElasticLoadBalancingV2::Listener',
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'AWS::ElasticLoadBalancingV2::TargetGroup',
    'AWS::Route53::RecordSet',
  ],
} as const satisfies Record<RecordIngressMode, readonly string[]>;

/** The ingress modes that add resources (and deploy rights) to an environment: not public-ip. */
export type RecordIngressMode = 'dns' | 'alb';

/**
 * What a dns or alb environment's deploy role is scoped to beyond CiPolicyScope: its hosted zone
 * and domain, its updater's names (dns), and the service stack's stack-level tags (alb), which
 * CloudFormation passes on to the load balancer it creates.
 */
export interface IngressPolicyScope {
  readonly mode: RecordIngressMode;
  readonly hostedZoneId: string;
  /** Normalized: lowercase, no trailing dot (config.ts). */
  readonly domainName: string;
  readonly dnsUpdater: DeploymentNames['dnsUpdater'];
  /** The values of STACK_TAGS.service and STACK_TAGS.environment on the service stack. */
  readonly stackTags: { readonly service: string; readonly environment: string };
}

/**
 * The tag CloudFormation itself puts on every resource of a stack. Keys starting `aws:` cannot be
 * set or removed by any caller (EC2 rejects them in CreateTags), so a resource carrying this one
 * with the service stack's name was made by that stack: the deploy role cannot tag its way
 * into somebody else's security group.
 */
export const STACK_NAME_TAG = 'aws:cloudformation:stack-name';

// Fn::Sub rather than CDK's Fn::Join: one line per ARN keeps each CI stack's template, which CDK
// sends inline as YAML (at most 50 KiB without a bootstrap bucket), a third smaller.
const arn = (service: string, resource: string) =>
  Fn.sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
const iamArn = (resource: string) =>
  Fn.sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${resource}`);
/** CloudWatch dashboards are global: their ARNs name no region. */
const dashboardArn = (name: string) =>
  Fn.sub(`arn:\${AWS::Partition}:cloudwatch::\${AWS::AccountId}:dashboard/${name}`);
/** A name with `*` is a pattern: the conditions comparing it must be the Like operators. */
const isPattern = (name: string) => name.includes('*');
export const stackArn = (name: string) => arn('cloudformation', `stack/${name}/*`);
const repositoryArn = (scope: CiPolicyScope) => arn('ecr', `repository/${scope.repositoryName}`);

/** Only calls CloudFormation makes on the caller's behalf while it executes a change set. */
const viaCloudFormation = {
  'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] },
};

/** The EC2 calls that make a new network resource, and may tag it as they do. */
const NETWORK_CREATE_ACTIONS = [
  'CreateInternetGateway',
  'CreateRouteTable',
  'CreateSecurityGroup',
  'CreateSubnet',
  'CreateVpc',
];

/**
 * The publish role: log in to ECR, push (and read back) images of this one repository, and read
 * the registry stack's outputs to find it. No CloudFormation write, no IAM, nothing else.
 */
export function publishPolicy(scope: CiPolicyScope): iam.PolicyDocument {
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
          // docker-push reads the tag mutability: with every tag immutable it pushes no floating tag.
          'ecr:DescribeRepositories',
          'ecr:GetDownloadUrlForLayer',
          'ecr:InitiateLayerUpload',
          'ecr:PutImage',
          'ecr:UploadLayerPart',
        ],
        resources: [repositoryArn(scope)],
      }),
      new iam.PolicyStatement({
        sid: 'ReadRegistryStackOutputs',
        actions: ['cloudformation:DescribeStacks'],
        resources: [stackArn(scope.registryStackName)],
      }),
    ],
  });
}

export interface DeployPolicyOptions {
  /** The environment this one promotes from (production: staging), read-only. */
  readonly promotesFrom?: PromotionSource;
  /** The previews' shared role: it also deletes previews and pushes their images. */
  readonly preview?: PreviewScope;
}

/**
 * A deploy role: change sets on the service stack only, made of the service stack's resource
 * types only; CloudFormation then acts with these rights, each held to the service stack's own
 * resources. In IAM it can only pass the two task roles to ECS tasks. Its monitoring rights are
 * a document of their own, monitoringDeployPolicy.
 */
export function deployPolicy(
  scope: CiPolicyScope,
  options: DeployPolicyOptions = {},
): iam.PolicyDocument {
  return new iam.PolicyDocument({ statements: allDeployStatements(scope, options) });
}

/**
 * The statements of a deploy role that name nothing of its own environment: new network
 * resources and keys via CloudFormation, reads AWS authorizes on "*" only, the registry
 * and repository it deploys from (the shared ones; for previews, the previews' own), no resource
 * imports.
 */
export const SHARED_DEPLOY_STATEMENTS: readonly string[] = [
  'NoResourceImports',
  'ReadRegistryStackOutputs',
  'NewVpcAndGatewayViaCloudFormation',
  'NewSecurityGroupViaCloudFormation',
  'NewSubnetRouteTableAndRuleViaCloudFormation',
  'TagNetworkResourcesAsTheyAreCreated',
  'ReadNetworkAndTaskAddresses',
  'TaskDefinitionsViaCloudFormation',
  'ReadTaskDefinitions',
  'NewKeyViaCloudFormation',
  'FindLogGroups',
  'ReadImagesAndMarkTheDeployedOne',
  'EcrLogin',
  'ListStackNamesForTheSweep',
  'PushThePreviewImage',
  'FindSecretParameters',
];

/**
 * The same rights as deployPolicy, in two documents: `scoped`, the statements naming the
 * environment (its inline policy), and `shared`, SHARED_DEPLOY_STATEMENTS (a managed policy of
 * its own). IAM counts a role's inline policies together against 10,240 characters; the longest
 * names a service and environment may have would not fit in one.
 */
export function deployPolicies(
  scope: CiPolicyScope,
  options: DeployPolicyOptions = {},
): { scoped: iam.PolicyDocument; shared: iam.PolicyDocument } {
  const statements = allDeployStatements(scope, options);
  const isShared = (st: iam.PolicyStatement) => SHARED_DEPLOY_STATEMENTS.includes(st.sid ?? '');
  return {
    scoped: new iam.PolicyDocument({ statements: statements.filter((st) => !isShared(st)) }),
    shared: new iam.PolicyDocument({ statements: statements.filter(isShared) }),
  };
}

/**
 * A deploy role's rights on the service stack's monitoring (alarms, their topics, the task-stops
 * rule, the dashboard), each held to the environment's own names: a managed policy of its own,
 * as the role's inline policies have no room left for them (IAM: 10,240 characters together;
 * 6,144 for each managed policy).
 */
export function monitoringDeployPolicy(scope: CiPolicyScope): iam.PolicyDocument {
  return new iam.PolicyDocument({ statements: monitoringStatements(scope) });
}

function allDeployStatements(
  scope: CiPolicyScope,
  options: DeployPolicyOptions,
): iam.PolicyStatement[] {
  return [
    ...deployStatements(scope),
    ...(options.promotesFrom ? promotionSourceStatements(options.promotesFrom) : []),
    ...(options.preview ? previewStatements(scope, options.preview) : []),
  ];
}

function deployStatements(scope: CiPolicyScope): iam.PolicyStatement[] {
  const clusterArn = arn('ecs', `cluster/${scope.clusterName}`);
  const serviceArn = arn('ecs', `service/${scope.clusterName}/${scope.serviceName}`);
  const serviceDeploymentArns = arn(
    'ecs',
    `service-deployment/${scope.clusterName}/${scope.serviceName}/*`,
  );
  const serviceRevisionArns = arn(
    'ecs',
    `service-revision/${scope.clusterName}/${scope.serviceName}/*`,
  );
  const logGroup = arn('logs', `log-group:${scope.logGroupName}`);
  const logStreams = arn('logs', `log-group:${scope.logGroupName}:*`);
  const ec2 = (type: string) => arn('ec2', `${type}/*`);
  const stackTag = {
    [isPattern(scope.serviceStackName) ? 'StringLike' : 'StringEquals']: {
      [`aws:ResourceTag/${STACK_NAME_TAG}`]: scope.serviceStackName,
    },
  };
  return [
    new iam.PolicyStatement({
      sid: 'ChangeSetsOnTheServiceStack',
      actions: [
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
      resources: [stackArn(scope.serviceStackName)],
    }),
    new iam.PolicyStatement({
      // A deploy past its --timeout, or infra:abort, cancels the update in progress, and
      // CloudFormation rolls the stack back to what it was.
      sid: 'CancelAnUpdateOfTheServiceStack',
      actions: ['cloudformation:CancelUpdateStack'],
      resources: [stackArn(scope.serviceStackName)],
    }),
    new iam.PolicyStatement({
      sid: 'CreateChangeSetsOfServiceStackResourceTypesOnly',
      actions: ['cloudformation:CreateChangeSet'],
      resources: [stackArn(scope.serviceStackName)],
      conditions: {
        'ForAllValues:StringEquals': {
          'cloudformation:ResourceTypes': [...SERVICE_STACK_RESOURCE_TYPES],
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'NoResourceImports',
      effect: iam.Effect.DENY,
      actions: ['cloudformation:CreateChangeSet'],
      resources: ['*'],
      conditions: { Null: { 'cloudformation:ImportResourceTypes': 'false' } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadRegistryStackOutputs',
      actions: ['cloudformation:DescribeStacks'],
      resources: [stackArn(scope.registryStackName)],
    }),
    new iam.PolicyStatement({
      sid: 'NewVpcAndGatewayViaCloudFormation',
      actions: ['ec2:CreateInternetGateway', 'ec2:CreateVpc'],
      resources: [ec2('internet-gateway'), ec2('vpc')],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      sid: 'NewSecurityGroupViaCloudFormation',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [ec2('security-group')],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      // The new subnet, route table or rule; the VPC or group it goes into must be the stack's.
      sid: 'NewSubnetRouteTableAndRuleViaCloudFormation',
      actions: [
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:CreateRouteTable',
        'ec2:CreateSubnet',
      ],
      resources: [ec2('route-table'), ec2('security-group-rule'), ec2('subnet')],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      sid: 'TagNetworkResourcesAsTheyAreCreated',
      actions: ['ec2:CreateTags'],
      resources: [arn('ec2', '*')],
      conditions: {
        ...viaCloudFormation,
        StringEquals: { 'ec2:CreateAction': NETWORK_CREATE_ACTIONS },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ChangeOnlyTheServiceStackNetworkViaCloudFormation',
      actions: [
        'ec2:AssociateRouteTable',
        'ec2:AttachInternetGateway',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:CreateRoute',
        'ec2:CreateRouteTable',
        'ec2:CreateSecurityGroup',
        'ec2:CreateSubnet',
        'ec2:CreateTags',
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
      resources: [
        ec2('internet-gateway'),
        ec2('route-table'),
        ec2('security-group'),
        ec2('subnet'),
        ec2('vpc'),
      ],
      conditions: {
        ...viaCloudFormation,
        ...stackTag,
      },
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
      resources: [clusterArn, serviceArn, arn('ecs', `task-definition/${scope.taskFamily}:*`)],
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
      // The service's ECS deployments: the rollout is followed by them, a deploy past its
      // --timeout (or infra:abort) stops one with a rollback, and infra:rollback reads which
      // revisions served successfully.
      sid: 'ListDeploymentsOfThisService',
      actions: ['ecs:ListServiceDeployments'],
      resources: [serviceArn],
    }),
    new iam.PolicyStatement({
      sid: 'ReadAndStopDeploymentsOfThisService',
      actions: ['ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment'],
      resources: [serviceDeploymentArns],
    }),
    new iam.PolicyStatement({
      sid: 'ReadRevisionsOfThisService',
      actions: ['ecs:DescribeServiceRevisions'],
      resources: [serviceRevisionArns],
    }),
    new iam.PolicyStatement({
      sid: 'ReadTasksOfThisCluster',
      actions: ['ecs:DescribeTasks', 'ecs:ListTasks'],
      resources: ['*'],
      conditions: {
        [isPattern(scope.clusterName) ? 'ArnLike' : 'ArnEquals']: { 'ecs:cluster': clusterArn },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ReadTaskDefinitions',
      actions: ['ecs:DescribeTaskDefinition'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'PassOnlyTheTaskRolesToEcsTasks',
      actions: ['iam:PassRole'],
      resources: [
        iamArn(`role/${scope.taskRoleNames.execution}`),
        iamArn(`role/${scope.taskRoleNames.task}`),
      ],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      sid: 'LogGroupViaCloudFormation',
      actions: [
        'logs:AssociateKmsKey',
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        // The error-log-lines metric filter (AWS::Logs::MetricFilter), held to this log group.
        'logs:DeleteMetricFilter',
        'logs:DeleteRetentionPolicy',
        'logs:DescribeMetricFilters',
        'logs:DisassociateKmsKey',
        'logs:PutMetricFilter',
        'logs:PutRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
      ],
      resources: [logGroup, logStreams],
      conditions: viaCloudFormation,
    }),
    ...secretPreflightStatements(scope),
    new iam.PolicyStatement({
      // controlTower=strict: the log group's and the monitoring topics' keys. A new key is
      // nobody's yet; an existing one may be changed only when CloudFormation made it for the
      // service stack.
      sid: 'NewKeyViaCloudFormation',
      actions: ['kms:CreateKey'],
      resources: ['*'],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      sid: 'ChangeOnlyTheServiceStackKeyViaCloudFormation',
      actions: [
        'kms:DescribeKey',
        'kms:EnableKeyRotation',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListResourceTags',
        'kms:PutKeyPolicy',
        'kms:ScheduleKeyDeletion',
        'kms:TagResource',
        'kms:UntagResource',
      ],
      resources: [arn('kms', 'key/*')],
      conditions: {
        ...viaCloudFormation,
        ...stackTag,
      },
    }),
    new iam.PolicyStatement({
      sid: 'ReadLogGroupAndEvents',
      actions: ['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:ListTagsForResource'],
      resources: [logGroup, logStreams],
    }),
    new iam.PolicyStatement({
      sid: 'FindLogGroups',
      actions: ['logs:DescribeLogGroups'],
      resources: [arn('logs', 'log-group:*')],
    }),
    new iam.PolicyStatement({
      // Find the image's digest, its scan findings (the deploy's gate) and its platform (its
      // config blob, checked against the task's CPU), then move the deployed-<stack> tag onto
      // it (the same manifest put back under that tag), which the lifecycle policy never
      // expires. No layer upload: it can name an image already in the repository, never
      // bring a new one.
      sid: 'ReadImagesAndMarkTheDeployedOne',
      actions: [
        'ecr:BatchGetImage',
        'ecr:DescribeImageScanFindings',
        'ecr:DescribeImages',
        'ecr:DescribeRepositories',
        'ecr:GetDownloadUrlForLayer',
        'ecr:PutImage',
      ],
      resources: [repositoryArn(scope)],
    }),
  ];
}

/**
 * An EventBridge rule on ECS task state changes, through CloudFormation: it may match only those
 * events and send them only to its one target (the task-stops topic, the dns updater).
 */
function taskStateRuleStatements(options: {
  sidPrefix: string;
  rule: string;
  target: string;
  targetWhat: 'Topic' | 'Function';
  arnOperator: 'ArnLike' | 'ArnEquals';
}): iam.PolicyStatement[] {
  const { sidPrefix, rule, target, targetWhat, arnOperator } = options;
  return [
    new iam.PolicyStatement({
      sid: `${sidPrefix}ViaCloudFormation`,
      actions: [
        'events:DeleteRule',
        'events:DescribeRule',
        'events:ListTagsForResource',
        'events:ListTargetsByRule',
        'events:RemoveTargets',
        'events:TagResource',
        'events:UntagResource',
      ],
      resources: [rule],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      sid: `${sidPrefix}MatchesEcsTaskStateChangesOnly`,
      actions: ['events:PutRule'],
      resources: [rule],
      conditions: {
        ...viaCloudFormation,
        'ForAllValues:StringEquals': {
          'events:source': [TASK_STOPS_EVENT.source],
          'events:detail-type': [TASK_STOPS_EVENT.detailType],
        },
        // ForAllValues holds for a pattern without a source too: require both.
        Null: { 'events:source': 'false', 'events:detail-type': 'false' },
      },
    }),
    new iam.PolicyStatement({
      sid: `${sidPrefix}TargetsIts${targetWhat}Only`,
      actions: ['events:PutTargets'],
      resources: [rule],
      conditions: {
        ...viaCloudFormation,
        [`ForAllValues:${arnOperator}`]: { 'events:TargetArn': [target] },
        Null: { 'events:TargetArn': 'false' },
      },
    }),
  ];
}

/**
 * The service stack's monitoring (AWS::SNS::*, AWS::Events::Rule, AWS::CloudWatch::Alarm and
 * Dashboard): what CloudFormation's handlers for those types call, on this environment's own
 * names only. Where a change could reach outside them, a condition holds it in: subscriptions are
 * email only, the rule matches ECS task state changes only and targets the task-stops topic only,
 * an alarm's actions notify the alarm topic only (no EC2 or Auto Scaling action).
 */
function monitoringStatements(scope: CiPolicyScope): iam.PolicyStatement[] {
  const m = scope.monitoring;
  const pattern = isPattern(scope.serviceStackName);
  const arnOperator = pattern ? 'ArnLike' : 'ArnEquals';
  // cloudwatch:AlarmActions is a list of strings, not of ARNs, for IAM.
  const stringOperator = pattern ? 'StringLike' : 'StringEquals';
  const alarmTopic = arn('sns', m.alarmTopic);
  const taskStopsTopic = arn('sns', m.taskStopsTopic);
  const alarms = Object.values(m.alarms).map((name) => arn('cloudwatch', `alarm:${name}`));
  const rule = arn('events', `rule/${m.taskStopsRule}`);
  return [
    new iam.PolicyStatement({
      // `<topic>:*`: the alarm topic's subscriptions (their ARNs end in an id SNS generates).
      sid: 'MonitoringTopicsViaCloudFormation',
      actions: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetDataProtectionPolicy',
        'sns:GetSubscriptionAttributes',
        'sns:GetTopicAttributes',
        'sns:ListSubscriptionsByTopic',
        'sns:ListTagsForResource',
        'sns:PutDataProtectionPolicy',
        'sns:SetSubscriptionAttributes',
        'sns:SetTopicAttributes',
        'sns:TagResource',
        'sns:Unsubscribe',
        'sns:UntagResource',
      ],
      resources: [alarmTopic, taskStopsTopic, arn('sns', `${m.alarmTopic}:*`)],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      // --alert-email: an address, never an endpoint that would receive messages unconfirmed.
      sid: 'EmailSubscriptionsToTheAlarmTopicViaCloudFormation',
      actions: ['sns:Subscribe'],
      resources: [alarmTopic],
      conditions: { ...viaCloudFormation, StringEquals: { 'sns:Protocol': 'email' } },
    }),
    ...taskStateRuleStatements({
      sidPrefix: 'TaskStopsRule',
      rule,
      target: taskStopsTopic,
      targetWhat: 'Topic',
      arnOperator,
    }),
    new iam.PolicyStatement({
      sid: 'AlarmsNotifyingTheAlarmTopicViaCloudFormation',
      actions: [
        'cloudwatch:DeleteAlarms',
        'cloudwatch:ListTagsForResource',
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
      ],
      resources: alarms,
      conditions: {
        ...viaCloudFormation,
        [`ForAllValues:${stringOperator}`]: { 'cloudwatch:AlarmActions': [alarmTopic] },
      },
    }),
    new iam.PolicyStatement({
      // CloudFormation's alarm handlers, and infra:status and doctor: the alarms' states.
      sid: 'ReadAlarmsOfThisEnvironment',
      actions: ['cloudwatch:DescribeAlarms'],
      resources: alarms,
    }),
    new iam.PolicyStatement({
      sid: 'DashboardViaCloudFormation',
      actions: [
        'cloudwatch:DeleteDashboards',
        'cloudwatch:GetDashboard',
        'cloudwatch:PutDashboard',
      ],
      resources: [dashboardArn(m.dashboard)],
      conditions: viaCloudFormation,
    }),
  ];
}

/** One managed policy of a dns or alb environment's deploy role: its construct id and document. */
export interface IngressDeployPolicy {
  /** `DeployIngressPolicy`; alb also `DeployIngressScalingPolicy`. */
  readonly id: string;
  /** What it covers, for its description. */
  readonly covers: string;
  readonly document: iam.PolicyDocument;
}

/**
 * A dns or alb environment's deploy rights on what its ingress adds to the service stack: managed
 * policies of their own, attached only to that environment's deploy role, so a public-ip
 * environment's CI templates stay as they were (and the default role's inline policy, near IAM's
 * 10,240 characters, is untouched). alb's rights are two policies: one would pass IAM's 6,144
 * characters. Every change goes through CloudFormation (aws:CalledVia), on this environment's
 * names, zone, domain and stack tags.
 */
export function ingressDeployPolicies(
  scope: CiPolicyScope,
  ingress: IngressPolicyScope,
): IngressDeployPolicy[] {
  const first = (covers: string, statements: iam.PolicyStatement[]): IngressDeployPolicy => ({
    id: 'DeployIngressPolicy',
    covers,
    document: new iam.PolicyDocument({
      statements: [...ingressChangeSetStatements(scope, ingress), ...statements],
    }),
  });
  if (ingress.mode === 'dns') return [first('the dns record updater', dnsStatements(ingress))];
  return [
    first('the load balancer', loadBalancerStatements(ingress)),
    {
      id: 'DeployIngressScalingPolicy',
      covers: "the load balancer's certificate and record, and the service's autoscaling",
      document: new iam.PolicyDocument({ statements: certificateAndScalingStatements(ingress) }),
    },
  ];
}

/** The change sets of a dns or alb service stack, and the reads of its hosted zone. */
function ingressChangeSetStatements(
  scope: CiPolicyScope,
  ingress: IngressPolicyScope,
): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      // A second Allow beside CreateChangeSetsOfServiceStackResourceTypesOnly: the same stack,
      // its types and this mode's. IAM allows a request any one Allow matches.
      sid: `CreateChangeSetsOf${ingress.mode === 'dns' ? 'Dns' : 'Alb'}ServiceStackResourceTypes`,
      actions: ['cloudformation:CreateChangeSet'],
      resources: [stackArn(scope.serviceStackName)],
      conditions: {
        'ForAllValues:StringEquals': {
          'cloudformation:ResourceTypes': [
            ...SERVICE_STACK_RESOURCE_TYPES,
            ...INGRESS_STACK_RESOURCE_TYPES[ingress.mode],
          ].sort(),
        },
      },
    }),
    new iam.PolicyStatement({
      // The deploy's preflight (the zone exists and holds the domain), its wait for the record
      // (read from Route 53's API) and CloudFormation's record handler.
      sid: 'ReadTheHostedZone',
      actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
      resources: [hostedZoneArn(ingress.hostedZoneId)],
    }),
  ];
}

const hostedZoneArn = (id: string) => Fn.sub(`arn:\${AWS::Partition}:route53:::hostedzone/${id}`);
/** ELB resource ARNs end in names CloudFormation generates and ids ELB does: by type only. */
const elbArn = (type: string) => arn('elasticloadbalancing', `${type}/*`);

/**
 * The dns mode's updater (DnsIngress): its function, the rule invoking it on this cluster's task
 * state changes, its dead-letter queue and its log group, each by its exact name; and the deploy's
 * own run of that function after its rollout. Its role is the
 * administrator's (roles stack): this role may only hand it to Lambda.
 */
function dnsStatements(ingress: IngressPolicyScope): iam.PolicyStatement[] {
  const names = ingress.dnsUpdater;
  const fn = arn('lambda', `function:${names.function}`);
  const rule = arn('events', `rule/${names.rule}`);
  const logGroup = arn('logs', `log-group:${names.logGroup}`);
  return [
    new iam.PolicyStatement({
      sid: 'DnsUpdaterFunctionViaCloudFormation',
      actions: [
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:GetFunction',
        'lambda:GetFunctionCodeSigningConfig',
        'lambda:GetFunctionConfiguration',
        'lambda:GetFunctionRecursionConfig',
        'lambda:GetPolicy',
        'lambda:GetRuntimeManagementConfig',
        'lambda:ListTags',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
      ],
      resources: [fn],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      // AWS::Lambda::Permission: the rule's right to invoke it, and nobody else's.
      sid: 'DnsUpdaterInvokedByEventBridgeOnly',
      actions: ['lambda:AddPermission', 'lambda:RemovePermission'],
      resources: [fn],
      conditions: {
        ...viaCloudFormation,
        StringEquals: { 'lambda:Principal': 'events.amazonaws.com' },
      },
    }),
    new iam.PolicyStatement({
      // The deploy runs its updater once after the rollout: a deploy that starts no task (same
      // image, a mode switch) sends no task state change to run it. This updater only.
      sid: 'DeployRunsItsDnsUpdaterOnce',
      actions: ['lambda:InvokeFunction'],
      resources: [fn],
    }),
    new iam.PolicyStatement({
      sid: 'PassOnlyTheDnsUpdaterRoleToLambda',
      actions: ['iam:PassRole'],
      resources: [iamArn(`role/${names.role}`)],
      conditions: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    }),
    ...taskStateRuleStatements({
      sidPrefix: 'DnsUpdaterRule',
      rule,
      target: fn,
      targetWhat: 'Function',
      arnOperator: 'ArnEquals',
    }),
    new iam.PolicyStatement({
      // The events the rule could not deliver; SetQueueAttributes is also the queue policy
      // (AWS::SQS::QueuePolicy) letting the rule send to it.
      sid: 'DnsUpdaterDeadLetterQueueViaCloudFormation',
      actions: [
        'sqs:CreateQueue',
        'sqs:DeleteQueue',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ListQueueTags',
        'sqs:SetQueueAttributes',
        'sqs:TagQueue',
        'sqs:UntagQueue',
      ],
      resources: [arn('sqs', dnsDeadLetterQueueName(names))],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      sid: 'DnsUpdaterLogGroupViaCloudFormation',
      actions: [
        'logs:AssociateKmsKey',
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:DeleteRetentionPolicy',
        'logs:DisassociateKmsKey',
        'logs:ListTagsForResource',
        'logs:PutRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
      ],
      resources: [logGroup, arn('logs', `log-group:${names.logGroup}:*`)],
      conditions: viaCloudFormation,
    }),
  ];
}

/** The Application Auto Scaling role for ECS services, which AWS creates once per account. */
export const ECS_AUTOSCALING_SERVICE_ROLE =
  'aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService';
/** Elastic Load Balancing's service-linked role, created with an account's first load balancer. */
export const ELB_SERVICE_ROLE =
  'aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing';

/**
 * The alb mode's load balancer, listeners and target group (AlbIngress). ELB names and ids are
 * CloudFormation's and ELB's to choose, so the load balancer is held by the service stack's tags:
 * it is created with them (STACK_TAGS, which CloudFormation passes on), and only a load balancer
 * carrying them may be changed, deleted or given a listener. Listeners and target groups are
 * changed via CloudFormation only, which changes and deletes only resources its stack created (no
 * imports: NoResourceImports).
 */
function loadBalancerStatements(ingress: IngressPolicyScope): iam.PolicyStatement[] {
  const tagsOf = (prefix: 'aws:RequestTag' | 'aws:ResourceTag') => ({
    [`${prefix}/${STACK_TAGS.service}`]: ingress.stackTags.service,
    [`${prefix}/${STACK_TAGS.environment}`]: ingress.stackTags.environment,
  });
  const loadBalancers = elbArn('loadbalancer/app');
  const listeners = elbArn('listener/app');
  const targetGroups = elbArn('targetgroup');
  return [
    new iam.PolicyStatement({
      sid: 'NewLoadBalancerWithThisEnvironmentsTags',
      actions: ['elasticloadbalancing:CreateLoadBalancer'],
      resources: [loadBalancers],
      conditions: { ...viaCloudFormation, StringEquals: tagsOf('aws:RequestTag') },
    }),
    new iam.PolicyStatement({
      sid: 'TagLoadBalancingResourcesAsTheyAreCreated',
      actions: ['elasticloadbalancing:AddTags'],
      resources: [loadBalancers, listeners, targetGroups],
      conditions: {
        ...viaCloudFormation,
        StringEquals: {
          'elasticloadbalancing:CreateAction': [
            'CreateListener',
            'CreateLoadBalancer',
            'CreateTargetGroup',
          ],
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ChangeOnlyThisEnvironmentsLoadBalancer',
      actions: [
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:RemoveTags',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
      ],
      resources: [loadBalancers],
      conditions: { ...viaCloudFormation, StringEquals: tagsOf('aws:ResourceTag') },
    }),
    new iam.PolicyStatement({
      sid: 'ListenersAndTargetGroupsViaCloudFormation',
      actions: [
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: [listeners, targetGroups],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      // No resource-level permission: AWS authorizes them on "*" only. infra:status and doctor
      // read the target health.
      sid: 'ReadLoadBalancing',
      actions: [
        'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      resources: ['*'],
    }),
  ];
}

/**
 * The alb mode's certificate (DNS-validated in the zone), its alias record, and the service's
 * autoscaling (ServiceAutoscaling), whose target tracking alarms Application Auto Scaling makes
 * with its own service-linked role, not this one.
 */
function certificateAndScalingStatements(ingress: IngressPolicyScope): iam.PolicyStatement[] {
  const domain = ingress.domainName;
  return [
    new iam.PolicyStatement({
      // RequestCertificate has no resource type: held to this one domain, validated by DNS.
      sid: 'CertificateForTheDomainOnlyViaCloudFormation',
      actions: ['acm:RequestCertificate'],
      resources: ['*'],
      conditions: {
        ...viaCloudFormation,
        'ForAllValues:StringEquals': { 'acm:DomainNames': [domain] },
        StringEquals: { 'acm:ValidationMethod': 'DNS' },
        Null: { 'acm:DomainNames': 'false' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'CertificateViaCloudFormation',
      actions: [
        'acm:AddTagsToCertificate',
        'acm:DeleteCertificate',
        'acm:DescribeCertificate',
        'acm:ListTagsForCertificate',
        'acm:RemoveTagsFromCertificate',
      ],
      resources: [arn('acm', 'certificate/*')],
      conditions: viaCloudFormation,
    }),
    new iam.PolicyStatement({
      // The alias record at the domain, and the certificate's validation record CloudFormation
      // adds (`_<token>.<domain>`, a CNAME): no other name or type in the zone.
      sid: 'RecordsOfTheDomainOnlyViaCloudFormation',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [hostedZoneArn(ingress.hostedZoneId)],
      conditions: {
        ...viaCloudFormation,
        'ForAllValues:StringLike': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domain, `_*.${domain}`],
        },
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'CNAME'],
        },
      },
    }),
    new iam.PolicyStatement({
      // A change's id is Route 53's: CloudFormation waits for its records to be in sync.
      sid: 'WaitForRecordChanges',
      actions: ['route53:GetChange'],
      resources: [Fn.sub('arn:${AWS::Partition}:route53:::change/*')],
    }),
    new iam.PolicyStatement({
      // Scalable targets' ARNs end in ids the service generates. Registering one needs
      // ecs:UpdateService on the service it scales, which this role has on its own service only.
      sid: 'ScaleEcsServicesViaCloudFormation',
      actions: [
        'application-autoscaling:DeleteScalingPolicy',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:PutScalingPolicy',
        'application-autoscaling:RegisterScalableTarget',
      ],
      resources: [arn('application-autoscaling', 'scalable-target/*')],
      conditions: {
        ...viaCloudFormation,
        StringEquals: {
          'application-autoscaling:service-namespace': 'ecs',
          'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount',
        },
      },
    }),
    new iam.PolicyStatement({
      // No resource-level permission: AWS authorizes them on "*" only.
      sid: 'ReadScaling',
      actions: [
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:DescribeScalingActivities',
        'application-autoscaling:DescribeScalingPolicies',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      // The scalable target names this role (CDK's ScalableTarget RoleARN); its trust admits
      // Application Auto Scaling alone, so it is of no use anywhere else.
      sid: 'PassTheEcsAutoScalingServiceRole',
      actions: ['iam:PassRole'],
      resources: [iamArn(`role/${ECS_AUTOSCALING_SERVICE_ROLE}`)],
    }),
    new iam.PolicyStatement({
      // Made by AWS the first time an account scales an ECS service or creates a load balancer.
      sid: 'CreateTheServiceLinkedRolesOnce',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        iamArn(`role/${ECS_AUTOSCALING_SERVICE_ROLE}`),
        iamArn(`role/${ELB_SERVICE_ROLE}`),
      ],
      conditions: {
        StringEquals: {
          'iam:AWSServiceName': [
            'ecs.application-autoscaling.amazonaws.com',
            'elasticloadbalancing.amazonaws.com',
          ],
        },
      },
    }),
  ];
}

/**
 * The deploy's preflight, before any stack update: does each configured secret exist? Names and
 * metadata only; reading a value stays the execution role's alone.
 */
function secretPreflightStatements(scope: CiPolicyScope): iam.PolicyStatement[] {
  const secretArns = scope.secretArns ?? [];
  return [
    new iam.PolicyStatement({
      // DescribeParameters has no resource type: AWS authorizes it on "*" only. It returns
      // parameters' names, types, versions and dates, never a value.
      sid: 'FindSecretParameters',
      actions: ['ssm:DescribeParameters'],
      resources: ['*'],
    }),
    ...(secretArns.length > 0
      ? [
          new iam.PolicyStatement({
            sid: 'CheckConfiguredSecretsExist',
            actions: ['secretsmanager:DescribeSecret'],
            resources: [...secretArns],
          }),
        ]
      : []),
  ];
}

/**
 * Read the source environment's service, its tasks and its stack (`infra:promote --from`): which
 * image it runs, by tag and by digest. Nothing that changes it.
 */
function promotionSourceStatements(source: PromotionSource): iam.PolicyStatement[] {
  const clusterArn = arn('ecs', `cluster/${source.clusterName}`);
  return [
    new iam.PolicyStatement({
      sid: 'ReadThePromotionSourceStack',
      actions: ['cloudformation:DescribeStacks'],
      resources: [stackArn(source.serviceStackName)],
    }),
    new iam.PolicyStatement({
      sid: 'ReadThePromotionSourceService',
      actions: ['ecs:DescribeServices'],
      resources: [arn('ecs', `service/${source.clusterName}/${source.serviceName}`)],
    }),
    new iam.PolicyStatement({
      sid: 'ReadThePromotionSourceTasks',
      actions: ['ecs:DescribeTasks', 'ecs:ListTasks'],
      resources: ['*'],
      conditions: { ArnEquals: { 'ecs:cluster': clusterArn } },
    }),
  ];
}

/**
 * What only the previews' role adds: delete a preview (the pull request closed, the label went,
 * or the sweep found it too old), push the preview's own image into the previews' repository,
 * and list stack names for the sweep. And a Deny: nothing at all on the release repository, so
 * no later widening of an Allow lets code under review plant an image main would deploy.
 */
function previewStatements(scope: CiPolicyScope, preview: PreviewScope): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'DeletePreviewStacks',
      actions: ['cloudformation:DeleteStack'],
      resources: [stackArn(scope.serviceStackName)],
    }),
    new iam.PolicyStatement({
      sid: 'NothingOnTheReleaseRepository',
      effect: iam.Effect.DENY,
      actions: ['ecr:*'],
      resources: [arn('ecr', `repository/${preview.releaseRepositoryName}`)],
    }),
    new iam.PolicyStatement({
      // ListStacks names every stack with its status and times, no parameters, outputs or tags;
      // the sweep then reads the previews' own stacks by name.
      sid: 'ListStackNamesForTheSweep',
      actions: ['cloudformation:ListStacks'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'EcrLogin',
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      // A preview builds its own image, pushed with this role rather than the publish role, so
      // that the role releases are pushed with stays out of reach of unreviewed code; and into
      // the previews' repository, because ECR has no per-tag permission: a push into the release
      // repository could plant a sha- tag main would deploy without building it.
      sid: 'PushThePreviewImage',
      actions: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:CompleteLayerUpload',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
      ],
      resources: [repositoryArn(scope)],
    }),
  ];
}
