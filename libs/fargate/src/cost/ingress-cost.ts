import type { CfnResource, SynthesizedStack } from '../diagram/cloud-assembly';
import { asArray, describeValue, referencedId } from '../diagram/template-values';
import type { CostLine } from './estimate';
import type { Architecture, IngressPriceSource, PriceTable, RegionPrices } from './prices';

/*
 * The resources of the dns and alb ingress modes, priced from the templates (never from the mode's
 * name): a load balancer, its public addresses and LCUs; the Route 53 zone and queries of the
 * names the templates serve or have a function maintain; that function's requests, compute and
 * logs; the alarms target tracking makes. The default (public-ip) templates hold none of these.
 */

/**
 * LCUs an hour assumed for a small service: one, all month. An LCU is 25 new connections a
 * second, 3,000 active connections a minute, 1 GB processed an hour or 1,000 rule evaluations a
 * second (whichever is highest), billed by the fraction used: a small service uses less, so one
 * is an upper bound until CloudWatch's ConsumedLCUs says otherwise.
 */
export const ALB_LCUS_PER_HOUR = 1;

/** Standard queries a month for a record a function keeps (TTL 60 s: a resolver asks at most once a minute). */
export const DNS_QUERIES_PER_MONTH = 1_000_000;

/**
 * Invocations a month of a function an EventBridge rule on ECS task state changes runs: a few
 * events for each task start and stop, deploys and scaling included, with room to spare.
 */
export const LAMBDA_INVOCATIONS_PER_MONTH = 5_000;

/** Billed duration per invocation: a few ECS, EC2 and Route 53 calls, rounded up. */
export const LAMBDA_SECONDS_PER_INVOCATION = 1;

/** Log data per invocation: Lambda's START, END and REPORT lines and a line of the function's. */
export const LAMBDA_LOG_KB_PER_INVOCATION = 2;

/** Alarms Application Auto Scaling creates for each target tracking policy: one to scale out, one in. */
export const TARGET_TRACKING_ALARMS_PER_POLICY = 2;

/** Lambda's default memory, when the template does not say. */
const DEFAULT_LAMBDA_MEMORY_MB = 128;

/** Resource types of the ingress modes that cost nothing by themselves, and why. */
export const INGRESS_FREE_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'AWS::ElasticLoadBalancingV2::Listener': "billed through its load balancer's hours and LCUs",
  'AWS::ElasticLoadBalancingV2::ListenerRule':
    "billed through its load balancer's LCUs (rule evaluations)",
  'AWS::ElasticLoadBalancingV2::TargetGroup':
    'billed through its load balancer; its health checks are free',
  'AWS::CertificateManager::Certificate':
    'public certificates ACM manages are free (private CA and exportable certificates are billed, and refused here)',
  'AWS::ApplicationAutoScaling::ScalableTarget':
    'Application Auto Scaling is free; the tasks it adds are Fargate hours (priced at its minimum, its maximum shown)',
  'AWS::Lambda::Permission': 'free',
  'AWS::Lambda::EventInvokeConfig': 'free',
  'AWS::SQS::Queue':
    'no charge per queue; requests $0.40 per million after the first million a month: a dead-letter queue sees only the events that could not be delivered',
  'AWS::SQS::QueuePolicy': 'free',
};

/** Ingress resource types the estimate prices, each in its own lines. */
export const INGRESS_PRICED_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer':
    'load balancer-hours, LCU-hours and, internet-facing, a public IPv4 address per Availability Zone',
  'AWS::Route53::RecordSet':
    "queries to the record (free for an alias to a load balancer) and its hosted zone's month",
  'AWS::Lambda::Function':
    'requests and GB-seconds; with a HOSTED_ZONE_ID and DOMAIN_NAME to keep, that zone and the queries to the name',
  'AWS::ApplicationAutoScaling::ScalingPolicy':
    'the CloudWatch alarms a target tracking policy creates (2 a policy)',
};

