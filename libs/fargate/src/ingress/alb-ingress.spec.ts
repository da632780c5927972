import {
  ALB_IDLE_TIMEOUT_SECONDS,
  ALB_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  HEALTH_PATH,
  INGRESS_OUTPUTS,
  STOP_TIMEOUT_SECONDS,
} from '@hello-world/shared';
import { Match } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_IP_FIXTURE } from '../public-ip-templates-for-test';
import { synthesizeApp, type SynthesizedApp } from '../synth-for-test';
import { ALB_DEREGISTRATION_DELAY_SECONDS } from './alb-ingress';

const ALB = {
  ingress: 'alb',
  domainName: 'hello.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.com',
  minTasks: 2,
  maxTasks: 6,
  scaleCpuPercent: 55,
  scaleRequestsPerTarget: 300,
};
const PORT = 49000;
const SERVICE_STACK = 'hello-world-ecr-ecs-fargate';

let alb: SynthesizedApp;

beforeAll(() => {
  // GIVEN ingress alb with a domain in a hosted zone and scaling settings  WHEN synthesized
  // (cdk-nag and the Control Tower controls run as part of it, and throw on a finding)
  alb = synthesizeApp(ALB);
});

// Template JSON is untyped: its properties are read as the spec expects them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Resource = { Properties: Record<string, any>; DependsOn?: string[] };
/** The value, or a failed expectation naming what was missing. */
function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`not in the template: ${what}`);
  return value;
}
const resources = (type: string): [string, Resource][] =>
  Object.entries(alb.service.findResources(type)) as [string, Resource][];
const only = (type: string): [string, Resource] => {
  const found = resources(type);
  expect(found).toHaveLength(1);
  return found[0];
};
const logicalIdOf = (type: string) => only(type)[0];
const ref = (type: string) => ({ Ref: logicalIdOf(type) });
const groupId = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'GroupId'] });
const albSecurityGroupId = () => {
  const [id] = found(
    resources('AWS::EC2::SecurityGroup').find(([, r]) =>
      r.Properties.GroupDescription.startsWith('HTTP and HTTPS'),
    ),
    "the load balancer's security group",
  );
  return id;
};
const serviceSecurityGroupId = () => {
  const [id] = found(
    resources('AWS::EC2::SecurityGroup').find(([, r]) =>
      r.Properties.GroupDescription.startsWith(`Port ${PORT}`),
    ),
    "the service's security group",
  );
  return id;
};
const listener = (port: number) =>
  found(
    resources('AWS::ElasticLoadBalancingV2::Listener').find(([, r]) => r.Properties.Port === port),
    `the listener on ${port}`,
  );

describe('ingress alb: listeners', () => {
  it('THEN HTTP on 80 answers a permanent (301) redirect to HTTPS on 443', () => {
    expect(listener(80)[1].Properties).toMatchObject({
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
        },
      ],
    });
  });

  it('THEN HTTPS on 443 uses the certificate and a TLS 1.3 policy, and forwards to the target group', () => {
    expect(listener(443)[1].Properties).toMatchObject({
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: ref('AWS::CertificateManager::Certificate') }],
      SslPolicy: expect.stringMatching(/^ELBSecurityPolicy-TLS13-/),
      DefaultActions: [
        { Type: 'forward', TargetGroupArn: ref('AWS::ElasticLoadBalancingV2::TargetGroup') },
      ],
    });
  });

  it('THEN there are exactly those two listeners', () => {
    expect(
      resources('AWS::ElasticLoadBalancingV2::Listener')
        .map(([, r]) => r.Properties.Port)
        .sort(),
    ).toEqual([443, 80]);
  });
});

