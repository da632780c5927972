import {
  DEFAULT_DRAIN_TIMEOUT_MS,
  STACK_OUTPUTS,
  STACK_PARAMETERS,
  STOP_TIMEOUT_SECONDS,
} from '@hello-world/shared';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthesizeApp } from './synth-for-test';

let service: Template;

beforeAll(() => {
  ({ service } = synthesizeApp());
});

/** A resource as the assertions library returns it (untyped CloudFormation JSON). */
type Resource = ReturnType<Template['findResources']>[string];

function onlyResource(type: string): Resource {
  const resources = Object.values(service.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

function container(): Resource {
  return onlyResource('AWS::ECS::TaskDefinition').Properties.ContainerDefinitions[0];
}

function logicalId(type: string): string {
  const ids = Object.keys(service.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('service stack: the reference, row by row', () => {
  it('has a VPC 10.0.0.0/16 with DNS support and hostnames', () => {
    service.resourceCountIs('AWS::EC2::VPC', 1);
    service.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.0.0.0/16',
      EnableDnsSupport: true,
      EnableDnsHostnames: true,
    });
  });

  it('attaches an internet gateway to the VPC', () => {
    service.resourceCountIs('AWS::EC2::InternetGateway', 1);
    service.hasResourceProperties('AWS::EC2::VPCGatewayAttachment', {
      VpcId: { Ref: logicalId('AWS::EC2::VPC') },
      InternetGatewayId: { Ref: logicalId('AWS::EC2::InternetGateway') },
    });
  });

  it('has one public subnet 10.0.1.0/24 mapping public IPs in the region’s first AZ, found without a lookup', () => {
    service.resourceCountIs('AWS::EC2::Subnet', 1);
    service.hasResourceProperties('AWS::EC2::Subnet', {
      CidrBlock: '10.0.1.0/24',
      MapPublicIpOnLaunch: true,
      AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
    });
  });

  it('routes 0.0.0.0/0 to the internet gateway from a route table associated with the subnet', () => {
    const routeTable = logicalId('AWS::EC2::RouteTable');
    service.hasResourceProperties('AWS::EC2::Route', {
      RouteTableId: { Ref: routeTable },
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: { Ref: logicalId('AWS::EC2::InternetGateway') },
    });
    service.hasResourceProperties('AWS::EC2::SubnetRouteTableAssociation', {
      RouteTableId: { Ref: routeTable },
      SubnetId: { Ref: logicalId('AWS::EC2::Subnet') },
    });
  });

  it('lets in TCP 49000 from the AllowedIP parameter only', () => {
    const group = onlyResource('AWS::EC2::SecurityGroup');
    expect(group.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 49000,
        ToPort: 49000,
        CidrIp: { Ref: STACK_PARAMETERS.allowedIp },
      }),
    ]);
    service.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('has an ECS cluster named after the deployment', () => {
    service.resourceCountIs('AWS::ECS::Cluster', 1);
    service.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'hello-world-ecr-ecs-fargate',
    });
  });

  it('has a Fargate task definition, awsvpc, 256 CPU / 512 MiB, family hello-world', () => {
    service.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'hello-world',
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '256',
      Memory: '512',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    });
  });

  it('runs the container hello-world from this repository at the ImageTag parameter, on port 49000', () => {
    expect(container()).toMatchObject({
      Name: 'hello-world',
      Essential: true,
      PortMappings: [{ ContainerPort: 49000, Protocol: 'tcp' }],
    });
    const image = JSON.stringify(container().Image);
    expect(image).toContain('/hello-world-ecr-ecs-fargate:');
    expect(image).toContain(JSON.stringify({ Ref: STACK_PARAMETERS.imageTag }));
  });

  it('sends the container’s output through awslogs to the log group with stream prefix ecs', () => {
    expect(container().LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': { Ref: logicalId('AWS::Logs::LogGroup') },
        'awslogs-stream-prefix': 'ecs',
        'awslogs-region': 'eu-west-1',
      },
    });
  });

  it('has the log group /ecs/hello-world-ecr-ecs-fargate with 7-day retention', () => {
    service.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/hello-world-ecr-ecs-fargate',
      RetentionInDays: 7,
    });
  });

  it('gives the container a health check', () => {
    service.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          HealthCheck: {
            Command: Match.arrayWith(['CMD']),
            Interval: Match.anyValue(),
            Timeout: Match.anyValue(),
            Retries: Match.anyValue(),
            StartPeriod: Match.anyValue(),
          },
        }),
      ],
    });
  });

  it('runs a Fargate service with 1 desired task and a public IP, in that subnet and security group', () => {
    service.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'hello-world-ecr-ecs-fargate',
      LaunchType: 'FARGATE',
      DesiredCount: 1,
      Cluster: { Ref: logicalId('AWS::ECS::Cluster') },
      TaskDefinition: { Ref: logicalId('AWS::ECS::TaskDefinition') },
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'ENABLED',
          Subnets: [{ Ref: logicalId('AWS::EC2::Subnet') }],
          SecurityGroups: [{ 'Fn::GetAtt': [logicalId('AWS::EC2::SecurityGroup'), 'GroupId'] }],
        },
      },
    });
  });

  it('declares the parameters ImageTag (default latest), AllowedIP (default 0.0.0.0/0) and AlertEmail (default none)', () => {
    service.hasParameter(STACK_PARAMETERS.imageTag, { Type: 'String', Default: 'latest' });
    service.hasParameter(STACK_PARAMETERS.allowedIp, { Type: 'String', Default: '0.0.0.0/0' });
    service.hasParameter(STACK_PARAMETERS.alertEmail, { Type: 'String', Default: '' });
  });

  it('outputs ECRRepositoryUri, ECSClusterName, ECSServiceName, VPCId, SubnetId, SecurityGroupId', () => {
    expect(Object.keys(service.findOutputs('*')).sort()).toEqual(
      Object.values(STACK_OUTPUTS).sort(),
    );
    service.hasOutput(STACK_OUTPUTS.clusterName, {
      Value: { Ref: logicalId('AWS::ECS::Cluster') },
    });
    service.hasOutput(STACK_OUTPUTS.serviceName, {
      Value: { 'Fn::GetAtt': [logicalId('AWS::ECS::Service'), 'Name'] },
    });
    service.hasOutput(STACK_OUTPUTS.vpcId, { Value: { Ref: logicalId('AWS::EC2::VPC') } });
    service.hasOutput(STACK_OUTPUTS.subnetId, { Value: { Ref: logicalId('AWS::EC2::Subnet') } });
    service.hasOutput(STACK_OUTPUTS.securityGroupId, {
      Value: { 'Fn::GetAtt': [logicalId('AWS::EC2::SecurityGroup'), 'GroupId'] },
    });
    const uri = JSON.stringify(service.findOutputs(STACK_OUTPUTS.repositoryUri));
    expect(uri).toContain('.dkr.ecr.eu-west-1.');
    expect(uri).toContain('/hello-world-ecr-ecs-fargate');
  });
});

