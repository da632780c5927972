import {
  listResources,
  regionOfAssembly,
  type CfnResource,
  type CloudAssembly,
  type SynthesizedStack,
} from '../diagram/cloud-assembly';
import { asArray, describeValue, getAttOf, refOf, referencedId } from '../diagram/template-values';
import {
  checkIngressSettings,
  functionLoggingTo,
  INGRESS_FREE_RESOURCE_TYPES,
  INGRESS_PRICED_RESOURCE_TYPES,
  priceIngress,
  scalingOf,
  type TaskScaling,
} from './ingress-cost';
import {
  PRICES,
  REFERENCE_ESTIMATE,
  type Architecture,
  type PriceTable,
  type RegionPrices,
} from './prices';

/** What the templates cannot say: how much the service logs and how big its image is. */
export interface Assumptions {
  /** Log data the service sends to CloudWatch Logs per month. */
  readonly logIngestionGbPerMonth: number;
  /** Compressed size of one image in ECR. */
  readonly imageSizeMb: number;
}

/**
 * KMS requests a month for a key that encrypts one log group: an assumption (CloudWatch Logs
 * reuses data keys rather than calling KMS per event); CloudTrail shows the real count.
 */
export const KMS_REQUESTS_PER_KEY_MONTH = 10_000;

/**
 * Container Insights performance log events: about 1 KB each, every minute one per task and one
 * per container in it, one per service and one per cluster (an assumption from AWS's examples).
 */
export const PERFORMANCE_EVENT_KB = 1;

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  // The reference's "~$0.50" Logs line is 1 GB at us-east-1's ingestion price.
  logIngestionGbPerMonth: 1,
  // node:24 slim plus the 0.3 MB bundle is ~147 MB unpacked (docs/benchmarks.md), ~60 MB as ECR stores it.
  imageSizeMb: 60,
};

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  readonly monthly: number;
}

export interface FreeResource {
  readonly type: string;
  readonly logicalIds: readonly string[];
  readonly why: string;
}

export interface FargateOption {
  readonly region: string;
  readonly architecture: Architecture;
  readonly capacity: 'FARGATE' | 'FARGATE_SPOT';
  readonly monthly: number;
}

/** The tasks' range under autoscaling: the estimate prices the minimum. */
export interface ScalingRange {
  readonly minTasks: number;
  readonly maxTasks: number;
  /** The estimate's total with every scaled service at its maximum. */
  readonly totalAtMax: number;
}

export interface CostEstimate {
  readonly region: string;
  readonly currency: 'USD';
  readonly hoursPerMonth: number;
  readonly lines: readonly CostLine[];
  readonly total: number;
  readonly free: readonly FreeResource[];
  readonly assumptions: readonly string[];
  readonly reference: {
    readonly monthly: number;
    readonly source: string;
    readonly difference: number;
    readonly publicIpv4Monthly: number;
    /** Alarms, their custom metrics and dashboards: monitoring the reference did not have. */
    readonly monitoringMonthly: number;
  };
  /** The same tasks' Fargate compute in every priced region, architecture and capacity. */
  readonly fargateOptions: readonly FargateOption[];
  readonly prices: {
    readonly asOf: string;
    readonly note: string;
    readonly sources: Readonly<Record<string, string>>;
  };
  /** Only for templates with autoscaling (alb mode). */
  readonly scaling?: ScalingRange;
}

/** A resource the estimate cannot price: the message says which one and what to do. */
export class UnpricedResourceError extends Error {
  override readonly name = 'UnpricedResourceError';
}

