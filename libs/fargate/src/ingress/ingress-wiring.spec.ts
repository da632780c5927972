import { INGRESS_OUTPUTS } from '@hello-world/shared';
import { synthesizeApp, type SynthesizedApp } from '../synth-for-test';

const RECORD = {
  domainName: 'hello.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.com',
};

const types = (template: { toJSON(): unknown }) =>
  Object.values(
    (template.toJSON() as { Resources: Record<string, { Type: string }> }).Resources,
  ).map((r) => r.Type);

describe('ingress dns, wired by app.ts', () => {
  let staging: SynthesizedApp;

  beforeAll(() => {
    // GIVEN a named environment with ingress dns  WHEN synthesized (nag and Control Tower run)
    staging = synthesizeApp({ ingress: 'dns', ...RECORD, environment: 'staging' });
  });

  it('THEN the service stack runs the updater function for the deployment and outputs the mode', () => {
    staging.service.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'hello-world-ecr-ecs-fargate-staging-dns',
      Environment: {
        Variables: {
          OWNER: 'hello-world-ecr-ecs-fargate-staging',
          DOMAIN_NAME: RECORD.domainName,
          HOSTED_ZONE_ID: RECORD.hostedZoneId,
        },
      },
    });
    expect(staging.service.toJSON().Outputs[INGRESS_OUTPUTS.ingressMode].Value).toBe('dns');
  });

  it("THEN the updater's role is in the environment's roles stack, none in the service stack", () => {
    if (!staging.roles) throw new Error('a named environment has a roles stack');
    const roleNames = Object.values(staging.roles.findResources('AWS::IAM::Role')).map(
      (r) => r.Properties.RoleName,
    );
    expect({
      roles: roleNames.filter((name: string) => name.endsWith('-dns')),
      service: types(staging.service).filter((type) => type.startsWith('AWS::IAM::')),
    }).toEqual({ roles: ['hello-world-ecr-ecs-fargate-staging-dns'], service: [] });
  });

  it('THEN the network is the public-ip one: one subnet, the port open to AllowedIP, no load balancer', () => {
    expect({
      subnets: types(staging.service).filter((type) => type === 'AWS::EC2::Subnet').length,
      loadBalancers: types(staging.service).filter((type) =>
        type.startsWith('AWS::ElasticLoadBalancingV2::'),
      ),
    }).toEqual({ subnets: 1, loadBalancers: [] });
    staging.service.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: { Ref: 'AllowedIP' }, FromPort: 49000, ToPort: 49000 }],
    });
  });

  it('THEN the description names the record updater', () => {
    expect(staging.service.toJSON().Description).toBe(
      'hello-world on ECS Fargate, environment staging: VPC, public subnet, cluster, service, DNS record updater, logs',
    );
  });
});

describe('ingress alb in a named environment, wired by app.ts', () => {
  it('GIVEN staging with ingress alb WHEN synthesized THEN its service stack has the load balancer and autoscaling, its description says so', () => {
    const staging = synthesizeApp({ ingress: 'alb', ...RECORD, environment: 'staging' });
    expect({
      loadBalancers: types(staging.service).filter(
        (type) => type === 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      ).length,
      scalableTargets: types(staging.service).filter(
        (type) => type === 'AWS::ApplicationAutoScaling::ScalableTarget',
      ).length,
      description: staging.service.toJSON().Description,
    }).toEqual({
      loadBalancers: 1,
      scalableTargets: 1,
      description:
        'hello-world on ECS Fargate, environment staging: VPC, two public subnets, HTTPS load balancer, cluster, autoscaled service, logs',
    });
  });
});
