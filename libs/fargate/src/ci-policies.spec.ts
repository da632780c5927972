import { App } from 'aws-cdk-lib';
import { CI_STACK_NAME, deploymentNames, type DeploymentNames } from '@hello-world/shared';
import { createStacks } from './app';
import { SERVICE_STACK_RESOURCE_TYPES, STACK_NAME_TAG, TASK_STOPS_EVENT } from './ci-policies';
import {
  CI_DEPLOY_ROLE_NAME,
  CI_PUBLISH_ROLE_NAME,
  ciEnvironmentStackName,
  createCiStack,
  createCiStacks,
} from './ci-stack';
import { loadConfig } from './config';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  decide,
  inlinePoliciesOfRole,
  policiesOfRole,
  resolveTemplateValue,
  type IamRequest,
  type PolicyDocument,
} from './iam-simulation-for-test';
import { readCdkJsonContext, synthesizeApp } from './synth-for-test';

// Offline proof of what each CI role can and cannot do: the synthesized policies, resolved for
// one account and region, evaluated by an IAM policy simulator. Each denial below fails when
// the policy is widened to allow it (see "a widened policy is caught").

const SERVICE = 'hello-world-ecr-ecs-fargate';
const at = (service: string, resource: string) =>
  `arn:aws:${service}:${TEST_REGION}:${TEST_ACCOUNT}:${resource}`;
const stack = (name: string) =>
  at('cloudformation', `stack/${name}/0f2c6a70-1c2b-11ef-9f43-0a1b2c3d4e5f`);
const role = (name: string) => `arn:aws:iam::${TEST_ACCOUNT}:role/${name}`;
const REPOSITORY = at('ecr', `repository/${SERVICE}`);
/** The ARN ECS gives a service deployment (StopServiceDeployment's serviceDeploymentArn). */
const serviceDeployment = (service: string) =>
  at('ecs', `service-deployment/${service}/${service}/r9i43YFjvgF_xlg7m2eJ1r`);
const VIA_CFN = { 'aws:CalledVia': ['cloudformation.amazonaws.com'] };
const OURS = { [`aws:ResourceTag/${STACK_NAME_TAG}`]: SERVICE };
const THEIRS = { [`aws:ResourceTag/${STACK_NAME_TAG}`]: 'payments-prod' };
const SERVICE_TYPES = { 'cloudformation:ResourceTypes': [...SERVICE_STACK_RESOURCE_TYPES] };

type Row = [description: string, request: IamRequest];

let templates: Record<string, { Resources: Record<string, never> }>;
let publish: { name: string; policy: PolicyDocument }[];
let deploy: { name: string; policy: PolicyDocument }[];
let staging: { name: string; policy: PolicyDocument }[];
let production: { name: string; policy: PolicyDocument }[];
let preview: { name: string; policy: PolicyDocument }[];
/** The log group key's policy as controlTower=strict synthesizes it: the account delegates to IAM. */
let keyPolicy: PolicyDocument;
/** The monitoring topics' key's policy (controlTower=strict). */
let topicKeyPolicy: PolicyDocument;

beforeAll(() => {
  const app = new App({ context: readCdkJsonContext() });
  const config = loadConfig(() => undefined, {});
  createStacks(app, config);
  createCiStack(app, config, { repository: 'octo-org/hello-world', environment: 'production' });
  const assembly = app.synth();
  templates = Object.fromEntries(
    assembly.stacks.map((s) => [s.stackName, s.template as { Resources: Record<string, never> }]),
  );
  publish = inlinePoliciesOfRole(templates[CI_STACK_NAME], CI_PUBLISH_ROLE_NAME);
  deploy = policiesOfRole(templates[CI_STACK_NAME], CI_DEPLOY_ROLE_NAME);
  const roleOf = (ciEnvironment: string, roleName: string) =>
    policiesOfRole(templates[ciEnvironmentStackName('hello-world', ciEnvironment)], roleName);
  staging = roleOf('staging', `github-actions-${SERVICE}-staging-deploy`);
  production = roleOf('production', `github-actions-${SERVICE}-production-deploy`);
  preview = roleOf('preview', `github-actions-${SERVICE}-pr-deploy`);
  const strictService = synthesizeApp({ controlTower: 'strict' }).service.toJSON();
  const keys = Object.values(
    strictService.Resources as Record<
      string,
      { Type: string; Properties: { KeyPolicy: unknown; Description?: string } }
    >,
  ).filter((r) => r.Type === 'AWS::KMS::Key');
  const isTopicKey = (k: (typeof keys)[number]) =>
    /SNS topics/.test(k.Properties.Description ?? '');
  const [key] = keys.filter((k) => !isTopicKey(k));
  keyPolicy = resolveTemplateValue(key.Properties.KeyPolicy) as PolicyDocument;
  // The monitoring topics' key (controlTower=strict), beside the log group's.
  const [topicKey] = keys.filter(isTopicKey);
  topicKeyPolicy = resolveTemplateValue(topicKey.Properties.KeyPolicy) as PolicyDocument;
});

describe('publish role (main branch and release tags)', () => {
  const allowed: Row[] = [
    ['logs in to ECR', { action: 'ecr:GetAuthorizationToken', resource: '*' }],
    ['pushes an image', { action: 'ecr:PutImage', resource: REPOSITORY }],
    ['uploads layers', { action: 'ecr:UploadLayerPart', resource: REPOSITORY }],
    ['checks whether a tag is there', { action: 'ecr:DescribeImages', resource: REPOSITORY }],
    [
      "reads the repository's tag mutability",
      { action: 'ecr:DescribeRepositories', resource: REPOSITORY },
    ],
    [
      "reads the registry stack's outputs",
      { action: 'cloudformation:DescribeStacks', resource: stack(`${SERVICE}-registry`) },
    ],
  ];
  const denied: Row[] = [
    [
      'cannot execute a change set on the service stack',
      { action: 'cloudformation:ExecuteChangeSet', resource: stack(SERVICE) },
    ],
    [
      'cannot create a change set on the service stack',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(SERVICE),
        context: SERVICE_TYPES,
      },
    ],
    [
      'cannot create a change set on the registry stack',
      { action: 'cloudformation:CreateChangeSet', resource: stack(`${SERVICE}-registry`) },
    ],
    [
      'cannot update its own CI stack',
      { action: 'cloudformation:UpdateStack', resource: stack(CI_STACK_NAME) },
    ],
    ['cannot create a role', { action: 'iam:CreateRole', resource: role('anything') }],
    [
      'cannot pass the execution role',
      {
        action: 'iam:PassRole',
        resource: role(`${SERVICE}-execution`),
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
    ],
    [
      'cannot push to another repository',
      { action: 'ecr:PutImage', resource: at('ecr', 'repository/payments') },
    ],
    ['cannot delete images', { action: 'ecr:BatchDeleteImage', resource: REPOSITORY }],
    [
      'cannot change the lifecycle policy',
      { action: 'ecr:PutLifecyclePolicy', resource: REPOSITORY },
    ],
    [
      'cannot roll the service',
      { action: 'ecs:UpdateService', resource: at('ecs', `service/${SERVICE}/${SERVICE}`) },
    ],
  ];

  it.each(allowed)('%s', async (_, request) => {
    expect(await decide(publish, request)).toBe('Allowed');
  });

  it.each(denied)('%s', async (_, request) => {
    expect(await decide(publish, request)).not.toBe('Allowed');
  });
});