/** Resource types that cost nothing by themselves, and why. */
export const FREE_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'AWS::EC2::VPC': 'VPCs are free',
  'AWS::EC2::Subnet': 'subnets are free',
  'AWS::EC2::RouteTable': 'route tables are free',
  'AWS::EC2::Route': 'routes are free',
  'AWS::EC2::SubnetRouteTableAssociation': 'free',
  'AWS::EC2::InternetGateway':
    'no hourly charge; internet data out is billed per GB after 100 GB/month free (not estimated)',
  'AWS::EC2::VPCGatewayAttachment': 'free',
  'AWS::EC2::SecurityGroup': 'security groups are free',
  'AWS::EC2::SecurityGroupIngress': 'free',
  'AWS::EC2::SecurityGroupEgress': 'free',
  'AWS::IAM::Role': 'IAM is free',
  'AWS::IAM::Policy': 'IAM is free',
  'AWS::IAM::ManagedPolicy': 'IAM is free',
  'AWS::IAM::OIDCProvider': 'IAM is free',
  'AWS::ECS::Cluster':
    'ECS clusters are free; Container Insights, when on, is priced in its own lines',
  'AWS::ECS::TaskDefinition': "billed through the service's running tasks (Fargate lines)",
  'AWS::CDK::Metadata': 'CDK bookkeeping, not an AWS resource',
  'AWS::SNS::Topic':
    'no charge per standard topic; the first 1 million publishes and 1,000 email deliveries a month are free (then $0.50 per million, $2.00 per 100,000 emails): alarm notifications stay far below',
  'AWS::SNS::Subscription': 'free; its deliveries are the topic’s',
  'AWS::SNS::TopicPolicy': 'free',
  'AWS::Events::Rule':
    'free: events AWS services publish to the default event bus (ECS task state changes) cost nothing; what it sends to SNS is SNS publishes',
  ...INGRESS_FREE_RESOURCE_TYPES,
};

/** Types this estimate prices, each in its own lines. */
export const PRICED_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'AWS::ECS::Service':
    'Fargate vCPU and memory of its running tasks, and their public IPv4 addresses',
  'AWS::Logs::LogGroup': 'CloudWatch Logs ingestion and storage',
  'AWS::ECR::Repository': 'ECR storage',
  'AWS::KMS::Key': 'the key-month and its requests',
  'AWS::CloudWatch::Alarm':
    'per alarm metric a month, by resolution (a metric math alarm: each metric it reads)',
  'AWS::Logs::MetricFilter': 'the custom metric it publishes',
  'AWS::CloudWatch::Dashboard': 'per dashboard a month',
  ...INGRESS_PRICED_RESOURCE_TYPES,
};

/** The 20 GiB of task storage Fargate includes. */
const INCLUDED_EPHEMERAL_GIB = 20;