describe('ingress alb: certificate and name', () => {
  it('THEN the certificate is for the domain, validated by DNS in the given hosted zone', () => {
    expect(only('AWS::CertificateManager::Certificate')[1].Properties).toMatchObject({
      DomainName: ALB.domainName,
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: ALB.domainName, HostedZoneId: ALB.hostedZoneId }],
    });
  });

  it('THEN an alias A record at the domain points at the load balancer (a CloudFormation record)', () => {
    const loadBalancer = logicalIdOf('AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(only('AWS::Route53::RecordSet')[1].Properties).toMatchObject({
      HostedZoneId: ALB.hostedZoneId,
      Name: `${ALB.domainName}.`,
      Type: 'A',
      AliasTarget: {
        DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [loadBalancer, 'DNSName'] }]] },
        HostedZoneId: { 'Fn::GetAtt': [loadBalancer, 'CanonicalHostedZoneID'] },
      },
    });
  });

  it('THEN synth looked nothing up (the zone is named by id and name)', () => {
    expect(alb.assembly.manifest.missing).toBeUndefined();
  });
});

describe('ingress alb: load balancer and target group', () => {
  it('THEN the load balancer is internet-facing in both public subnets, with its own security group', () => {
    const subnets = resources('AWS::EC2::Subnet').map(([id]) => ({ Ref: id }));
    expect(only('AWS::ElasticLoadBalancingV2::LoadBalancer')[1].Properties).toMatchObject({
      Type: 'application',
      Scheme: 'internet-facing',
      Subnets: subnets,
      SecurityGroups: [groupId(albSecurityGroupId())],
    });
  });

  it('THEN it closes idle connections after 60 s, drops invalid header fields and can be deleted', () => {
    expect(
      only('AWS::ElasticLoadBalancingV2::LoadBalancer')[1].Properties.LoadBalancerAttributes,
    ).toEqual(
      expect.arrayContaining([
        { Key: 'idle_timeout.timeout_seconds', Value: '60' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'deletion_protection.enabled', Value: 'false' },
      ]),
    );
  });

  it('THEN the target group sends HTTP to the service port of each task by IP, health-checked on the health path', () => {
    expect(only('AWS::ElasticLoadBalancingV2::TargetGroup')[1].Properties).toMatchObject({
      Protocol: 'HTTP',
      Port: PORT,
      TargetType: 'ip',
      HealthCheckPath: HEALTH_PATH,
      HealthCheckIntervalSeconds: 5,
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
  });

  it("THEN a deregistered task keeps its requests for the app's drain budget, within ECS's stop timeout", () => {
    const delay = only(
      'AWS::ElasticLoadBalancingV2::TargetGroup',
    )[1].Properties.TargetGroupAttributes.find(
      (a: { Key: string }) => a.Key === 'deregistration_delay.timeout_seconds',
    );
    expect(delay).toEqual({
      Key: 'deregistration_delay.timeout_seconds',
      Value: String(ALB_DEREGISTRATION_DELAY_SECONDS),
    });
    expect(ALB_DEREGISTRATION_DELAY_SECONDS).toBeGreaterThanOrEqual(
      DEFAULT_DRAIN_TIMEOUT_MS / 1000,
    );
    expect(ALB_DEREGISTRATION_DELAY_SECONDS).toBeLessThanOrEqual(STOP_TIMEOUT_SECONDS);
  });
});

describe('ingress alb: security groups', () => {
  it("THEN the service's group admits the service port from the load balancer's group and nothing else", () => {
    const service = serviceSecurityGroupId();
    const inline = alb.service.toJSON().Resources[service].Properties.SecurityGroupIngress;
    const separate = resources('AWS::EC2::SecurityGroupIngress')
      .map(([, r]) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(groupId(service)));
    expect({ inline, separate }).toEqual({
      inline: undefined,
      separate: [
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: PORT,
          ToPort: PORT,
          SourceSecurityGroupId: groupId(albSecurityGroupId()),
        }),
      ],
    });
  });

  it("THEN the load balancer's group admits 80 and 443 from AllowedIP only", () => {
    const ingress = alb.service.toJSON().Resources[albSecurityGroupId()].Properties
      .SecurityGroupIngress as Record<string, unknown>[];
    expect(ingress.map((r) => [r.CidrIp, r.FromPort, r.ToPort])).toEqual([
      [{ Ref: 'AllowedIP' }, 80, 80],
      [{ Ref: 'AllowedIP' }, 443, 443],
    ]);
  });

  it("THEN the load balancer's group sends only to the service port of the service's group", () => {
    const id = albSecurityGroupId();
    const inline = alb.service.toJSON().Resources[id].Properties.SecurityGroupEgress;
    const separate = resources('AWS::EC2::SecurityGroupEgress')
      .map(([, r]) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(groupId(id)));
    expect({
      // No inline rule: CloudFormation drops a group's default allow-all egress when its first
      // egress rule (here a separate AWS::EC2::SecurityGroupEgress) is added.
      inline,
      separate: separate.map((p) => [p.DestinationSecurityGroupId, p.FromPort, p.ToPort]),
    }).toEqual({
      inline: undefined,
      separate: [[groupId(serviceSecurityGroupId()), PORT, PORT]],
    });
  });
});

