import {
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsRequest,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { explainError, findDeniedAction, isSetupProblem } from '@hello-world/aws-ops';
import {
  DEFAULT_INGRESS,
  INGRESS_OUTPUTS,
  dnsOwnerRecordName,
  dnsOwnerRecordValue,
  isDomainInZone,
  isIngressMode,
  normalizeDomainName,
  type IngressMode,
} from '@hello-world/shared';
import { ConfigError } from '../config';

/** How the synthesized service stack is reached: its mode, and for dns/alb the name and zone. */
export type DeployIngress =
  | { mode: 'public-ip' }
  | {
      mode: 'dns' | 'alb';
      /** Normalized (lowercase, no trailing dot). */
      domainName: string;
      hostedZoneId: string;
      /**
       * HOSTED_ZONE_NAME as configured, normalized, when the template carries it; the zone's
       * real name is compared with it. Without it, the domain is checked against the real name.
       */
      hostedZoneName?: string;
    };

/** The parts of a CloudFormation template the deploy reads (the synthesized or the live one). */
export interface CfnTemplate {
  Resources?: Record<string, { Type?: unknown; Properties?: unknown } | undefined>;
  Outputs?: Record<string, { Value?: unknown } | undefined>;
}

/**
 * The ingress the synthesized service stack declares, from its outputs (the contract: IngressMode,
 * DomainName, HostedZoneId, and HostedZoneName when the stack has it; no IngressMode is public-ip). Read from the template, as the secrets
 * check reads its secrets: what is deployed is the assembly, whatever the shell's settings are now.
 */
export function readTemplateIngress(template: CfnTemplate, templatePath: string): DeployIngress {
  const literal = (key: string): string | undefined => {
    const value = template.Outputs?.[key]?.Value;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const declared = literal(INGRESS_OUTPUTS.ingressMode);
  if (declared === undefined) return { mode: DEFAULT_INGRESS as 'public-ip' };
  if (!isIngressMode(declared)) {
    throw new ConfigError(
      `${templatePath}'s ${INGRESS_OUTPUTS.ingressMode} output is ${JSON.stringify(declared)}, not public-ip, dns or alb: synth again with the tools of this version`,
    );
  }
  if (declared === 'public-ip') return { mode: declared };
  const domainName = literal(INGRESS_OUTPUTS.domainName);
  const hostedZoneId = literal(INGRESS_OUTPUTS.hostedZoneId);
  if (!domainName || !hostedZoneId) {
    throw new ConfigError(
      `${templatePath} is ingress ${declared} but has no literal ${domainName ? INGRESS_OUTPUTS.hostedZoneId : INGRESS_OUTPUTS.domainName} output: synth again`,
    );
  }
  // HOSTED_ZONE_NAME, when the stack outputs it: the preflight then checks the zone id names it.
  const hostedZoneName = literal(INGRESS_OUTPUTS.hostedZoneName);
  return {
    mode: declared,
    domainName: normalizeDomainName(domainName),
    hostedZoneId,
    ...(hostedZoneName ? { hostedZoneName: normalizeDomainName(hostedZoneName) } : {}),
  };
}

/** What the messages name: the deployment (the owner marker's value) and its deploy target. */
export interface IngressCheckContext {
  /** The deployment project (`infra`), whose deploy the hints name. */
  project: string;
  /** deploymentNames().deployment: the dns record's owner (`ecs-owner=<deployment>`). */
  owner: string;
  region: string;
}

/** The live service stack as the checks need it: its mode and, for alb, its load balancer. */
export interface LiveIngress {
  mode: IngressMode;
  /** alb: the LoadBalancerDnsName output, the target of the stack's own alias record. */
  loadBalancerDnsName?: string;
}

/**
 * The live service stack's ingress from its outputs (the contract: no IngressMode is public-ip,
 * every stack deployed before the setting). A mode this version does not know is a ConfigError.
 */
export function readLiveIngress(outputs: Record<string, string>, stackName: string): LiveIngress {
  const declared = outputs[INGRESS_OUTPUTS.ingressMode];
  if (declared === undefined || declared === '') return { mode: DEFAULT_INGRESS };
  if (!isIngressMode(declared)) {
    throw new ConfigError(
      `${stackName}'s ${INGRESS_OUTPUTS.ingressMode} output is ${JSON.stringify(declared)}, which this version of the tools does not know: update them (git pull, npm ci)`,
    );
  }
  const loadBalancerDnsName = outputs[INGRESS_OUTPUTS.loadBalancerDnsName];
  return {
    mode: declared,
    ...(declared === 'alb' && loadBalancerDnsName ? { loadBalancerDnsName } : {}),
  };
}

export type IngressCheck =
  { ok: true; zoneName: string } | { ok: false; exitCode: 1 | 2; message: string };

/** The record types that answer for the name itself (what users' lookups of it get). */
const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME']);

/** One call of ListResourceRecordSets returns at most this many; a name has far fewer. */
const RECORDS_PER_PAGE = 100;

/**
 * Before any stack update, for dns and alb: the hosted zone exists, is public, is the one named
 * (HOSTED_ZONE_NAME, when known) and holds DOMAIN_NAME; and the name is free for this
 * deployment: in dns mode no address record there but this deployment's (its owner TXT), in alb
 * mode none but this stack's own alias (CloudFormation would otherwise fail mid-update creating
 * its record). Each refusal is one line naming the next step, exit 2 (the settings or the zone);
 * a Route 53 call the identity may not make is exit 2 naming the permission.
 */
export async function checkIngress(
  route53: Route53Client,
  ingress: DeployIngress,
  live: LiveIngress | undefined,
  context: IngressCheckContext,
): Promise<IngressCheck | undefined> {
  if (ingress.mode === 'public-ip') return undefined;
  const { domainName, hostedZoneId } = ingress;
  let zone;
  try {
    ({ HostedZone: zone } = await route53.send(new GetHostedZoneCommand({ Id: hostedZoneId })));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchHostedZone' || name === 'InvalidInput') {
      return refuse(
        `hosted zone ${hostedZoneId} does not exist in this account: check HOSTED_ZONE_ID (the zone's id in the Route 53 console, e.g. Z0123456789ABCDEFGHIJ) and the account you deploy to`,
      );
    }
    return deniedOrFailed(error, 'route53:GetHostedZone', context, hostedZoneId);
  }
  const zoneName = normalizeDomainName(zone?.Name ?? '');
  if (zone?.Config?.PrivateZone) {
    return refuse(
      `hosted zone ${hostedZoneId} (${zoneName}) is private: the internet cannot resolve ${domainName} in it; set HOSTED_ZONE_ID to a public zone's id`,
    );
  }
  const named = ingress.hostedZoneName && normalizeDomainName(ingress.hostedZoneName);
  if (named && named !== zoneName) {
    return refuse(
      `hosted zone ${hostedZoneId} is ${zoneName}, not ${named}: set HOSTED_ZONE_NAME=${zoneName}, or HOSTED_ZONE_ID to ${named}'s zone`,
    );
  }
  if (!isDomainInZone(domainName, zoneName)) {
    return refuse(
      `DOMAIN_NAME ${domainName} is not in hosted zone ${hostedZoneId} (${zoneName}): set a DOMAIN_NAME ending in .${zoneName}, or HOSTED_ZONE_ID and HOSTED_ZONE_NAME to the zone of ${domainName}`,
    );
  }
  let atName: ResourceRecordSet[];
  let owners: string[];
  try {
    atName = await listRecordsNamed(route53, hostedZoneId, domainName);
    owners =
      ingress.mode === 'dns' || atName.length > 0
        ? (await listRecordsNamed(route53, hostedZoneId, dnsOwnerRecordName(domainName)))
            .filter((r) => r.Type === 'TXT')
            .flatMap((r) => (r.ResourceRecords ?? []).map((v) => v.Value ?? ''))
        : [];
  } catch (error) {
    return deniedOrFailed(error, 'route53:ListResourceRecordSets', context, hostedZoneId);
  }
  const problem = findNameConflict(ingress.mode, domainName, atName, owners, live, context);
  return problem ? refuse(problem) : { ok: true, zoneName };
}

/**
 * Why the name is not this deployment's to use, or undefined. Pure: the records at the name, the
 * owner TXT values at `_ecs-owner.<name>`, and the live stack.
 */
export function findNameConflict(
  mode: 'dns' | 'alb',
  domainName: string,
  atName: readonly ResourceRecordSet[],
  ownerValues: readonly string[],
  live: LiveIngress | undefined,
  context: Pick<IngressCheckContext, 'owner' | 'project'>,
): string | undefined {
  const ours = dnsOwnerRecordValue(context.owner);
  // Ours only when the marker names this deployment alone, as the updater reads it.
  const markedOurs = ownerValues.length > 0 && ownerValues.every((v) => v === ours);
  const addresses = atName.filter((r) => ADDRESS_TYPES.has(r.Type ?? ''));
  // The live alb stack's own alias: CloudFormation removes it (dns) or keeps it (alb).
  const isOwnAlias = (r: ResourceRecordSet) =>
    live?.mode === 'alb' &&
    live.loadBalancerDnsName !== undefined &&
    r.Type === 'A' &&
    r.AliasTarget?.DNSName !== undefined &&
    sameLoadBalancer(r.AliasTarget.DNSName, live.loadBalancerDnsName);
  const others = addresses.filter((r) => !isOwnAlias(r));
  const owner = dnsOwnerRecordName(domainName);
  if (mode === 'dns') {
    const foreignMarker = ownerValues.find((v) => v !== ours);
    if (foreignMarker !== undefined) {
      return `${domainName} is claimed by another deployment (TXT ${foreignMarker} at ${owner}): pick another DOMAIN_NAME, or delete both records if that deployment is gone`;
    }
    // The updater keeps only the A record; AAAA or CNAME would answer for the name beside it.
    const foreign = others.filter((r) => r.Type !== 'A' || !markedOurs);
    const [first] = foreign;
    if (first) {
      return `${domainName} already has ${describeRecord(first)}, which is not this deployment's (no TXT ${ours} at ${owner}): pick another DOMAIN_NAME, or delete that record if it is a leftover, then deploy again`;
    }
    return undefined;
  }
  const [first] = others;
  if (!first) return undefined;
  if (markedOurs && first.Type === 'A' && !first.AliasTarget) {
    // The dns mode's record, kept by its updater until the stack update removes it: CloudFormation
    // cannot create the alias over it, and deleting it first would race the updater.
    return `${domainName} holds this environment's dns-mode A record, which the load balancer's alias cannot replace: deploy with INGRESS=public-ip first (removes its updater), delete the A record ${domainName} and the TXT ${owner} in the zone, then deploy with INGRESS=alb`;
  }
  return `${domainName} already has ${describeRecord(first)}, and CloudFormation would fail creating the load balancer's alias there mid-update: pick another DOMAIN_NAME, or delete that record if it is a leftover, then deploy again`;
}

/** `dualstack.my-alb-1.eu-central-1.elb.amazonaws.com.` is the ALB's `my-alb-1.…elb.amazonaws.com`. */
function sameLoadBalancer(aliasDnsName: string, loadBalancerDnsName: string): boolean {
  const bare = (name: string) => normalizeDomainName(name).replace(/^dualstack\./, '');
  return bare(aliasDnsName) === bare(loadBalancerDnsName);
}

function describeRecord(record: ResourceRecordSet): string {
  const target = record.AliasTarget?.DNSName
    ? `alias ${normalizeDomainName(record.AliasTarget.DNSName)}`
    : (record.ResourceRecords ?? []).map((v) => v.Value).join(', ');
  const article = record.Type === 'CNAME' ? 'a' : 'an';
  return `${article} ${record.Type} record (${target || 'no value'})`;
}

/**
 * Every record set at exactly `name`: ListResourceRecordSets lists the zone in order from
 * StartRecordName, so the first records are the name's (all types, every set identifier).
 */
async function listRecordsNamed(
  route53: Route53Client,
  hostedZoneId: string,
  name: string,
): Promise<ResourceRecordSet[]> {
  const wanted = normalizeDomainName(name);
  const found: ResourceRecordSet[] = [];
  let start: Omit<ListResourceRecordSetsRequest, 'HostedZoneId' | 'MaxItems'> = {
    StartRecordName: wanted,
  };
  for (;;) {
    const page = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: hostedZoneId,
        ...start,
        MaxItems: RECORDS_PER_PAGE,
      }),
    );
    const records = page.ResourceRecordSets ?? [];
    const named = records.filter((r) => normalizeDomainName(r.Name ?? '') === wanted);
    found.push(...named);
    // Past the name, or nothing more: done.
    if (named.length < records.length || !page.IsTruncated || !page.NextRecordName) return found;
    if (normalizeDomainName(page.NextRecordName) !== wanted) return found;
    start = {
      StartRecordName: page.NextRecordName,
      ...(page.NextRecordType ? { StartRecordType: page.NextRecordType } : {}),
      ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
    };
  }
}

function refuse(message: string): IngressCheck {
  return { ok: false, exitCode: 2, message };
}

function deniedOrFailed(
  error: unknown,
  action: string,
  context: IngressCheckContext,
  hostedZoneId: string,
): IngressCheck {
  const problem = explainError(error, { region: context.region, project: context.project });
  if (problem.kind === 'access-denied') {
    const denied = findDeniedAction((error as Error).message ?? '') ?? action;
    return {
      ok: false,
      exitCode: 2,
      message: `cannot check hosted zone ${hostedZoneId} before deploying: your AWS identity may not call ${denied}; add it to the deploy role's (or your) IAM policy`,
    };
  }
  return {
    ok: false,
    exitCode: isSetupProblem(problem) ? 2 : 1,
    message: `cannot check hosted zone ${hostedZoneId} before deploying: ${problem.message}`,
  };
}
