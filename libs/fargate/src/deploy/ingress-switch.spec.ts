import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { awsError } from '@hello-world/aws-ops/testing';
import { mockClient } from 'aws-sdk-client-mock';
import type { CfnTemplate } from './ingress-preflight';
import {
  decideIngressSwitch,
  diffTemplates,
  findSwitchChanges,
  formatIngressSwitch,
  type TemplateChange,
} from './ingress-switch';

const STACK = 'hello-world-ecr-ecs-fargate';

/** The public-ip service stack's resources an ingress switch touches, as CDK synthesizes them. */
function publicIpTemplate(): CfnTemplate & {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
} {
  return {
    Resources: {
      NetworkVpcPublicSubnet1Subnet36933139: {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
          CidrBlock: '10.0.1.0/24',
          MapPublicIpOnLaunch: true,
          VpcId: { Ref: 'NetworkVpc7FB7348F' },
        },
      },
      NetworkServiceSecurityGroup61AA808E: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'Port 49000 from AllowedIP; HTTPS out for image pulls and logs',
          SecurityGroupIngress: [
            {
              CidrIp: { Ref: 'AllowedIP' },
              Description: 'Service port from AllowedIP only',
              FromPort: 49000,
              IpProtocol: 'tcp',
              ToPort: 49000,
            },
          ],
          VpcId: { Ref: 'NetworkVpc7FB7348F' },
        },
      },
      AppTaskDefinitionCA96C95D: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [{ Name: 'hello-world', Essential: true, Memory: 512 }],
          Cpu: '256',
          Family: 'hello-world',
          Memory: '512',
        },
      },
      AppService606B9134: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: { Ref: 'AppCluster68CC0559' },
          DesiredCount: 1,
          LaunchType: 'FARGATE',
          ServiceName: STACK,
          TaskDefinition: { Ref: 'AppTaskDefinitionCA96C95D' },
        },
      },
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:H4sI' } },
    },
  };
}

/** The same stack in alb mode: a second subnet, the load balancer, the alias; the service behind it. */
function albTemplate(): CfnTemplate {
  const t = publicIpTemplate();
  const service = t.Resources['AppService606B9134']?.Properties ?? {};
  delete service['DesiredCount'];
  return {
    Resources: {
      ...t.Resources,
      NetworkVpcPublicSubnet2Subnet2B3A5D6F: {
        Type: 'AWS::EC2::Subnet',
        Properties: { CidrBlock: '10.0.2.0/24', VpcId: { Ref: 'NetworkVpc7FB7348F' } },
      },
      IngressAlbLoadBalancer5E3B2C1A: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Scheme: 'internet-facing', Type: 'application' },
      },
      IngressAliasRecord8F7E6D5C: {
        Type: 'AWS::Route53::RecordSet',
        Properties: { Name: 'api.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      },
      NetworkServiceSecurityGroup61AA808E: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'Port 49000 from the load balancer; HTTPS out for image pulls and logs',
          VpcId: { Ref: 'NetworkVpc7FB7348F' },
        },
      },
      AppTaskDefinitionCA96C95D: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ...t.Resources['AppTaskDefinitionCA96C95D']?.Properties,
          ContainerDefinitions: [
            {
              Name: 'hello-world',
              Essential: true,
              Memory: 512,
              Environment: [{ Name: 'KEEP_ALIVE_TIMEOUT_MS', Value: '65000' }],
            },
          ],
        },
      },
      AppService606B9134: {
        Type: 'AWS::ECS::Service',
        Properties: {
          ...service,
          LoadBalancers: [
            {
              ContainerName: 'hello-world',
              ContainerPort: 49000,
              TargetGroupArn: { Ref: 'IngressTargetGroup1A2B3C4D' },
            },
          ],
        },
      },
    },
  };
}

