// The Lambda's entry (bundled by bundle.ts, run as index.handler). EventBridge invokes it on the
// service's task state changes; the event itself is not read: each run reconciles from scratch.
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SyncClients, SyncResult, SyncTarget, syncServiceRecord } from './sync-record';
import { readUpdaterEnv } from './updater-env';

// Read once per container: warm invocations reuse the clients' connections.
let setup: { target: SyncTarget; clients: SyncClients } | undefined;

export async function handler(): Promise<SyncResult> {
  setup ??= {
    target: readUpdaterEnv(process.env),
    clients: { ecs: new ECSClient({}), ec2: new EC2Client({}), route53: new Route53Client({}) },
  };
  const result = await syncServiceRecord(setup.clients, setup.target);
  // One JSON line per run; a foreign record is a warning someone should look at.
  const log = result.action === 'foreign' ? console.warn : console.log;
  log(JSON.stringify({ domainName: setup.target.domainName, ...result }));
  return result;
}