describe('service stack: safer than the reference', () => {
  it('rolls a failing deployment back with the circuit breaker', () => {
    service.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    });
  });

  it('starts the new task before stopping the old one (min healthy 100 %, max 200 %)', () => {
    service.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: { MinimumHealthyPercent: 100, MaximumPercent: 200 },
    });
  });

  it('health-checks with node itself, never curl or wget', () => {
    const command: string[] = container().HealthCheck.Command;
    expect(command).toEqual(['CMD', 'node', '/app/healthcheck.js']);
    expect(command.join(' ')).not.toMatch(/curl|wget/);
  });

  it('counts a healthy task as healthy within ~15 s', () => {
    // The first probe runs one interval after start and must answer within its timeout.
    const { Interval, Timeout, Retries, StartPeriod } = container().HealthCheck;
    expect(Interval + Timeout).toBeLessThanOrEqual(15);
    expect(Retries).toBeGreaterThanOrEqual(2);
    expect(StartPeriod).toBeLessThanOrEqual(15);
  });

  it('waits longer than the app’s drain budget before SIGKILL', () => {
    expect(container().StopTimeout).toBe(STOP_TIMEOUT_SECONDS);
    expect(container().StopTimeout * 1000).toBeGreaterThan(DEFAULT_DRAIN_TIMEOUT_MS);
  });

  it('runs an init process so node is not PID 1', () => {
    expect(container().LinuxParameters).toMatchObject({ InitProcessEnabled: true });
  });

  it('mounts the root filesystem read-only', () => {
    expect(container().ReadonlyRootFilesystem).toBe(true);
  });

  it('runs as the unprivileged uid:gid 1000:1000', () => {
    expect(container().User).toBe('1000:1000');
  });

  it('lets out only HTTPS (image pulls and logs), nothing else', () => {
    expect(onlyResource('AWS::EC2::SecurityGroup').Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        CidrIp: '0.0.0.0/0',
      }),
    ]);
    service.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  });

  it('has no NAT gateway, elastic IP, load balancer or VPC endpoint', () => {
    service.resourceCountIs('AWS::EC2::NatGateway', 0);
    service.resourceCountIs('AWS::EC2::EIP', 0);
    service.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    service.resourceCountIs('AWS::ElasticLoadBalancing::LoadBalancer', 0);
    service.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  it('creates only the reference’s kinds of resources and the monitoring’s, so nothing else can cost money', () => {
    const types = Object.values(service.toJSON().Resources as Record<string, { Type: string }>)
      .map((resource) => resource.Type)
      .sort();
    expect(types).toEqual([
      // Five alarms, their topic (+ the email subscription, conditional), the task-stops rule
      // and its topic, the error-lines metric filter, the dashboard (monitoring/).
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
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
      'AWS::ECS::Service',
      'AWS::ECS::TaskDefinition',
      'AWS::Events::Rule',
      'AWS::Logs::LogGroup',
      'AWS::Logs::MetricFilter',
      'AWS::SNS::Subscription',
      'AWS::SNS::Topic',
      'AWS::SNS::Topic',
      'AWS::SNS::TopicPolicy',
      'AWS::SNS::TopicPolicy',
    ]);
  });

  it('removes the log group with the stack', () => {
    service.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  it('constrains ImageTag and AllowedIP with a pattern and a readable message', () => {
    service.hasParameter(STACK_PARAMETERS.imageTag, {
      AllowedPattern: Match.stringLikeRegexp('A-Za-z0-9_'),
      ConstraintDescription: Match.stringLikeRegexp('^must be an image tag'),
    });
    service.hasParameter(STACK_PARAMETERS.allowedIp, {
      AllowedPattern: Match.stringLikeRegexp('/'),
      ConstraintDescription: Match.stringLikeRegexp('^must be an IPv4 CIDR'),
    });
  });

  it('turns Container Insights off (billed per metric) explicitly', () => {
    service.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
    });
  });
});

describe('service stack: configuration reaches the template', () => {
  let variant: Template;

  beforeAll(() => {
    ({ service: variant } = synthesizeApp({
      cpu: 512,
      memoryMiB: 1024,
      desiredCount: 2,
      spot: true,
      imageTag: 'sha-1a2b3c4-ecr-ecs-fargate',
      allowedIp: '203.0.113.7/32',
    }));
  });

  it('sizes the task and the service from the config', () => {
    variant.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
    variant.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2 });
  });

  it('runs on Fargate Spot through the capacity provider, not a launch type, when asked', () => {
    variant.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
      LaunchType: Match.absent(),
    });
    variant.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith(['FARGATE_SPOT']),
    });
  });

  it('uses the configured image tag and allowed IP as the parameter defaults', () => {
    variant.hasParameter(STACK_PARAMETERS.imageTag, { Default: 'sha-1a2b3c4-ecr-ecs-fargate' });
    variant.hasParameter(STACK_PARAMETERS.allowedIp, { Default: '203.0.113.7/32' });
  });
});

describe('service stack: ARM64', () => {
  it('asks Fargate for ARM64 when the architecture is ARM64', () => {
    const { service: arm } = synthesizeApp({ architecture: 'ARM64' });
    arm.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
  });
});