describe('diffTemplates', () => {
  const changes = () => diffTemplates(publicIpTemplate(), albTemplate());
  const of = (id: string) => changes().find((c) => c.logicalId === id);

  it('GIVEN public-ip live and alb synthesized THEN the load balancer, its alias and the second subnet are added', () => {
    expect(changes().filter((c) => c.action === 'add')).toEqual([
      {
        logicalId: 'IngressAlbLoadBalancer5E3B2C1A',
        type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        action: 'add',
        properties: [],
      },
      {
        logicalId: 'IngressAliasRecord8F7E6D5C',
        type: 'AWS::Route53::RecordSet',
        action: 'add',
        properties: [],
      },
      {
        logicalId: 'NetworkVpcPublicSubnet2Subnet2B3A5D6F',
        type: 'AWS::EC2::Subnet',
        action: 'add',
        properties: [],
      },
    ]);
  });

  it('GIVEN a security group whose description changes THEN it is replaced, naming that property', () => {
    expect(of('NetworkServiceSecurityGroup61AA808E')).toEqual({
      logicalId: 'NetworkServiceSecurityGroup61AA808E',
      type: 'AWS::EC2::SecurityGroup',
      action: 'replace',
      properties: ['GroupDescription'],
    });
  });

  it('GIVEN a task definition whose container changes THEN it is replaced (revisions are immutable)', () => {
    expect(of('AppTaskDefinitionCA96C95D')).toMatchObject({
      action: 'replace',
      properties: ['ContainerDefinitions'],
    });
  });

  it('GIVEN the service gaining LoadBalancers and losing DesiredCount THEN a change, left to CloudFormation', () => {
    expect(of('AppService606B9134')).toEqual({
      logicalId: 'AppService606B9134',
      type: 'AWS::ECS::Service',
      action: 'change',
      properties: ['DesiredCount', 'LoadBalancers'],
    });
  });

  it('GIVEN resources only the live template has THEN they are removed; CDK metadata is never listed', () => {
    const removed = diffTemplates(albTemplate(), publicIpTemplate()).filter(
      (c) => c.action === 'remove',
    );
    expect(removed.map((c) => c.logicalId)).toEqual([
      'IngressAlbLoadBalancer5E3B2C1A',
      'IngressAliasRecord8F7E6D5C',
      'NetworkVpcPublicSubnet2Subnet2B3A5D6F',
    ]);
  });

  it('GIVEN the same properties written in another key order THEN no change', () => {
    const live = publicIpTemplate();
    const reordered = publicIpTemplate();
    const subnet = reordered.Resources['NetworkVpcPublicSubnet1Subnet36933139'];
    if (subnet) subnet.Properties = Object.fromEntries(Object.entries(subnet.Properties).reverse());
    expect(diffTemplates(live, reordered)).toEqual([]);
  });

  it('GIVEN a logical ID whose type changes THEN it is replaced', () => {
    const next = publicIpTemplate();
    next.Resources['AppService606B9134'] = { Type: 'AWS::ECS::TaskSet', Properties: {} };
    expect(diffTemplates(publicIpTemplate(), next)).toEqual([
      {
        logicalId: 'AppService606B9134',
        type: 'AWS::ECS::TaskSet',
        action: 'replace',
        properties: ['Type'],
      },
    ]);
  });

  it('GIVEN a change nobody listed as replacing THEN a change, even on a listed type', () => {
    const next = publicIpTemplate();
    const subnet = next.Resources['NetworkVpcPublicSubnet1Subnet36933139'];
    if (subnet) subnet.Properties['MapPublicIpOnLaunch'] = false;
    expect(diffTemplates(publicIpTemplate(), next)).toEqual([
      {
        logicalId: 'NetworkVpcPublicSubnet1Subnet36933139',
        type: 'AWS::EC2::Subnet',
        action: 'change',
        properties: ['MapPublicIpOnLaunch'],
      },
    ]);
  });
});