describe('ingress alb: network', () => {
  it('THEN the VPC has two public subnets, 10.0.1.0/24 and 10.0.2.0/24, in the first two AZs (no lookup)', () => {
    expect(
      resources('AWS::EC2::Subnet').map(([, r]) => [
        r.Properties.CidrBlock,
        r.Properties.AvailabilityZone,
      ]),
    ).toEqual([
      ['10.0.1.0/24', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
      ['10.0.2.0/24', { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }],
    ]);
  });

  it("THEN the first subnet is the public-ip template's, same logical ID and properties", () => {
    const publicIp = (
      JSON.parse(readFileSync(PUBLIC_IP_FIXTURE, 'utf8')).default[SERVICE_STACK] as {
        Resources: Record<string, { Type: string }>;
      }
    ).Resources;
    const [id, subnet] = found(
      Object.entries(publicIp).find(([, r]) => r.Type === 'AWS::EC2::Subnet'),
      "the public-ip template's subnet",
    );
    expect(alb.service.toJSON().Resources[id]).toEqual(subnet);
  });

  it('THEN the tasks run in both subnets and keep a public IP (image pulls, no NAT)', () => {
    const subnets = resources('AWS::EC2::Subnet').map(([id]) => ({ Ref: id }));
    expect(
      only('AWS::ECS::Service')[1].Properties.NetworkConfiguration.AwsvpcConfiguration,
    ).toMatchObject({
      AssignPublicIp: 'ENABLED',
      Subnets: subnets,
    });
  });
});

describe('ingress alb: service and autoscaling', () => {
  it('THEN the service has no DesiredCount: autoscaling owns the count and deploys keep it', () => {
    expect(only('AWS::ECS::Service')[1].Properties).not.toHaveProperty('DesiredCount');
  });

  it('THEN the service registers its container port in the target group, after the HTTPS listener exists', () => {
    const [, service] = only('AWS::ECS::Service');
    expect({
      loadBalancers: service.Properties.LoadBalancers,
      grace: service.Properties.HealthCheckGracePeriodSeconds,
      dependsOnListener: service.DependsOn?.includes(listener(443)[0]),
    }).toEqual({
      loadBalancers: [
        {
          ContainerName: 'hello-world',
          ContainerPort: PORT,
          TargetGroupArn: ref('AWS::ElasticLoadBalancingV2::TargetGroup'),
        },
      ],
      grace: 30,
      dependsOnListener: true,
    });
  });

  it("THEN the container's keep-alive outlasts the load balancer's idle timeout", () => {
    const [container] = only('AWS::ECS::TaskDefinition')[1].Properties.ContainerDefinitions;
    expect(container.Environment).toEqual([
      { Name: 'KEEP_ALIVE_TIMEOUT_MS', Value: String(ALB_KEEP_ALIVE_TIMEOUT_MS) },
    ]);
    expect(ALB_KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(ALB_IDLE_TIMEOUT_SECONDS * 1000);
  });

  it('THEN the scalable target spans minTasks to maxTasks through the ECS autoscaling service-linked role', () => {
    expect(only('AWS::ApplicationAutoScaling::ScalableTarget')[1].Properties).toMatchObject({
      MinCapacity: ALB.minTasks,
      MaxCapacity: ALB.maxTasks,
      ScalableDimension: 'ecs:service:DesiredCount',
      ServiceNamespace: 'ecs',
      RoleARN: {
        'Fn::Join': [
          '',
          expect.arrayContaining([
            ':role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
          ]),
        ],
      },
    });
  });

  it('THEN the service stack creates no IAM role or policy (the CI deploy role has no IAM write)', () => {
    expect(
      Object.values(alb.service.toJSON().Resources as Record<string, { Type: string }>)
        .map((r) => r.Type)
        .filter((type) => type.startsWith('AWS::IAM::')),
    ).toEqual([]);
  });

  it('THEN target tracking keeps CPU at scaleCpuPercent, scaling out after 1 minute and in after 5', () => {
    alb.service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: ALB.scaleCpuPercent,
        ScaleOutCooldown: 60,
        ScaleInCooldown: 300,
      },
    });
  });

  it("THEN target tracking keeps the target group's requests per target at scaleRequestsPerTarget", () => {
    alb.service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ALBRequestCountPerTarget',
          ResourceLabel: Match.anyValue(),
        },
        TargetValue: ALB.scaleRequestsPerTarget,
        ScaleOutCooldown: 60,
        ScaleInCooldown: 300,
      },
    });
    expect(resources('AWS::ApplicationAutoScaling::ScalingPolicy')).toHaveLength(2);
  });
});

