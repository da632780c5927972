import {
  ListResourceRecordSetsCommand,
  RRType,
  ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { dnsOwnerRecordName, dnsOwnerRecordValue, normalizeDomainName } from '@hello-world/shared';

/** Where the dns mode's record lives and which deployment may own it. */
export interface DnsTarget {
  hostedZoneId: string;
  /** The record's name, without a trailing dot. */
  domainName: string;
  /** The deployment name the owner TXT record carries. */
  owner: string;
}

/** The A record at the domain, and who owns it according to the TXT marker beside it. */
export interface ServiceRecord {
  /** The A record's values, sorted; [] when it is absent (or an alias). */
  values: string[];
  ttl?: number;
  /** `ours`: the marker names this deployment; `foreign`: another one; `none`: no marker. */
  owner: 'ours' | 'foreign' | 'none';
  /** Whether an A record exists at the domain at all. */
  exists: boolean;
}

/** The record sets as Route 53 returned them, for a change that must repeat them exactly. */
export interface RecordSets {
  record: ServiceRecord;
  a?: ResourceRecordSet;
}

/**
 * The one record set of `type` at `name`, or undefined. Route 53 lists a zone in order from
 * StartRecordName/StartRecordType, so the first item is that record when it exists and the next
 * one in the zone when it does not; its names end with a dot.
 */
export async function readRecordSet(
  route53: Route53Client,
  hostedZoneId: string,
  name: string,
  type: RRType,
): Promise<ResourceRecordSet | undefined> {
  const wanted = normalizeDomainName(name);
  const { ResourceRecordSets } = await route53.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      StartRecordName: wanted,
      StartRecordType: type,
      MaxItems: 1,
    }),
  );
  const set = ResourceRecordSets?.[0];
  return set && set.Type === type && normalizeDomainName(set.Name ?? '') === wanted
    ? set
    : undefined;
}

/** The A record and its owner marker, with the raw sets a change needs. */
export async function readRecordSets(
  route53: Route53Client,
  target: DnsTarget,
): Promise<RecordSets> {
  const domain = normalizeDomainName(target.domainName);
  const [a, txt] = await Promise.all([
    readRecordSet(route53, target.hostedZoneId, domain, 'A'),
    readRecordSet(route53, target.hostedZoneId, dnsOwnerRecordName(domain), 'TXT'),
  ]);
  const markers = (txt?.ResourceRecords ?? []).map((r) => r.Value);
  // Ours only when the marker is ours alone: a name two deployments claim is left to a human.
  const owner = !txt
    ? 'none'
    : markers.length === 1 && markers[0] === dnsOwnerRecordValue(target.owner)
      ? 'ours'
      : 'foreign';
  const values = (a?.ResourceRecords ?? []).map((r) => r.Value ?? '').sort();
  return { record: { values, ttl: a?.TTL, owner, exists: a !== undefined }, a };
}

/** The service's A record and who owns it (status, doctor and deploy compare it with the tasks). */
export async function readServiceRecord(
  route53: Route53Client,
  target: DnsTarget,
): Promise<ServiceRecord> {
  return (await readRecordSets(route53, target)).record;
}
