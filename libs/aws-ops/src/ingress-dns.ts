import { ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import { dnsOwnerRecordName, dnsOwnerRecordValue } from '@hello-world/shared';
import { deleteRecordSets, findRecordSet, recordValues } from './ingress-records';

/** The dns mode's record, as the updater Lambda manages it. */
export interface DnsTarget {
  hostedZoneId: string;
  domainName: string;
  /** The deployment name the owner TXT carries. */
  owner: string;
}

/** The A record and what its owner TXT says. */
export interface ServiceRecord {
  /** The A record's values, sorted; [] when it is absent. */
  values: string[];
  ttl?: number;
  /** ours: the TXT names this deployment; foreign: another; none: no TXT. */
  owner: 'ours' | 'foreign' | 'none';
  exists: boolean;
}

function ownerOf(txt: ResourceRecordSet | undefined, owner: string): ServiceRecord['owner'] {
  if (!txt) return 'none';
  return recordValues(txt).includes(dnsOwnerRecordValue(owner)) ? 'ours' : 'foreign';
}

async function readRecordSets(route53: Route53Client, target: DnsTarget) {
  const [a, txt] = await Promise.all([
    findRecordSet(route53, target.hostedZoneId, target.domainName, 'A'),
    findRecordSet(route53, target.hostedZoneId, dnsOwnerRecordName(target.domainName), 'TXT'),
  ]);
  return { a, txt };
}

/** The A record at the domain and its owner marker, read as the updater Lambda reads them. */
export async function readServiceRecord(
  route53: Route53Client,
  target: DnsTarget,
): Promise<ServiceRecord> {
  const { a, txt } = await readRecordSets(route53, target);
  return {
    values: recordValues(a),
    ...(a?.TTL !== undefined ? { ttl: a.TTL } : {}),
    owner: ownerOf(txt, target.owner),
    exists: a !== undefined,
  };
}

/** The record against the running tasks' public IPs. */
export interface DnsRecordCheck {
  domainName: string;
  hostedZoneId: string;
  record: ServiceRecord;
  /** The running tasks' public IPs, sorted. */
  taskIps: string[];
  /** The record holds exactly the tasks' IPs (or, with no task, is absent) and is ours. */
  matches: boolean;
}

/**
 * Whether the record is what the updater keeps it at: exactly the running tasks' IPs, owned by
 * this deployment; with no task running, absent (its values would be released IPs).
 */
export function compareServiceRecord(
  target: DnsTarget,
  record: ServiceRecord,
  taskIps: readonly string[],
): DnsRecordCheck {
  const ips = [...taskIps].sort();
  const sameValues =
    record.values.length === ips.length && record.values.every((v, i) => v === ips[i]);
  const matches = record.exists ? record.owner === 'ours' && sameValues : ips.length === 0;
  return {
    domainName: target.domainName,
    hostedZoneId: target.hostedZoneId,
    record,
    taskIps: ips,
    matches,
  };
}

/** What destroy did with the dns record. */
export type RecordRemoval =
  /** Deleted the listed names (the A record, when there was one, and the owner TXT). */
  | { outcome: 'removed'; removed: string[]; values: string[] }
  /** The TXT names another deployment, or there is none beside an A record: left alone. */
  | { outcome: 'foreign'; domainName: string }
  /** Neither record is there. */
  | { outcome: 'absent' };

/**
 * After the stack is gone: deletes the A record and its owner TXT when the TXT says this
 * deployment owns them, so no name is left pointing at a released IP someone else may get (a
 * subdomain takeover). A record another owner made is never touched.
 */
export async function removeServiceRecord(
  route53: Route53Client,
  target: DnsTarget,
): Promise<RecordRemoval> {
  const { a, txt } = await readRecordSets(route53, target);
  if (!a && !txt) return { outcome: 'absent' };
  if (ownerOf(txt, target.owner) !== 'ours' || !txt) {
    return { outcome: 'foreign', domainName: target.domainName };
  }
  const records = a ? [a, txt] : [txt];
  await deleteRecordSets(
    route53,
    target.hostedZoneId,
    records,
    `destroy of ${target.owner}: its record goes with its tasks`,
  );
  return {
    outcome: 'removed',
    removed: records.map((r) => `${r.Name?.replace(/\.$/, '')} ${r.Type}`),
    values: recordValues(a),
  };
}
