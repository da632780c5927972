import type { CfnResource, CloudAssembly } from './cloud-assembly';
import { copySynthesizedAssembly } from './test-assembly';

/*
 * The dns and alb ingress modes' resources, written by hand the way CDK synthesizes them
 * (libs/fargate/src/ingress/), added to a copy of the default templates: the estimate and the
 * diagram read templates, so these specs need no synth of the modes.
 */

const SERVICE_STACK = 'hello-world-ecr-ecs-fargate';
const SERVICE = 'AppService606B9134';
const CLUSTER = 'AppCluster68CC0559';
const VPC = 'NetworkVpc7FB7348F';
const SUBNET = 'NetworkVpcPublicSubnet1Subnet36933139';
const SERVICE_SG = 'NetworkServiceSecurityGroup61AA808E';
export const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
export const DOMAIN = 'app.example.com';

type Resources = Record<string, CfnResource & { Properties: Record<string, unknown> }>;

function serviceStackOf(assembly: CloudAssembly): Resources {
  const stack = assembly.stacks.find((s) => s.name === SERVICE_STACK);
  if (!stack?.template.Resources) throw new Error(`no stack ${SERVICE_STACK}`);
  return stack.template.Resources as Resources;
}

/** dns mode: the updater function, its log group, the rule on task state changes and its permission. */
export function withDnsIngress(assembly: CloudAssembly = copySynthesizedAssembly()): CloudAssembly {
  const resources = serviceStackOf(assembly);
  Object.assign(resources, {
    DnsIngressLogGroupD1C7E0A1: {
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: '/aws/lambda/hello-world-ecr-ecs-fargate-dns',
        RetentionInDays: 7,
      },
    },
    DnsIngressFunction8E6D1F1B: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Architectures: ['arm64'],
        Code: { ZipFile: '"use strict";var e=require("@aws-sdk/client-ecs");…' },
        Environment: {
          Variables: {
            CLUSTER_NAME: { Ref: CLUSTER },
            SERVICE_NAME: 'hello-world-ecr-ecs-fargate',
            HOSTED_ZONE_ID: ZONE_ID,
            DOMAIN_NAME: DOMAIN,
            OWNER: 'hello-world-ecr-ecs-fargate',
          },
        },
        FunctionName: 'hello-world-ecr-ecs-fargate-dns',
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: 'DnsIngressLogGroupD1C7E0A1' } },
        MemorySize: 128,
        Role: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::',
              { Ref: 'AWS::AccountId' },
              ':role/hello-world-ecr-ecs-fargate-dns',
            ],
          ],
        },
        Runtime: 'nodejs24.x',
        Timeout: 30,
      },
    },
    DnsIngressRuleB3F2C0D4: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: {
            clusterArn: [{ 'Fn::GetAtt': [CLUSTER, 'Arn'] }],
            group: ['service:hello-world-ecr-ecs-fargate'],
            lastStatus: ['RUNNING', 'STOPPED'],
          },
        },
        Name: 'hello-world-ecr-ecs-fargate-dns',
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': ['DnsIngressFunction8E6D1F1B', 'Arn'] },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': ['DnsIngressDeadLetterQueue4F1A2B3C', 'Arn'] },
            },
            Id: 'Target0',
            RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 8 },
          },
        ],
      },
    },
    DnsIngressDeadLetterQueue4F1A2B3C: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        MessageRetentionPeriod: 1209600,
        QueueName: 'hello-world-ecr-ecs-fargate-dns-dlq',
        SqsManagedSseEnabled: true,
      },
    },
    DnsIngressDeadLetterQueuePolicy5D6E7F80: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        PolicyDocument: {
          Statement: [
            {
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Resource: { 'Fn::GetAtt': ['DnsIngressDeadLetterQueue4F1A2B3C', 'Arn'] },
            },
            {
              Action: 'sqs:SendMessage',
              Condition: {
                ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['DnsIngressRuleB3F2C0D4', 'Arn'] } },
              },
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Resource: { 'Fn::GetAtt': ['DnsIngressDeadLetterQueue4F1A2B3C', 'Arn'] },
            },
          ],
          Version: '2012-10-17',
        },
        Queues: [{ Ref: 'DnsIngressDeadLetterQueue4F1A2B3C' }],
      },
    },
    DnsIngressRuleAllowEventRuleC5A1E2F3: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['DnsIngressFunction8E6D1F1B', 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['DnsIngressRuleB3F2C0D4', 'Arn'] },
      },
    },
  });
  return assembly;
}

