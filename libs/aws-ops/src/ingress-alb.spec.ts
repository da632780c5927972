import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { checkAliasRecord, readScalingBounds, readTargetHealth } from './ingress-alb';
import { NAME } from './testing/fixtures';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  LB_DNS_NAME,
  TARGET_GROUP_ARN,
  aRecord,
  aliasRecord,
  hostedZone,
  scalableTarget,
  targetHealth,
} from './testing/ingress-fixtures';

const elbMock = mockClient(ElasticLoadBalancingV2Client);
const scalingMock = mockClient(ApplicationAutoScalingClient);
const route53Mock = mockClient(Route53Client);
const ref = { cluster: NAME, service: NAME };
const alias = {
  hostedZoneId: HOSTED_ZONE_ID,
  domainName: DOMAIN,
  loadBalancerDnsName: LB_DNS_NAME,
};

beforeEach(() => {
  elbMock.reset();
  scalingMock.reset();
  route53Mock.reset();
});

describe('readTargetHealth', () => {
  it('GIVEN a healthy and an unhealthy target THEN each with its state, reason and description', async () => {
    elbMock.on(DescribeTargetHealthCommand, { TargetGroupArn: TARGET_GROUP_ARN }).resolves({
      TargetHealthDescriptions: [
        targetHealth('10.0.1.23', 'healthy'),
        targetHealth(
          '10.0.2.45',
          'unhealthy',
          'Target.ResponseCodeMismatch',
          'Health checks failed with these codes: [503]',
        ),
      ],
    });
    expect(await readTargetHealth(new ElasticLoadBalancingV2Client({}), TARGET_GROUP_ARN)).toEqual([
      { id: '10.0.1.23', port: 49000, availabilityZone: 'eu-west-1a', state: 'healthy' },
      {
        id: '10.0.2.45',
        port: 49000,
        availabilityZone: 'eu-west-1a',
        state: 'unhealthy',
        reason: 'Target.ResponseCodeMismatch',
        description: 'Health checks failed with these codes: [503]',
      },
    ]);
  });

  it('GIVEN no registered target THEN an empty list', async () => {
    elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [] });
    expect(await readTargetHealth(new ElasticLoadBalancingV2Client({}), TARGET_GROUP_ARN)).toEqual(
      [],
    );
  });
});

describe('readScalingBounds', () => {
  it('GIVEN the service scalable target THEN its min and max, asked for by its resource id', async () => {
    scalingMock
      .on(DescribeScalableTargetsCommand)
      .resolves({ ScalableTargets: [scalableTarget(2, 6)] });
    const bounds = await readScalingBounds(new ApplicationAutoScalingClient({}), ref);
    expect(bounds).toEqual({ minTasks: 2, maxTasks: 6, suspended: false });
    expect(scalingMock.commandCalls(DescribeScalableTargetsCommand)[0].args[0].input).toEqual({
      ServiceNamespace: 'ecs',
      ResourceIds: [`service/${NAME}/${NAME}`],
      ScalableDimension: 'ecs:service:DesiredCount',
    });
  });

  it('GIVEN scaling in suspended by hand THEN suspended', async () => {
    scalingMock.on(DescribeScalableTargetsCommand).resolves({
      ScalableTargets: [
        {
          ...scalableTarget(),
          SuspendedState: {
            DynamicScalingInSuspended: true,
            DynamicScalingOutSuspended: false,
            ScheduledScalingSuspended: false,
          },
        },
      ],
    });
    expect((await readScalingBounds(new ApplicationAutoScalingClient({}), ref))?.suspended).toBe(
      true,
    );
  });

  it('GIVEN no scalable target THEN undefined', async () => {
    scalingMock.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    expect(await readScalingBounds(new ApplicationAutoScalingClient({}), ref)).toBeUndefined();
  });
});

describe('checkAliasRecord', () => {
  it('GIVEN the alias Route 53 stores (dualstack., lowercase, trailing dot) THEN points here', async () => {
    route53Mock.on(ListResourceRecordSetsCommand).callsFake(hostedZone([aliasRecord()]));
    expect(await checkAliasRecord(new Route53Client({}), alias)).toEqual({ state: 'points-here' });
  });

  it('GIVEN no A record at the domain THEN missing', async () => {
    route53Mock
      .on(ListResourceRecordSetsCommand)
      .callsFake(hostedZone([aRecord(['198.51.100.1'], 'www.example.com')]));
    expect(await checkAliasRecord(new Route53Client({}), alias)).toEqual({ state: 'missing' });
  });

  it('GIVEN an alias to another load balancer THEN elsewhere, naming it', async () => {
    const other = 'other-Alb-0A0B0C0D0E0F-987654321.eu-west-1.elb.amazonaws.com';
    route53Mock.on(ListResourceRecordSetsCommand).callsFake(hostedZone([aliasRecord(other)]));
    expect(await checkAliasRecord(new Route53Client({}), alias)).toEqual({
      state: 'elsewhere',
      target: `alias dualstack.${other.toLowerCase()}.`,
    });
  });

  it('GIVEN a plain A record at the domain THEN elsewhere, naming its values', async () => {
    route53Mock
      .on(ListResourceRecordSetsCommand)
      .callsFake(hostedZone([aRecord(['54.170.12.99'])]));
    expect(await checkAliasRecord(new Route53Client({}), alias)).toEqual({
      state: 'elsewhere',
      target: 'A 54.170.12.99',
    });
  });
});