interface Located {
  readonly stack: SynthesizedStack;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

export type Fail = (located: Located, problem: string) => never;

const props = (located: Located): Record<string, unknown> => located.resource.Properties ?? {};

/** `app.example.com.` → `app.example.com`. */
const withoutDot = (name: string) => name.replace(/\.$/, '');

/** Refuses settings of the ingress modes' free or priced types that are billed beyond what is priced. */
export function checkIngressSettings(located: Located, fail: Fail): void {
  const p = props(located);
  switch (located.resource.Type) {
    case 'AWS::CertificateManager::Certificate':
      if (p['CertificateAuthorityArn'] !== undefined)
        fail(located, 'is issued by a private certificate authority, which is billed');
      if (p['CertificateExport'] === 'ENABLED')
        fail(located, 'is an exportable public certificate, which is billed');
      return;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      if ((p['Type'] ?? 'application') !== 'application')
        fail(located, `is a ${String(p['Type'])} load balancer, priced differently`);
      return;
    case 'AWS::Route53::RecordSet':
      for (const routing of ['GeoLocation', 'GeoProximityLocation', 'Region', 'CidrRoutingConfig'])
        if (p[routing] !== undefined)
          fail(located, `routes by ${routing}, whose queries are billed at a higher price`);
      if (p['HealthCheckId'] !== undefined)
        fail(located, 'has a Route 53 health check, which is billed');
      return;
    case 'AWS::SQS::Queue':
      // SQS-managed encryption is free; a KMS key of the template's is priced as a key.
      if (typeof p['KmsMasterKeyId'] === 'string' && !p['KmsMasterKeyId'].startsWith('alias/aws/'))
        fail(
          located,
          'is encrypted with a KMS key outside the template, whose requests are not priced',
        );
      return;
    case 'AWS::ApplicationAutoScaling::ScalingPolicy':
      if (p['PolicyType'] !== 'TargetTrackingScaling')
        fail(located, `is a ${String(p['PolicyType'])} policy, whose alarms are not priced here`);
      return;
    default:
  }
}

/** What a service's autoscaling lets its task count range over, if it has any. */
export interface TaskScaling {
  readonly min: number;
  readonly max: number;
}

/**
 * The scalable target of an ECS service's desired count: its ResourceId joins `service/`, the
 * cluster and the service's name (a GetAtt of the service in CDK's templates).
 */
export function scalingOf(
  service: Located,
  resources: readonly Located[],
): TaskScaling | undefined {
  const target = resources.find((r) => {
    if (
      r.stack !== service.stack ||
      r.resource.Type !== 'AWS::ApplicationAutoScaling::ScalableTarget'
    )
      return false;
    const p = props(r);
    return (
      p['ScalableDimension'] === 'ecs:service:DesiredCount' &&
      JSON.stringify(p['ResourceId'] ?? '').includes(`"${service.logicalId}"`)
    );
  });
  if (!target) return undefined;
  return { min: Number(props(target)['MinCapacity']), max: Number(props(target)['MaxCapacity']) };
}

interface LambdaFunction {
  readonly located: Located;
  readonly name: string;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  readonly environment: Record<string, unknown>;
}

function readFunction(located: Located): LambdaFunction {
  const p = props(located);
  const architecture = asArray(p['Architectures']).includes('arm64') ? 'ARM64' : 'X86_64';
  return {
    located,
    name: describeValue(p['FunctionName'] ?? located.logicalId, located.stack.template),
    memoryMb: Number(p['MemorySize'] ?? DEFAULT_LAMBDA_MEMORY_MB),
    architecture,
    environment:
      (p['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
  };
}

/**
 * The function whose logs a log group holds: named `/aws/lambda/<function name>` or given to it
 * as its LoggingConfig's log group. Its logs are priced per invocation, not by --log-gb.
 */
export function functionLoggingTo(
  logGroup: Located,
  resources: readonly Located[],
): { name: string; gb: number; invocations: number } | undefined {
  const groupName = props(logGroup)['LogGroupName'];
  const fn = resources
    .filter((r) => r.stack === logGroup.stack && r.resource.Type === 'AWS::Lambda::Function')
    .find((r) => {
      const p = props(r);
      const logging = (p['LoggingConfig'] as { LogGroup?: unknown } | undefined)?.LogGroup;
      return (
        referencedId(logging) === logGroup.logicalId ||
        (typeof p['FunctionName'] === 'string' && groupName === `/aws/lambda/${p['FunctionName']}`)
      );
    });
  if (!fn) return undefined;
  const invocations = LAMBDA_INVOCATIONS_PER_MONTH;
  return {
    name: readFunction(fn).name,
    invocations,
    gb: (invocations * LAMBDA_LOG_KB_PER_INVOCATION) / (1024 * 1024),
  };
}

export interface IngressCost {
  readonly lines: CostLine[];
  readonly assumptions: string[];
  readonly sources: IngressPriceSource[];
  /** The load balancers' public IPv4 addresses, which the reference's estimate did not have either. */
  readonly publicIpv4Monthly: number;
}

/** A hosted zone a template names, and what named it. */
interface Zone {
  readonly id: string;
  readonly by: string;
}

/** The lines of the ingress modes' resources; none for templates without them. */
export function priceIngress(
  resources: readonly Located[],
  rates: RegionPrices,
  prices: PriceTable,
): IngressCost {
  const hours = prices.hoursPerMonth;
  const ofType = (type: string) => resources.filter((r) => r.resource.Type === type);
  const lines: CostLine[] = [];
  const assumptions: string[] = [];
  const sources = new Set<IngressPriceSource>();
  let publicIpv4Monthly = 0;

  const balancers = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer');
  for (const balancer of balancers) {
    const p = props(balancer);
    // CDK leaves the name to CloudFormation: the logical ID tells several apart.
    const given = p['Name'] ?? (balancers.length > 1 ? balancer.logicalId : undefined);
    const name = given === undefined ? '' : ` ${describeValue(given, balancer.stack.template)}`;
    const alb = rates.applicationLoadBalancer;
    const lcuHours = ALB_LCUS_PER_HOUR * hours;
    lines.push(
      {
        item: `Application Load Balancer${name}`,
        quantity: hours,
        unit: 'ALB-hour',
        unitPrice: alb.hour,
        monthly: hours * alb.hour,
      },
      {
        item: `Application Load Balancer${name}: LCUs`,
        quantity: lcuHours,
        unit: 'LCU-hour',
        unitPrice: alb.lcuHour,
        monthly: lcuHours * alb.lcuHour,
      },
    );
    assumptions.push(
      `${ALB_LCUS_PER_HOUR} LCU every hour for the load balancer${name}: an LCU is 25 new connections a second, 3,000 active connections a minute, 1 GB processed an hour or 1,000 rule evaluations a second, whichever is highest, billed by the fraction used; a small service uses less (CloudWatch's ConsumedLCUs shows it)`,
    );
    if ((p['Scheme'] ?? 'internet-facing') === 'internet-facing') {
      // One address per Availability Zone it is in: one per subnet.
      const zones = asArray(p['Subnets'] ?? p['SubnetMappings']).length;
      const monthly = zones * hours * rates.publicIpv4Hour;
      publicIpv4Monthly += monthly;
      lines.push({
        item: `Public IPv4 addresses of the load balancer${name}: ${zones} (one per AZ)`,
        quantity: zones * hours,
        unit: 'IP-hour',
        unitPrice: rates.publicIpv4Hour,
        monthly,
      });
    }
    sources.add('elasticLoadBalancing');
  }
  if (ofType('AWS::CertificateManager::Certificate').length > 0) sources.add('certificateManager');

  const functions = ofType('AWS::Lambda::Function').map(readFunction);
  const zones: Zone[] = [];
  const addZone = (value: unknown, located: Located, by: string) => {
    if (value === undefined) return;
    const id = describeValue(value, located.stack.template);
    if (!zones.some((zone) => zone.id === id)) zones.push({ id, by });
  };
  const route53 = prices.route53;
  const queryLine = (record: string, alias: boolean): CostLine => {
    const millions = DNS_QUERIES_PER_MONTH / 1_000_000;
    const unitPrice = alias ? route53.aliasQueriesMillion : route53.standardQueriesMillion;
    return {
      item: `Route 53 queries: ${record}`,
      quantity: millions,
      unit: 'million queries',
      unitPrice,
      monthly: millions * unitPrice,
    };
  };
  const queryLines: CostLine[] = [];
  for (const record of ofType('AWS::Route53::RecordSet')) {
    const p = props(record);
    const name = withoutDot(describeValue(p['Name'], record.stack.template));
    // CDK joins `dualstack.` to the load balancer's DNSName: any load balancer named in it.
    const alias = JSON.stringify(p['AliasTarget'] ?? null);
    const toBalancer = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').some(
      (balancer) =>
        balancer.stack === record.stack &&
        alias.includes(`"Fn::GetAtt":["${balancer.logicalId}","DNSName"]`),
    );
    queryLines.push(
      queryLine(
        `${name} ${String(p['Type'])}${toBalancer ? ' alias → load balancer (free)' : ''}`,
        toBalancer,
      ),
    );
    addZone(p['HostedZoneId'] ?? p['HostedZoneName'], record, `record ${name}`);
  }
  for (const certificate of ofType('AWS::CertificateManager::Certificate')) {
    for (const option of asArray(props(certificate)['DomainValidationOptions']) as {
      HostedZoneId?: unknown;
    }[]) {
      addZone(option.HostedZoneId, certificate, 'the certificate’s DNS validation');
    }
  }
  for (const fn of functions) {
    const zone = fn.environment['HOSTED_ZONE_ID'];
    const domain = fn.environment['DOMAIN_NAME'];
    if (zone === undefined || domain === undefined) continue;
    const name = withoutDot(describeValue(domain, fn.located.stack.template));
    queryLines.push(queryLine(`${name} A, kept by function ${fn.name}`, false));
    addZone(zone, fn.located, `function ${fn.name}`);
  }
  for (const zone of zones) {
    lines.push({
      item: `Route 53 hosted zone ${zone.id} (yours: billed once, maybe already)`,
      quantity: 1,
      unit: 'zone-month',
      unitPrice: route53.hostedZoneMonth,
      monthly: route53.hostedZoneMonth,
    });
    assumptions.push(
      `hosted zone ${zone.id}, named by ${zone.by}, is the one you gave: counted in full, though an account pays it once whatever uses it, and may pay it already`,
    );
  }
  lines.push(...queryLines);
  if (queryLines.length > 0) {
    assumptions.push(
      `${DNS_QUERIES_PER_MONTH.toLocaleString('en-US')} queries a month for each name (a TTL of 60 s lets a resolver ask at most once a minute); queries to an alias of a load balancer are free`,
    );
  }
  if (zones.length + queryLines.length > 0) sources.add('route53');

  for (const fn of functions) {
    const invocations = LAMBDA_INVOCATIONS_PER_MONTH;
    const gbSeconds = (invocations * LAMBDA_SECONDS_PER_INVOCATION * fn.memoryMb) / 1024;
    const perGbSecond = rates.lambda.gbSecond[fn.architecture];
    const millions = invocations / 1_000_000;
    lines.push(
      {
        item: `Lambda requests: ${fn.name}`,
        quantity: millions,
        unit: 'million requests',
        unitPrice: rates.lambda.requestsMillion,
        monthly: millions * rates.lambda.requestsMillion,
      },
      {
        item: `Lambda compute: ${fn.name}, ${fn.memoryMb} MB ${fn.architecture}`,
        quantity: gbSeconds,
        unit: 'GB-second',
        unitPrice: perGbSecond,
        monthly: gbSeconds * perGbSecond,
      },
    );
    assumptions.push(
      `function ${fn.name}: ${invocations.toLocaleString('en-US')} invocations a month (a few for each task start and stop, deploys and scaling included) of ${LAMBDA_SECONDS_PER_INVOCATION} s each, and ${LAMBDA_LOG_KB_PER_INVOCATION} KB of logs each; Lambda's free tier (1 million requests and 400,000 GB-seconds a month) would make it $0`,
    );
    sources.add('lambda');
  }

  const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy');
  if (policies.length > 0) {
    const alarms = policies.length * TARGET_TRACKING_ALARMS_PER_POLICY;
    const unitPrice = rates.alarmMetricMonth.standard;
    lines.push({
      item: `Target tracking alarms: ${alarms} (${TARGET_TRACKING_ALARMS_PER_POLICY} per scaling policy)`,
      quantity: alarms,
      unit: 'alarm metric-month',
      unitPrice,
      monthly: alarms * unitPrice,
    });
    assumptions.push(
      `each target tracking policy (${policies.length}) has Application Auto Scaling create ${TARGET_TRACKING_ALARMS_PER_POLICY} standard-resolution CloudWatch alarms, billed as any other`,
    );
  }
  return { lines, assumptions, sources: [...sources], publicIpv4Monthly };
}