describe('decideIngressSwitch', () => {
  const options = { stackName: STACK, interactive: false, switchIngress: false };

  it('GIVEN the live stack runs the same mode THEN it proceeds without asking', () => {
    expect(decideIngressSwitch('dns', 'dns', options)).toEqual({ action: 'proceed' });
  });

  it('GIVEN no live stack (a first deploy) THEN it proceeds without asking', () => {
    expect(decideIngressSwitch(undefined, 'alb', options)).toEqual({ action: 'proceed' });
  });

  it('GIVEN a switch in a terminal THEN it asks', () => {
    expect(decideIngressSwitch('public-ip', 'alb', { ...options, interactive: true })).toEqual({
      action: 'ask',
    });
  });

  it('GIVEN a switch without a terminal and without the flag THEN refused in one line naming the flag', () => {
    expect(decideIngressSwitch('public-ip', 'alb', options)).toEqual({
      action: 'refuse',
      message: `${STACK} runs ingress public-ip and this deploy switches it to alb, which replaces resources and changes its URL: run it in a terminal to see the changes and confirm, or pass --switch-ingress`,
    });
  });

  it('GIVEN a switch with --switch-ingress THEN confirmed, in a terminal too', () => {
    expect(
      decideIngressSwitch('alb', 'dns', { ...options, interactive: true, switchIngress: true }),
    ).toEqual({ action: 'confirmed' });
  });
});

describe('formatIngressSwitch', () => {
  it('GIVEN the changes THEN one aligned line each, and what "change" means', () => {
    const changes: TemplateChange[] = [
      {
        logicalId: 'IngressAlb',
        type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        action: 'add',
        properties: [],
      },
      {
        logicalId: 'Sg',
        type: 'AWS::EC2::SecurityGroup',
        action: 'replace',
        properties: ['GroupDescription'],
      },
      {
        logicalId: 'Service',
        type: 'AWS::ECS::Service',
        action: 'change',
        properties: ['DesiredCount', 'LoadBalancers'],
      },
    ];
    expect(formatIngressSwitch('public-ip', 'alb', STACK, { known: true, changes })).toEqual([
      `${STACK} runs ingress public-ip; this deploy switches it to alb. CloudFormation will:`,
      '  add      AWS::ElasticLoadBalancingV2::LoadBalancer  IngressAlb',
      '  replace  AWS::EC2::SecurityGroup                    Sg: GroupDescription',
      '  change   AWS::ECS::Service                          Service: DesiredCount, LoadBalancers',
      '  (change: updated in place or replaced, as CloudFormation decides for those properties)',
    ]);
  });

  it('GIVEN the live template could not be read THEN it says why instead of a list', () => {
    expect(
      formatIngressSwitch('dns', 'alb', STACK, { known: false, reason: 'access denied' }),
    ).toEqual([
      `${STACK} runs ingress dns; this deploy switches it to alb.`,
      '  what changes is not known: access denied',
    ]);
  });
});

describe('findSwitchChanges', () => {
  const cfn = mockClient(CloudFormationClient);
  beforeEach(() => cfn.reset());
  const find = () =>
    findSwitchChanges(new CloudFormationClient({}), STACK, albTemplate(), 'eu-west-1');

  it('GIVEN the live template (GetTemplate, as deployed) THEN its diff with the synthesized one', async () => {
    cfn.on(GetTemplateCommand, { StackName: STACK, TemplateStage: 'Original' }).resolves({
      TemplateBody: JSON.stringify(publicIpTemplate()),
      StagesAvailable: ['Original', 'Processed'],
    });
    const found = await find();
    expect(found.known && found.changes.map((c) => `${c.action} ${c.logicalId}`)).toEqual([
      'add IngressAlbLoadBalancer5E3B2C1A',
      'add IngressAliasRecord8F7E6D5C',
      'add NetworkVpcPublicSubnet2Subnet2B3A5D6F',
      'replace AppTaskDefinitionCA96C95D',
      'replace NetworkServiceSecurityGroup61AA808E',
      'change AppService606B9134',
    ]);
  });

  it('GIVEN an identity that may not read the template THEN not known, saying why', async () => {
    cfn
      .on(GetTemplateCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::123456789012:assumed-role/hello-world-ci-deploy/GitHubActions is not authorized to perform: cloudformation:GetTemplate on resource: arn:aws:cloudformation:eu-west-1:123456789012:stack/${STACK}/1a2b3c4d`,
          { $metadata: { httpStatusCode: 403 } },
        ),
      );
    expect(await find()).toEqual({
      known: false,
      reason: expect.stringContaining('cloudformation:GetTemplate'),
    });
  });
});
