import { App } from 'aws-cdk-lib';
import { CI_STACK_NAME, STACK_TAGS, deploymentNames } from '@hello-world/shared';
import type { CiConfig } from './ci-config';
import {
  ECS_AUTOSCALING_SERVICE_ROLE,
  ELB_SERVICE_ROLE,
  INGRESS_STACK_RESOURCE_TYPES,
  SERVICE_STACK_RESOURCE_TYPES,
  TASK_STOPS_EVENT,
} from './ci-policies';
import { CI_DEPLOY_ROLE_NAME, ciEnvironmentStackName, createCiStacks } from './ci-stack';
import { loadConfig } from './config';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  decide,
  policiesOfRole,
  type IamRequest,
  type PolicyDocument,
} from './iam-simulation-for-test';
import { readCdkJsonContext, synthesizeApp } from './synth-for-test';

// What the deploy roles of a dns and an alb environment may do to what their ingress adds to the
// service stack, proven on the synthesized policies by an IAM policy simulator: each right on this
// environment's function, rule, zone, domain and load balancer, and the same request denied on
// another environment's, another zone's or a foreign one. Here the default environment is dns,
// staging is alb, production stays public-ip.

const SERVICE = 'hello-world-ecr-ecs-fargate';
const STAGING = `${SERVICE}-staging`;
const PRODUCTION = `${SERVICE}-production`;
const ZONE = 'Z0123456789ABCDEFGHIJ';
const OTHER_ZONE = 'Z9876543210ZYXWVUTSRQ';
const DNS_DOMAIN = 'hello.example.com';
const ALB_DOMAIN = 'staging.example.com';

const at = (service: string, resource: string) =>
  `arn:aws:${service}:${TEST_REGION}:${TEST_ACCOUNT}:${resource}`;
const stack = (name: string) =>
  at('cloudformation', `stack/${name}/0f2c6a70-1c2b-11ef-9f43-0a1b2c3d4e5f`);
const role = (name: string) => `arn:aws:iam::${TEST_ACCOUNT}:role/${name}`;
const fn = (name: string) => at('lambda', `function:${name}`);
const rule = (name: string) => at('events', `rule/${name}`);
const zone = (id: string) => `arn:aws:route53:::hostedzone/${id}`;
const VIA_CFN = { 'aws:CalledVia': ['cloudformation.amazonaws.com'] };
const types = (...extra: string[]) => ({
  'cloudformation:ResourceTypes': [...SERVICE_STACK_RESOURCE_TYPES, ...extra],
});

type Policies = { name: string; policy: PolicyDocument }[];
type Row = [description: string, request: IamRequest];

const DNS_INGRESS = {
  mode: 'dns',
  hostedZoneId: ZONE,
  hostedZoneName: 'example.com',
  domainName: DNS_DOMAIN,
} as const;
const ALB_INGRESS = {
  mode: 'alb',
  hostedZoneId: ZONE,
  hostedZoneName: 'example.com',
  domainName: ALB_DOMAIN,
} as const;
const ci: CiConfig = {
  repository: 'octo-org/hello-world',
  environment: 'production',
  ingress: { default: DNS_INGRESS, staging: ALB_INGRESS },
};

/** Every CI template, synthesized as bin/infra.ts does, by stack name. */
function synthesizeCi(config: CiConfig): Record<string, { Resources: Record<string, never> }> {
  const app = new App({ context: readCdkJsonContext() });
  createCiStacks(
    app,
    loadConfig(() => undefined, {}),
    config,
  );
  return Object.fromEntries(
    app
      .synth()
      .stacks.map((s) => [s.stackName, s.template as { Resources: Record<string, never> }]),
  );
}

let templates: ReturnType<typeof synthesizeCi>;
let dns: Policies;
let alb: Policies;
let publicIp: Policies;

