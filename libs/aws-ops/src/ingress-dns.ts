import { Route53Client } from '@aws-sdk/client-route-53';
import { DnsTarget, ServiceRecord, readRecordSets } from '@hello-world/dns-updater';
import { dnsOwnerRecordName } from '@hello-world/shared';
import { deleteRecordSets, findRecordSet, recordValues } from './ingress-records';

// The record and its ownership are read exactly as the updater Lambda reads them: one rule for
// what "ours" means, whether the updater, status, doctor or destroy asks.
export { readServiceRecord } from '@hello-world/dns-updater';
export type { DnsTarget, ServiceRecord } from '@hello-world/dns-updater';

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
 * subdomain takeover). A record another owner made, or nobody marked, is never touched.
 */
export async function removeServiceRecord(
  route53: Route53Client,
  target: DnsTarget,
): Promise<RecordRemoval> {
  const { record, a } = await readRecordSets(route53, target);
  if (record.owner === 'none' && !record.exists) return { outcome: 'absent' };
  if (record.owner !== 'ours') return { outcome: 'foreign', domainName: target.domainName };
  // The TXT exactly as stored (TTL included): Route 53 deletes only an exact match.
  const txt = await findRecordSet(
    route53,
    target.hostedZoneId,
    dnsOwnerRecordName(target.domainName),
    'TXT',
  );
  const records = [...(a ? [a] : []), ...(txt ? [txt] : [])];
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
