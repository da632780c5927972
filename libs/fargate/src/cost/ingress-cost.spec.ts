import { withAlbIngress, withDnsIngress, ZONE_ID } from '../diagram/ingress-test-templates';
import { readSynthesizedAssembly, resourceOfType } from '../diagram/test-assembly';
import { estimateMonthlyCost, type CostEstimate } from './estimate';
import { formatEstimate, formatMarkdown } from './format';

function line(estimate: CostEstimate, startsWith: string) {
  const found = estimate.lines.find((l) => l.item.startsWith(startsWith));
  if (!found)
    throw new Error(`no line ${startsWith}: ${estimate.lines.map((l) => l.item).join('; ')}`);
  return found;
}

const items = (estimate: CostEstimate) => estimate.lines.map((l) => l.item);
const defaultEstimate = estimateMonthlyCost(readSynthesizedAssembly());

describe('estimateMonthlyCost: dns ingress templates', () => {
  const estimate = estimateMonthlyCost(withDnsIngress());

  it('GIVEN a function that keeps a record in a hosted zone WHEN estimated THEN the zone is one zone-month at $0.50, labelled as yours', () => {
    expect(line(estimate, `Route 53 hosted zone ${ZONE_ID}`)).toEqual({
      item: `Route 53 hosted zone ${ZONE_ID} (yours: billed once, maybe already)`,
      quantity: 1,
      unit: 'zone-month',
      unitPrice: 0.5,
      monthly: 0.5,
    });
  });

  it('GIVEN the record the function keeps WHEN estimated THEN its queries are 1 million standard queries at $0.40', () => {
    expect(line(estimate, 'Route 53 queries: app.example.com A')).toEqual(
      expect.objectContaining({
        quantity: 1,
        unit: 'million queries',
        unitPrice: 0.4,
        monthly: 0.4,
      }),
    );
    expect(estimate.assumptions.join('\n')).toContain('1,000,000 queries a month for each name');
  });

  it('GIVEN a 128 MB arm64 function WHEN estimated THEN 5,000 requests and 625 GB-seconds are priced, and the assumption stated', () => {
    expect(line(estimate, 'Lambda requests: hello-world-ecr-ecs-fargate-dns')).toEqual(
      expect.objectContaining({ quantity: 0.005, unitPrice: 0.2, monthly: 0.001 }),
    );
    expect(line(estimate, 'Lambda compute: hello-world-ecr-ecs-fargate-dns, 128 MB ARM64')).toEqual(
      expect.objectContaining({ quantity: 625, unit: 'GB-second', unitPrice: 0.0000133334 }),
    );
    expect(estimate.assumptions.join('\n')).toContain('5,000 invocations a month');
  });

  it("GIVEN the function's log group WHEN estimated THEN it ingests 2 KB an invocation, not the service's 1 GB", () => {
    const ingestion = estimate.lines.filter((l) => l.item.startsWith('CloudWatch Logs ingestion'));

    expect(ingestion.map((l) => [l.item, l.quantity])).toEqual([
      ['CloudWatch Logs ingestion: /ecs/hello-world-ecr-ecs-fargate', 1],
      ['CloudWatch Logs ingestion: /aws/lambda/hello-world-ecr-ecs-fargate-dns', 0.01],
    ]);
    expect(items(estimate)).toContain(
      'CloudWatch Logs storage: /aws/lambda/hello-world-ecr-ecs-fargate-dns, 7 days kept',
    );
  });

  it('GIVEN the dns templates WHEN estimated THEN the total is the default’s plus zone, queries, function and its logs, a little under $1', () => {
    const added = estimate.total - defaultEstimate.total;

    expect(added).toBeCloseTo(0.5 + 0.4 + 0.001 + 625 * 0.0000133334 + 0.0095 * 0.57, 2);
    expect(estimate.lines.some((l) => l.item.includes('Load Balancer'))).toBe(false);
  });

  it('GIVEN the rule, its permission and dead-letter queue WHEN estimated THEN they are free, and the Route 53 and Lambda sources are named', () => {
    expect(estimate.free.map((f) => f.type)).toEqual(
      expect.arrayContaining(['AWS::Events::Rule', 'AWS::Lambda::Permission', 'AWS::SQS::Queue']),
    );
    expect(Object.keys(estimate.prices.sources)).toEqual(
      expect.arrayContaining(['route53', 'lambda']),
    );
    expect(estimate.scaling).toBeUndefined();
  });
});