describe('ingress alb: outputs and template', () => {
  it('THEN the stack outputs the mode, the name, the zone, the load balancer and the target group', () => {
    const outputs = alb.service.toJSON().Outputs;
    expect({
      mode: outputs[INGRESS_OUTPUTS.ingressMode].Value,
      domain: outputs[INGRESS_OUTPUTS.domainName].Value,
      zone: outputs[INGRESS_OUTPUTS.hostedZoneId].Value,
      dnsName: outputs[INGRESS_OUTPUTS.loadBalancerDnsName].Value,
      arn: outputs[INGRESS_OUTPUTS.loadBalancerArn].Value,
      targetGroup: outputs[INGRESS_OUTPUTS.targetGroupArn].Value,
    }).toEqual({
      mode: 'alb',
      domain: ALB.domainName,
      zone: ALB.hostedZoneId,
      dnsName: {
        'Fn::GetAtt': [logicalIdOf('AWS::ElasticLoadBalancingV2::LoadBalancer'), 'DNSName'],
      },
      arn: ref('AWS::ElasticLoadBalancingV2::LoadBalancer'),
      targetGroup: ref('AWS::ElasticLoadBalancingV2::TargetGroup'),
    });
  });

  it('THEN the stack outputs the configured zone name under its key, so the deploy can check the zone id names it', () => {
    expect(alb.service.toJSON().Outputs[INGRESS_OUTPUTS.hostedZoneName]).toEqual({
      Description: 'Name of that hosted zone',
      Value: 'example.com',
    });
  });

  it('THEN the template stays under the 51,200-byte limit for an inline template body', () => {
    expect(
      Buffer.byteLength(JSON.stringify(alb.assembly.getStackByName(SERVICE_STACK).template)),
    ).toBeLessThan(51_200);
  });

  it('THEN it needs no asset or bootstrap (no asset manifest, no BootstrapVersion)', () => {
    const artifacts = Object.values(alb.assembly.manifest.artifacts ?? {});
    expect({
      assetManifests: artifacts.filter((a) => a.type === 'cdk:asset-manifest').length,
      assets: alb.assembly.getStackByName(SERVICE_STACK).assets,
      bootstrap: alb.service.toJSON().Parameters?.BootstrapVersion,
    }).toEqual({ assetManifests: 0, assets: [], bootstrap: undefined });
  });

  it('THEN the description names what the stack holds', () => {
    expect(alb.service.toJSON().Description).toBe(
      'hello-world on ECS Fargate: VPC, two public subnets, HTTPS load balancer, cluster, autoscaled service, logs',
    );
  });

  it('THEN the registry stack is the public-ip one (the ingress adds nothing there)', () => {
    const fixture = JSON.parse(readFileSync(PUBLIC_IP_FIXTURE, 'utf8')).default;
    const registry = JSON.parse(
      JSON.stringify(alb.registry.toJSON(), (key, value) =>
        key === 'aws:cdk:path' ? undefined : value,
      ),
    );
    expect(registry).toEqual(fixture[`${SERVICE_STACK}-registry`]);
  });
});