describe('deploy role (protected environment only)', () => {
  const securityGroup = at('ec2', 'security-group/sg-0123456789abcdef0');
  const allowed: Row[] = [
    [
      'creates a change set of the service stack',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(SERVICE),
        context: SERVICE_TYPES,
      },
    ],
    [
      'executes a change set on the service stack',
      { action: 'cloudformation:ExecuteChangeSet', resource: stack(SERVICE) },
    ],
    [
      'passes the execution role to ECS tasks',
      {
        action: 'iam:PassRole',
        resource: role(`${SERVICE}-execution`),
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
    ],
    [
      'passes the task role to ECS tasks',
      {
        action: 'iam:PassRole',
        resource: role(`${SERVICE}-task`),
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
    ],
    [
      "opens the service stack's own security group via CloudFormation",
      {
        action: 'ec2:AuthorizeSecurityGroupIngress',
        resource: securityGroup,
        context: { ...VIA_CFN, ...OURS },
      },
    ],
    [
      'creates a VPC via CloudFormation',
      {
        action: 'ec2:CreateVpc',
        resource: at('ec2', 'vpc/vpc-0fedcba9876543210'),
        context: VIA_CFN,
      },
    ],
    [
      "adds a route to the service stack's route table via CloudFormation",
      {
        action: 'ec2:CreateRoute',
        resource: at('ec2', 'route-table/rtb-0123456789abcdef0'),
        context: { ...VIA_CFN, ...OURS },
      },
    ],
    [
      'tags a subnet as CloudFormation creates it',
      {
        action: 'ec2:CreateTags',
        resource: at('ec2', 'subnet/subnet-0123456789abcdef0'),
        context: { ...VIA_CFN, 'ec2:CreateAction': 'CreateSubnet' },
      },
    ],
    [
      "enables rotation of the service stack's log key via CloudFormation",
      {
        action: 'kms:EnableKeyRotation',
        resource: at('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'),
        // Read when the row runs: the key policy is synthesized in beforeAll.
        get resourcePolicy() {
          return keyPolicy;
        },
        context: { ...VIA_CFN, ...OURS },
      },
    ],
    [
      "enables rotation of the monitoring topics' key via CloudFormation",
      {
        action: 'kms:EnableKeyRotation',
        resource: at('kms', 'key/5678efgh-56ef-78gh-90ij-5678901234cd'),
        get resourcePolicy() {
          return topicKeyPolicy;
        },
        context: { ...VIA_CFN, ...OURS },
      },
    ],
    [
      "turns on ECS Exec's session logging on the cluster via CloudFormation",
      { action: 'ecs:UpdateCluster', resource: at('ecs', `cluster/${SERVICE}`), context: VIA_CFN },
    ],
    [
      'rolls the service via CloudFormation',
      {
        action: 'ecs:UpdateService',
        resource: at('ecs', `service/${SERVICE}/${SERVICE}`),
        context: VIA_CFN,
      },
    ],
    ['reads the image digest', { action: 'ecr:DescribeImages', resource: REPOSITORY }],
    [
      "reads the image's scan findings (the deploy's scan gate)",
      { action: 'ecr:DescribeImageScanFindings', resource: REPOSITORY },
    ],
    [
      "reads the image's config blob (its platform, checked against the task's CPU)",
      { action: 'ecr:GetDownloadUrlForLayer', resource: REPOSITORY },
    ],
    [
      "cancels the service stack's update (a deploy past its --timeout, infra:abort)",
      { action: 'cloudformation:CancelUpdateStack', resource: stack(SERVICE) },
    ],
    [
      "lists the service's ECS deployments",
      {
        action: 'ecs:ListServiceDeployments',
        resource: at('ecs', `service/${SERVICE}/${SERVICE}`),
      },
    ],
    [
      "reads one of the service's ECS deployments",
      { action: 'ecs:DescribeServiceDeployments', resource: serviceDeployment(SERVICE) },
    ],
    [
      "stops one of the service's ECS deployments with a rollback",
      { action: 'ecs:StopServiceDeployment', resource: serviceDeployment(SERVICE) },
    ],
    [
      "reads the service's revisions (infra:rollback's history)",
      {
        action: 'ecs:DescribeServiceRevisions',
        resource: at('ecs', `service-revision/${SERVICE}/${SERVICE}/4980306466373577095`),
      },
    ],
    [
      'moves the deployed-<stack> marker tag onto the deployed image',
      { action: 'ecr:PutImage', resource: REPOSITORY },
    ],
  ];
  const denied: Row[] = [
    [
      'cannot create a role',
      { action: 'iam:CreateRole', resource: role(`${SERVICE}-x`), context: VIA_CFN },
    ],
    [
      'cannot change the task role',
      { action: 'iam:PutRolePolicy', resource: role(`${SERVICE}-task`), context: VIA_CFN },
    ],
    [
      'cannot attach a policy to the execution role',
      { action: 'iam:AttachRolePolicy', resource: role(`${SERVICE}-execution`), context: VIA_CFN },
    ],
    [
      'cannot change who may assume the task role',
      { action: 'iam:UpdateAssumeRolePolicy', resource: role(`${SERVICE}-task`), context: VIA_CFN },
    ],
    [
      'cannot pass any other role, even one named like the service',
      {
        action: 'iam:PassRole',
        resource: role(`${SERVICE}-admin`),
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
    ],
    [
      'cannot pass its own role',
      {
        action: 'iam:PassRole',
        resource: role(CI_DEPLOY_ROLE_NAME),
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
    ],
    [
      'cannot pass the task role to another service',
      {
        action: 'iam:PassRole',
        resource: role(`${SERVICE}-task`),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      },
    ],
    [
      'cannot create a change set that adds an IAM role',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(SERVICE),
        context: {
          'cloudformation:ResourceTypes': [...SERVICE_STACK_RESOURCE_TYPES, 'AWS::IAM::Role'],
        },
      },
    ],
    [
      'cannot create a change set that adds a Lambda function',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(SERVICE),
        context: { 'cloudformation:ResourceTypes': ['AWS::Lambda::Function'] },
      },
    ],
    [
      'cannot import an existing resource into the service stack',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(SERVICE),
        context: {
          ...SERVICE_TYPES,
          'cloudformation:ImportResourceTypes': ['AWS::EC2::SecurityGroup'],
        },
      },
    ],
    [
      'cannot change the registry stack (task roles, repository)',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(`${SERVICE}-registry`),
        context: SERVICE_TYPES,
      },
    ],
    [
      'cannot execute a change set on the registry stack',
      { action: 'cloudformation:ExecuteChangeSet', resource: stack(`${SERVICE}-registry`) },
    ],
    [
      'cannot touch its own CI stack',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(CI_STACK_NAME),
        context: SERVICE_TYPES,
      },
    ],
    [
      'cannot execute a change set on its own CI stack',
      { action: 'cloudformation:ExecuteChangeSet', resource: stack(CI_STACK_NAME) },
    ],
    [
      'cannot delete the service stack',
      { action: 'cloudformation:DeleteStack', resource: stack(SERVICE) },
    ],
    [
      'cannot open a security group of another stack',
      {
        action: 'ec2:AuthorizeSecurityGroupIngress',
        resource: securityGroup,
        context: { ...VIA_CFN, ...THEIRS },
      },
    ],
    [
      'cannot open a security group made outside CloudFormation',
      { action: 'ec2:AuthorizeSecurityGroupIngress', resource: securityGroup, context: VIA_CFN },
    ],
    [
      "cannot open the service stack's security group directly, outside a change set",
      { action: 'ec2:AuthorizeSecurityGroupIngress', resource: securityGroup, context: OURS },
    ],
    [
      'cannot tag its way into a foreign security group',
      {
        action: 'ec2:CreateTags',
        resource: securityGroup,
        context: { ...VIA_CFN, 'aws:RequestTag/owner': 'me', 'aws:TagKeys': ['owner'] },
      },
    ],
    [
      "cannot add a route to another VPC's route table",
      {
        action: 'ec2:CreateRoute',
        resource: at('ec2', 'route-table/rtb-0123456789abcdef0'),
        context: { ...VIA_CFN, ...THEIRS },
      },
    ],
    [
      'cannot attach a gateway to another VPC',
      {
        action: 'ec2:AttachInternetGateway',
        resource: at('ec2', 'vpc/vpc-0123456789abcdef0'),
        context: VIA_CFN,
      },
    ],
    [
      'cannot add a subnet to another VPC',
      {
        action: 'ec2:CreateSubnet',
        resource: at('ec2', 'vpc/vpc-0123456789abcdef0'),
        context: { ...VIA_CFN, ...THEIRS },
      },
    ],
    [
      'cannot delete another VPC',
      {
        action: 'ec2:DeleteVpc',
        resource: at('ec2', 'vpc/vpc-0123456789abcdef0'),
        context: VIA_CFN,
      },
    ],
    [
      'cannot run an instance',
      {
        action: 'ec2:RunInstances',
        resource: at('ec2', 'instance/i-0123456789abcdef0'),
        context: VIA_CFN,
      },
    ],
    [
      'cannot roll another service',
      {
        action: 'ecs:UpdateService',
        resource: at('ecs', 'service/payments/payments'),
        context: VIA_CFN,
      },
    ],
    [
      'cannot delete another log group',
      {
        action: 'logs:DeleteLogGroup',
        resource: at('logs', 'log-group:/ecs/payments'),
        context: VIA_CFN,
      },
    ],
    [
      'cannot rewrite the policy of a KMS key it did not make',
      {
        action: 'kms:PutKeyPolicy',
        resource: at('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'),
        // Read when the row runs: the key policy is synthesized in beforeAll.
        get resourcePolicy() {
          return keyPolicy;
        },
        context: { ...VIA_CFN, ...THEIRS },
      },
    ],
    [
      'cannot schedule the deletion of a KMS key it did not make',
      {
        action: 'kms:ScheduleKeyDeletion',
        resource: at('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'),
        // Read when the row runs: the key policy is synthesized in beforeAll.
        get resourcePolicy() {
          return keyPolicy;
        },
        context: VIA_CFN,
      },
    ],
    [
      'cannot decrypt with any key',
      {
        action: 'kms:Decrypt',
        resource: at('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'),
        // Read when the row runs: the key policy is synthesized in beforeAll.
        get resourcePolicy() {
          return keyPolicy;
        },
        context: OURS,
      },
    ],
    [
      "cannot cancel the registry stack's update",
      { action: 'cloudformation:CancelUpdateStack', resource: stack(`${SERVICE}-registry`) },
    ],
    [
      "cannot cancel its own CI stack's update",
      { action: 'cloudformation:CancelUpdateStack', resource: stack(CI_STACK_NAME) },
    ],
    [
      "cannot stop another service's ECS deployment",
      { action: 'ecs:StopServiceDeployment', resource: serviceDeployment('payments') },
    ],
    [
      "cannot list another service's ECS deployments",
      { action: 'ecs:ListServiceDeployments', resource: at('ecs', 'service/payments/payments') },
    ],
    [
      "cannot read another service's revisions",
      {
        action: 'ecs:DescribeServiceRevisions',
        resource: at('ecs', 'service-revision/payments/payments/4980306466373577095'),
      },
    ],
    ['cannot push images', { action: 'ecr:InitiateLayerUpload', resource: REPOSITORY }],
    [
      'cannot open an ECS Exec session in a task (exec is for operators)',
      {
        action: 'ecs:ExecuteCommand',
        resource: at('ecs', `task/${SERVICE}/0123456789abcdef0123456789abcdef`),
        context: { 'ecs:cluster': at('ecs', `cluster/${SERVICE}`) },
      },
    ],
    [
      "cannot schedule the deletion of the topics' key it did not make",
      {
        action: 'kms:ScheduleKeyDeletion',
        resource: at('kms', 'key/5678efgh-56ef-78gh-90ij-5678901234cd'),
        get resourcePolicy() {
          return topicKeyPolicy;
        },
        context: { ...VIA_CFN, ...THEIRS },
      },
    ],
    ['cannot delete images', { action: 'ecr:BatchDeleteImage', resource: REPOSITORY }],
    [
      'cannot delete the repository, even via CloudFormation',
      { action: 'ecr:DeleteRepository', resource: REPOSITORY, context: VIA_CFN },
    ],
  ];

  it.each(allowed)('%s', async (_, request) => {
    expect(await decide(deploy, request)).toBe('Allowed');
  });

  it.each(denied)('%s', async (_, request) => {
    expect(await decide(deploy, request)).not.toBe('Allowed');
  });

  it('a widened policy is caught: granting iam:CreateRole turns its denial into a failure', async () => {
    // GIVEN the deploy policy plus one over-broad statement, as a careless edit would add
    const widened = [
      ...deploy,
      {
        name: 'widened',
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*' }],
        },
      },
    ];
    // WHEN the same request is evaluated
    const decision = await decide(widened, {
      action: 'iam:CreateRole',
      resource: role(`${SERVICE}-x`),
      context: VIA_CFN,
    });
    // THEN the simulator allows it, so the table's denial would fail
    expect(decision).toBe('Allowed');
  });
});

