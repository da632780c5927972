import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import {
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
} from '@aws-sdk/client-route-53';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  LB_DNS_NAME,
  NAME,
  DEPLOYMENT_ID,
  PUBLIC_IP,
  aRecord,
  albStack,
  aliasRecord,
  arrangeHealthyDeployment,
  dnsStack,
  hostedZone,
  mockAwsClients,
  ownerRecord,
  scalableTarget,
  service,
  stack,
  targetHealth,
} from '@hello-world/aws-ops/testing';
import { opsHarness, type OpsHarness } from './ops-harness-for-test';
import { OpsDeps, runOps } from './run';

const aws = mockAwsClients();
const DNS_URL = `http://${DOMAIN}:49000/`;
const ALB_URL = `https://${DOMAIN}/`;

function harness(overrides: Partial<OpsDeps> = {}): OpsHarness {
  return opsHarness(aws.clients(), overrides);
}

function zone(...records: Parameters<typeof hostedZone>[0]) {
  aws.route53.on(ListResourceRecordSetsCommand).callsFake(hostedZone(records));
}

/** The healthy deployment, its service stack in dns mode, its record holding the task's IP. */
function arrangeDns() {
  arrangeHealthyDeployment(aws);
  aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [dnsStack()] });
  zone(aRecord([PUBLIC_IP]), ownerRecord());
}

/** The healthy deployment in alb mode: alias in place, one healthy target, 1 to 4 tasks. */
function arrangeAlb() {
  arrangeHealthyDeployment(aws);
  aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [albStack()] });
  zone(aliasRecord());
  aws.elbv2
    .on(DescribeTargetHealthCommand)
    .resolves({ TargetHealthDescriptions: [targetHealth('10.0.1.23', 'healthy')] });
  aws.autoScaling
    .on(DescribeScalableTargetsCommand)
    .resolves({ ScalableTargets: [scalableTarget(1, 4)] });
}

/** The service stack deletes at once (DELETE_COMPLETE on the first poll). */
function deletable() {
  aws.cfn
    .on(DescribeStacksCommand, { StackName: stack().StackId })
    .resolves({ Stacks: [{ ...stack(), StackStatus: 'DELETE_COMPLETE' }] });
  aws.cfn.on(DeleteStackCommand).resolves({});
  aws.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  aws.route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING', SubmittedAt: new Date() },
  });
}

describe('url of a public-ip stack', () => {
  beforeEach(() => arrangeHealthyDeployment(aws));

  it('GIVEN a stack without IngressMode THEN no Route 53, load balancer or scaling call', async () => {
    const h = harness();
    expect(await runOps(['url'], h.deps)).toBe(0);
    expect(h.out).toEqual([`http://${PUBLIC_IP}:49000`]);
    expect([...aws.route53.calls(), ...aws.elbv2.calls(), ...aws.autoScaling.calls()]).toEqual([]);
  });
});

describe('url of a dns stack', () => {
  beforeEach(arrangeDns);

  it('GIVEN the record holds the task IP THEN the name on stdout, the match on stderr', async () => {
    const h = harness();
    expect(await runOps(['url'], h.deps)).toBe(0);
    expect(h.out).toEqual([DNS_URL]);
    expect(h.err).toEqual([`the dns record ${DOMAIN} holds the running tasks' IPs (${PUBLIC_IP})`]);
  });

  it('GIVEN the record still holds the previous task IP THEN the name still, and ERROR on stderr', async () => {
    zone(aRecord(['34.240.1.2']), ownerRecord());
    const h = harness();
    expect(await runOps(['url'], h.deps)).toBe(0);
    expect(h.out).toEqual([DNS_URL]);
    expect(h.err[0]).toMatch(
      new RegExp(`^ERROR the dns record ${DOMAIN} disagrees with the running tasks: `),
    );
  });

  it('GIVEN --json THEN the URL, the mode and the record', async () => {
    const h = harness();
    expect(await runOps(['url', '--json'], h.deps)).toBe(0);
    expect(JSON.parse(h.out.join('\n'))).toEqual({
      mode: 'dns',
      url: DNS_URL,
      domainName: DOMAIN,
      record: {
        domainName: DOMAIN,
        hostedZoneId: HOSTED_ZONE_ID,
        record: { values: [PUBLIC_IP], ttl: 60, owner: 'ours', exists: true },
        taskIps: [PUBLIC_IP],
        matches: true,
      },
    });
  });
});

describe('url of an alb stack', () => {
  beforeEach(arrangeAlb);

  it('GIVEN an alb stack THEN the HTTPS name, without looking at tasks', async () => {
    const h = harness();
    expect(await runOps(['url'], h.deps)).toBe(0);
    expect(h.out).toEqual([ALB_URL]);
    expect(aws.ecs.calls()).toHaveLength(0);
  });
});

