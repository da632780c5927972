import { buildArchitecture, type Architecture } from '../diagram/architecture-model';
import { readCloudAssembly, type CloudAssembly } from '../diagram/cloud-assembly';
import { readSynthesizedAssembly } from '../diagram/test-assembly';
import { synthesizeApp } from '../synth-for-test';
import { estimateMonthlyCost, type CostEstimate } from './estimate';

/*
 * The estimate and the diagram of the dns and alb modes as the CDK app synthesizes them from
 * the ingress settings (the other specs read hand-written templates of the same resources).
 */

const RECORD = {
  domainName: 'app.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.com',
};

function synthesizeMode(context: Record<string, unknown>): CloudAssembly {
  return readCloudAssembly(synthesizeApp(context).assembly.directory);
}

const items = (estimate: CostEstimate) => estimate.lines.map((line) => line.item);
const titles = (architecture: Architecture) => architecture.nodes.map((node) => node.title);
const monthlyOf = (estimate: CostEstimate, prefix: string) =>
  estimate.lines
    .filter((line) => line.item.startsWith(prefix))
    .reduce((sum, line) => sum + line.monthly, 0);

describe('infra:cost and infra:diagram of the synthesized ingress modes', () => {
  jest.setTimeout(180_000);
  const publicIp = estimateMonthlyCost(readSynthesizedAssembly());
  let dns: CloudAssembly;
  let alb: CloudAssembly;

  beforeAll(() => {
    dns = synthesizeMode({ ingress: 'dns', ...RECORD });
    alb = synthesizeMode({ ingress: 'alb', ...RECORD, minTasks: 1, maxTasks: 4 });
  });

  it('GIVEN INGRESS=dns WHEN estimated THEN it adds the zone, the queries and the updater function to the default, and no load balancer', () => {
    const estimate = estimateMonthlyCost(dns);

    expect(items(estimate)).toEqual(
      expect.arrayContaining([
        `Route 53 hosted zone ${RECORD.hostedZoneId} (yours: billed once, maybe already)`,
        'Route 53 queries: app.example.com A, kept by function hello-world-ecr-ecs-fargate-dns',
        'Lambda requests: hello-world-ecr-ecs-fargate-dns',
        'Lambda compute: hello-world-ecr-ecs-fargate-dns, 128 MB ARM64',
      ]),
    );
    expect(items(estimate).some((item) => item.includes('Load Balancer'))).toBe(false);
    expect(estimate.total - publicIp.total).toBeGreaterThan(0.9);
    expect(estimate.total - publicIp.total).toBeLessThan(1);
  });

  it('GIVEN INGRESS=alb WHEN estimated THEN the load balancer, its two addresses and LCUs, the zone and the scaling alarms are added, 1 task priced and 4 shown', () => {
    const estimate = estimateMonthlyCost(alb);

    expect(monthlyOf(estimate, 'Application Load Balancer')).toBeCloseTo(730 * (0.0252 + 0.008), 2);
    expect(monthlyOf(estimate, 'Public IPv4 addresses of the load balancer: 2')).toBeCloseTo(
      7.3,
      2,
    );
    expect(monthlyOf(estimate, 'Target tracking alarms: 4')).toBeCloseTo(0.4, 2);
    expect(items(estimate)).toContain('Fargate on-demand X86_64: 1 × 0.25 vCPU');
    expect(estimate.scaling).toEqual(expect.objectContaining({ minTasks: 1, maxTasks: 4 }));
  });

  it('GIVEN INGRESS=dns WHEN drawn THEN the rule, the function and the record it keeps are boxes, and nothing is left as a bare type', () => {
    const architecture = buildArchitecture(dns);

    expect(titles(architecture)).toEqual(
      expect.arrayContaining(['Lambda function', 'Route 53 record', 'SQS dead-letter queue']),
    );
    expect(titles(architecture).filter((title) => title.startsWith('AWS::'))).toEqual([]);
  });

  it('GIVEN INGRESS=alb WHEN drawn THEN alias, load balancer, target group, certificate and autoscaling are boxes, and nothing is left as a bare type', () => {
    const architecture = buildArchitecture(alb);

    expect(titles(architecture)).toEqual(
      expect.arrayContaining([
        'Route 53 alias record',
        'Application Load Balancer',
        'Target group',
        'ACM certificate',
        'Application Auto Scaling',
      ]),
    );
    expect(titles(architecture).filter((title) => title.startsWith('AWS::'))).toEqual([]);
  });
});
