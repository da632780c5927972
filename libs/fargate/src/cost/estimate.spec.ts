import type { CloudAssembly } from '../diagram/cloud-assembly';
import { listResources } from '../diagram/cloud-assembly';
import {
  copySynthesizedAssembly,
  readSynthesizedAssembly,
  resourceOfType,
} from '../diagram/test-assembly';
import {
  DEFAULT_ASSUMPTIONS,
  FREE_RESOURCE_TYPES,
  PRICED_RESOURCE_TYPES,
  UnpricedResourceError,
  estimateMonthlyCost,
  type CostEstimate,
} from './estimate';
import { PRICES } from './prices';

function line(estimate: CostEstimate, startsWith: string) {
  const found = estimate.lines.find((l) => l.item.startsWith(startsWith));
  if (!found)
    throw new Error(`no line ${startsWith}: ${estimate.lines.map((l) => l.item).join('; ')}`);
  return found;
}

function withService(change: (properties: Record<string, unknown>) => void): CloudAssembly {
  const assembly = copySynthesizedAssembly();
  change(resourceOfType(assembly, 'AWS::ECS::Service').Properties);
  return assembly;
}

function withTask(change: (properties: Record<string, unknown>) => void): CloudAssembly {
  const assembly = copySynthesizedAssembly();
  change(resourceOfType(assembly, 'AWS::ECS::TaskDefinition').Properties);
  return assembly;
}

