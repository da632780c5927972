/**
 * The price table `nx run infra:cost` uses: AWS's published on-demand list prices in USD.
 *
 * Nothing here is fetched: this machine cannot reach AWS. The numbers are the list prices as
 * published on the source pages below and known to us as of `asOf`, written down on `recorded`.
 * AWS changes prices rarely but does change them: check the sources before you rely on a number,
 * and update the table (and `asOf`) when they differ.
 */
export type Architecture = 'X86_64' | 'ARM64';

export interface RegionPrices {
  /** Fargate, Linux, per vCPU-hour and per GB-hour, by CPU architecture (ARM64 = Graviton). */
  readonly fargate: Record<Architecture, { readonly vcpuHour: number; readonly gbHour: number }>;
  /** In-use public IPv4 address, per hour. */
  readonly publicIpv4Hour: number;
  /** CloudWatch Logs, Standard log class: data ingested, per GB. */
  readonly logsIngestionGb: number;
  /** CloudWatch Logs storage (archived, compressed), per GB-month. */
  readonly logsStorageGbMonth: number;
  /** ECR private repository storage, per GB-month. */
  readonly ecrStorageGbMonth: number;
  /** A customer managed KMS key, per key-month (the first year, before any rotation). */
  readonly kmsKeyMonth: number;
  /** KMS requests (symmetric keys), per 10,000. */
  readonly kmsRequests10k: number;
  /** CloudWatch custom metrics, per metric-month (the first 10,000 metrics tier). */
  readonly customMetricMonth: number;
  /**
   * CloudWatch metric alarms, per alarm metric a month: standard resolution (a period of 60 s or
   * more) and high resolution (10 s or 30 s). A metric math alarm is billed for each metric its
   * expression reads.
   */
  readonly alarmMetricMonth: { readonly standard: number; readonly highResolution: number };
  /** A CloudWatch dashboard, per dashboard-month (beyond the account's first 3 free ones). */
  readonly dashboardMonth: number;
  /** Application Load Balancer: per load balancer-hour and per LCU-hour. */
  readonly applicationLoadBalancer: { readonly hour: number; readonly lcuHour: number };
  /** Lambda: per million requests, and per GB-second of compute by architecture. */
  readonly lambda: {
    readonly requestsMillion: number;
    readonly gbSecond: Record<Architecture, number>;
  };
}

/** Route 53 is a global service: one price everywhere. */
export interface Route53Prices {
  /** A hosted zone, per zone-month (the first 25 zones of an account). */
  readonly hostedZoneMonth: number;
  /** Standard queries, per million (the first billion a month). */
  readonly standardQueriesMillion: number;
  /** Queries to an alias record that points at an AWS resource (a load balancer): free. */
  readonly aliasQueriesMillion: number;
}

/**
 * What Container Insights (standard, the `enabled` cluster setting) publishes for ECS on Fargate,
 * as the CloudWatch User Guide lists its ECS/ContainerInsights metrics: 10 utilization metrics
 * (CPU and memory used and reserved, network rx/tx, storage read/write, ephemeral storage used
 * and reserved) for each of the cluster, each service and each task family, plus 3 counts per
 * cluster (container instances, services, tasks) and 5 per service (deployments, desired,
 * pending and running tasks, task sets). All are billed as custom metrics.
 */
export interface ContainerInsightsModel {
  readonly metricsPerCluster: number;
  readonly metricsPerService: number;
  readonly metricsPerTaskFamily: number;
}

