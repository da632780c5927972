/**
 * How traffic reaches an environment's tasks (the `ingress` setting): the reference's public task
 * IP, a DNS name that follows the tasks, or an Application Load Balancer with HTTPS and
 * autoscaling. One source for the modes, the stack outputs that say which one a live stack runs,
 * and the DNS record's ownership marker that the updater Lambda, status, doctor and destroy share.
 */
export type IngressMode = 'public-ip' | 'dns' | 'alb';

export const INGRESS_MODES: readonly IngressMode[] = ['public-ip', 'dns', 'alb'];

/** The reference's: each task's own public IP, which changes on every deploy. */
export const DEFAULT_INGRESS: IngressMode = 'public-ip';

export function isIngressMode(value: string): value is IngressMode {
  return (INGRESS_MODES as readonly string[]).includes(value);
}

/**
 * Outputs of a dns or alb service stack (a public-ip stack has none of them, so its template is
 * the reference's): ops read the mode from IngressMode, and treat its absence as public-ip.
 */
export const INGRESS_OUTPUTS = {
  ingressMode: 'IngressMode',
  /** The name users reach the service at (dns and alb). */
  domainName: 'DomainName',
  hostedZoneId: 'HostedZoneId',
  /** The zone's name as configured (HOSTED_ZONE_NAME): the deploy checks the zone id has it. */
  hostedZoneName: 'HostedZoneName',
  /** alb only: the load balancer's own DNS name, its ARN and its target group's ARN. */
  loadBalancerDnsName: 'LoadBalancerDnsName',
  loadBalancerArn: 'LoadBalancerArn',
  targetGroupArn: 'TargetGroupArn',
} as const;

/** TTL of the dns mode's A record: a new task is reachable at most a minute after it runs. */
export const DNS_RECORD_TTL_SECONDS = 60;

/** The alb mode's listeners. */
export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;

/**
 * The TXT record beside a dns-mode A record that says which deployment owns it. Route 53 records
 * carry no tags: without a marker the updater could not tell its own record from one someone
 * else made at that name, which it must leave alone. A separate name (not a TXT at the same name)
 * so an apex domain's own TXT records (SPF, verification) are never touched.
 */
export function dnsOwnerRecordName(domainName: string): string {
  return `_ecs-owner.${normalizeDomainName(domainName)}`;
}

/** The owner marker's value, as Route 53 stores a TXT value (quoted). */
export function dnsOwnerRecordValue(deployment: string): string {
  return `"ecs-owner=${deployment}"`;
}

/**
 * A domain name as Route 53 compares it: lowercase, no trailing dot. Route 53 answers
 * ListResourceRecordSets with a trailing dot (`api.example.com.`); users write it without.
 */
export function normalizeDomainName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** Whether `domainName` is the zone's apex or a name inside it (`api.example.com` in `example.com`). */
export function isDomainInZone(domainName: string, zoneName: string): boolean {
  const domain = normalizeDomainName(domainName);
  const zone = normalizeDomainName(zoneName);
  return domain === zone || domain.endsWith(`.${zone}`);
}

/**
 * A DNS name Route 53 and ACM accept for a record and a certificate: 1–253 characters of labels
 * (letters, digits, hyphens, not starting or ending with a hyphen, ≤63 each), at least two labels,
 * no wildcard, no trailing dot needed.
 */
export const DOMAIN_NAME_PATTERN =
  '^(?=.{1,253}\\.?$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?$';

export function isDomainName(value: string): boolean {
  return new RegExp(DOMAIN_NAME_PATTERN).test(value);
}

/** A Route 53 hosted zone id as the console shows it (`Z0123456789ABCDEFGHIJ`), without `/hostedzone/`. */
export const HOSTED_ZONE_ID_PATTERN = '^Z[A-Z0-9]{1,31}$';

export function isHostedZoneId(value: string): boolean {
  return new RegExp(HOSTED_ZONE_ID_PATTERN).test(value);
}