describe('the deploy role and the service stack agree', () => {
  /** Every configuration that changes which resources the service stack has. */
  const configurations: Record<string, unknown>[] = [
    {},
    { spot: true },
    { controlTower: 'strict' },
  ];

  it('lists every resource type the service stack has in any configuration, and no other', () => {
    const types = new Set(
      configurations.flatMap((context) =>
        Object.values(
          synthesizeApp(context).service.toJSON().Resources as Record<string, { Type: string }>,
        ).map((r) => r.Type),
      ),
    );
    expect([...types].sort()).toEqual([...SERVICE_STACK_RESOURCE_TYPES].sort());
  });

  it('the service stack creates no IAM resource: its roles come from the registry stack', () => {
    const iam = Object.values(templates[SERVICE].Resources).filter((r: { Type: string }) =>
      r.Type.startsWith('AWS::IAM::'),
    );
    expect(iam).toEqual([]);
  });
});

// The environments CI deploys (ci-config DEFAULT_CI_ENVIRONMENTS): each deploy role is held to its
// own environment's names; the previews' shared role to `…-pr-*` names and the previews' own
// repository, never the previews' stack (an administrator's) nor the release repository.
const STAGING = `${SERVICE}-staging`;
const PRODUCTION = `${SERVICE}-production`;
const PR_12 = `${SERVICE}-pr-12`;
const PREVIEWS = `${SERVICE}-previews`;
const PREVIEWS_REPOSITORY = at('ecr', `repository/${PREVIEWS}`);
const OTHER_SERVICE_PREVIEW = 'payments-ecr-ecs-fargate-pr-12';
const taggedBy = (stackName: string) => ({ [`aws:ResourceTag/${STACK_NAME_TAG}`]: stackName });
const toEcsTasks = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
const service = (name: string) => at('ecs', `service/${name}/${name}`);
const task = (cluster: string) => at('ecs', `task/${cluster}/0123456789abcdef0123456789abcdef`);
const inCluster = (cluster: string) => ({ 'ecs:cluster': at('ecs', `cluster/${cluster}`) });
const securityGroup = at('ec2', 'security-group/sg-0123456789abcdef0');
const changeSet = (stackName: string): IamRequest => ({
  action: 'cloudformation:CreateChangeSet',
  resource: stack(stackName),
  context: SERVICE_TYPES,
});