beforeAll(() => {
  templates = synthesizeCi(ci);
  dns = policiesOfRole(templates[CI_STACK_NAME], CI_DEPLOY_ROLE_NAME);
  alb = policiesOfRole(
    templates[ciEnvironmentStackName('hello-world', 'staging')],
    `github-actions-${STAGING}-deploy`,
  );
  publicIp = policiesOfRole(
    templates[ciEnvironmentStackName('hello-world', 'production')],
    `github-actions-${PRODUCTION}-deploy`,
  );
});

/** A role's ingress policies (policiesOfRole names a managed policy by its logical id). */
const ingressPoliciesOf = (policies: Policies) =>
  policies.filter(({ name }) => name.startsWith('DeployIngress'));

const expectAllowed = async (policies: () => Policies, request: IamRequest) =>
  expect(await decide(policies(), request)).toBe('Allowed');
const expectDenied = async (policies: () => Policies, request: IamRequest) =>
  expect(await decide(policies(), request)).not.toBe('Allowed');

describe('public-ip environments: nothing of the ingress modes', () => {
  it('GIVEN staging alone is alb WHEN the CI stacks are synthesized THEN the others are as without any ingress', () => {
    const without = synthesizeCi({ repository: ci.repository, environment: ci.environment });
    const withAlb = synthesizeCi({ ...ci, ingress: { staging: ALB_INGRESS } });
    const unchanged = Object.keys(without).filter(
      (name) => name !== ciEnvironmentStackName('hello-world', 'staging'),
    );
    expect(unchanged.length).toBe(Object.keys(without).length - 1);
    for (const name of unchanged) expect(withAlb[name]).toEqual(without[name]);
    expect(withAlb[ciEnvironmentStackName('hello-world', 'staging')]).not.toEqual(
      without[ciEnvironmentStackName('hello-world', 'staging')],
    );
  });

  it('attaches ingress policies to the dns role (one) and the alb role (two) only', () => {
    expect(ingressPoliciesOf(dns)).toHaveLength(1);
    expect(ingressPoliciesOf(alb)).toHaveLength(2);
    expect(ingressPoliciesOf(publicIp)).toHaveLength(0);
  });

  const rows: Row[] = [
    [
      'cannot create a change set that adds a Lambda function',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(PRODUCTION),
        context: types(...INGRESS_STACK_RESOURCE_TYPES.dns),
      },
    ],
    [
      'cannot create a change set that adds a load balancer',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(PRODUCTION),
        context: types(...INGRESS_STACK_RESOURCE_TYPES.alb),
      },
    ],
    [
      'cannot create a load balancer tagged as its own',
      {
        action: 'elasticloadbalancing:CreateLoadBalancer',
        resource: at(
          'elasticloadbalancing',
          'loadbalancer/app/hello-LoadB-1X2Y3Z/50dc6c495c0c9188',
        ),
        context: {
          ...VIA_CFN,
          [`aws:RequestTag/${STACK_TAGS.service}`]: 'hello-world',
          [`aws:RequestTag/${STACK_TAGS.environment}`]: 'production',
        },
      },
    ],
    [
      'cannot create an updater function named as its own',
      {
        action: 'lambda:CreateFunction',
        resource: fn(`${PRODUCTION}-dns`),
        context: VIA_CFN,
      },
    ],
    [
      'cannot invoke a function named as its updater',
      { action: 'lambda:InvokeFunction', resource: fn(`${PRODUCTION}-dns`) },
    ],
  ];
  it.each(rows)('production (public-ip) %s', async (_, request) => {
    await expectDenied(() => publicIp, request);
  });
});

