import {
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type GetHostedZoneResponse,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { awsError } from '@hello-world/aws-ops/testing';
import {
  DEPLOYMENT,
  DOMAIN,
  HOSTED_ZONE_ID,
  ZONE_NAME,
  aRecordSet,
  listRecordSets,
  ownerRecordSet,
  zoneApexRecordSets,
} from '@hello-world/dns-updater/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigError } from '../config';
import {
  checkIngress,
  readLiveIngress,
  readTemplateIngress,
  type DeployIngress,
  type LiveIngress,
} from './ingress-preflight';

const route53 = mockClient(Route53Client);
const CONTEXT = { project: 'infra', owner: DEPLOYMENT, region: 'eu-west-1' };
const DNS: DeployIngress = { mode: 'dns', domainName: DOMAIN, hostedZoneId: HOSTED_ZONE_ID };
const ALB: DeployIngress = { ...DNS, mode: 'alb' };
/** The live alb stack's load balancer, as its LoadBalancerDnsName output names it. */
const ALB_DNS_NAME = 'hello-w-Alb16-1A2B3C4D5E6F-1234567890.eu-west-1.elb.amazonaws.com';
const LIVE_ALB: LiveIngress = { mode: 'alb', loadBalancerDnsName: ALB_DNS_NAME };

/** GetHostedZone's answer for a public zone (the Route 53 API reference's example, trimmed). */
function hostedZone(name = `${ZONE_NAME}.`, privateZone = false): GetHostedZoneResponse {
  return {
    HostedZone: {
      Id: `/hostedzone/${HOSTED_ZONE_ID}`,
      Name: name,
      CallerReference: 'RISWorkflow-RD:7c8b5f0e-2a3d-4e1f-9b6c-5d4e3f2a1b0c',
      Config: { Comment: '', PrivateZone: privateZone },
      ResourceRecordSetCount: 2,
    },
    DelegationSet: {
      NameServers: [
        'ns-1536.awsdns-00.co.uk',
        'ns-0.awsdns-00.com',
        'ns-1024.awsdns-00.org',
        'ns-512.awsdns-00.net',
      ],
    },
  };
}

/** The load balancer's alias A record, as CloudFormation's AWS::Route53::RecordSet leaves it. */
function aliasRecordSet(dnsName = ALB_DNS_NAME): ResourceRecordSet {
  return {
    Name: `${DOMAIN}.`,
    Type: 'A',
    AliasTarget: {
      HostedZoneId: 'Z32O12XQLNTSW2',
      DNSName: `dualstack.${dnsName.toLowerCase()}.`,
      EvaluateTargetHealth: false,
    },
  };
}

/** The zone Z… (example.com) holding its NS and SOA records plus `records`. */
function arrangeZone(records: ResourceRecordSet[] = [], zone = hostedZone()): void {
  route53.reset();
  route53.on(GetHostedZoneCommand, { Id: HOSTED_ZONE_ID }).resolves(zone);
  route53
    .on(ListResourceRecordSetsCommand)
    .callsFake(listRecordSets([...zoneApexRecordSets(), ...records]));
}

const check = (ingress: DeployIngress, live?: LiveIngress) =>
  checkIngress(new Route53Client({ region: 'us-east-1' }), ingress, live, CONTEXT);

beforeEach(() => arrangeZone());

describe('readTemplateIngress', () => {
  const PATH = 'cdk.out/hello-world-ecr-ecs-fargate.template.json';

  it('GIVEN a template without an IngressMode output THEN it is public-ip', () => {
    expect(readTemplateIngress({ Outputs: { ECSClusterName: { Value: 'x' } } }, PATH)).toEqual({
      mode: 'public-ip',
    });
  });

  it('GIVEN a dns template THEN its domain (normalized) and hosted zone id', () => {
    const template = {
      Outputs: {
        IngressMode: { Value: 'dns' },
        DomainName: { Value: 'API.Example.com.' },
        HostedZoneId: { Value: HOSTED_ZONE_ID },
      },
    };
    expect(readTemplateIngress(template, PATH)).toEqual({
      mode: 'dns',
      domainName: 'api.example.com',
      hostedZoneId: HOSTED_ZONE_ID,
    });
  });

  it('GIVEN a HostedZoneName output THEN the zone name (normalized) too, for the zone check', () => {
    const template = {
      Outputs: {
        IngressMode: { Value: 'alb' },
        DomainName: { Value: 'api.example.com' },
        HostedZoneId: { Value: HOSTED_ZONE_ID },
        HostedZoneName: { Value: 'Example.COM.' },
      },
    };
    expect(readTemplateIngress(template, PATH)).toEqual({
      mode: 'alb',
      domainName: 'api.example.com',
      hostedZoneId: HOSTED_ZONE_ID,
      hostedZoneName: 'example.com',
    });
  });

  it('GIVEN a mode this version does not know THEN a ConfigError saying to synth again', () => {
    expect(() => readTemplateIngress({ Outputs: { IngressMode: { Value: 'nlb' } } }, PATH)).toThrow(
      new ConfigError(
        `${PATH}'s IngressMode output is "nlb", not public-ip, dns or alb: synth again with the tools of this version`,
      ),
    );
  });

  it('GIVEN an alb template without its DomainName output THEN a ConfigError naming it', () => {
    const template = {
      Outputs: { IngressMode: { Value: 'alb' }, HostedZoneId: { Value: HOSTED_ZONE_ID } },
    };
    expect(() => readTemplateIngress(template, PATH)).toThrow(
      new ConfigError(`${PATH} is ingress alb but has no literal DomainName output: synth again`),
    );
  });
});

describe('checkIngress: the hosted zone', () => {
  it('GIVEN public-ip THEN nothing is checked and Route 53 is not called', async () => {
    expect(await check({ mode: 'public-ip' })).toBeUndefined();
    expect(route53.calls()).toHaveLength(0);
  });

  it('GIVEN a hosted zone id this account does not have THEN one line saying to check HOSTED_ZONE_ID, exit 2', async () => {
    route53
      .on(GetHostedZoneCommand)
      .rejects(awsError('NoSuchHostedZone', `No hosted zone found with ID: ${HOSTED_ZONE_ID}`));
    expect(await check(DNS)).toEqual({
      ok: false,
      exitCode: 2,
      message: `hosted zone ${HOSTED_ZONE_ID} does not exist in this account: check HOSTED_ZONE_ID (the zone's id in the Route 53 console, e.g. Z0123456789ABCDEFGHIJ) and the account you deploy to`,
    });
  });

  it('GIVEN an identity that may not read the zone THEN one line naming the permission, exit 2', async () => {
    route53
      .on(GetHostedZoneCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::123456789012:assumed-role/hello-world-ci-deploy/GitHubActions is not authorized to perform: route53:GetHostedZone on resource: arn:aws:route53:::hostedzone/${HOSTED_ZONE_ID} because no identity-based policy allows the route53:GetHostedZone action`,
          { $metadata: { httpStatusCode: 403 } },
        ),
      );
    expect(await check(DNS)).toEqual({
      ok: false,
      exitCode: 2,
      message: `cannot check hosted zone ${HOSTED_ZONE_ID} before deploying: your AWS identity may not call route53:GetHostedZone; add it to the deploy role's (or your) IAM policy`,
    });
  });

  it('GIVEN a private hosted zone THEN refused: the internet cannot resolve the name', async () => {
    arrangeZone([], hostedZone(`${ZONE_NAME}.`, true));
    expect(await check(DNS)).toMatchObject({
      ok: false,
      exitCode: 2,
      message: `hosted zone ${HOSTED_ZONE_ID} (example.com) is private: the internet cannot resolve api.example.com in it; set HOSTED_ZONE_ID to a public zone's id`,
    });
  });

  it('GIVEN a HOSTED_ZONE_NAME other than the zone the id names THEN refused naming both', async () => {
    expect(await check({ ...DNS, hostedZoneName: 'example.org' })).toMatchObject({
      ok: false,
      message: `hosted zone ${HOSTED_ZONE_ID} is example.com, not example.org: set HOSTED_ZONE_NAME=example.com, or HOSTED_ZONE_ID to example.org's zone`,
    });
  });

  it('GIVEN a HOSTED_ZONE_NAME written with a trailing dot and capitals THEN it matches the zone', async () => {
    arrangeZone([], hostedZone('Example.COM.'));
    expect(await check({ ...DNS, hostedZoneName: 'example.com' })).toEqual({
      ok: true,
      zoneName: 'example.com',
    });
  });

  it('GIVEN a DOMAIN_NAME outside the zone the id names THEN refused naming the zone, no record read', async () => {
    expect(await check({ ...DNS, domainName: 'api.example.org' })).toMatchObject({
      ok: false,
      exitCode: 2,
      message: `DOMAIN_NAME api.example.org is not in hosted zone ${HOSTED_ZONE_ID} (example.com): set a DOMAIN_NAME ending in .example.com, or HOSTED_ZONE_ID and HOSTED_ZONE_NAME to the zone of api.example.org`,
    });
    expect(route53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(0);
  });
});

describe('checkIngress: dns mode, the record is this deployment’s or free', () => {
  it('GIVEN no record at the name THEN it may go ahead', async () => {
    expect(await check(DNS)).toEqual({ ok: true, zoneName: 'example.com' });
  });

  it('GIVEN an A record at the name without the owner TXT THEN refused naming it, exit 2', async () => {
    arrangeZone([aRecordSet(['198.51.100.20'])]);
    expect(await check(DNS)).toEqual({
      ok: false,
      exitCode: 2,
      message: `api.example.com already has an A record (198.51.100.20), which is not this deployment's (no TXT "ecs-owner=${DEPLOYMENT}" at _ecs-owner.api.example.com): pick another DOMAIN_NAME, or delete that record if it is a leftover, then deploy again`,
    });
  });

  it('GIVEN the A record and this deployment’s owner TXT THEN it may go ahead (a redeploy)', async () => {
    arrangeZone([aRecordSet(['54.170.12.34']), ownerRecordSet()]);
    expect(await check(DNS)).toEqual({ ok: true, zoneName: 'example.com' });
  });

  it('GIVEN another deployment’s owner TXT at the name THEN refused naming that deployment', async () => {
    arrangeZone([ownerRecordSet('greeter-ecr-ecs-fargate')]);
    expect(await check(DNS)).toMatchObject({
      ok: false,
      message:
        'api.example.com is claimed by another deployment (TXT "ecs-owner=greeter-ecr-ecs-fargate" at _ecs-owner.api.example.com): pick another DOMAIN_NAME, or delete both records if that deployment is gone',
    });
  });

  it('GIVEN an owner TXT naming this deployment and another THEN refused: the updater leaves a shared name alone', async () => {
    arrangeZone([
      {
        ...ownerRecordSet(),
        ResourceRecords: [
          { Value: `"ecs-owner=${DEPLOYMENT}"` },
          { Value: '"ecs-owner=greeter-ecr-ecs-fargate"' },
        ],
      },
    ]);
    expect(await check(DNS)).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^api\.example\.com is claimed by another deployment \(TXT "ecs-owner=greeter-ecr-ecs-fargate"/,
      ),
    });
  });

  it('GIVEN a CNAME at the name beside this deployment’s TXT THEN refused: the updater keeps only A', async () => {
    arrangeZone([
      { Name: `${DOMAIN}.`, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'example.net' }] },
      ownerRecordSet(),
    ]);
    expect(await check(DNS)).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^api\.example\.com already has a CNAME record \(example\.net\)/,
      ),
    });
  });

  it('GIVEN a live alb stack whose alias is at the name THEN the switch to dns may go ahead', async () => {
    arrangeZone([aliasRecordSet()]);
    expect(await check(DNS, LIVE_ALB)).toEqual({ ok: true, zoneName: 'example.com' });
  });
});