export interface PriceTable {
  readonly currency: 'USD';
  readonly asOf: string;
  readonly recorded: string;
  readonly note: string;
  /** AWS's own convention for monthly estimates (24 × 365 / 12). */
  readonly hoursPerMonth: number;
  /**
   * Fargate Spot is priced per region and moves with spare capacity; AWS advertises "up to a 70%
   * discount" on Fargate. We price Spot as this fraction of on-demand: the advertised best case.
   */
  readonly spotFractionOfOnDemand: number;
  /** Architectures Fargate Spot runs (Linux X86_64 only at `asOf`). */
  readonly spotArchitectures: readonly Architecture[];
  readonly containerInsights: ContainerInsightsModel;
  readonly sources: Readonly<Record<string, string>>;
  /**
   * Sources of prices only some templates use (the dns and alb ingress modes): an estimate names
   * them only when it prices what they cover, so the default templates' estimate stays as it was.
   */
  readonly sourcesWhenUsed: Readonly<Record<IngressPriceSource, string>>;
  readonly route53: Route53Prices;
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

export type IngressPriceSource =
  'elasticLoadBalancing' | 'route53' | 'lambda' | 'certificateManager';

export const PRICES: PriceTable = {
  currency: 'USD',
  asOf: '2025-01',
  recorded: '2026-11-25',
  note: 'Published list prices as known on the asOf date, recorded without network access to AWS; check the sources before relying on them.',
  hoursPerMonth: 730,
  spotFractionOfOnDemand: 0.3,
  spotArchitectures: ['X86_64'],
  containerInsights: { metricsPerCluster: 13, metricsPerService: 15, metricsPerTaskFamily: 10 },
  sources: {
    fargate: 'https://aws.amazon.com/fargate/pricing/',
    publicIpv4:
      'https://aws.amazon.com/vpc/pricing/ (Public IPv4 addresses; charged since 2024-02-01: https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/)',
    cloudwatchLogs: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, Standard log class)',
    ecr: 'https://aws.amazon.com/ecr/pricing/',
    kms: 'https://aws.amazon.com/kms/pricing/ (key storage and requests; automatic rotation adds $1/month at each of the first two rotations)',
    containerInsights:
      'https://aws.amazon.com/cloudwatch/pricing/ (custom metrics; performance log events are billed as Logs ingestion) and https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html (recorded 2026-12-03)',
    cloudwatch:
      'https://aws.amazon.com/cloudwatch/pricing/ (Alarms: $0.10 per standard-resolution and $0.30 per high-resolution alarm metric a month, a metric math alarm per metric in its expression; Dashboards: $3.00 per dashboard a month, the first 3 of an account, up to 50 metrics each, free; metric filters publish custom metrics; recorded 2026-12-03)',
    sns: 'https://aws.amazon.com/sns/pricing/ (standard topics: no charge per topic; the first 1 million publishes a month free, then $0.50 per million; email deliveries: the first 1,000 a month free, then $2.00 per 100,000; recorded 2026-12-03)',
    eventbridge:
      'https://aws.amazon.com/eventbridge/pricing/ (events published by AWS services to the default event bus are free; recorded 2026-12-03)',
  },
  sourcesWhenUsed: {
    elasticLoadBalancing:
      'https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer: per load balancer-hour, $0.0225 in us-east-1 and $0.0252 in eu-west-1, and $0.008 per LCU-hour in both; an LCU is 25 new connections a second, 3,000 active connections a minute, 1 GB processed an hour or 1,000 rule evaluations a second, whichever is highest; an internet-facing load balancer has a public IPv4 address per Availability Zone, billed as any other: https://aws.amazon.com/vpc/pricing/; recorded 2026-12-04)',
    route53:
      'https://aws.amazon.com/route53/pricing/ ($0.50 per hosted zone a month for the first 25 zones; $0.40 per million standard queries for the first billion a month; queries to alias records that point at an Elastic Load Balancing load balancer are free; recorded 2026-12-04)',
    lambda:
      'https://aws.amazon.com/lambda/pricing/ ($0.20 per million requests; $0.0000166667 per GB-second on x86 and $0.0000133334 on Arm in us-east-1 and eu-west-1; recorded 2026-12-04)',
    certificateManager:
      'https://aws.amazon.com/certificate-manager/pricing/ (public certificates that ACM manages and that are not exportable: no charge; recorded 2026-12-04)',
  },
  route53: { hostedZoneMonth: 0.5, standardQueriesMillion: 0.4, aliasQueriesMillion: 0 },
  regions: {
    'us-east-1': {
      fargate: {
        X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
        ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 },
      },
      publicIpv4Hour: 0.005,
      logsIngestionGb: 0.5,
      logsStorageGbMonth: 0.03,
      ecrStorageGbMonth: 0.1,
      kmsKeyMonth: 1,
      kmsRequests10k: 0.03,
      customMetricMonth: 0.3,
      alarmMetricMonth: { standard: 0.1, highResolution: 0.3 },
      dashboardMonth: 3,
      applicationLoadBalancer: { hour: 0.0225, lcuHour: 0.008 },
      lambda: { requestsMillion: 0.2, gbSecond: { X86_64: 0.0000166667, ARM64: 0.0000133334 } },
    },
    'eu-west-1': {
      fargate: {
        X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
        ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 },
      },
      publicIpv4Hour: 0.005,
      logsIngestionGb: 0.57,
      logsStorageGbMonth: 0.03,
      ecrStorageGbMonth: 0.1,
      kmsKeyMonth: 1,
      kmsRequests10k: 0.03,
      customMetricMonth: 0.3,
      alarmMetricMonth: { standard: 0.1, highResolution: 0.3 },
      dashboardMonth: 3,
      applicationLoadBalancer: { hour: 0.0252, lcuHour: 0.008 },
      lambda: { requestsMillion: 0.2, gbSecond: { X86_64: 0.0000166667, ARM64: 0.0000133334 } },
    },
  },
};

/** The reference system's own "Cost Estimation" table: no public IPv4 line. */
export const REFERENCE_ESTIMATE = {
  monthly: 11,
  source: 'the reference\'s "Cost Estimation": Fargate ~$10, ECR ~$0.10/GB, Logs ~$0.50',
} as const;