/**
 * alb mode: a second public subnet, the load balancer and its security group, HTTP → HTTPS and
 * HTTPS → target group listeners, the certificate, the alias record, and autoscaling of the
 * service (which loses its DesiredCount and gains its load balancer) on CPU and requests.
 */
export function withAlbIngress(
  assembly: CloudAssembly = copySynthesizedAssembly(),
  scaling: { min: number; max: number } = { min: 1, max: 4 },
): CloudAssembly {
  const resources = serviceStackOf(assembly);
  const service = resources[SERVICE].Properties;
  delete service['DesiredCount'];
  service['LoadBalancers'] = [
    {
      ContainerName: 'hello-world',
      ContainerPort: 49000,
      TargetGroupArn: { Ref: 'AlbIngressTargetGroup5C1A2B3D' },
    },
  ];
  resources[SERVICE_SG].Properties['SecurityGroupIngress'] = [];
  const resourceId = {
    'Fn::Join': ['', ['service/', { Ref: CLUSTER }, '/', { 'Fn::GetAtt': [SERVICE, 'Name'] }]],
  };
  Object.assign(resources, {
    NetworkVpcPublicSubnet2Subnet3C8A7E55: {
      Type: 'AWS::EC2::Subnet',
      Properties: {
        AvailabilityZone: { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
        CidrBlock: '10.0.2.0/24',
        MapPublicIpOnLaunch: true,
        VpcId: { Ref: VPC },
      },
    },
    NetworkVpcPublicSubnet2RouteTableAssociation1E8E7E27: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: {
        RouteTableId: { Ref: 'NetworkVpcPublicSubnet1RouteTable30235CE2' },
        SubnetId: { Ref: 'NetworkVpcPublicSubnet2Subnet3C8A7E55' },
      },
    },
    AlbIngressSecurityGroup9F0E1D2C: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'HTTPS and HTTP from AllowedIP',
        SecurityGroupIngress: [
          { CidrIp: { Ref: 'AllowedIP' }, FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
          { CidrIp: { Ref: 'AllowedIP' }, FromPort: 80, IpProtocol: 'tcp', ToPort: 80 },
        ],
        VpcId: { Ref: VPC },
      },
    },
    AlbIngressSecurityGrouptoServicePort49000A1B2C3D4: {
      Type: 'AWS::EC2::SecurityGroupEgress',
      Properties: {
        DestinationSecurityGroupId: { 'Fn::GetAtt': [SERVICE_SG, 'GroupId'] },
        FromPort: 49000,
        GroupId: { 'Fn::GetAtt': ['AlbIngressSecurityGroup9F0E1D2C', 'GroupId'] },
        IpProtocol: 'tcp',
        ToPort: 49000,
      },
    },
    NetworkServiceSecurityGroupfromAlbIngress49000E5F6A7B8: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        FromPort: 49000,
        GroupId: { 'Fn::GetAtt': [SERVICE_SG, 'GroupId'] },
        IpProtocol: 'tcp',
        SourceSecurityGroupId: { 'Fn::GetAtt': ['AlbIngressSecurityGroup9F0E1D2C', 'GroupId'] },
        ToPort: 49000,
      },
    },
    AlbIngressLoadBalancerBE9EEC3A: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        LoadBalancerAttributes: [
          { Key: 'deletion_protection.enabled', Value: 'false' },
          { Key: 'idle_timeout.timeout_seconds', Value: '60' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        ],
        Scheme: 'internet-facing',
        SecurityGroups: [{ 'Fn::GetAtt': ['AlbIngressSecurityGroup9F0E1D2C', 'GroupId'] }],
        Subnets: [{ Ref: SUBNET }, { Ref: 'NetworkVpcPublicSubnet2Subnet3C8A7E55' }],
        Type: 'application',
      },
    },
    AlbIngressCertificate4E7ABB08: {
      Type: 'AWS::CertificateManager::Certificate',
      Properties: {
        DomainName: DOMAIN,
        DomainValidationOptions: [{ DomainName: DOMAIN, HostedZoneId: ZONE_ID }],
        ValidationMethod: 'DNS',
      },
    },
    AlbIngressHttpsListenerC7D8E9F0: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        Certificates: [{ CertificateArn: { Ref: 'AlbIngressCertificate4E7ABB08' } }],
        DefaultActions: [
          { TargetGroupArn: { Ref: 'AlbIngressTargetGroup5C1A2B3D' }, Type: 'forward' },
        ],
        LoadBalancerArn: { Ref: 'AlbIngressLoadBalancerBE9EEC3A' },
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      },
    },
    AlbIngressHttpListener1A2B3C4D: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        DefaultActions: [
          {
            RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' },
            Type: 'redirect',
          },
        ],
        LoadBalancerArn: { Ref: 'AlbIngressLoadBalancerBE9EEC3A' },
        Port: 80,
        Protocol: 'HTTP',
      },
    },
    AlbIngressTargetGroup5C1A2B3D: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        HealthCheckPath: '/health',
        Port: 49000,
        Protocol: 'HTTP',
        TargetGroupAttributes: [
          { Key: 'deregistration_delay.timeout_seconds', Value: '10' },
          { Key: 'stickiness.enabled', Value: 'false' },
        ],
        TargetType: 'ip',
        VpcId: { Ref: VPC },
      },
    },
    AlbIngressAliasRecord2E3F4A5B: {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        AliasTarget: {
          DNSName: {
            'Fn::Join': [
              '',
              ['dualstack.', { 'Fn::GetAtt': ['AlbIngressLoadBalancerBE9EEC3A', 'DNSName'] }],
            ],
          },
          HostedZoneId: {
            'Fn::GetAtt': ['AlbIngressLoadBalancerBE9EEC3A', 'CanonicalHostedZoneID'],
          },
        },
        HostedZoneId: ZONE_ID,
        Name: `${DOMAIN}.`,
        Type: 'A',
      },
    },
    AppServiceTaskCountTarget23E25614: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        MaxCapacity: scaling.max,
        MinCapacity: scaling.min,
        ResourceId: resourceId,
        RoleARN: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::',
              { Ref: 'AWS::AccountId' },
              ':role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
            ],
          ],
        },
        ScalableDimension: 'ecs:service:DesiredCount',
        ServiceNamespace: 'ecs',
      },
    },
    AppServiceTaskCountTargetCpuScaling3B4C5D6E: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: 'hello-worldecrecsfargateAppServiceTaskCountTargetCpuScaling',
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: 'AppServiceTaskCountTarget23E25614' },
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
          },
          TargetValue: 60,
        },
      },
    },
    AppServiceTaskCountTargetRequestScaling7F8A9B0C: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: 'hello-worldecrecsfargateAppServiceTaskCountTargetRequestScaling',
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: 'AppServiceTaskCountTarget23E25614' },
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ALBRequestCountPerTarget',
            ResourceLabel: {
              'Fn::Join': [
                '',
                [
                  {
                    'Fn::Select': [
                      1,
                      { 'Fn::Split': ['/', { Ref: 'AlbIngressHttpsListenerC7D8E9F0' }] },
                    ],
                  },
                  '/',
                  { 'Fn::GetAtt': ['AlbIngressTargetGroup5C1A2B3D', 'TargetGroupFullName'] },
                ],
              ],
            },
          },
          TargetValue: 500,
        },
      },
    },
  });
  return assembly;
}
