import { deploymentNames } from '@hello-world/shared';
import { App, LegacyStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DnsRecordSettings } from './config';
import { DnsUpdaterRole } from './dns-updater-role';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  decide,
  policiesOfRole,
  type IamRequest,
} from './iam-simulation-for-test';

const NAMES = deploymentNames('hello-world', 'staging');
const RECORD: DnsRecordSettings = {
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.com',
  domainName: 'api.example.com',
};
const ZONE = `arn:aws:route53:::hostedzone/${RECORD.hostedZoneId}`;
const OTHER_ZONE = 'arn:aws:route53:::hostedzone/Z9876543210ZYXWVUTSRQ';
const at = (service: string, resource: string) =>
  `arn:aws:${service}:${TEST_REGION}:${TEST_ACCOUNT}:${resource}`;
const CLUSTER = NAMES.deployment;

function synthesizeRole(): Template {
  const app = new App();
  const stack = new Stack(app, 'Roles', {
    synthesizer: new LegacyStackSynthesizer(),
    env: { region: TEST_REGION },
  });
  new DnsUpdaterRole(stack, 'DnsUpdater', {
    names: NAMES.dnsUpdater,
    clusterName: CLUSTER,
    record: RECORD,
  });
  return Template.fromStack(stack);
}

const template = synthesizeRole();
type Template_ = Parameters<typeof policiesOfRole>[0];
const policies = policiesOfRole(template.toJSON() as Template_, NAMES.dnsUpdater.role);

/** A ChangeResourceRecordSets request whose batch changes these names and types. */
const change = (names: string[], types: string[], zone = ZONE): IamRequest => ({
  action: 'route53:ChangeResourceRecordSets',
  resource: zone,
  context: {
    'route53:ChangeResourceRecordSetsNormalizedRecordNames': names,
    'route53:ChangeResourceRecordSetsRecordTypes': types,
    'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
  },
});
const task = (cluster: string) => at('ecs', `task/${cluster}/0123456789abcdef0123456789abcdef`);
const inCluster = (cluster: string) => ({ 'ecs:cluster': at('ecs', `cluster/${cluster}`) });
// ListTasks' resource type is the container instance; the cluster is in its ecs:cluster key.
const containerInstance = (cluster: string) =>
  at('ecs', `container-instance/${cluster}/0123456789abcdef0123456789abcdef`);

describe('dns updater role: who may assume it', () => {
  it('GIVEN the role WHEN synthesized THEN it has its fixed name and only Lambda of this account assumes it', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'hello-world-ecr-ecs-fargate-staging-dns',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });

  it('GIVEN the role WHEN synthesized THEN it has one inline policy and no managed one', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(policies.map((p) => p.name)).toEqual(['record']);
  });
});

type Row = [string, IamRequest];

describe('dns updater role: what it may do (IAM simulation of the synthesized policy)', () => {
  const allowed: Row[] = [
    ['upserts the service A record', change(['api.example.com'], ['A'])],
    ['creates its owner TXT marker', change(['_ecs-owner.api.example.com'], ['TXT'])],
    [
      'creates both in one change batch',
      change(['api.example.com', '_ecs-owner.api.example.com'], ['A', 'TXT']),
    ],
    ['lists the zone records', { action: 'route53:ListResourceRecordSets', resource: ZONE }],
    [
      'lists the tasks of its cluster',
      {
        action: 'ecs:ListTasks',
        resource: containerInstance(CLUSTER),
        context: inCluster(CLUSTER),
      },
    ],
    [
      'describes the tasks of its cluster',
      { action: 'ecs:DescribeTasks', resource: task(CLUSTER), context: inCluster(CLUSTER) },
    ],
    [
      'reads the network interfaces that carry the public IPs',
      { action: 'ec2:DescribeNetworkInterfaces', resource: '*' },
    ],
    [
      'writes its own log group',
      {
        action: 'logs:PutLogEvents',
        resource: at(
          'logs',
          `log-group:${NAMES.dnsUpdater.logGroup}:log-stream:2026/12/04/[$LATEST]0123456789abcdef`,
        ),
      },
    ],
  ];
  it.each(allowed)('GIVEN the policy WHEN it %s THEN AWS allows it', async (_, request) => {
    expect(await decide(policies, request)).toBe('Allowed');
  });

  const denied: Row[] = [
    ['changes another name in the zone', change(['www.example.com'], ['A'])],
    ['changes the zone apex', change(['example.com'], ['A'])],
    [
      'slips another name into a batch with its own',
      change(['api.example.com', 'www.example.com'], ['A']),
    ],
    ['writes a CNAME at its name', change(['api.example.com'], ['CNAME'])],
    ['writes an MX beside its A', change(['api.example.com'], ['A', 'MX'])],
    ['changes its name in another zone', change(['api.example.com'], ['A'], OTHER_ZONE)],
    [
      'lists the records of another zone',
      { action: 'route53:ListResourceRecordSets', resource: OTHER_ZONE },
    ],
    [
      'lists the tasks of another cluster',
      {
        action: 'ecs:ListTasks',
        resource: containerInstance('payments'),
        context: inCluster('payments'),
      },
    ],
    [
      'describes a task of another cluster',
      { action: 'ecs:DescribeTasks', resource: task('payments'), context: inCluster('payments') },
    ],
    [
      "writes another function's log group",
      {
        action: 'logs:PutLogEvents',
        resource: at('logs', 'log-group:/aws/lambda/payments:log-stream:x'),
      },
    ],
    [
      'changes a task (stops it)',
      { action: 'ecs:StopTask', resource: task(CLUSTER), context: inCluster(CLUSTER) },
    ],
    ['creates a hosted zone', { action: 'route53:CreateHostedZone', resource: '*' }],
  ];
  it.each(denied)('GIVEN the policy WHEN it %s THEN AWS denies it', async (_, request) => {
    expect(await decide(policies, request)).toBe('ImplicitlyDenied');
  });
});