describe('checkIngress: alb mode, nothing at the name but this stack’s alias', () => {
  it('GIVEN the zone apex, which holds only NS and SOA THEN it may go ahead', async () => {
    expect(await check({ ...ALB, domainName: ZONE_NAME })).toEqual({
      ok: true,
      zoneName: 'example.com',
    });
  });

  it('GIVEN the live alb stack’s own alias at the name THEN it may go ahead (a redeploy)', async () => {
    arrangeZone([aliasRecordSet()]);
    expect(await check(ALB, LIVE_ALB)).toEqual({ ok: true, zoneName: 'example.com' });
  });

  it('GIVEN an alias to another load balancer THEN refused: CloudFormation would fail mid-update', async () => {
    arrangeZone([aliasRecordSet('other-alb-987654321.eu-west-1.elb.amazonaws.com')]);
    expect(await check(ALB, LIVE_ALB)).toEqual({
      ok: false,
      exitCode: 2,
      message:
        "api.example.com already has an A record (alias dualstack.other-alb-987654321.eu-west-1.elb.amazonaws.com), and CloudFormation would fail creating the load balancer's alias there mid-update: pick another DOMAIN_NAME, or delete that record if it is a leftover, then deploy again",
    });
  });

  it('GIVEN this environment’s dns-mode record THEN refused with the order that avoids the race', async () => {
    arrangeZone([aRecordSet(['54.170.12.34']), ownerRecordSet()]);
    expect(await check(ALB, { mode: 'dns' })).toMatchObject({
      ok: false,
      message: `api.example.com holds this environment's dns-mode A record, which the load balancer's alias cannot replace: deploy with INGRESS=public-ip first (removes its updater), delete the A record api.example.com and the TXT _ecs-owner.api.example.com in the zone, then deploy with INGRESS=alb`,
    });
  });
});

describe('readLiveIngress', () => {
  const STACK = 'hello-world-ecr-ecs-fargate';

  it('GIVEN a stack deployed before the setting (no IngressMode output) THEN public-ip', () => {
    expect(readLiveIngress({ ECSClusterName: STACK }, STACK)).toEqual({ mode: 'public-ip' });
  });

  it('GIVEN an alb stack THEN alb with its load balancer’s DNS name', () => {
    expect(
      readLiveIngress(
        { IngressMode: 'alb', DomainName: DOMAIN, LoadBalancerDnsName: ALB_DNS_NAME },
        STACK,
      ),
    ).toEqual({ mode: 'alb', loadBalancerDnsName: ALB_DNS_NAME });
  });

  it('GIVEN a mode this version does not know THEN a ConfigError saying to update the tools', () => {
    expect(() => readLiveIngress({ IngressMode: 'nlb' }, STACK)).toThrow(
      new ConfigError(
        `${STACK}'s IngressMode output is "nlb", which this version of the tools does not know: update them (git pull, npm ci)`,
      ),
    );
  });
});