describe('dns environment (the default here): its updater, its zone', () => {
  const ECS_EVENTS = {
    'events:source': [TASK_STOPS_EVENT.source],
    'events:detail-type': [TASK_STOPS_EVENT.detailType],
  };
  const viaCfn = (action: string, resource: string, context = {}): IamRequest => ({
    action,
    resource,
    context: { ...VIA_CFN, ...context },
  });
  const UPDATER = `${SERVICE}-dns`;
  const allowed: Row[] = [
    [
      'creates a change set adding the updater (function, permission, queue)',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(SERVICE),
        context: types(...INGRESS_STACK_RESOURCE_TYPES.dns),
      },
    ],
    ['creates the updater function', viaCfn('lambda:CreateFunction', fn(UPDATER))],
    ["updates the updater's code", viaCfn('lambda:UpdateFunctionCode', fn(UPDATER))],
    ['tags the updater with the stack tags', viaCfn('lambda:TagResource', fn(UPDATER))],
    ['deletes the updater', viaCfn('lambda:DeleteFunction', fn(UPDATER))],
    [
      'runs its updater once after the rollout (the deploy itself, not CloudFormation)',
      { action: 'lambda:InvokeFunction', resource: fn(UPDATER) },
    ],
    [
      'lets EventBridge invoke the updater (AWS::Lambda::Permission)',
      viaCfn('lambda:AddPermission', fn(UPDATER), { 'lambda:Principal': 'events.amazonaws.com' }),
    ],
    [
      "passes the updater's role to Lambda",
      {
        action: 'iam:PassRole',
        resource: role(`${SERVICE}-dns`),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      },
    ],
    [
      'puts the updater rule on ECS task state changes',
      viaCfn('events:PutRule', rule(UPDATER), ECS_EVENTS),
    ],
    [
      'targets the rule at the updater',
      viaCfn('events:PutTargets', rule(UPDATER), { 'events:TargetArn': [fn(UPDATER)] }),
    ],
    ['deletes the rule', viaCfn('events:DeleteRule', rule(UPDATER))],
    [
      "creates the rule's dead-letter queue",
      viaCfn('sqs:CreateQueue', at('sqs', `${UPDATER}-dlq`)),
    ],
    [
      "sets the dead-letter queue's policy (AWS::SQS::QueuePolicy)",
      viaCfn('sqs:SetQueueAttributes', at('sqs', `${UPDATER}-dlq`)),
    ],
    [
      "creates the updater's log group",
      viaCfn('logs:CreateLogGroup', at('logs', `log-group:/aws/lambda/${UPDATER}`)),
    ],
    [
      "sets the updater's log retention",
      viaCfn('logs:PutRetentionPolicy', at('logs', `log-group:/aws/lambda/${UPDATER}`)),
    ],
    [
      "reads the hosted zone (the deploy's preflight)",
      { action: 'route53:GetHostedZone', resource: zone(ZONE) },
    ],
    [
      "reads the zone's records (the deploy's wait for the name, doctor)",
      { action: 'route53:ListResourceRecordSets', resource: zone(ZONE) },
    ],
  ];
  const denied: Row[] = [
    [
      'cannot create a change set adding a load balancer (alb is not its mode)',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(SERVICE),
        context: types(...INGRESS_STACK_RESOURCE_TYPES.alb),
      },
    ],
    [
      'cannot create a change set adding an IAM role, even with the updater',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(SERVICE),
        context: types(...INGRESS_STACK_RESOURCE_TYPES.dns, 'AWS::IAM::Role'),
      },
    ],
    ["cannot create staging's updater", viaCfn('lambda:CreateFunction', fn(`${STAGING}-dns`))],
    ['cannot update a foreign function', viaCfn('lambda:UpdateFunctionCode', fn('payments'))],
    [
      // The updater reserves none (a new account's concurrency quota would refuse it).
      "cannot reserve the updater's concurrency",
      viaCfn('lambda:PutFunctionConcurrency', fn(UPDATER)),
    ],
    [
      'cannot update its updater outside CloudFormation',
      { action: 'lambda:UpdateFunctionCode', resource: fn(UPDATER) },
    ],
    [
      "cannot invoke staging's updater",
      { action: 'lambda:InvokeFunction', resource: fn(`${STAGING}-dns`) },
    ],
    [
      'cannot invoke a foreign function',
      { action: 'lambda:InvokeFunction', resource: fn('payments') },
    ],
    [
      'cannot let anyone but EventBridge invoke the updater',
      viaCfn('lambda:AddPermission', fn(UPDATER), { 'lambda:Principal': '*' }),
    ],
    [
      "cannot pass the updater's role to anything but Lambda",
      {
        action: 'iam:PassRole',
        resource: role(`${SERVICE}-dns`),
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
    ],
    [
      "cannot pass staging's updater role",
      {
        action: 'iam:PassRole',
        resource: role(`${STAGING}-dns`),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      },
    ],
    [
      'cannot pass its task role to Lambda',
      {
        action: 'iam:PassRole',
        resource: role(`${SERVICE}-task`),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      },
    ],
    [
      'cannot make the rule match API calls (CloudTrail) instead of task state changes',
      viaCfn('events:PutRule', rule(UPDATER), {
        'events:source': ['aws.cloudtrail'],
        'events:detail-type': ['AWS API Call via CloudTrail'],
      }),
    ],
    [
      'cannot target the rule at a foreign function',
      viaCfn('events:PutTargets', rule(UPDATER), { 'events:TargetArn': [fn('payments')] }),
    ],
    ["cannot change staging's updater rule", viaCfn('events:DeleteRule', rule(`${STAGING}-dns`))],
    ['cannot delete a foreign queue', viaCfn('sqs:DeleteQueue', at('sqs', 'payments-orders'))],
    [
      'cannot delete a foreign Lambda log group',
      viaCfn('logs:DeleteLogGroup', at('logs', 'log-group:/aws/lambda/payments')),
    ],
    [
      'cannot change records itself: the updater does, with its own role',
      viaCfn('route53:ChangeResourceRecordSets', zone(ZONE), {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [DNS_DOMAIN],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      }),
    ],
    [
      "cannot read another zone's records",
      { action: 'route53:ListResourceRecordSets', resource: zone(OTHER_ZONE) },
    ],
    [
      'cannot create a load balancer',
      viaCfn(
        'elasticloadbalancing:CreateLoadBalancer',
        at('elasticloadbalancing', 'loadbalancer/app/hello-LoadB-1X2Y3Z/50dc6c495c0c9188'),
      ),
    ],
  ];

  it.each(allowed)('%s', async (_, request) => {
    await expectAllowed(() => dns, request);
  });

  it.each(denied)('%s', async (_, request) => {
    await expectDenied(() => dns, request);
  });
});