describe('preview role (environment preview: every pr-<number>)', () => {
  const allowed: Row[] = [
    ["creates a change set of a preview's stack", changeSet(PR_12)],
    ['executes it', { action: 'cloudformation:ExecuteChangeSet', resource: stack(PR_12) }],
    [
      'deletes the preview stack (pull request closed, label removed, sweep)',
      { action: 'cloudformation:DeleteStack', resource: stack(PR_12) },
    ],
    [
      'reads the preview stack',
      { action: 'cloudformation:DescribeStacks', resource: stack(PR_12) },
    ],
    ['lists stack names for the sweep', { action: 'cloudformation:ListStacks', resource: '*' }],
    [
      "rolls the preview's service via CloudFormation",
      { action: 'ecs:UpdateService', resource: service(PR_12), context: VIA_CFN },
    ],
    ["reads the preview's service", { action: 'ecs:DescribeServices', resource: service(PR_12) }],
    [
      "reads the preview's tasks",
      { action: 'ecs:DescribeTasks', resource: task(PR_12), context: inCluster(PR_12) },
    ],
    [
      "creates the preview's log group via CloudFormation",
      {
        action: 'logs:CreateLogGroup',
        resource: at('logs', `log-group:/ecs/${PR_12}`),
        context: VIA_CFN,
      },
    ],
    [
      "opens the preview stack's own security group via CloudFormation",
      {
        action: 'ec2:AuthorizeSecurityGroupIngress',
        resource: securityGroup,
        context: { ...VIA_CFN, ...taggedBy(PR_12) },
      },
    ],
    [
      "passes the previews' shared execution role to ECS tasks",
      { action: 'iam:PassRole', resource: role(`${SERVICE}-pr-execution`), context: toEcsTasks },
    ],
    [
      "passes the previews' shared task role to ECS tasks",
      { action: 'iam:PassRole', resource: role(`${SERVICE}-pr-task`), context: toEcsTasks },
    ],
    ['logs in to ECR', { action: 'ecr:GetAuthorizationToken', resource: '*' }],
    [
      "pushes the preview image into the previews' repository: layers",
      { action: 'ecr:InitiateLayerUpload', resource: PREVIEWS_REPOSITORY },
    ],
    [
      "pushes the preview image into the previews' repository: layer parts",
      { action: 'ecr:UploadLayerPart', resource: PREVIEWS_REPOSITORY },
    ],
    [
      "pushes the preview image into the previews' repository: manifest",
      { action: 'ecr:PutImage', resource: PREVIEWS_REPOSITORY },
    ],
    [
      "reads the previews' repository's tag mutability (docker-push)",
      { action: 'ecr:DescribeRepositories', resource: PREVIEWS_REPOSITORY },
    ],
    [
      "reads the preview image's scan findings (the deploy's scan gate)",
      { action: 'ecr:DescribeImageScanFindings', resource: PREVIEWS_REPOSITORY },
    ],
    [
      "reads the previews' stack's outputs (where the repository is)",
      { action: 'cloudformation:DescribeStacks', resource: stack(PREVIEWS) },
    ],
  ];
  const denied: Row[] = [
    ['cannot change the default stack', changeSet(SERVICE)],
    ["cannot change staging's stack", changeSet(STAGING)],
    ["cannot change production's stack", changeSet(PRODUCTION)],
    ['cannot change the registry stack', changeSet(`${SERVICE}-registry`)],
    [
      'cannot read the release registry stack either (previews never use it)',
      { action: 'cloudformation:DescribeStacks', resource: stack(`${SERVICE}-registry`) },
    ],
    ["cannot change the previews' stack (repository, task roles)", changeSet(PREVIEWS)],
    [
      "cannot execute a change set on the previews' stack",
      { action: 'cloudformation:ExecuteChangeSet', resource: stack(PREVIEWS) },
    ],
    [
      "cannot delete the previews' stack",
      { action: 'cloudformation:DeleteStack', resource: stack(PREVIEWS) },
    ],
    [
      "cannot update the previews' stack directly",
      { action: 'cloudformation:UpdateStack', resource: stack(PREVIEWS) },
    ],
    [
      "cannot cancel an update of the previews' stack",
      { action: 'cloudformation:CancelUpdateStack', resource: stack(PREVIEWS) },
    ],
    [
      'cannot push a manifest into the release repository (a sha- tag main would deploy)',
      { action: 'ecr:PutImage', resource: REPOSITORY },
    ],
    [
      'cannot upload a layer into the release repository',
      { action: 'ecr:InitiateLayerUpload', resource: REPOSITORY },
    ],
    [
      'cannot upload a layer part into the release repository',
      { action: 'ecr:UploadLayerPart', resource: REPOSITORY },
    ],
    [
      'cannot complete a layer upload into the release repository',
      { action: 'ecr:CompleteLayerUpload', resource: REPOSITORY },
    ],
    [
      'cannot delete images of the release repository',
      { action: 'ecr:BatchDeleteImage', resource: REPOSITORY },
    ],
    [
      'cannot pull from the release repository either',
      { action: 'ecr:BatchGetImage', resource: REPOSITORY },
    ],
    ["cannot change another service's preview stack", changeSet(OTHER_SERVICE_PREVIEW)],
    ['cannot change the CI stack', changeSet(CI_STACK_NAME)],
    ["cannot change its own role's stack", changeSet(`${CI_STACK_NAME}-pr`)],
    [
      'cannot delete the production stack',
      { action: 'cloudformation:DeleteStack', resource: stack(PRODUCTION) },
    ],
    [
      'cannot delete the default stack',
      { action: 'cloudformation:DeleteStack', resource: stack(SERVICE) },
    ],
    [
      'cannot add an IAM role to a preview',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(PR_12),
        context: {
          'cloudformation:ResourceTypes': [...SERVICE_STACK_RESOURCE_TYPES, 'AWS::IAM::Role'],
        },
      },
    ],
    [
      'cannot add a Lambda function to a preview',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(PR_12),
        context: { 'cloudformation:ResourceTypes': ['AWS::Lambda::Function'] },
      },
    ],
    ['cannot create a role', { action: 'iam:CreateRole', resource: role('x'), context: VIA_CFN }],
    [
      "cannot pass staging's execution role",
      { action: 'iam:PassRole', resource: role(`${STAGING}-execution`), context: toEcsTasks },
    ],
    [
      "cannot pass production's task role",
      { action: 'iam:PassRole', resource: role(`${PRODUCTION}-task`), context: toEcsTasks },
    ],
    [
      "cannot pass the default environment's task role",
      { action: 'iam:PassRole', resource: role(`${SERVICE}-task`), context: toEcsTasks },
    ],
    [
      "cannot roll production's service, even via CloudFormation",
      { action: 'ecs:UpdateService', resource: service(PRODUCTION), context: VIA_CFN },
    ],
    [
      "cannot read production's service",
      { action: 'ecs:DescribeServices', resource: service(PRODUCTION) },
    ],
    [
      "cannot delete staging's log group, even via CloudFormation",
      {
        action: 'logs:DeleteLogGroup',
        resource: at('logs', `log-group:/ecs/${STAGING}`),
        context: VIA_CFN,
      },
    ],
    [
      "cannot open production's security group, even via CloudFormation",
      {
        action: 'ec2:AuthorizeSecurityGroupIngress',
        resource: securityGroup,
        context: { ...VIA_CFN, ...taggedBy(PRODUCTION) },
      },
    ],
    [
      "cannot read production's stack",
      { action: 'cloudformation:DescribeStacks', resource: stack(PRODUCTION) },
    ],
    [
      "cannot delete images of the previews' repository",
      { action: 'ecr:BatchDeleteImage', resource: PREVIEWS_REPOSITORY },
    ],
    [
      "cannot delete the previews' repository, even via CloudFormation",
      { action: 'ecr:DeleteRepository', resource: PREVIEWS_REPOSITORY, context: VIA_CFN },
    ],
    [
      'cannot delete the release repository, even via CloudFormation',
      { action: 'ecr:DeleteRepository', resource: REPOSITORY, context: VIA_CFN },
    ],
    [
      "cannot change the previews' lifecycle policy",
      { action: 'ecr:PutLifecyclePolicy', resource: PREVIEWS_REPOSITORY },
    ],
    [
      "cannot change who may use the previews' repository",
      { action: 'ecr:SetRepositoryPolicy', resource: PREVIEWS_REPOSITORY },
    ],
  ];

  it.each(allowed)('%s', async (_, request) => {
    expect(await decide(preview, request)).toBe('Allowed');
  });

  it.each(denied)('%s', async (_, request) => {
    expect(await decide(preview, request)).not.toBe('Allowed');
  });

  it("…-pr-* does not match the previews' stack: with no Deny at all, it is still out of reach", async () => {
    // GIVEN the preview policy without its Deny statements, as a careless edit would leave it
    const withoutDeny = preview.map(({ name, policy }) => ({
      name,
      policy: { ...policy, Statement: policy.Statement.filter((st) => st['Effect'] !== 'Deny') },
    }));
    // WHEN a change set and a deletion of the previews' stack are evaluated
    const decisions = await Promise.all([
      decide(withoutDeny, changeSet(PREVIEWS)),
      decide(withoutDeny, { action: 'cloudformation:DeleteStack', resource: stack(PREVIEWS) }),
    ]);
    // THEN neither is allowed: no Allow names it (the Deny below is about the release repository)
    expect(decisions.filter((d) => d === 'Allowed')).toEqual([]);
    // AND the same policy still changes a preview's stack, so the check can fail
    expect(await decide(withoutDeny, changeSet(PR_12))).toBe('Allowed');
  });

  it('the Deny keeps the release repository out even when an Allow is widened to every repository', async () => {
    // GIVEN the preview policy plus an over-broad push statement, as a careless edit would add
    const broadPush = {
      name: 'widened',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ecr:PutImage', 'ecr:InitiateLayerUpload'],
            Resource: at('ecr', 'repository/*'),
          },
        ],
      },
    };
    const push = { action: 'ecr:PutImage', resource: REPOSITORY };
    const withoutDeny = preview.map(({ name, policy }) => ({
      name,
      policy: { ...policy, Statement: policy.Statement.filter((st) => st['Effect'] !== 'Deny') },
    }));
    // WHEN a push into the release repository is evaluated, with and without the Deny
    // THEN the widened Allow alone would let it through, and the Deny stops it
    expect(await decide([...withoutDeny, broadPush], push)).toBe('Allowed');
    expect(await decide([...preview, broadPush], push)).not.toBe('Allowed');
  });
});

