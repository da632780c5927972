import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { OpsError } from './errors';
import { getIngressUrl, ingressUrl, readIngress, runningTaskIps } from './ingress';
import {
  NAME,
  PUBLIC_IP,
  TASK_ARN,
  networkInterface,
  runningTask,
  stack,
} from './testing/fixtures';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  LB_ARN,
  LB_DNS_NAME,
  TARGET_GROUP_ARN,
  albStack,
  dnsStack,
} from './testing/ingress-fixtures';
import type { TaskSummary } from './tasks';

/** A stack's outputs as findStack maps them. */
function outputsOf(s: ReturnType<typeof stack>): Record<string, string> {
  return Object.fromEntries((s.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

const ecsMock = mockClient(ECSClient);
const ec2Mock = mockClient(EC2Client);
const clients = { ecs: new ECSClient({}), ec2: new EC2Client({}) };
const ref = { cluster: NAME, service: NAME };

beforeEach(() => {
  ecsMock.reset();
  ec2Mock.reset();
});

describe('readIngress', () => {
  it('GIVEN a stack without the IngressMode output THEN it is public-ip', () => {
    expect(readIngress(outputsOf(stack()))).toEqual({ mode: 'public-ip' });
  });

  it('GIVEN a dns stack THEN its domain and hosted zone', () => {
    expect(readIngress(outputsOf(dnsStack()))).toEqual({
      mode: 'dns',
      domainName: DOMAIN,
      hostedZoneId: HOSTED_ZONE_ID,
    });
  });

  it('GIVEN an alb stack THEN its domain, zone, load balancer and target group', () => {
    expect(readIngress(outputsOf(albStack()))).toEqual({
      mode: 'alb',
      domainName: DOMAIN,
      hostedZoneId: HOSTED_ZONE_ID,
      loadBalancerDnsName: LB_DNS_NAME,
      loadBalancerArn: LB_ARN,
      targetGroupArn: TARGET_GROUP_ARN,
    });
  });

  it('GIVEN a domain output with a trailing dot and capitals THEN it is normalized', () => {
    const outputs = { IngressMode: 'dns', DomainName: 'API.Example.com.' };
    expect(readIngress(outputs).domainName).toBe('api.example.com');
  });

  it('GIVEN a mode this version does not know THEN one line saying to update the tools', () => {
    expect(() => readIngress({ IngressMode: 'nlb' })).toThrow(
      /IngressMode output is "nlb", which this version of the tools does not know: update them/,
    );
  });
});

describe('ingressUrl', () => {
  it('GIVEN dns THEN plain HTTP on the service port at the record name', () => {
    expect(ingressUrl({ mode: 'dns', domainName: DOMAIN }, 49000)).toBe(
      'http://api.example.com:49000/',
    );
  });

  it('GIVEN alb THEN HTTPS at the domain', () => {
    expect(ingressUrl({ mode: 'alb', domainName: DOMAIN }, 49000)).toBe('https://api.example.com/');
  });

  it('GIVEN public-ip THEN no stable URL', () => {
    expect(ingressUrl({ mode: 'public-ip' }, 49000)).toBeUndefined();
  });
});

describe('getIngressUrl', () => {
  it('GIVEN public-ip THEN the newest running task URL, as url always printed', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [TASK_ARN] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [runningTask()] });
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves(networkInterface());
    const found = await getIngressUrl(clients, ref, { mode: 'public-ip' }, 49000);
    expect(found).toMatchObject({ mode: 'public-ip', url: `http://${PUBLIC_IP}:49000` });
  });

  it('GIVEN dns THEN the record name without asking ECS', async () => {
    const found = await getIngressUrl(clients, ref, { mode: 'dns', domainName: DOMAIN }, 49000);
    expect(found).toEqual({
      mode: 'dns',
      url: 'http://api.example.com:49000/',
      domainName: DOMAIN,
    });
    expect(ecsMock.calls()).toHaveLength(0);
  });

  it('GIVEN an alb stack missing its DomainName output THEN an error naming the redeploy', async () => {
    await expect(
      getIngressUrl(clients, ref, { mode: 'alb' }, 49000, 'greeter-infra'),
    ).rejects.toThrow(
      new OpsError(
        'unknown',
        'the alb stack has no DomainName output: redeploy it with `npx nx run greeter-infra:deploy`',
      ),
    );
  });
});

describe('runningTaskIps', () => {
  const task = (overrides: Partial<TaskSummary>): TaskSummary => ({
    taskArn: TASK_ARN,
    taskId: 'a',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    containers: [],
    ...overrides,
  });

  it('GIVEN running, pending and IP-less tasks THEN the running ones with an IP, sorted', () => {
    const ips = runningTaskIps([
      task({ publicIp: '54.170.12.99' }),
      task({ publicIp: '34.240.1.2' }),
      task({ lastStatus: 'PENDING', publicIp: '52.1.1.1' }),
      task({}),
    ]);
    expect(ips).toEqual(['34.240.1.2', '54.170.12.99']);
  });
});
