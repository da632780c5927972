import {
  Change,
  ChangeResourceRecordSetsCommand,
  ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  DNS_RECORD_TTL_SECONDS,
  dnsOwnerRecordName,
  dnsOwnerRecordValue,
  normalizeDomainName,
} from '@hello-world/shared';
import { TaskClients, findServicePublicIps } from './service-ips';
import { DnsTarget, RecordSets, readRecordSets } from './service-record';

export interface SyncClients extends TaskClients {
  route53: Route53Client;
}

/** The record to keep and the service whose running tasks it follows. */
export interface SyncTarget extends DnsTarget {
  cluster: string;
  service: string;
}

/** What the updater did, and the A record's values afterwards (a foreign record's as found). */
export interface SyncResult {
  action: 'created' | 'updated' | 'deleted' | 'unchanged' | 'foreign';
  values: string[];
  /** Why a record was left alone (foreign only). */
  reason?: string;
}

interface Plan {
  result: SyncResult;
  changes?: Change[];
}

function aRecord(name: string, ips: string[]): ResourceRecordSet {
  return {
    Name: name,
    Type: 'A',
    TTL: DNS_RECORD_TTL_SECONDS,
    ResourceRecords: ips.map((ip) => ({ Value: ip })),
  };
}

/** The contract's record algorithm: what to change, given the tasks' IPs and the zone's records. */
function planSync({ record, a }: RecordSets, ips: string[], target: SyncTarget): Plan {
  const domain = normalizeDomainName(target.domainName);
  const foreign = (reason: string): Plan => ({
    result: { action: 'foreign', values: record.values, reason },
  });
  if (record.owner === 'foreign') {
    return foreign(`${dnsOwnerRecordName(domain)} names another owner`);
  }
  if (record.owner === 'none' && record.exists) return foreign('A record without an owner marker');
  if (ips.length === 0) {
    // Ours (or nothing there): no tasks leaves no A record. The marker stays, so the name stays ours.
    return a
      ? {
          result: { action: 'deleted', values: [] },
          // Exactly as listed (values in Route 53's order, an alias target if any): DELETE must match.
          changes: [{ Action: 'DELETE', ResourceRecordSet: { ...a, Name: domain } }],
        }
      : { result: { action: 'unchanged', values: [] } };
  }
  if (record.owner === 'none') {
    return {
      result: { action: 'created', values: ips },
      changes: [
        { Action: 'CREATE', ResourceRecordSet: aRecord(domain, ips) },
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: dnsOwnerRecordName(domain),
            Type: 'TXT',
            TTL: DNS_RECORD_TTL_SECONDS,
            ResourceRecords: [{ Value: dnsOwnerRecordValue(target.owner) }],
          },
        },
      ],
    };
  }
  if (record.ttl === DNS_RECORD_TTL_SECONDS && record.values.join() === ips.join()) {
    return { result: { action: 'unchanged', values: ips } };
  }
  return {
    result: { action: record.exists ? 'updated' : 'created', values: ips },
    changes: [{ Action: 'UPSERT', ResourceRecordSet: aRecord(domain, ips) }],
  };
}

/**
 * How many times one run syncs the record in all: a change is followed by a fresh read of the
 * tasks, and synced again while they differ from what was written (see syncServiceRecord).
 */
export const MAX_SYNC_ROUNDS = 3;

/** One sync: reads the zone, plans, and sends the change batch if there is one. */
async function syncOnce(
  clients: SyncClients,
  target: SyncTarget,
  ips: string[],
): Promise<{ result: SyncResult; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const current = await readRecordSets(clients.route53, target);
    const plan = planSync(current, ips, target);
    if (!plan.changes) return { result: plan.result, changed: false };
    try {
      await clients.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: target.hostedZoneId,
          ChangeBatch: { Comment: `ecs task IPs of ${target.owner}`, Changes: plan.changes },
        }),
      );
      return { result: plan.result, changed: true };
    } catch (error) {
      // Route 53 refuses a batch whose CREATE finds the record made meanwhile, or whose DELETE
      // no longer matches: read again and decide again, once; still refused means someone else's
      // record (a CNAME at the name, say) stands in the way.
      if ((error as Error).name !== 'InvalidChangeBatch') throw error;
      if (attempt === 2) {
        return {
          result: {
            action: 'foreign',
            values: current.record.values,
            reason: (error as Error).message,
          },
          changed: false,
        };
      }
    }
  }
}

/**
 * Makes the A record at the target's domain equal to the public IPs of the service's running
 * tasks, as far as the record is ours (see planSync). Reconciling rather than event-driven: any
 * task event re-reads everything, so a missed or reordered event is repaired by the next one.
 *
 * Runs may overlap (the function has no reserved concurrency: a new account's quota of 10 leaves
 * none to reserve), so an older run could write IPs a newer one already replaced. Hence, after
 * each change, the tasks are read again and, while they differ from what was just written, the
 * record is synced again: the last run to write also checks last. At most MAX_SYNC_ROUNDS in
 * all; the last round's result is returned (a later task event runs the updater again anyway).
 */
export async function syncServiceRecord(
  clients: SyncClients,
  target: SyncTarget,
): Promise<SyncResult> {
  let ips = await findServicePublicIps(clients, target.cluster, target.service);
  for (let round = 1; ; round++) {
    const { result, changed } = await syncOnce(clients, target, ips);
    if (!changed || round === MAX_SYNC_ROUNDS) return result;
    ips = await findServicePublicIps(clients, target.cluster, target.service);
    if (ips.join() === result.values.join()) return result;
  }
}