describe('alb environment (staging here): its load balancer, certificate, records and scaling', () => {
  const LB = at('elasticloadbalancing', 'loadbalancer/app/hello-LoadB-1X2Y3Z/50dc6c495c0c9188');
  const PROD_LB = at(
    'elasticloadbalancing',
    'loadbalancer/app/hello-LoadB-9Q8W7E/73e2d6bc24d8a067',
  );
  const LISTENER = at(
    'elasticloadbalancing',
    'listener/app/hello-LoadB-1X2Y3Z/50dc6c495c0c9188/f2f7dc8efc522ab2',
  );
  const TARGET_GROUP = at(
    'elasticloadbalancing',
    'targetgroup/hello-Targe-4R5T6Y/943f017f100becff',
  );
  const CERTIFICATE = at('acm', 'certificate/12345678-1234-1234-1234-123456789012');
  const SCALABLE_TARGET = at('application-autoscaling', 'scalable-target/0ec5d5b7c0a1e2f3a4b5');
  const tagged = (prefix: 'aws:RequestTag' | 'aws:ResourceTag', environment: string) => ({
    [`${prefix}/${STACK_TAGS.service}`]: 'hello-world',
    [`${prefix}/${STACK_TAGS.environment}`]: environment,
  });
  const viaCfn = (action: string, resource: string, context = {}): IamRequest => ({
    action,
    resource,
    context: { ...VIA_CFN, ...context },
  });
  const records = (names: string[], recordTypes: string[], zoneId = ZONE): IamRequest =>
    viaCfn('route53:ChangeResourceRecordSets', zone(zoneId), {
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': names,
      'route53:ChangeResourceRecordSetsRecordTypes': recordTypes,
      'route53:ChangeResourceRecordSetsActions': ['CREATE'],
    });
  const certificate = (domains: string[], method = 'DNS'): IamRequest =>
    viaCfn('acm:RequestCertificate', '*', {
      'acm:DomainNames': domains,
      'acm:ValidationMethod': method,
    });
  const ecsScaling = {
    'application-autoscaling:service-namespace': 'ecs',
    'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount',
  };

  const allowed: Row[] = [
    [
      'creates a change set adding the load balancer, certificate, record and scaling',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(STAGING),
        context: types(...INGRESS_STACK_RESOURCE_TYPES.alb),
      },
    ],
    [
      "creates the load balancer with staging's stack tags",
      viaCfn('elasticloadbalancing:CreateLoadBalancer', LB, tagged('aws:RequestTag', 'staging')),
    ],
    [
      'tags the load balancer as it creates it',
      viaCfn('elasticloadbalancing:AddTags', LB, {
        'elasticloadbalancing:CreateAction': 'CreateLoadBalancer',
      }),
    ],
    [
      'adds a listener to its load balancer',
      viaCfn('elasticloadbalancing:CreateListener', LB, tagged('aws:ResourceTag', 'staging')),
    ],
    [
      "sets its load balancer's attributes (idle timeout, invalid headers)",
      viaCfn(
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        LB,
        tagged('aws:ResourceTag', 'staging'),
      ),
    ],
    [
      'deletes its load balancer',
      viaCfn('elasticloadbalancing:DeleteLoadBalancer', LB, tagged('aws:ResourceTag', 'staging')),
    ],
    ['creates the target group', viaCfn('elasticloadbalancing:CreateTargetGroup', TARGET_GROUP)],
    [
      "sets the target group's deregistration delay",
      viaCfn('elasticloadbalancing:ModifyTargetGroupAttributes', TARGET_GROUP),
    ],
    ['changes a listener', viaCfn('elasticloadbalancing:ModifyListener', LISTENER)],
    ['deletes a listener', viaCfn('elasticloadbalancing:DeleteListener', LISTENER)],
    [
      "reads the targets' health (status, doctor)",
      { action: 'elasticloadbalancing:DescribeTargetHealth', resource: '*' },
    ],
    ['requests the certificate of its domain, DNS-validated', certificate([ALB_DOMAIN])],
    ['reads the certificate', viaCfn('acm:DescribeCertificate', CERTIFICATE)],
    ['deletes the certificate', viaCfn('acm:DeleteCertificate', CERTIFICATE)],
    ['creates the alias record at its domain', records([ALB_DOMAIN], ['A'])],
    [
      "creates the certificate's validation record",
      records([`_3639ac514e785e898d2646601fa951d5.${ALB_DOMAIN}`], ['CNAME']),
    ],
    [
      "waits for a record change (CloudFormation's record handler)",
      { action: 'route53:GetChange', resource: 'arn:aws:route53:::change/C2682N5HXP0BZ4' },
    ],
    [
      'registers its service as a scalable target',
      viaCfn('application-autoscaling:RegisterScalableTarget', SCALABLE_TARGET, ecsScaling),
    ],
    [
      'puts a target tracking policy',
      viaCfn('application-autoscaling:PutScalingPolicy', SCALABLE_TARGET, ecsScaling),
    ],
    [
      "passes Application Auto Scaling's ECS role (the scalable target's RoleARN)",
      {
        action: 'iam:PassRole',
        resource: role(ECS_AUTOSCALING_SERVICE_ROLE),
        context: { 'iam:PassedToService': 'application-autoscaling.amazonaws.com' },
      },
    ],
    [
      "creates Elastic Load Balancing's service-linked role (an account's first load balancer)",
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: role(ELB_SERVICE_ROLE),
        context: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
      },
    ],
    [
      "creates Application Auto Scaling's ECS service-linked role",
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: role(ECS_AUTOSCALING_SERVICE_ROLE),
        context: { 'iam:AWSServiceName': 'ecs.application-autoscaling.amazonaws.com' },
      },
    ],
  ];
  const denied: Row[] = [
    [
      'cannot create a change set adding a Lambda function (dns is not its mode)',
      {
        action: 'cloudformation:CreateChangeSet',
        resource: stack(STAGING),
        context: types(...INGRESS_STACK_RESOURCE_TYPES.alb, 'AWS::Lambda::Function'),
      },
    ],
    [
      "cannot create a load balancer with production's tags",
      viaCfn('elasticloadbalancing:CreateLoadBalancer', LB, tagged('aws:RequestTag', 'production')),
    ],
    [
      'cannot create an untagged load balancer',
      viaCfn('elasticloadbalancing:CreateLoadBalancer', LB),
    ],
    [
      "cannot add a listener to production's load balancer",
      viaCfn(
        'elasticloadbalancing:CreateListener',
        PROD_LB,
        tagged('aws:ResourceTag', 'production'),
      ),
    ],
    [
      "cannot delete production's load balancer",
      viaCfn(
        'elasticloadbalancing:DeleteLoadBalancer',
        PROD_LB,
        tagged('aws:ResourceTag', 'production'),
      ),
    ],
    [
      "cannot tag production's load balancer as its own",
      viaCfn('elasticloadbalancing:AddTags', PROD_LB, {
        ...tagged('aws:ResourceTag', 'production'),
        ...tagged('aws:RequestTag', 'staging'),
      }),
    ],
    [
      'cannot change its load balancer outside CloudFormation',
      {
        action: 'elasticloadbalancing:ModifyLoadBalancerAttributes',
        resource: LB,
        context: tagged('aws:ResourceTag', 'staging'),
      },
    ],
    [
      'cannot register targets into a target group itself (ECS does)',
      viaCfn('elasticloadbalancing:RegisterTargets', TARGET_GROUP),
    ],
    ['cannot request a certificate for another domain', certificate(['payments.example.com'])],
    ['cannot add a wildcard name to its certificate', certificate([ALB_DOMAIN, '*.example.com'])],
    ['cannot request a certificate validated by email', certificate([ALB_DOMAIN], 'EMAIL')],
    ["cannot export a certificate's private key", viaCfn('acm:ExportCertificate', CERTIFICATE)],
    ['cannot change another name in the zone', records([`www.example.com`], ['A'])],
    ["cannot change the zone's apex", records(['example.com'], ['A'])],
    [
      "cannot change the dns mode's owner marker (TXT)",
      records([`_ecs-owner.${ALB_DOMAIN}`], ['TXT']),
    ],
    ['cannot add a mail record at its domain', records([ALB_DOMAIN], ['MX'])],
    ["cannot change its domain's record in another zone", records([ALB_DOMAIN], ['A'], OTHER_ZONE)],
    [
      'cannot scale a DynamoDB table',
      viaCfn('application-autoscaling:RegisterScalableTarget', SCALABLE_TARGET, {
        'application-autoscaling:service-namespace': 'dynamodb',
        'application-autoscaling:scalable-dimension': 'dynamodb:table:ReadCapacityUnits',
      }),
    ],
    [
      'cannot put a scaling policy outside CloudFormation',
      {
        action: 'application-autoscaling:PutScalingPolicy',
        resource: SCALABLE_TARGET,
        context: ecsScaling,
      },
    ],
    [
      "cannot put target tracking's alarms itself: Application Auto Scaling makes them",
      viaCfn(
        'cloudwatch:PutMetricAlarm',
        at('cloudwatch', `alarm:TargetTracking-service/${STAGING}/${STAGING}-AlarmHigh-5b2d`),
      ),
    ],
    [
      'cannot create any other service-linked role',
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: role('aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling'),
        context: { 'iam:AWSServiceName': 'autoscaling.amazonaws.com' },
      },
    ],
    ['cannot create a Lambda function', viaCfn('lambda:CreateFunction', fn(`${STAGING}-dns`))],
  ];

  it.each(allowed)('%s', async (_, request) => {
    await expectAllowed(() => alb, request);
  });

  it.each(denied)('%s', async (_, request) => {
    await expectDenied(() => alb, request);
  });

  it('each tag condition can fail: with no stack tags at all, even its own load balancer is out of reach', async () => {
    // GIVEN a load balancer carrying none of staging's tags  WHEN a listener is added  THEN denied
    await expectDenied(() => alb, viaCfn('elasticloadbalancing:CreateListener', LB));
  });
});