describe('status of a dns stack', () => {
  beforeEach(arrangeDns);

  it('GIVEN the record holds the task IP THEN the name as URL, the mode, record and tasks, exit 0', async () => {
    const h = harness();
    expect(await runOps(['status'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain(
      [
        `URL: ${DNS_URL} (answers from here)`,
        `Ingress: dns, record ${DOMAIN} in hosted zone ${HOSTED_ZONE_ID}`,
        `  record: ${PUBLIC_IP} (TTL 60, this deployment's)`,
        `  tasks:  ${PUBLIC_IP}`,
        '  matches the running tasks',
      ].join('\n'),
    );
  });

  it('GIVEN a record owned by another deployment THEN ERROR under the mode and exit 1', async () => {
    zone(aRecord([PUBLIC_IP]), ownerRecord('someone-else'));
    const h = harness();
    expect(await runOps(['status'], h.deps)).toBe(1);
    const text = h.out.join('\n');
    expect(text).toContain('  does NOT match the running tasks');
    expect(text).toContain(
      `  ERROR the dns record ${DOMAIN} is not this deployment's: the dns updater ${NAME}-dns leaves it alone`,
    );
  });
});

describe('status of an alb stack', () => {
  beforeEach(arrangeAlb);

  it('GIVEN an unhealthy target among two THEN the counts, its reason, the scaling bounds, exit 0', async () => {
    aws.elbv2.on(DescribeTargetHealthCommand).resolves({
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
    const h = harness();
    expect(await runOps(['status'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain(
      [
        `URL: ${ALB_URL} (answers from here)`,
        `Ingress: alb, load balancer ${LB_DNS_NAME}`,
        '  targets: 1 of 2 healthy (1 unhealthy)',
        '  scaling: 1 to 4 tasks (desired now 1)',
        `  ${DOMAIN} is an alias to it`,
        '  WARN load balancer target 10.0.2.45:49000 is unhealthy (1 of 2 healthy serve meanwhile) (Target.ResponseCodeMismatch: Health checks failed with these codes: [503]): the service answers its health check with another status than 200: `npx nx run infra:logs` shows why',
      ].join('\n'),
    );
  });

  it('GIVEN --json THEN the ingress report is in it', async () => {
    const h = harness();
    expect(await runOps(['status', '--json'], h.deps)).toBe(0);
    expect(JSON.parse(h.out.join('\n'))).toMatchObject({
      url: ALB_URL,
      ingress: {
        mode: 'alb',
        loadBalancerDnsName: LB_DNS_NAME,
        scaling: { minTasks: 1, maxTasks: 4, suspended: false },
        targets: [{ id: '10.0.1.23', state: 'healthy' }],
      },
    });
  });
});

describe('redeploy of an alb stack', () => {
  beforeEach(arrangeAlb);

  it('GIVEN the rollout completes THEN the HTTPS name is printed and probed, not the task IP', async () => {
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service() });
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service()] });
    const probed: string[] = [];
    const h = harness({
      probe: async (url) => {
        probed.push(url);
        return { ok: true, status: 200 };
      },
    });
    expect(await runOps(['redeploy'], h.deps)).toBe(0);
    expect(h.out).toEqual([`deployed ${DEPLOYMENT_ID}: ${ALB_URL}`]);
    expect(probed).toEqual([ALB_URL]);
  });
});

describe('doctor of an alb stack', () => {
  beforeEach(arrangeAlb);

  it('GIVEN the alias record is gone THEN exit 1 naming the load balancer to point it at', async () => {
    zone();
    const h = harness();
    expect(await runOps(['doctor'], h.deps)).toBe(1);
    expect(h.out.join('\n')).toContain(
      `ERROR ${DOMAIN} has no A record in hosted zone ${HOSTED_ZONE_ID}: it does not resolve to the load balancer`,
    );
  });
});

describe('destroy of a dns stack', () => {
  beforeEach(() => {
    arrangeDns();
    deletable();
  });

  it('GIVEN a terminal THEN the question names the dns record too', async () => {
    const questions: string[] = [];
    const h = harness({ interactive: true, confirm: async (q) => (questions.push(q), false) });
    expect(await runOps(['destroy'], h.deps)).toBe(1);
    expect(questions).toEqual([
      `Delete stack ${NAME} and its dns record ${DOMAIN} (A and owner TXT) if this deployment owns it (images in ${NAME} are kept) in eu-west-1? [y/N] `,
    ]);
    expect(aws.route53.calls()).toHaveLength(0);
  });

  it('GIVEN --yes and the record this deployment owns THEN deletes it after the stack, saying so', async () => {
    const h = harness();
    expect(await runOps(['destroy', '--yes'], h.deps)).toBe(0);
    expect(aws.route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
    expect(h.out).toEqual([
      [
        `deleted stack ${NAME}; kept stack ${NAME}-registry and its images (pass --delete-images to delete them)`,
        `deleted the dns records ${DOMAIN} A and _ecs-owner.${DOMAIN} TXT (it pointed at ${PUBLIC_IP})`,
      ].join('\n'),
    ]);
  });

  it('GIVEN --yes and a record owned by another deployment THEN leaves it alone, saying so', async () => {
    zone(aRecord([PUBLIC_IP]), ownerRecord('someone-else'));
    const h = harness();
    expect(await runOps(['destroy', '--yes'], h.deps)).toBe(0);
    expect(aws.route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(h.out.join('\n')).toContain(
      `left the dns record ${DOMAIN} alone: its owner TXT does not name this deployment`,
    );
  });
});