describe('ingress alb: cdk-nag and Control Tower', () => {
  const report = () =>
    JSON.parse(readFileSync(join(alb.assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        pluginName: string;
        conclusion: string;
        violations: unknown[];
        suppressedViolations: { acknowledgedId: string; acknowledgedAt: string; reason: string }[];
      }[];
    };
  const suppressedAt = (plugin: number, path: string) =>
    report()
      .pluginReports[plugin].suppressedViolations.filter((v) => v.acknowledgedAt === path)
      .map((v) => v.acknowledgedId)
      .sort();

  it('THEN both pass with no unacknowledged finding', () => {
    expect(report().pluginReports.map((r) => [r.pluginName, r.conclusion, r.violations])).toEqual([
      ['AwsSolutions', 'success', []],
      ['cdk-validator-cfnguard', 'success', []],
    ]);
  });

  it('THEN the load balancer acknowledges access logs (no bucket) and deletion protection (destroy) only', () => {
    expect({
      nag: suppressedAt(0, `${SERVICE_STACK}/Alb/LoadBalancer`),
      controlTower: suppressedAt(1, `${SERVICE_STACK}/Alb/LoadBalancer`),
    }).toEqual({
      nag: ['AwsSolutions::AwsSolutions-ELB2'],
      controlTower: [
        'cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check',
        'cdk-validator-cfnguard::elbv2_logging_enabled_check',
      ],
    });
  });

  it("THEN AllowedIP's open default is acknowledged on the load balancer's group, no longer on the service's", () => {
    expect({
      alb: suppressedAt(0, `${SERVICE_STACK}/Alb/SecurityGroup`),
      service: suppressedAt(0, `${SERVICE_STACK}/Network/ServiceSecurityGroup`),
    }).toEqual({ alb: ['AwsSolutions::AwsSolutions-EC23'], service: [] });
  });

  it.each([
    ['ELB2', /S3 bucket.*does not create/],
    ['EC23', /80.*443.*AllowedIP/],
    ['VPC7', /load balancer's AllowedIP/],
  ])('THEN %s has a reason true of the alb design', (ruleId, why) => {
    const finding = report().pluginReports[0].suppressedViolations.find((v) =>
      v.acknowledgedId.endsWith(`AwsSolutions-${ruleId}`),
    );
    expect(finding?.reason).toMatch(why);
  });

  it.each([
    ['ecs_service_assign_public_ip_disabled_check', /only to reach ECR.*no NAT gateway/],
    ['subnet_auto_assign_public_ip_disabled_check', /load balancer run in it/],
    ['elbv2_deletion_protection_enabled_check', /infra:destroy/],
    ['elbv2_logging_enabled_check', /S3 bucket/],
  ])('THEN the Control Tower exemption %s has a reason true of the alb design', (rule, why) => {
    const finding = report().pluginReports[1].suppressedViolations.find((v) =>
      v.acknowledgedId.endsWith(`::${rule}`),
    );
    expect(finding?.reason).toMatch(why);
  });

  it('THEN with controlTower=strict it passes the Control Tower checks too', () => {
    expect(() => synthesizeApp({ ...ALB, controlTower: 'strict' })).not.toThrow();
  });
});

describe('ingress alb in a named environment', () => {
  it('GIVEN staging with ingress alb WHEN synthesized THEN its roles stack is the public-ip one', () => {
    const staging = synthesizeApp({ ...ALB, environment: 'staging' });
    const fixture = JSON.parse(readFileSync(PUBLIC_IP_FIXTURE, 'utf8')).staging;
    const roles = JSON.parse(
      JSON.stringify(found(staging.roles, 'the roles stack').toJSON(), (key, value) =>
        key === 'aws:cdk:path' ? undefined : value,
      ),
    );
    expect(roles).toEqual(fixture[`${SERVICE_STACK}-staging-roles`]);
  });
});