describe('the ingress policies fit IAM and name their wildcards', () => {
  const MANAGED_POLICY_QUOTA = 6_144;
  const sizeOf = (policy: PolicyDocument) => JSON.stringify(policy).replace(/\s/g, '').length;
  it.each([
    ['dns', () => dns],
    ['alb', () => alb],
  ])('each %s ingress policy stays within 6,144 characters', (_, of) => {
    for (const { policy } of ingressPoliciesOf(of())) {
      expect(sizeOf(policy)).toBeLessThanOrEqual(MANAGED_POLICY_QUOTA);
    }
  });

  it('uses Resource "*" only for actions AWS offers no resource-level permission for', () => {
    const onStar = [dns, alb]
      .flatMap((policies) => ingressPoliciesOf(policies).flatMap(({ policy }) => policy.Statement))
      .filter((st) => [st['Resource']].flat().includes('*'))
      .flatMap((st) => [st['Action']].flat() as string[]);
    expect(onStar.length).toBeGreaterThan(0);
    for (const action of onStar) {
      expect(action).toMatch(
        /^(elasticloadbalancing:Describe\w+|application-autoscaling:Describe\w+|acm:RequestCertificate)$/,
      );
    }
  });
});

describe('the ingress policies and the dns and alb service stacks agree', () => {
  const record = {
    domainName: 'hello.example.com',
    hostedZoneId: ZONE,
    hostedZoneName: 'example.com',
  };
  const typesOf = (context: Record<string, unknown>): string[] => [
    ...new Set(
      Object.values(
        synthesizeApp(context).service.toJSON().Resources as Record<string, { Type: string }>,
      ).map((r) => r.Type),
    ),
  ];

  it.each([
    ['dns', { ingress: 'dns', ...record }],
    ['alb', { ingress: 'alb', ...record }],
    ['alb under controlTower=strict', { ingress: 'alb', controlTower: 'strict', ...record }],
    ['dns under controlTower=strict', { ingress: 'dns', controlTower: 'strict', ...record }],
  ] as const)(
    'GIVEN ingress %s WHEN the service stack is synthesized THEN its change sets are allowed every type it has',
    (_, context) => {
      const mode = context.ingress;
      const allowed: string[] = [
        ...SERVICE_STACK_RESOURCE_TYPES,
        ...INGRESS_STACK_RESOURCE_TYPES[mode],
      ];
      const types = typesOf(context);
      expect(types.filter((type) => !allowed.includes(type))).toEqual([]);
      // and the mode's list names nothing its stack lacks
      expect(INGRESS_STACK_RESOURCE_TYPES[mode].filter((type) => !types.includes(type))).toEqual(
        [],
      );
    },
  );

  it("names exactly the dns stack's function, rule, queue and log group, and its role", () => {
    // GIVEN the default environment's dns service stack
    const names = deploymentNames('hello-world').dnsUpdater;
    const template = synthesizeApp({ ingress: 'dns', ...record }).service;
    // THEN its updater resources carry the names the deploy role's policy holds
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: names.function });
    template.hasResourceProperties('AWS::Events::Rule', { Name: names.rule });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${names.rule}-dlq` });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: names.logGroup });
    expect(JSON.stringify(template.findResources('AWS::Lambda::Function'))).toContain(
      `:role/${names.role}`,
    );
  });

  it("creates the alb stack's load balancer without a name, so its stack tags hold it", () => {
    const template = synthesizeApp({ ingress: 'alb', ...record }).service;
    const [loadBalancer] = Object.values(
      template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'),
    ) as { Properties: Record<string, unknown> }[];
    expect(loadBalancer.Properties['Name']).toBeUndefined();
    expect(
      JSON.stringify(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')),
    ).toContain(ECS_AUTOSCALING_SERVICE_ROLE);
  });
});