describe('estimateMonthlyCost: alb ingress templates', () => {
  const estimate = estimateMonthlyCost(withAlbIngress());

  it('GIVEN a load balancer in eu-west-1 WHEN estimated THEN 730 ALB-hours at $0.0252 and 730 LCU-hours at $0.008', () => {
    expect(line(estimate, 'Application Load Balancer')).toEqual(
      expect.objectContaining({
        quantity: 730,
        unit: 'ALB-hour',
        unitPrice: 0.0252,
        monthly: 18.396,
      }),
    );
    expect(line(estimate, 'Application Load Balancer: LCUs')).toEqual(
      expect.objectContaining({ quantity: 730, unit: 'LCU-hour', unitPrice: 0.008, monthly: 5.84 }),
    );
    expect(estimate.assumptions.join('\n')).toContain('1 LCU every hour');
  });

  it('GIVEN an internet-facing load balancer in two subnets WHEN estimated THEN two public IPv4 addresses, counted with the IPv4 charge', () => {
    expect(line(estimate, 'Public IPv4 addresses of the load balancer: 2 (one per AZ)')).toEqual(
      expect.objectContaining({ quantity: 2 * 730, unitPrice: 0.005, monthly: 7.3 }),
    );
    expect(estimate.reference.publicIpv4Monthly).toBe(3.65 + 7.3);
  });

  it('GIVEN an alias record to the load balancer WHEN estimated THEN its queries are free and the zone is counted once', () => {
    expect(
      line(estimate, 'Route 53 queries: app.example.com A alias → load balancer (free)'),
    ).toEqual(expect.objectContaining({ unitPrice: 0, monthly: 0 }));
    expect(items(estimate).filter((item) => item.startsWith('Route 53 hosted zone'))).toHaveLength(
      1,
    );
  });

  it('GIVEN autoscaling from 1 to 4 tasks WHEN estimated THEN tasks are priced at 1 and the ceiling at 4 is shown', () => {
    expect(items(estimate)).toContain('Fargate on-demand X86_64: 1 × 0.25 vCPU');
    expect(estimate.scaling).toEqual({ minTasks: 1, maxTasks: 4, totalAtMax: expect.any(Number) });
    const perTask = 730 * (0.25 * 0.04048 + 0.5 * 0.004445) + 3.65;
    expect(estimate.scaling?.totalAtMax).toBeCloseTo(estimate.total + 3 * perTask, 1);
  });

  it('GIVEN two target tracking policies WHEN estimated THEN their four alarms are billed', () => {
    expect(line(estimate, 'Target tracking alarms: 4')).toEqual(
      expect.objectContaining({ quantity: 4, unitPrice: 0.1, monthly: 0.4 }),
    );
  });

  it('GIVEN a minimum of 2 tasks WHEN estimated THEN Fargate and task IPv4 are priced for 2', () => {
    const two = estimateMonthlyCost(withAlbIngress(undefined, { min: 2, max: 6 }));

    expect(items(two)).toContain('Fargate on-demand X86_64: 2 × 0.25 vCPU');
    expect(items(two)).toContain('Public IPv4 address: 2 (one per task)');
    expect(two.scaling).toEqual(expect.objectContaining({ minTasks: 2, maxTasks: 6 }));
  });

  it('GIVEN listeners, target group, certificate and scalable target WHEN estimated THEN they are listed free', () => {
    expect(estimate.free.map((f) => f.type)).toEqual(
      expect.arrayContaining([
        'AWS::ElasticLoadBalancingV2::Listener',
        'AWS::ElasticLoadBalancingV2::TargetGroup',
        'AWS::CertificateManager::Certificate',
        'AWS::ApplicationAutoScaling::ScalableTarget',
      ]),
    );
  });

  it('GIVEN the estimate WHEN printed and written as Markdown THEN both show the ceiling at the autoscaling maximum', () => {
    expect(formatEstimate(estimate)).toMatch(
      /at the autoscaling maximum \(4 tasks\) +\$\d+\.\d\d\n/,
    );
    expect(formatMarkdown(estimate)).toContain('| At the autoscaling maximum (4 tasks) | | | $');
  });

  it('GIVEN us-east-1 templates WHEN estimated THEN the load balancer-hour is $0.0225', () => {
    const assembly = withAlbIngress();
    const moved = { stacks: assembly.stacks.map((s) => ({ ...s, region: 'us-east-1' })) };

    expect(line(estimateMonthlyCost(moved), 'Application Load Balancer').unitPrice).toBe(0.0225);
  });
});

describe('ingress resources billed beyond what is priced', () => {
  it('GIVEN a certificate from a private CA WHEN estimated THEN it fails naming it', () => {
    const assembly = withAlbIngress();
    resourceOfType(assembly, 'AWS::CertificateManager::Certificate').Properties[
      'CertificateAuthorityArn'
    ] = 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/abc';

    expect(() => estimateMonthlyCost(assembly)).toThrow(
      /AWS::CertificateManager::Certificate AlbIngressCertificate4E7ABB08 .* private certificate authority, which is billed/,
    );
  });

  it('GIVEN a network load balancer WHEN estimated THEN it fails: priced differently', () => {
    const assembly = withAlbIngress();
    resourceOfType(assembly, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties['Type'] =
      'network';

    expect(() => estimateMonthlyCost(assembly)).toThrow(
      /is a network load balancer, priced differently/,
    );
  });

  it('GIVEN a record with a Route 53 health check WHEN estimated THEN it fails', () => {
    const assembly = withAlbIngress();
    resourceOfType(assembly, 'AWS::Route53::RecordSet').Properties['HealthCheckId'] = 'abc';

    expect(() => estimateMonthlyCost(assembly)).toThrow(
      /has a Route 53 health check, which is billed/,
    );
  });
});

describe('the default (public-ip) templates', () => {
  it('GIVEN the default templates WHEN estimated THEN no ingress line, no scaling and only the sources they always named', () => {
    expect(defaultEstimate.total).toBe(17.1);
    expect(defaultEstimate.scaling).toBeUndefined();
    expect(
      items(defaultEstimate).filter((item) =>
        /Load Balancer|Route 53|Lambda|Target tracking/.test(item),
      ),
    ).toEqual([]);
    expect(Object.keys(defaultEstimate.prices.sources)).not.toEqual(
      expect.arrayContaining(['route53']),
    );
    expect('scaling' in defaultEstimate).toBe(false);
  });
});