interface Located {
  readonly stack: SynthesizedStack;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

function props(located: Located): Record<string, unknown> {
  return located.resource.Properties ?? {};
}

function fail(located: Located, problem: string): never {
  throw new UnpricedResourceError(
    `${located.resource.Type} ${located.logicalId} (stack ${located.stack.name}) ${problem}: add its price to libs/fargate/src/cost/prices.ts and estimate.ts, or name it free there.`,
  );
}

/** A number in a template, or the default of the parameter it refers to. */
function numberIn(value: unknown, stack: SynthesizedStack): number {
  const ref = refOf(value);
  const resolved = ref !== undefined ? stack.template.Parameters?.[ref]?.Default : value;
  return Number(resolved);
}

/** The cluster's containerInsights setting (`disabled` when not set). */
function containerInsightsOf(cluster: Located): string {
  const setting = asArray(props(cluster)['ClusterSettings']).find(
    (s) => (s as { Name?: string }).Name === 'containerInsights',
  ) as { Value?: string } | undefined;
  return setting?.Value ?? 'disabled';
}

/** Refuses settings of a free type that do cost money, so they cannot slip through as free. */
function checkFreeSettings(located: Located): void {
  const p = props(located);
  if (located.resource.Type === 'AWS::ECS::Cluster') {
    // `enabled` is priced in its own lines; enhanced observability bills per task and container.
    const insights = containerInsightsOf(located);
    if (insights !== 'disabled' && insights !== 'enabled')
      fail(located, `has Container Insights ${insights}, which is billed and not priced here`);
  }
  if (located.resource.Type === 'AWS::Events::Rule') {
    // Custom events (PutEvents) and other buses are billed per million; AWS's own are free.
    const bus = p['EventBusName'];
    const sources = asArray((p['EventPattern'] as { source?: unknown } | undefined)?.source);
    if (bus !== undefined && bus !== 'default')
      fail(
        located,
        `listens on event bus ${describeValue(bus, located.stack.template)}, whose events may be billed`,
      );
    if (sources.length === 0 || sources.some((source) => !String(source).startsWith('aws.')))
      fail(located, 'matches events that AWS services do not publish (custom events are billed)');
  }
  if (located.resource.Type === 'AWS::ECS::TaskDefinition') {
    const size = (p['EphemeralStorage'] as { SizeInGiB?: number } | undefined)?.SizeInGiB;
    if (size !== undefined && size > INCLUDED_EPHEMERAL_GIB) {
      fail(
        located,
        `asks for ${size} GiB of ephemeral storage (20 GiB are included), which is billed`,
      );
    }
  }
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

function regionPrices(prices: PriceTable, region: string): RegionPrices {
  const found = prices.regions[region];
  if (!found) {
    throw new UnpricedResourceError(
      `No prices for region ${region} (priced: ${Object.keys(prices.regions).join(', ')}): add the region's list prices to libs/fargate/src/cost/prices.ts.`,
    );
  }
  return found;
}

interface FargateTasks {
  readonly vcpu: number;
  readonly memoryGb: number;
  readonly count: number;
  readonly architecture: Architecture;
  /** Share of tasks on FARGATE_SPOT, from the capacity provider weights. */
  readonly spotShare: number;
  readonly publicIp: boolean;
}

/** Which end of an autoscaled service's range to price: its minimum, or its ceiling. */
type ScaledAt = 'min' | 'max';

/** A service's task count: its autoscaling minimum (or maximum), else its desired count. */
function taskCountOf(service: Located, resources: readonly Located[], at: ScaledAt): number {
  const scaling = scalingOf(service, resources);
  if (scaling) return at === 'min' ? scaling.min : scaling.max;
  return numberIn(props(service)['DesiredCount'] ?? 1, service.stack);
}

function readService(
  service: Located,
  resources: readonly Located[],
  at: ScaledAt = 'min',
): FargateTasks {
  const p = props(service);
  const strategy = asArray(p['CapacityProviderStrategy']) as {
    CapacityProvider?: string;
    Weight?: number;
  }[];
  if (strategy.length === 0 && p['LaunchType'] !== 'FARGATE') {
    fail(service, `runs on ${String(p['LaunchType'] ?? 'EC2')}, not Fargate`);
  }
  const weights = strategy.reduce((sum, s) => sum + (s.Weight ?? 0), 0);
  const spotWeight = strategy
    .filter((s) => s.CapacityProvider === 'FARGATE_SPOT')
    .reduce((sum, s) => sum + (s.Weight ?? 0), 0);
  const taskDefinitionId = refOf(p['TaskDefinition']);
  const taskDefinition = resources.find(
    (r) => r.stack === service.stack && r.logicalId === taskDefinitionId,
  );
  if (!taskDefinition) fail(service, 'has no task definition in its stack');
  const tp = props(taskDefinition);
  const network = (
    p['NetworkConfiguration'] as { AwsvpcConfiguration?: { AssignPublicIp?: string } }
  )?.AwsvpcConfiguration;
  const architecture = ((tp['RuntimePlatform'] as { CpuArchitecture?: string } | undefined)
    ?.CpuArchitecture ?? 'X86_64') as Architecture;
  return {
    vcpu: numberIn(tp['Cpu'], service.stack) / 1024,
    memoryGb: numberIn(tp['Memory'], service.stack) / 1024,
    count: taskCountOf(service, resources, at),
    architecture,
    spotShare: weights > 0 ? spotWeight / weights : 0,
    publicIp: network?.AssignPublicIp === 'ENABLED',
  };
}

function fargateRates(
  prices: PriceTable,
  region: string,
  architecture: Architecture,
  spot: boolean,
): { vcpuHour: number; gbHour: number } {
  const rates = regionPrices(prices, region).fargate[architecture];
  if (!rates)
    throw new UnpricedResourceError(
      `No Fargate ${architecture} price for ${region} in libs/fargate/src/cost/prices.ts.`,
    );
  if (!spot) return rates;
  if (!prices.spotArchitectures.includes(architecture)) {
    throw new UnpricedResourceError(
      `Fargate Spot does not run ${architecture} tasks (see libs/fargate/src/cost/prices.ts).`,
    );
  }
  return {
    vcpuHour: rates.vcpuHour * prices.spotFractionOfOnDemand,
    gbHour: rates.gbHour * prices.spotFractionOfOnDemand,
  };
}

function fargateLines(tasks: FargateTasks, prices: PriceTable, region: string): CostLine[] {
  const hours = prices.hoursPerMonth;
  const shares: [boolean, number][] = [
    [false, 1 - tasks.spotShare],
    [true, tasks.spotShare],
  ];
  return shares
    .filter(([, share]) => share > 0)
    .flatMap(([spot, share]) => {
      const rates = fargateRates(prices, region, tasks.architecture, spot);
      const label = `Fargate ${spot ? 'Spot' : 'on-demand'} ${tasks.architecture}`;
      const taskHours = tasks.count * share * hours;
      const vcpuHours = taskHours * tasks.vcpu;
      const gbHours = taskHours * tasks.memoryGb;
      return [
        {
          item: `${label}: ${tasks.count * share} × ${tasks.vcpu} vCPU`,
          quantity: vcpuHours,
          unit: 'vCPU-hour',
          unitPrice: rates.vcpuHour,
          monthly: vcpuHours * rates.vcpuHour,
        },
        {
          item: `${label}: ${tasks.count * share} × ${tasks.memoryGb} GB`,
          quantity: gbHours,
          unit: 'GB-hour',
          unitPrice: rates.gbHour,
          monthly: gbHours * rates.gbHour,
        },
      ];
    });
}

/** Monthly Fargate compute of these tasks in every priced region, architecture and capacity. */
function fargateOptions(all: readonly FargateTasks[], prices: PriceTable): FargateOption[] {
  const options: FargateOption[] = [];
  for (const region of Object.keys(prices.regions)) {
    for (const architecture of ['X86_64', 'ARM64'] as Architecture[]) {
      for (const capacity of ['FARGATE', 'FARGATE_SPOT'] as const) {
        const spot = capacity === 'FARGATE_SPOT';
        if (spot && !prices.spotArchitectures.includes(architecture)) continue;
        const monthly = all.reduce((sum, tasks) => {
          const rates = fargateRates(prices, region, architecture, spot);
          const taskHours = tasks.count * prices.hoursPerMonth;
          return sum + taskHours * (tasks.vcpu * rates.vcpuHour + tasks.memoryGb * rates.gbHour);
        }, 0);
        options.push({ region, architecture, capacity, monthly: round(monthly) });
      }
    }
  }
  return options;
}

interface BilledAlarm {
  readonly name: string;
  /** Alarm metrics billed: 1, or each metric a metric math alarm reads. */
  readonly metrics: number;
  readonly math: boolean;
  readonly resolution: 'standard' | 'highResolution';
}

/**
 * Anomaly detection bills 3 metrics per alarm, a Metrics Insights query every metric it matches:
 * neither can be counted from the template.
 */
const UNCOUNTED_EXPRESSION = /ANOMALY_DETECTION_BAND|SEARCH\s*\(|SELECT\s/i;

/** Periods under a minute (10 s, 30 s) make a high-resolution alarm. */
const isHighResolution = (period: unknown) => Number(period) > 0 && Number(period) < 60;

/** How CloudWatch bills an alarm: its metrics (one, or each a math expression reads) and resolution. */
function readAlarm(alarm: Located): BilledAlarm {
  const p = props(alarm);
  const name = describeValue(p['AlarmName'] ?? alarm.logicalId, alarm.stack.template);
  const queries = asArray(p['Metrics']) as {
    Expression?: string;
    MetricStat?: { Period?: unknown };
    Period?: unknown;
  }[];
  if (queries.length === 0) {
    return {
      name,
      metrics: 1,
      math: false,
      resolution: isHighResolution(p['Period']) ? 'highResolution' : 'standard',
    };
  }
  if (queries.some((q) => UNCOUNTED_EXPRESSION.test(q.Expression ?? '')))
    fail(alarm, 'is an anomaly detection or query alarm, whose billed metrics are not priced here');
  const read = queries.filter((q) => q.MetricStat);
  return {
    name,
    metrics: read.length,
    math: true,
    resolution: read.some((q) => isHighResolution(q.MetricStat?.Period ?? q.Period))
      ? 'highResolution'
      : 'standard',
  };
}

/** The lines of alarms, metric filters' metrics and dashboards. */
const MONITORING_LINE = /^(CloudWatch alarms|Custom metric|CloudWatch dashboard)/;

const formatPrice = (amount: number) => `$${amount.toFixed(2)}`;

/**
 * Prices every resource of the synthesized stacks for one month. Every resource type must be
 * either priced here or named free; anything else throws, so a new billed resource (a NAT
 * gateway, a load balancer) cannot go unnoticed.
 */
export function estimateMonthlyCost(
  assembly: CloudAssembly,
  assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
  prices: PriceTable = PRICES,
): CostEstimate {
  const estimate = estimateAt(assembly, assumptions, prices, 'min');
  const scalings = listResources(assembly)
    .filter((r) => r.resource.Type === 'AWS::ECS::Service')
    .map((service) => scalingOf(service, listResources(assembly)))
    .filter((scaling): scaling is TaskScaling => scaling !== undefined);
  if (scalings.length === 0) return estimate;
  const ceiling = estimateAt(assembly, assumptions, prices, 'max');
  const minTasks = scalings.reduce((sum, s) => sum + s.min, 0);
  const maxTasks = scalings.reduce((sum, s) => sum + s.max, 0);
  return {
    ...estimate,
    assumptions: [
      ...estimate.assumptions,
      `autoscaling keeps ${minTasks} to ${maxTasks} tasks: priced at ${minTasks}, the total at ${maxTasks} all month shown under the total (the Fargate and task IPv4 lines grow with the count)`,
    ],
    scaling: { minTasks, maxTasks, totalAtMax: ceiling.total },
  };
}

function estimateAt(
  assembly: CloudAssembly,
  assumptions: Assumptions,
  prices: PriceTable,
  at: ScaledAt,
): CostEstimate {
  const region = regionOfAssembly(assembly);
  const rates = regionPrices(prices, region);
  const resources = listResources(assembly);
  const hours = prices.hoursPerMonth;

  const freeByType = new Map<string, string[]>();
  for (const located of resources) {
    const type = located.resource.Type;
    checkIngressSettings(located, fail);
    if (FREE_RESOURCE_TYPES[type] !== undefined) {
      checkFreeSettings(located);
      freeByType.set(type, [...(freeByType.get(type) ?? []), located.logicalId]);
    } else if (PRICED_RESOURCE_TYPES[type] === undefined) {
      fail(located, 'is not in the price table');
    }
  }
  const ofType = (type: string) => resources.filter((r) => r.resource.Type === type);

  const services = ofType('AWS::ECS::Service').map((service) =>
    readService(service, resources, at),
  );
  const lines: CostLine[] = services.flatMap((tasks) => fargateLines(tasks, prices, region));

  const publicIps = services.filter((s) => s.publicIp).reduce((sum, s) => sum + s.count, 0);
  const taskIpv4Monthly = publicIps * hours * rates.publicIpv4Hour;
  if (publicIps > 0) {
    lines.push({
      item: `Public IPv4 address: ${publicIps} (one per task)`,
      quantity: publicIps * hours,
      unit: 'IP-hour',
      unitPrice: rates.publicIpv4Hour,
      monthly: taskIpv4Monthly,
    });
  }
  const ingress = priceIngress(resources, rates, prices);
  lines.push(...ingress.lines);
  const publicIpv4Monthly = taskIpv4Monthly + ingress.publicIpv4Monthly;

  const assumptionTexts = [
    `${hours} hours a month, tasks running all the time at their desired count`,
  ];
  for (const logGroup of ofType('AWS::Logs::LogGroup')) {
    const name = String(props(logGroup)['LogGroupName'] ?? logGroup.logicalId);
    const retention = numberIn(props(logGroup)['RetentionInDays'], logGroup.stack);
    // A function's logs follow its invocations (stated with its lines), not the service's --log-gb.
    const fnLogs = functionLoggingTo(logGroup, resources);
    const ingested = fnLogs ? fnLogs.gb : assumptions.logIngestionGbPerMonth;
    // At steady state the group holds `retention` days of logs (a year's retention: twelve
    // months of them); without retention, a month's worth (and growing).
    const daysKept = Number.isFinite(retention) ? retention : hours / 24;
    const stored = (ingested * daysKept * 24) / hours;
    lines.push(
      {
        item: `CloudWatch Logs ingestion: ${name}`,
        quantity: ingested,
        unit: 'GB',
        unitPrice: rates.logsIngestionGb,
        monthly: ingested * rates.logsIngestionGb,
      },
      {
        // A function's group is named: the service's line reads as it always has.
        item: `CloudWatch Logs storage: ${fnLogs ? `${name}, ` : ''}${Number.isFinite(retention) ? `${retention} days kept` : 'kept for ever'}`,
        quantity: stored,
        unit: 'GB-month',
        unitPrice: rates.logsStorageGbMonth,
        monthly: stored * rates.logsStorageGbMonth,
      },
    );
    if (!fnLogs) {
      assumptionTexts.push(
        `${ingested} GB of logs a month into ${name} (change with --log-gb); storage counted uncompressed, once the group holds its retention's worth`,
      );
    }
  }

  for (const key of ofType('AWS::KMS::Key')) {
    const requests = KMS_REQUESTS_PER_KEY_MONTH;
    // Named by what it encrypts, so the option's lines read the same in every synth.
    const encrypts = ofType('AWS::Logs::LogGroup').find(
      (g) => g.stack === key.stack && getAttOf(props(g)['KmsKeyId']) === key.logicalId,
    );
    const topics = ofType('AWS::SNS::Topic').filter(
      (t) => t.stack === key.stack && referencedId(props(t)['KmsMasterKeyId']) === key.logicalId,
    );
    const label = encrypts
      ? `for ${String(props(encrypts)['LogGroupName'] ?? encrypts.logicalId)}`
      : topics.length > 0
        ? `for the SNS topics (${topics.length})`
        : key.logicalId;
    lines.push(
      {
        item: `KMS key ${label}`,
        quantity: 1,
        unit: 'key-month',
        unitPrice: rates.kmsKeyMonth,
        monthly: rates.kmsKeyMonth,
      },
      {
        item: `KMS requests, key ${label}`,
        quantity: requests,
        unit: 'request',
        unitPrice: rates.kmsRequests10k / 10_000,
        monthly: (requests * rates.kmsRequests10k) / 10_000,
      },
    );
    const rotated = props(key)['EnableKeyRotation'] === true;
    assumptionTexts.push(
      `KMS key ${label} at its first-year price${rotated ? '; its yearly rotation adds $1 a month at each of the first two rotations ($3 a month from the third year)' : ''}; ${requests.toLocaleString('en-US')} requests a month (assumed${encrypts ? ': CloudWatch Logs reuses data keys' : ''}; CloudTrail shows the real count)`,
    );
  }

  for (const cluster of ofType('AWS::ECS::Cluster')) {
    if (containerInsightsOf(cluster) !== 'enabled') continue;
    const name = String(props(cluster)['ClusterName'] ?? cluster.logicalId);
    const inCluster = ofType('AWS::ECS::Service').filter(
      (s) => s.stack === cluster.stack && refOf(props(s)['Cluster']) === cluster.logicalId,
    );
    const families = new Set(
      inCluster.map((s) => {
        const taskDefinitionId = refOf(props(s)['TaskDefinition']);
        const td = resources.find((r) => r.stack === s.stack && r.logicalId === taskDefinitionId);
        return String((td && props(td)['Family']) ?? taskDefinitionId);
      }),
    );
    const tasks = inCluster.reduce((sum, s) => sum + taskCountOf(s, resources, at), 0);
    const model = prices.containerInsights;
    const metrics =
      model.metricsPerCluster +
      model.metricsPerService * inCluster.length +
      model.metricsPerTaskFamily * families.size;
    // One Task and one Container event per task, one per service and one per cluster, each minute.
    const eventsPerMinute = 2 * tasks + inCluster.length + 1;
    const eventsGb = (eventsPerMinute * PERFORMANCE_EVENT_KB * 60 * hours) / (1024 * 1024);
    lines.push(
      {
        item: `Container Insights metrics: ${name}`,
        quantity: metrics,
        unit: 'metric-month',
        unitPrice: rates.customMetricMonth,
        monthly: metrics * rates.customMetricMonth,
      },
      {
        item: `Container Insights performance events: ${name}`,
        quantity: eventsGb,
        unit: 'GB',
        unitPrice: rates.logsIngestionGb,
        monthly: eventsGb * rates.logsIngestionGb,
      },
    );
    assumptionTexts.push(
      `Container Insights on ${name}: ${metrics} metrics (${model.metricsPerCluster} for the cluster, ${model.metricsPerService} per service, ${model.metricsPerTaskFamily} per task family) and ~${PERFORMANCE_EVENT_KB} KB performance events every minute per task, container, service and cluster`,
    );
  }

  const alarms = ofType('AWS::CloudWatch::Alarm').map(readAlarm);
  for (const resolution of ['standard', 'highResolution'] as const) {
    const billed = alarms.filter((a) => a.resolution === resolution);
    if (billed.length === 0) continue;
    const metrics = billed.reduce((sum, a) => sum + a.metrics, 0);
    const unitPrice = rates.alarmMetricMonth[resolution];
    lines.push({
      item: `CloudWatch alarms, ${resolution === 'standard' ? 'standard' : 'high'} resolution: ${billed.length}`,
      quantity: metrics,
      unit: 'alarm metric-month',
      unitPrice,
      monthly: metrics * unitPrice,
    });
  }
  const mathAlarms = alarms.filter((a) => a.math);
  if (mathAlarms.length > 0) {
    assumptionTexts.push(
      `a metric math alarm is billed for each metric its expression reads: ${mathAlarms.map((a) => `${a.name} reads ${a.metrics}`).join(', ')}`,
    );
  }

  for (const filter of ofType('AWS::Logs::MetricFilter')) {
    for (const transformation of asArray(props(filter)['MetricTransformations']) as {
      MetricNamespace?: unknown;
      MetricName?: unknown;
      DefaultValue?: unknown;
      Dimensions?: unknown;
    }[]) {
      const { template } = filter.stack;
      const metric = `${describeValue(transformation.MetricNamespace, template)}/${describeValue(transformation.MetricName, template)}`;
      lines.push({
        item: `Custom metric ${metric} (log metric filter)`,
        quantity: 1,
        unit: 'metric-month',
        unitPrice: rates.customMetricMonth,
        monthly: rates.customMetricMonth,
      });
      assumptionTexts.push(
        `${metric} billed all month as one custom metric: ${transformation.DefaultValue !== undefined ? 'its default value reports it with every batch of log lines' : 'at most; it is billed only for the hours in which lines match'}${asArray(transformation.Dimensions).length > 0 ? '; each distinct value of its dimensions is one more metric' : ''}`,
      );
    }
  }

  for (const dashboard of ofType('AWS::CloudWatch::Dashboard')) {
    const name = describeValue(
      props(dashboard)['DashboardName'] ?? dashboard.logicalId,
      dashboard.stack.template,
    );
    lines.push({
      item: `CloudWatch dashboard ${name}`,
      quantity: 1,
      unit: 'dashboard-month',
      unitPrice: rates.dashboardMonth,
      monthly: rates.dashboardMonth,
    });
    assumptionTexts.push(
      `dashboard ${name} at ${formatPrice(rates.dashboardMonth)} a month: the first 3 dashboards of an account (up to 50 metrics each) are free, so it costs nothing in an account with no more than 3`,
    );
  }
  if (alarms.length + ofType('AWS::Logs::MetricFilter').length > 0) {
    assumptionTexts.push(
      "CloudWatch's free tier (10 alarm metrics and 10 custom metrics an account, shared by everything in it) left out; the metrics ECS and EventBridge publish themselves (AWS/ECS, AWS/Events) are free",
    );
  }

  for (const repository of ofType('AWS::ECR::Repository')) {
    const name = String(props(repository)['RepositoryName'] ?? repository.logicalId);
    const policy = (
      props(repository)['LifecyclePolicy'] as { LifecyclePolicyText?: string } | undefined
    )?.LifecyclePolicyText;
    const counts = policy
      ? (
          JSON.parse(policy) as {
            rules: { selection: { countType?: string; countNumber?: number } }[];
          }
        ).rules.flatMap(({ selection }) =>
          selection.countType === 'imageCountMoreThan' ? [selection.countNumber ?? 0] : [],
        )
      : [];
    // The smallest count is what builds up to; a rule with a larger count only protects images
    // (releases, the deployed ones) from the rules after it, and those are named as on top.
    const kept = counts.length > 0 ? Math.min(...counts) : undefined;
    if (kept === undefined) fail(repository, 'keeps images without limit (no lifecycle count)');
    if (counts.some((count) => count > kept)) {
      assumptionTexts.push(
        `release images and the images the stacks run, which the lifecycle policy never expires, come on top of the ${kept} kept, ${assumptions.imageSizeMb} MB each`,
      );
    }
    const storedGb = (kept * assumptions.imageSizeMb) / 1024;
    lines.push({
      item: `ECR storage: ${name}, ${kept} images kept`,
      quantity: storedGb,
      unit: 'GB-month',
      unitPrice: rates.ecrStorageGbMonth,
      monthly: storedGb * rates.ecrStorageGbMonth,
    });
    assumptionTexts.push(
      `each image ${assumptions.imageSizeMb} MB in ECR (change with --image-mb), counted in full although images share their base layers`,
    );
  }
  assumptionTexts.push(...ingress.assumptions);
  assumptionTexts.push(
    'no free tier; image pulls inside the region and data out under 100 GB/month cost nothing',
  );
  if (services.some((s) => s.spotShare > 0)) {
    assumptionTexts.push(
      `Fargate Spot at ${prices.spotFractionOfOnDemand * 100}% of on-demand (AWS: "up to 70% off"; Spot prices vary)`,
    );
  }

  const total = lines.reduce((sum, line) => sum + line.monthly, 0);
  const monitoringMonthly = lines
    .filter((line) => MONITORING_LINE.test(line.item))
    .reduce((sum, line) => sum + line.monthly, 0);
  return {
    region,
    currency: prices.currency,
    hoursPerMonth: hours,
    lines: lines.map((line) => ({
      ...line,
      quantity: round(line.quantity, 3),
      monthly: round(line.monthly, 4),
    })),
    total: round(total),
    free: [...freeByType.entries()].map(([type, logicalIds]) => ({
      type,
      logicalIds,
      why: FREE_RESOURCE_TYPES[type],
    })),
    assumptions: assumptionTexts,
    reference: {
      monthly: REFERENCE_ESTIMATE.monthly,
      source: REFERENCE_ESTIMATE.source,
      difference: round(total - REFERENCE_ESTIMATE.monthly),
      publicIpv4Monthly: round(publicIpv4Monthly),
      monitoringMonthly: round(monitoringMonthly),
    },
    fargateOptions: fargateOptions(services, prices),
    prices: {
      asOf: prices.asOf,
      note: prices.note,
      sources: {
        ...prices.sources,
        ...Object.fromEntries(
          ingress.sources.map((source) => [source, prices.sourcesWhenUsed[source]]),
        ),
      },
    },
  };
}