describe('staging and production roles (environments staging, production)', () => {
  const allowed: [string, () => typeof staging, IamRequest][] = [
    ["staging changes staging's stack", () => staging, changeSet(STAGING)],
    [
      "staging passes staging's execution role",
      () => staging,
      { action: 'iam:PassRole', resource: role(`${STAGING}-execution`), context: toEcsTasks },
    ],
    [
      "staging rolls staging's service via CloudFormation",
      () => staging,
      { action: 'ecs:UpdateService', resource: service(STAGING), context: VIA_CFN },
    ],
    ["production changes production's stack", () => production, changeSet(PRODUCTION)],
    [
      "production passes production's task role",
      () => production,
      { action: 'iam:PassRole', resource: role(`${PRODUCTION}-task`), context: toEcsTasks },
    ],
    [
      "production reads staging's stack (infra:promote --from=staging)",
      () => production,
      { action: 'cloudformation:DescribeStacks', resource: stack(STAGING) },
    ],
    [
      "production reads staging's service",
      () => production,
      { action: 'ecs:DescribeServices', resource: service(STAGING) },
    ],
    [
      "production reads staging's tasks (the digest they pulled)",
      () => production,
      { action: 'ecs:DescribeTasks', resource: task(STAGING), context: inCluster(STAGING) },
    ],
    [
      "production reads staging's task definition (an action AWS authorizes on * only)",
      () => production,
      { action: 'ecs:DescribeTaskDefinition', resource: '*' },
    ],
  ];
  const denied: [string, () => typeof staging, IamRequest][] = [
    ["staging cannot change production's stack", () => staging, changeSet(PRODUCTION)],
    [
      "staging cannot execute a change set on production's stack",
      () => staging,
      { action: 'cloudformation:ExecuteChangeSet', resource: stack(PRODUCTION) },
    ],
    ['staging cannot change the default stack', () => staging, changeSet(SERVICE)],
    ["staging cannot change a preview's stack", () => staging, changeSet(PR_12)],
    [
      "staging cannot pass production's execution role",
      () => staging,
      { action: 'iam:PassRole', resource: role(`${PRODUCTION}-execution`), context: toEcsTasks },
    ],
    [
      "staging cannot roll production's service, even via CloudFormation",
      () => staging,
      { action: 'ecs:UpdateService', resource: service(PRODUCTION), context: VIA_CFN },
    ],
    [
      "staging cannot read production's service",
      () => staging,
      { action: 'ecs:DescribeServices', resource: service(PRODUCTION) },
    ],
    [
      'staging cannot delete its stack',
      () => staging,
      { action: 'cloudformation:DeleteStack', resource: stack(STAGING) },
    ],
    [
      'staging cannot push images',
      () => staging,
      { action: 'ecr:InitiateLayerUpload', resource: REPOSITORY },
    ],
    ["production cannot change staging's stack", () => production, changeSet(STAGING)],
    [
      "production cannot execute a change set on staging's stack",
      () => production,
      { action: 'cloudformation:ExecuteChangeSet', resource: stack(STAGING) },
    ],
    [
      "production cannot cancel staging's update",
      () => production,
      { action: 'cloudformation:CancelUpdateStack', resource: stack(STAGING) },
    ],
    [
      "production cannot roll staging's service, even via CloudFormation",
      () => production,
      { action: 'ecs:UpdateService', resource: service(STAGING), context: VIA_CFN },
    ],
    [
      "production cannot stop staging's ECS deployment",
      () => production,
      { action: 'ecs:StopServiceDeployment', resource: serviceDeployment(STAGING) },
    ],
    [
      "production cannot stop staging's tasks",
      () => production,
      { action: 'ecs:StopTask', resource: task(STAGING), context: inCluster(STAGING) },
    ],
    [
      "production cannot pass staging's task role",
      () => production,
      { action: 'iam:PassRole', resource: role(`${STAGING}-task`), context: toEcsTasks },
    ],
    [
      "production cannot delete staging's log group, even via CloudFormation",
      () => production,
      {
        action: 'logs:DeleteLogGroup',
        resource: at('logs', `log-group:/ecs/${STAGING}`),
        context: VIA_CFN,
      },
    ],
    [
      "production cannot read the default environment's service",
      () => production,
      { action: 'ecs:DescribeServices', resource: service(SERVICE) },
    ],
    [
      "production cannot read a preview's tasks",
      () => production,
      { action: 'ecs:DescribeTasks', resource: task(PR_12), context: inCluster(PR_12) },
    ],
  ];

  it.each(allowed)('%s', async (_, policies, request) => {
    expect(await decide(policies(), request)).toBe('Allowed');
  });

  it.each(denied)('%s', async (_, policies, request) => {
    expect(await decide(policies(), request)).not.toBe('Allowed');
  });
});