describe('estimateMonthlyCost', () => {
  const estimate = estimateMonthlyCost(readSynthesizedAssembly());

  it('GIVEN the synthesized templates WHEN estimated THEN Fargate vCPU is 0.25 vCPU × 730 h at the eu-west-1 x86 price', () => {
    expect(line(estimate, 'Fargate on-demand X86_64: 1 × 0.25 vCPU')).toEqual({
      item: 'Fargate on-demand X86_64: 1 × 0.25 vCPU',
      quantity: 182.5,
      unit: 'vCPU-hour',
      unitPrice: 0.04048,
      monthly: 7.3876,
    });
  });

  it('GIVEN the synthesized templates WHEN estimated THEN Fargate memory is 0.5 GB × 730 h', () => {
    const memory = line(estimate, 'Fargate on-demand X86_64: 1 × 0.5 GB');

    expect(memory.quantity).toBe(365);
    expect(memory.monthly).toBeCloseTo(365 * 0.004445, 4);
  });

  it('GIVEN a task with a public IP WHEN estimated THEN one IPv4 address is charged 730 h × $0.005', () => {
    expect(line(estimate, 'Public IPv4 address')).toEqual(
      expect.objectContaining({ quantity: 730, unitPrice: 0.005, monthly: 3.65 }),
    );
    expect(estimate.reference.publicIpv4Monthly).toBe(3.65);
    expect(estimate.reference.monitoringMonthly).toBe(3.8);
  });

  it('GIVEN the stated log assumption WHEN estimated THEN 1 GB is ingested and 7 days of it are stored', () => {
    expect(line(estimate, 'CloudWatch Logs ingestion').monthly).toBeCloseTo(0.57, 4);
    expect(line(estimate, 'CloudWatch Logs storage').quantity).toBeCloseTo((7 * 24) / 730, 3);
  });

  it('GIVEN the lifecycle rule keeps 10 images WHEN estimated THEN ECR stores 10 × 60 MB', () => {
    expect(line(estimate, 'ECR storage').quantity).toBeCloseTo((10 * 60) / 1024, 3);
    expect(line(estimate, 'ECR storage').unitPrice).toBe(0.1);
  });

  it('GIVEN a lifecycle that keeps releases and deployed images for ever WHEN estimated THEN they are named as on top of the 10 kept', () => {
    expect(estimate.assumptions).toContain(
      'release images and the images the stacks run, which the lifecycle policy never expires, come on top of the 10 kept, 60 MB each',
    );
  });

  it('GIVEN every line WHEN totalled THEN the total is their sum, public IPv4 included, and is compared with the reference', () => {
    const sum = estimate.lines.reduce((total, l) => total + l.monthly, 0);

    expect(estimate.total).toBeCloseTo(sum, 2);
    expect(estimate.total).toBe(17.1);
    expect(estimate.reference).toEqual(expect.objectContaining({ monthly: 11, difference: 6.1 }));
  });

  it('GIVEN a bigger task and two of them WHEN estimated THEN compute and IPv4 scale with size and count', () => {
    const assembly = withTask((p) => {
      p['Cpu'] = '1024';
      p['Memory'] = '2048';
    });
    resourceOfType(assembly, 'AWS::ECS::Service').Properties['DesiredCount'] = 2;

    const bigger = estimateMonthlyCost(assembly);

    expect(line(bigger, 'Fargate on-demand X86_64: 2 × 1 vCPU').monthly).toBeCloseTo(
      2 * 730 * 0.04048,
      4,
    );
    expect(line(bigger, 'Fargate on-demand X86_64: 2 × 2 GB').monthly).toBeCloseTo(
      2 * 2 * 730 * 0.004445,
      4,
    );
    expect(line(bigger, 'Public IPv4 address').monthly).toBeCloseTo(7.3, 4);
  });

  it('GIVEN an ARM64 task WHEN estimated THEN the Graviton prices apply', () => {
    const arm = estimateMonthlyCost(
      withTask((p) => {
        p['RuntimePlatform'] = { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' };
      }),
    );

    expect(line(arm, 'Fargate on-demand ARM64: 1 × 0.25 vCPU').unitPrice).toBe(0.03238);
    expect(line(arm, 'Fargate on-demand ARM64: 1 × 0.5 GB').unitPrice).toBe(0.00356);
  });

  it('GIVEN a service on Fargate Spot WHEN estimated THEN compute is priced at the Spot fraction and the assumption is stated', () => {
    const spot = estimateMonthlyCost(
      withService((p) => {
        delete p['LaunchType'];
        p['CapacityProviderStrategy'] = [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }];
      }),
    );

    expect(line(spot, 'Fargate Spot X86_64: 1 × 0.25 vCPU').monthly).toBeCloseTo(7.3876 * 0.3, 4);
    expect(spot.lines.some((l) => l.item.startsWith('Fargate on-demand'))).toBe(false);
    expect(spot.assumptions.join('\n')).toContain('Fargate Spot at 30% of on-demand');
  });

  it('GIVEN a service without a public IP WHEN estimated THEN no IPv4 line is charged', () => {
    const privateOnly = estimateMonthlyCost(
      withService((p) => {
        (
          p['NetworkConfiguration'] as { AwsvpcConfiguration: { AssignPublicIp: string } }
        ).AwsvpcConfiguration.AssignPublicIp = 'DISABLED';
      }),
    );

    expect(privateOnly.lines.some((l) => l.item.startsWith('Public IPv4'))).toBe(false);
  });

  it('GIVEN us-east-1 stacks WHEN estimated THEN us-east-1 log prices apply', () => {
    const assembly = copySynthesizedAssembly();
    const moved = { stacks: assembly.stacks.map((s) => ({ ...s, region: 'us-east-1' })) };

    expect(line(estimateMonthlyCost(moved), 'CloudWatch Logs ingestion').unitPrice).toBe(0.5);
  });

  it('GIVEN a region without prices WHEN estimated THEN it says which regions are priced', () => {
    const assembly = copySynthesizedAssembly();
    const moved = { stacks: assembly.stacks.map((s) => ({ ...s, region: 'ap-south-2' })) };

    expect(() => estimateMonthlyCost(moved)).toThrow(
      'No prices for region ap-south-2 (priced: us-east-1, eu-west-1)',
    );
  });

  it('GIVEN other log and image assumptions WHEN estimated THEN those lines follow them', () => {
    const more = estimateMonthlyCost(readSynthesizedAssembly(), {
      logIngestionGbPerMonth: 10,
      imageSizeMb: 120,
    });

    expect(line(more, 'CloudWatch Logs ingestion').monthly).toBeCloseTo(5.7, 4);
    expect(line(more, 'ECR storage').quantity).toBeCloseTo((10 * 120) / 1024, 3);
  });

  it("GIVEN the service stack's alarms, error-log metric and dashboard WHEN estimated THEN 5 alarm metrics, 1 custom metric and 1 dashboard are billed", () => {
    expect(line(estimate, 'CloudWatch alarms, standard resolution: 5')).toEqual(
      expect.objectContaining({ quantity: 5, unitPrice: 0.1, monthly: 0.5 }),
    );
    expect(
      line(estimate, 'Custom metric ECR-ECS-Fargate/hello-world-ecr-ecs-fargate/ErrorLogLines')
        .monthly,
    ).toBe(0.3);
    expect(line(estimate, 'CloudWatch dashboard hello-world-ecr-ecs-fargate').monthly).toBe(3);
  });

  it("GIVEN the service stack's SNS topics, subscription and task-stops rule WHEN estimated THEN they are listed free", () => {
    expect(estimate.free.map((f) => f.type)).toEqual(
      expect.arrayContaining([
        'AWS::SNS::Topic',
        'AWS::SNS::Subscription',
        'AWS::SNS::TopicPolicy',
        'AWS::Events::Rule',
      ]),
    );
  });

  it('GIVEN the priced options WHEN listed THEN each region, architecture and capacity has its Fargate compute cost', () => {
    expect(estimate.fargateOptions).toContainEqual({
      region: 'eu-west-1',
      architecture: 'ARM64',
      capacity: 'FARGATE',
      monthly: Number((730 * (0.25 * 0.03238 + 0.5 * 0.00356)).toFixed(2)),
    });
    expect(
      estimate.fargateOptions
        .filter((o) => o.capacity === 'FARGATE_SPOT')
        .map((o) => o.architecture),
    ).toEqual(['X86_64', 'X86_64']);
  });
});

