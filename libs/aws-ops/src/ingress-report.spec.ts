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
import { IngressInfo } from './ingress';
import { readIngressReport } from './ingress-report';
import { NAME, TASK_ARN, awsError } from './testing/fixtures';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  LB_DNS_NAME,
  OWNER,
  TARGET_GROUP_ARN,
  aRecord,
  aliasRecord,
  hostedZone,
  ownerRecord,
  scalableTarget,
  targetHealth,
} from './testing/ingress-fixtures';
import type { TaskSummary } from './tasks';

const route53Mock = mockClient(Route53Client);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const scalingMock = mockClient(ApplicationAutoScalingClient);
const clients = {
  route53: new Route53Client({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
  autoScaling: new ApplicationAutoScalingClient({}),
};
const ref = { cluster: NAME, service: NAME };
const options = {
  region: 'eu-west-1',
  port: 49000,
  owner: OWNER,
  updater: { function: `${NAME}-dns`, logGroup: `/aws/lambda/${NAME}-dns` },
};
const dns: IngressInfo = { mode: 'dns', domainName: DOMAIN, hostedZoneId: HOSTED_ZONE_ID };
const alb: IngressInfo = {
  mode: 'alb',
  domainName: DOMAIN,
  hostedZoneId: HOSTED_ZONE_ID,
  loadBalancerDnsName: LB_DNS_NAME,
  targetGroupArn: TARGET_GROUP_ARN,
};

function running(...ips: string[]): TaskSummary[] {
  return ips.map((publicIp, i) => ({
    taskArn: `${TASK_ARN}${i}`,
    taskId: `task${i}`,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    publicIp,
    containers: [],
  }));
}

function zone(...records: Parameters<typeof hostedZone>[0]) {
  route53Mock.on(ListResourceRecordSetsCommand).callsFake(hostedZone(records));
}

beforeEach(() => {
  route53Mock.reset();
  elbMock.reset();
  scalingMock.reset();
});

describe('readIngressReport: public-ip', () => {
  it('GIVEN a public-ip stack THEN nothing is read', async () => {
    const report = await readIngressReport(clients, { mode: 'public-ip' }, ref, [], options);
    expect(report).toEqual({ mode: 'public-ip' });
    expect(route53Mock.calls()).toHaveLength(0);
  });
});

describe('readIngressReport: dns', () => {
  it('GIVEN our record holding the running tasks IPs THEN it matches and nothing is found', async () => {
    zone(aRecord(['54.170.12.34']), ownerRecord());
    const report = await readIngressReport(clients, dns, ref, running('54.170.12.34'), options);
    expect(report).toMatchObject({
      mode: 'dns',
      url: 'http://api.example.com:49000/',
      record: { matches: true, taskIps: ['54.170.12.34'] },
      findings: [],
      passed: [`dns record ${DOMAIN} holds the running tasks' IPs (54.170.12.34)`],
    });
  });

  it('GIVEN tasks running and no record THEN an error naming the updater log group', async () => {
    zone();
    const report = await readIngressReport(clients, dns, ref, running('54.170.12.34'), options);
    expect(report.mode === 'dns' && report.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'dns-record-missing',
        fix: expect.stringContaining(`aws logs tail /aws/lambda/${NAME}-dns`),
      }),
    ]);
  });

  it('GIVEN our record holding the old task IP only THEN a stale-record error', async () => {
    zone(aRecord(['34.240.1.2']), ownerRecord());
    const report = await readIngressReport(clients, dns, ref, running('54.170.12.34'), options);
    expect(report.mode === 'dns' && report.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'dns-record-stale',
        what: `the dns record ${DOMAIN} disagrees with the running tasks: it sends users to no task`,
      }),
    ]);
  });

  it('GIVEN our record missing one of two tasks THEN a warning: the other task serves', async () => {
    zone(aRecord(['54.170.12.34']), ownerRecord());
    const report = await readIngressReport(
      clients,
      dns,
      ref,
      running('54.170.12.34', '34.240.1.2'),
      options,
    );
    expect(report.mode === 'dns' && report.findings.map((f) => [f.severity, f.code])).toEqual([
      ['warning', 'dns-record-stale'],
    ]);
  });

  it('GIVEN our record while no task runs THEN a warning about released IPs', async () => {
    zone(aRecord(['34.240.1.2']), ownerRecord());
    const report = await readIngressReport(clients, dns, ref, [], options);
    expect(report.mode === 'dns' && report.findings[0]?.what).toBe(
      `the dns record ${DOMAIN} still points at 34.240.1.2 while no task runs: released IPs someone else may get`,
    );
  });

  it('GIVEN an A record owned by another deployment THEN an error saying the updater leaves it alone', async () => {
    zone(aRecord(['54.170.12.34']), ownerRecord('someone-else'));
    const report = await readIngressReport(clients, dns, ref, running('54.170.12.34'), options);
    expect(report.mode === 'dns' && report.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'dns-record-foreign',
        evidence: [
          `A ${DOMAIN}: 54.170.12.34`,
          `TXT _ecs-owner.${DOMAIN}: another owner`,
          "running tasks' public IPs: 54.170.12.34",
        ],
      }),
    ]);
  });

  it('GIVEN Route 53 denies the read THEN an INFO finding instead of the record', async () => {
    route53Mock
      .on(ListResourceRecordSetsCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: route53:ListResourceRecordSets on resource: arn:aws:route53:::hostedzone/${HOSTED_ZONE_ID}`,
        ),
      );
    const report = await readIngressReport(clients, dns, ref, running('54.170.12.34'), options);
    expect(report).toMatchObject({
      mode: 'dns',
      findings: [{ severity: 'info', code: 'ingress-unreadable' }],
    });
    expect(report.mode === 'dns' && report.record).toBeUndefined();
  });
});

describe('readIngressReport: alb', () => {
  function healthyAlb() {
    zone(aliasRecord());
    scalingMock
      .on(DescribeScalableTargetsCommand)
      .resolves({ ScalableTargets: [scalableTarget(1, 4)] });
    elbMock.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        targetHealth('10.0.1.23', 'healthy'),
        targetHealth('10.0.2.45', 'healthy'),
      ],
    });
  }

  it('GIVEN healthy targets, scaling and the alias THEN no finding, and each said passed', async () => {
    healthyAlb();
    const report = await readIngressReport(
      clients,
      alb,
      ref,
      running('1.1.1.1', '2.2.2.2'),
      options,
    );
    expect(report).toMatchObject({
      mode: 'alb',
      url: 'https://api.example.com/',
      loadBalancerDnsName: LB_DNS_NAME,
      scaling: { minTasks: 1, maxTasks: 4 },
      alias: { state: 'points-here' },
      findings: [],
      passed: [
        'load balancer targets: 2 of 2 healthy',
        `${DOMAIN} is an alias to the load balancer`,
      ],
    });
  });

  it('GIVEN one of two targets failing its health check THEN a warning with the reason', async () => {
    healthyAlb();
    elbMock.on(DescribeTargetHealthCommand).resolves({
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
    const report = await readIngressReport(
      clients,
      alb,
      ref,
      running('1.1.1.1', '2.2.2.2'),
      options,
    );
    expect(report.mode === 'alb' && report.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'alb-target-unhealthy',
        what: 'load balancer target 10.0.2.45:49000 is unhealthy (1 of 2 healthy serve meanwhile)',
        evidence: [
          'Target.ResponseCodeMismatch: Health checks failed with these codes: [503]',
          'availability zone eu-west-1a',
        ],
      }),
    ]);
  });

  it('GIVEN every target timing out THEN an error per target', async () => {
    healthyAlb();
    elbMock.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        targetHealth('10.0.1.23', 'unhealthy', 'Target.Timeout', 'Request timed out'),
      ],
    });
    const report = await readIngressReport(clients, alb, ref, running('1.1.1.1'), options);
    expect(report.mode === 'alb' && report.findings.map((f) => [f.severity, f.code])).toEqual([
      ['error', 'alb-target-unhealthy'],
    ]);
  });

  it('GIVEN no alias record at the domain THEN an error: it does not resolve to the load balancer', async () => {
    healthyAlb();
    zone();
    const report = await readIngressReport(clients, alb, ref, running('1.1.1.1'), options);
    expect(report.mode === 'alb' && report.findings).toEqual([
      expect.objectContaining({ severity: 'error', code: 'alb-alias-missing' }),
    ]);
  });

  it('GIVEN target health denied THEN an INFO finding and the scaling still shown', async () => {
    healthyAlb();
    elbMock
      .on(DescribeTargetHealthCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: elasticloadbalancing:DescribeTargetHealth because no identity-based policy allows the elasticloadbalancing:DescribeTargetHealth action',
        ),
      );
    const report = await readIngressReport(clients, alb, ref, running('1.1.1.1'), options);
    expect(report).toMatchObject({
      scaling: { minTasks: 1, maxTasks: 4 },
      findings: [{ severity: 'info', code: 'ingress-unreadable' }],
    });
  });
});