describe('every CI role fits IAM', () => {
  /** IAM's quotas, counted without whitespace: a role's inline policies together, one managed policy. */
  const INLINE_POLICY_QUOTA = 10_240;
  const MANAGED_POLICY_QUOTA = 6_144;
  const sizeOf = (policy: PolicyDocument) => JSON.stringify(policy).replace(/\s/g, '').length;

  it.each([
    ['publish', () => publish],
    ['default deploy', () => deploy],
    ['staging deploy', () => staging],
    ['production deploy', () => production],
    ['preview deploy', () => preview],
  ])(
    'the %s role stays within what IAM accepts: 10,240 characters inline, 6,144 per managed policy',
    (_, of) => {
      // GIVEN the role's policies  WHEN counted as IAM counts them  THEN within both quotas
      // policiesOfRole names an inline policy by its PolicyName, a managed one by its logical id.
      const inline = of().filter(({ name }) => name === 'deploy' || name === 'publish');
      const managed = of().filter(({ name }) => name.includes('Policy'));
      expect(inline.length + managed.length).toBe(of().length);
      expect(
        inline.map(({ policy }) => sizeOf(policy)).reduce((a, b) => a + b, 0),
      ).toBeLessThanOrEqual(INLINE_POLICY_QUOTA);
      for (const { policy } of managed)
        expect(sizeOf(policy)).toBeLessThanOrEqual(MANAGED_POLICY_QUOTA);
    },
  );

  it('each CI environment role attaches exactly two managed policies: its shared statements and its monitoring', () => {
    for (const policies of [staging, production, preview]) {
      expect(policies.filter(({ name }) => name.includes('SharedPolicy'))).toHaveLength(1);
      expect(policies.filter(({ name }) => name.includes('MonitoringPolicy'))).toHaveLength(1);
      expect(policies).toHaveLength(3);
    }
  });

  it("the default environment's deploy role keeps its inline policy and attaches its monitoring", () => {
    expect(deploy.map(({ name }) => name.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'deploy',
      'DeployMonitoringPolicy',
    ]);
  });
});

// The service stack's monitoring (alarms, their topics, the task-stops rule, the dashboard, the
// error-log metric filter): what CloudFormation asks with a deploy role's credentials, on one
// environment's own names, and nothing of any other environment or service.
const APP = 'hello-world';
const topicArn = (name: string) => at('sns', name);
const ecsTaskStops = {
  'events:source': [TASK_STOPS_EVENT.source],
  'events:detail-type': [TASK_STOPS_EVENT.detailType],
};

/** Every request CloudFormation makes to create, change and delete one environment's monitoring. */
function monitoringRequests(names: DeploymentNames): Row[] {
  const m = names.monitoring;
  const alarmTopic = topicArn(m.alarmTopic);
  const rule = at('events', `rule/${m.taskStopsRule}`);
  const alarm = (name: string) => at('cloudwatch', `alarm:${name}`);
  const dashboard = `arn:aws:cloudwatch::${TEST_ACCOUNT}:dashboard/${m.dashboard}`;
  const logGroup = at('logs', `log-group:${names.logGroup}`);
  const viaCfn = (action: string, resource: string, context = {}): IamRequest => ({
    action,
    resource,
    context: { ...VIA_CFN, ...context },
  });
  return [
    ['creates the alarm topic', viaCfn('sns:CreateTopic', alarmTopic)],
    ['creates the task-stops topic', viaCfn('sns:CreateTopic', topicArn(m.taskStopsTopic))],
    ['tags a topic with the stack tags', viaCfn('sns:TagResource', topicArn(m.taskStopsTopic))],
    [
      "sets the task-stops topic's policy (AWS::SNS::TopicPolicy)",
      viaCfn('sns:SetTopicAttributes', topicArn(m.taskStopsTopic)),
    ],
    ['reads a topic', viaCfn('sns:GetTopicAttributes', alarmTopic)],
    ['deletes the alarm topic', viaCfn('sns:DeleteTopic', alarmTopic)],
    [
      'subscribes the alert email to the alarm topic',
      viaCfn('sns:Subscribe', alarmTopic, { 'sns:Protocol': 'email' }),
    ],
    ['reads the subscription', viaCfn('sns:GetSubscriptionAttributes', alarmTopic)],
    ['removes the alert email (--alert-email=)', viaCfn('sns:Unsubscribe', alarmTopic)],
    [
      'creates the task-stops rule on ECS task state changes',
      viaCfn('events:PutRule', rule, ecsTaskStops),
    ],
    [
      'targets the rule at the task-stops topic',
      viaCfn('events:PutTargets', rule, { 'events:TargetArn': [topicArn(m.taskStopsTopic)] }),
    ],
    ['tags the rule with the stack tags', viaCfn('events:TagResource', rule)],
    ['deletes the rule', viaCfn('events:DeleteRule', rule)],
    ...Object.values(m.alarms).map((name): Row => [
      `puts the alarm ${name}, notifying the alarm topic`,
      viaCfn('cloudwatch:PutMetricAlarm', alarm(name), {
        'cloudwatch:AlarmActions': [alarmTopic],
      }),
    ]),
    [
      'tags an alarm with the stack tags',
      viaCfn('cloudwatch:TagResource', alarm(m.alarms.cpuHigh)),
    ],
    ['deletes an alarm', viaCfn('cloudwatch:DeleteAlarms', alarm(m.alarms.taskStops))],
    [
      "reads an alarm's state (CloudFormation; infra:status and doctor)",
      { action: 'cloudwatch:DescribeAlarms', resource: alarm(m.alarms.errorLogs) },
    ],
    ['puts the dashboard', viaCfn('cloudwatch:PutDashboard', dashboard)],
    ['reads the dashboard', viaCfn('cloudwatch:GetDashboard', dashboard)],
    ['deletes the dashboard', viaCfn('cloudwatch:DeleteDashboards', dashboard)],
    ['puts the error-log metric filter on the log group', viaCfn('logs:PutMetricFilter', logGroup)],
    ["reads the log group's metric filters", viaCfn('logs:DescribeMetricFilters', logGroup)],
    ['deletes the metric filter', viaCfn('logs:DeleteMetricFilter', logGroup)],
  ];
}