describe('the AWS Control Tower option’s resources', () => {
  it('GIVEN Container Insights on for one service of one task family WHEN estimated THEN 38 custom metrics are billed', () => {
    const assembly = copySynthesizedAssembly();
    resourceOfType(assembly, 'AWS::ECS::Cluster').Properties['ClusterSettings'] = [
      { Name: 'containerInsights', Value: 'enabled' },
    ];

    expect(line(estimateMonthlyCost(assembly), 'Container Insights metrics')).toEqual(
      expect.objectContaining({ quantity: 13 + 15 + 10, unitPrice: 0.3, monthly: 11.4 }),
    );
  });

  it('GIVEN Container Insights on for one task WHEN estimated THEN four 1 KB performance events a minute are ingested as logs', () => {
    const assembly = copySynthesizedAssembly();
    resourceOfType(assembly, 'AWS::ECS::Cluster').Properties['ClusterSettings'] = [
      { Name: 'containerInsights', Value: 'enabled' },
    ];
    const events = line(estimateMonthlyCost(assembly), 'Container Insights performance events');

    expect(events.quantity).toBeCloseTo((4 * 60 * 730) / (1024 * 1024), 3);
    expect(events.unitPrice).toBe(0.57);
  });

  it('GIVEN a KMS key with rotation on WHEN estimated THEN a key-month and its requests are billed, and the rotation surcharge is stated', () => {
    const assembly = copySynthesizedAssembly();
    const service = assembly.stacks.find((s) => s.name === 'hello-world-ecr-ecs-fargate');
    const resources = service?.template.Resources as Record<string, unknown>;
    resources['LogKey'] = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
    resourceOfType(assembly, 'AWS::Logs::LogGroup').Properties['KmsKeyId'] = {
      'Fn::GetAtt': ['LogKey', 'Arn'],
    };
    const estimate = estimateMonthlyCost(assembly);

    expect(line(estimate, 'KMS key for /ecs/hello-world-ecr-ecs-fargate').monthly).toBe(1);
    expect(line(estimate, 'KMS requests').monthly).toBeCloseTo(0.03, 4);
    expect(estimate.assumptions.join('\n')).toContain('$3 a month from the third year');
  });

  it('GIVEN logs kept a year WHEN estimated THEN storage is twelve months of them', () => {
    const assembly = copySynthesizedAssembly();
    resourceOfType(assembly, 'AWS::Logs::LogGroup').Properties['RetentionInDays'] = 365;

    expect(line(estimateMonthlyCost(assembly), 'CloudWatch Logs storage').quantity).toBeCloseTo(
      12,
      3,
    );
  });
});

