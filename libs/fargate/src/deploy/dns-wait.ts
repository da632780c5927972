import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { Clock, ServiceRef } from '@hello-world/aws-ops';
import {
  findServicePublicIps,
  readServiceRecord,
  type DnsTarget,
  type ServiceRecord,
} from '@hello-world/dns-updater';

/** How often Route 53 and the tasks are read while the updater catches up. */
export const DNS_POLL_INTERVAL_MS = 5_000;

export type DnsWaitResult =
  /** Route 53 holds exactly the running tasks' public IPs (none: no A record). */
  | { outcome: 'matched'; values: string[] }
  /** Past the deadline: what the record held and what the tasks were, the last time read. */
  | { outcome: 'timed-out'; record: string[]; tasks: string[] }
  /**
   * They differ and no task changed in this deploy: the updater, which runs on task state
   * changes, has no event coming to make them equal, so waiting would only reach the deadline.
   */
  | { outcome: 'no-event'; record: string[]; tasks: string[] }
  /** A record the updater leaves alone: an A without the owner TXT, or another owner's TXT. */
  | { outcome: 'foreign'; record: ServiceRecord };

export interface DnsWaitOptions {
  /** Epoch ms: the deploy's --timeout deadline. */
  deadline: number;
  clock: Clock;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  /**
   * Whether the rollout started or stopped tasks (a new ECS deployment): only then do task state
   * changes run the updater. False: a record that differs at the first read is reported at once.
   */
  tasksChanged: boolean;
}

/**
 * After a dns-mode rollout: until the deadline, read the service's running tasks' public IPs and
 * the A record as Route 53's API holds it (ListResourceRecordSets, never this machine's resolver,
 * whose cache would say what was), until they are equal. The updater Lambda makes them so on the
 * tasks' state changes; this only watches.
 */
export async function waitForDnsRecord(
  clients: { ecs: ECSClient; ec2: EC2Client; route53: Route53Client },
  ref: ServiceRef,
  target: DnsTarget,
  options: DnsWaitOptions,
): Promise<DnsWaitResult> {
  const { clock } = options;
  const interval = options.pollIntervalMs ?? DNS_POLL_INTERVAL_MS;
  for (;;) {
    const [tasks, record] = await Promise.all([
      findServicePublicIps(clients, ref.cluster, ref.service),
      readServiceRecord(clients.route53, target),
    ]);
    // The updater changes nothing there (its record algorithm's "foreign"): waiting cannot help.
    if (record.owner === 'foreign' || (record.exists && record.owner === 'none')) {
      return { outcome: 'foreign', record };
    }
    if (sameValues(record.values, tasks)) return { outcome: 'matched', values: tasks };
    if (!options.tasksChanged) return { outcome: 'no-event', record: record.values, tasks };
    const left = options.deadline - clock.now();
    if (left <= 0) return { outcome: 'timed-out', record: record.values, tasks };
    await clock.sleep(Math.min(interval, left), options.signal);
  }
}

/** Both sorted (the contract's): equal element by element. */
function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