/** The same requests, each expected denied: another environment's or service's monitoring. */
const notOn = (whose: string, names: DeploymentNames): Row[] =>
  monitoringRequests(names).map(([what, request]) => [`${whose}: ${what}`, request]);

describe("deploy roles: the service stack's monitoring, each environment's own only", () => {
  const roles: [string, () => typeof deploy, DeploymentNames[], [string, DeploymentNames][]][] = [
    [
      'default',
      () => deploy,
      [deploymentNames(APP)],
      [
        // The default environment's names are a prefix of every other's: exact names only.
        ["staging's", deploymentNames(APP, 'staging')],
        ["production's", deploymentNames(APP, 'production')],
        ["a preview's", deploymentNames(APP, 'pr-12')],
        ["another service's", deploymentNames('payments')],
      ],
    ],
    [
      'staging',
      () => staging,
      [deploymentNames(APP, 'staging')],
      [
        ["the default environment's", deploymentNames(APP)],
        ["production's", deploymentNames(APP, 'production')],
        ["a preview's", deploymentNames(APP, 'pr-12')],
        ["another service's staging", deploymentNames('payments', 'staging')],
      ],
    ],
    [
      'production',
      () => production,
      [deploymentNames(APP, 'production')],
      [
        ["staging's (it promotes from staging, read only)", deploymentNames(APP, 'staging')],
        ["the default environment's", deploymentNames(APP)],
      ],
    ],
    [
      'preview',
      () => preview,
      [deploymentNames(APP, 'pr-12'), deploymentNames(APP, 'pr-345')],
      [
        ["the default environment's", deploymentNames(APP)],
        ["staging's", deploymentNames(APP, 'staging')],
        ["production's", deploymentNames(APP, 'production')],
        ["another service's preview", deploymentNames('payments', 'pr-12')],
      ],
    ],
  ];
  const allowed = roles.flatMap(([role, policies, own]) =>
    own.flatMap((names) =>
      monitoringRequests(names).map(
        ([what, request]): [string, () => typeof deploy, IamRequest] => [
          `${role} role, ${names.environment}: ${what}`,
          policies,
          request,
        ],
      ),
    ),
  );
  const denied = roles.flatMap(([role, policies, , others]) =>
    others.flatMap(([whose, names]) =>
      notOn(whose, names).map(([what, request]): [string, () => typeof deploy, IamRequest] => [
        `${role} role, not ${what}`,
        policies,
        request,
      ]),
    ),
  );

  it.each(allowed)('%s', async (_, policies, request) => {
    expect(await decide(policies(), request)).toBe('Allowed');
  });

  it.each(denied)('%s', async (_, policies, request) => {
    expect(await decide(policies(), request)).not.toBe('Allowed');
  });
});