describe('every billed resource is priced or named free', () => {
  it('GIVEN the synthesized templates WHEN their resource types are listed THEN each one is priced or named free', () => {
    const types = new Set(listResources(readSynthesizedAssembly()).map((r) => r.resource.Type));
    const unclassified = [...types].filter(
      (type) =>
        FREE_RESOURCE_TYPES[type] === undefined && PRICED_RESOURCE_TYPES[type] === undefined,
    );

    expect(unclassified).toEqual([]);
  });

  it('GIVEN the synthesized templates WHEN estimated THEN every free resource is listed with why', () => {
    const free = estimateMonthlyCost(readSynthesizedAssembly()).free.map((f) => f.type);

    expect(free).toEqual(
      expect.arrayContaining(['AWS::EC2::VPC', 'AWS::EC2::InternetGateway', 'AWS::IAM::Role']),
    );
  });

  it('GIVEN a NAT gateway added to the template WHEN estimated THEN it fails naming the resource and where to price it', () => {
    const assembly = copySynthesizedAssembly();
    (assembly.stacks[1].template.Resources as Record<string, unknown>)['NatGateway'] = {
      Type: 'AWS::EC2::NatGateway',
      Properties: {},
    };

    expect(() => estimateMonthlyCost(assembly)).toThrow(UnpricedResourceError);
    expect(() => estimateMonthlyCost(assembly)).toThrow(
      'AWS::EC2::NatGateway NatGateway (stack hello-world-ecr-ecs-fargate) is not in the price table: add its price to libs/fargate/src/cost/prices.ts',
    );
  });

  it('GIVEN Container Insights with enhanced observability WHEN estimated THEN it fails, since it is billed per task and container and not priced', () => {
    const assembly = copySynthesizedAssembly();
    resourceOfType(assembly, 'AWS::ECS::Cluster').Properties['ClusterSettings'] = [
      { Name: 'containerInsights', Value: 'enhanced' },
    ];

    expect(() => estimateMonthlyCost(assembly)).toThrow(
      /Container Insights enhanced, which is billed and not priced here/,
    );
  });

  it('GIVEN more than the included 20 GiB of task storage WHEN estimated THEN it fails', () => {
    const assembly = withTask((p) => {
      p['EphemeralStorage'] = { SizeInGiB: 50 };
    });

    expect(() => estimateMonthlyCost(assembly)).toThrow(/50 GiB of ephemeral storage/);
  });

  it('GIVEN a repository without a lifecycle limit WHEN estimated THEN it fails, since storage would grow without bound', () => {
    const assembly = copySynthesizedAssembly();
    delete resourceOfType(assembly, 'AWS::ECR::Repository').Properties['LifecyclePolicy'];

    expect(() => estimateMonthlyCost(assembly)).toThrow(/keeps images without limit/);
  });
});

describe('the price table', () => {
  it('GIVEN the price table WHEN read THEN it names its sources and the date its prices are from', () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}$/);
    expect(Object.keys(PRICES.sources).sort()).toEqual([
      'cloudwatch',
      'cloudwatchLogs',
      'containerInsights',
      'ecr',
      'eventbridge',
      'fargate',
      'kms',
      'publicIpv4',
      'sns',
    ]);
    expect(DEFAULT_ASSUMPTIONS.logIngestionGbPerMonth).toBeGreaterThan(0);
  });
});