describe("deploy roles: what a change set could ask of the monitoring's own resources, and may not", () => {
  const own = deploymentNames(APP, 'staging').monitoring;
  const alarmTopic = topicArn(own.alarmTopic);
  const taskStopsTopic = topicArn(own.taskStopsTopic);
  const rule = at('events', `rule/${own.taskStopsRule}`);
  const alarm = at('cloudwatch', `alarm:${own.alarms.cpuHigh}`);
  const logGroup = at('logs', `log-group:/ecs/${STAGING}`);
  const denied: Row[] = [
    [
      'cannot subscribe an HTTPS endpoint (a receiver whose owner confirms it, no mailbox needed)',
      {
        action: 'sns:Subscribe',
        resource: alarmTopic,
        context: { ...VIA_CFN, 'sns:Protocol': 'https' },
      },
    ],
    [
      'cannot subscribe anything to the task-stops topic',
      {
        action: 'sns:Subscribe',
        resource: taskStopsTopic,
        context: { ...VIA_CFN, 'sns:Protocol': 'email' },
      },
    ],
    [
      'cannot subscribe outside a change set',
      { action: 'sns:Subscribe', resource: alarmTopic, context: { 'sns:Protocol': 'email' } },
    ],
    ['cannot publish to the alarm topic', { action: 'sns:Publish', resource: alarmTopic }],
    [
      "cannot change a topic's policy outside a change set",
      { action: 'sns:SetTopicAttributes', resource: alarmTopic },
    ],
    [
      'cannot create any other topic',
      { action: 'sns:CreateTopic', resource: topicArn('anything'), context: VIA_CFN },
    ],
    [
      "cannot make the rule match CloudTrail's API calls",
      {
        action: 'events:PutRule',
        resource: rule,
        context: {
          ...VIA_CFN,
          'events:source': ['aws.iam'],
          'events:detail-type': ['AWS API Call via CloudTrail'],
        },
      },
    ],
    [
      'cannot add another source beside ECS',
      {
        action: 'events:PutRule',
        resource: rule,
        context: {
          ...VIA_CFN,
          'events:source': [TASK_STOPS_EVENT.source, 'aws.s3'],
          'events:detail-type': [TASK_STOPS_EVENT.detailType],
        },
      },
    ],
    [
      'cannot make the rule match every event (a pattern without a source)',
      { action: 'events:PutRule', resource: rule, context: VIA_CFN },
    ],
    [
      "cannot forward the rule's events to another account's event bus",
      {
        action: 'events:PutTargets',
        resource: rule,
        context: {
          ...VIA_CFN,
          'events:TargetArn': ['arn:aws:events:eu-west-1:210987654321:event-bus/default'],
        },
      },
    ],
    [
      'cannot add a Lambda function beside the topic as a target',
      {
        action: 'events:PutTargets',
        resource: rule,
        context: {
          ...VIA_CFN,
          'events:TargetArn': [taskStopsTopic, at('lambda', 'function:anything')],
        },
      },
    ],
    [
      'cannot create any other rule',
      {
        action: 'events:PutRule',
        resource: at('events', 'rule/anything'),
        context: { ...VIA_CFN, ...ecsTaskStops },
      },
    ],
    [
      'cannot give an alarm an EC2 action (terminate an instance)',
      {
        action: 'cloudwatch:PutMetricAlarm',
        resource: alarm,
        context: {
          ...VIA_CFN,
          'cloudwatch:AlarmActions': [alarmTopic, 'arn:aws:automate:eu-west-1:ec2:terminate'],
        },
      },
    ],
    [
      'cannot make an alarm notify another topic',
      {
        action: 'cloudwatch:PutMetricAlarm',
        resource: alarm,
        context: { ...VIA_CFN, 'cloudwatch:AlarmActions': [topicArn('anything')] },
      },
    ],
    [
      'cannot put an alarm outside a change set',
      {
        action: 'cloudwatch:PutMetricAlarm',
        resource: alarm,
        context: { 'cloudwatch:AlarmActions': [alarmTopic] },
      },
    ],
    [
      'cannot put an alarm named with its prefix that is not one of its five',
      {
        action: 'cloudwatch:PutMetricAlarm',
        resource: at('cloudwatch', `alarm:${own.alarmPrefix}anything`),
        context: { ...VIA_CFN, 'cloudwatch:AlarmActions': [alarmTopic] },
      },
    ],
    [
      'cannot turn off the actions of any alarm',
      { action: 'cloudwatch:DisableAlarmActions', resource: alarm, context: VIA_CFN },
    ],
    [
      'cannot change any other dashboard',
      {
        action: 'cloudwatch:PutDashboard',
        resource: `arn:aws:cloudwatch::${TEST_ACCOUNT}:dashboard/anything`,
        context: VIA_CFN,
      },
    ],
    [
      'cannot put a metric filter outside a change set',
      { action: 'logs:PutMetricFilter', resource: logGroup },
    ],
    [
      'cannot put a metric filter on another log group',
      {
        action: 'logs:PutMetricFilter',
        resource: at('logs', 'log-group:/aws/lambda/anything'),
        context: VIA_CFN,
      },
    ],
  ];

  it.each(denied)('staging role %s', async (_, request) => {
    expect(await decide(staging, request)).not.toBe('Allowed');
  });

  it('each denial can fail: the same requests with the right protocol, source, target and action are allowed', async () => {
    // GIVEN the requests above put right  WHEN evaluated  THEN allowed, so the table tests the conditions
    const fixed: IamRequest[] = [
      {
        action: 'sns:Subscribe',
        resource: alarmTopic,
        context: { ...VIA_CFN, 'sns:Protocol': 'email' },
      },
      { action: 'events:PutRule', resource: rule, context: { ...VIA_CFN, ...ecsTaskStops } },
      {
        action: 'events:PutTargets',
        resource: rule,
        context: { ...VIA_CFN, 'events:TargetArn': [taskStopsTopic] },
      },
      {
        action: 'cloudwatch:PutMetricAlarm',
        resource: alarm,
        context: { ...VIA_CFN, 'cloudwatch:AlarmActions': [alarmTopic] },
      },
      { action: 'logs:PutMetricFilter', resource: logGroup, context: VIA_CFN },
    ];
    for (const request of fixed) expect(await decide(staging, request)).toBe('Allowed');
  });
});

describe("deploy roles: the deploy's secrets preflight", () => {
  const SECRET = at('secretsmanager', 'secret:hello-world/staging/db-AbCdEf');
  const DEFAULT_SECRET = at('secretsmanager', 'secret:hello-world/db-XyZ123');
  let withSecrets: Record<string, { name: string; policy: PolicyDocument }[]>;

  beforeAll(() => {
    // GIVEN staging and the default environment configured with a Secrets Manager secret each
    const app = new App({ context: readCdkJsonContext() });
    const config = loadConfig(() => undefined, {});
    createCiStacks(app, config, {
      repository: 'octo-org/hello-world',
      environment: 'production',
      secretArns: { default: [DEFAULT_SECRET], staging: [SECRET], production: [] },
    });
    const assembly = app.synth();
    const template = (name: string) =>
      assembly.getStackByName(name).template as { Resources: Record<string, never> };
    withSecrets = {
      default: policiesOfRole(template(CI_STACK_NAME), CI_DEPLOY_ROLE_NAME),
      staging: policiesOfRole(
        template(ciEnvironmentStackName(APP, 'staging')),
        `github-actions-${STAGING}-deploy`,
      ),
      production: policiesOfRole(
        template(ciEnvironmentStackName(APP, 'production')),
        `github-actions-${PRODUCTION}-deploy`,
      ),
    };
  });

  const rows: [string, string, IamRequest, 'Allowed' | 'denied'][] = [
    [
      'finds SSM parameters by name (metadata; the API has no resource type)',
      'staging',
      { action: 'ssm:DescribeParameters', resource: '*' },
      'Allowed',
    ],
    [
      'checks its own Secrets Manager secret exists',
      'staging',
      { action: 'secretsmanager:DescribeSecret', resource: SECRET },
      'Allowed',
    ],
    [
      "checks the default environment's secret",
      'default',
      { action: 'secretsmanager:DescribeSecret', resource: DEFAULT_SECRET },
      'Allowed',
    ],
    [
      "cannot describe the default environment's secret",
      'staging',
      { action: 'secretsmanager:DescribeSecret', resource: DEFAULT_SECRET },
      'denied',
    ],
    [
      "cannot describe staging's secret (none of its own configured: no statement at all)",
      'production',
      { action: 'secretsmanager:DescribeSecret', resource: SECRET },
      'denied',
    ],
    [
      'cannot describe any other secret',
      'staging',
      {
        action: 'secretsmanager:DescribeSecret',
        resource: at('secretsmanager', 'secret:payments/db-AbCdEf'),
      },
      'denied',
    ],
    [
      "cannot read its own secret's value",
      'staging',
      { action: 'secretsmanager:GetSecretValue', resource: SECRET },
      'denied',
    ],
    [
      "cannot read an SSM secret's value",
      'staging',
      {
        action: 'ssm:GetParameters',
        resource: at('ssm', `parameter/${SERVICE}/staging/API_KEY`),
      },
      'denied',
    ],
    [
      'cannot change an SSM secret',
      'staging',
      {
        action: 'ssm:PutParameter',
        resource: at('ssm', `parameter/${SERVICE}/staging/API_KEY`),
      },
      'denied',
    ],
  ];

  it.each(rows)('%s (%s role)', async (_, role, request, expected) => {
    const decision = await decide(withSecrets[role], request);
    if (expected === 'Allowed') expect(decision).toBe('Allowed');
    else expect(decision).not.toBe('Allowed');
  });

  it('names no Secrets Manager secret at all when none is configured', () => {
    // GIVEN the roles synthesized without secrets (beforeAll above)  THEN no DescribeSecret
    const actions = [...staging, ...production, ...preview, ...deploy].flatMap(({ policy }) =>
      policy.Statement.flatMap((st) => [st['Action']].flat() as string[]),
    );
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
  });
});
