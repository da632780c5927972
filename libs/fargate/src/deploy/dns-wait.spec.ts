import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { fakeClock } from '@hello-world/aws-ops/testing';
import {
  DEPLOYMENT,
  TARGET,
  TASKS,
  aRecordSet,
  arrangeAccount,
  fargateTask,
  listRecordSets,
  mockDnsUpdaterClients,
  ownerRecordSet,
  zoneApexRecordSets,
} from '@hello-world/dns-updater/testing';
import { waitForDnsRecord } from './dns-wait';

const mocks = mockDnsUpdaterClients();
const REF = { cluster: TARGET.cluster, service: TARGET.service };
const DNS_TARGET = {
  hostedZoneId: TARGET.hostedZoneId,
  domainName: TARGET.domainName,
  owner: DEPLOYMENT,
};
const [FIRST, SECOND] = TASKS;
/** The two tasks the rollout left running, with their public IPs. */
const RUNNING = [
  { task: fargateTask(FIRST), ip: FIRST.ip },
  { task: fargateTask(SECOND), ip: SECOND.ip },
];
const BOTH_IPS = [FIRST.ip, SECOND.ip].sort();

function wait(clock = fakeClock(), timeoutMs = 60_000, tasksChanged = true) {
  return {
    clock,
    result: waitForDnsRecord(mocks.clients(), REF, DNS_TARGET, {
      deadline: clock.now() + timeoutMs,
      clock,
      pollIntervalMs: 5_000,
      tasksChanged,
    }),
  };
}

describe('waitForDnsRecord', () => {
  it('GIVEN Route 53 already holds exactly the running tasks’ IPs THEN matched without waiting', async () => {
    arrangeAccount(mocks, { tasks: RUNNING, records: [aRecordSet(BOTH_IPS), ownerRecordSet()] });
    const { clock, result } = wait();
    expect(await result).toEqual({ outcome: 'matched', values: BOTH_IPS });
    expect(clock.sleeps).toEqual([]);
  });

  it('GIVEN the updater changes the record 12 s in THEN matched after polling past it', async () => {
    arrangeAccount(mocks, { tasks: RUNNING });
    const clock = fakeClock();
    const updatedAt = clock.now() + 12_000;
    // The zone as Route 53's API holds it: the old task's IP until the updater's change.
    mocks.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake((input) =>
        listRecordSets([
          ...zoneApexRecordSets(),
          ownerRecordSet(),
          aRecordSet(clock.now() < updatedAt ? ['52.18.200.7'] : BOTH_IPS),
        ])(input),
      );
    const { result } = wait(clock);
    expect(await result).toEqual({ outcome: 'matched', values: BOTH_IPS });
    expect(clock.sleeps).toEqual([5_000, 5_000, 5_000]);
  });

  it('GIVEN a record that never follows the tasks THEN timed-out at the deadline with both sides', async () => {
    arrangeAccount(mocks, {
      tasks: RUNNING,
      records: [aRecordSet(['52.18.200.7']), ownerRecordSet()],
    });
    const { clock, result } = wait(fakeClock(), 12_000);
    expect(await result).toEqual({
      outcome: 'timed-out',
      record: ['52.18.200.7'],
      tasks: BOTH_IPS,
    });
    // Never past --timeout: the last sleep is what was left of it.
    expect(clock.sleeps).toEqual([5_000, 5_000, 2_000]);
  });

  it('GIVEN an A record at the name without the owner TXT THEN foreign at once: the updater leaves it', async () => {
    arrangeAccount(mocks, { tasks: RUNNING, records: [aRecordSet(['198.51.100.20'])] });
    const { clock, result } = wait();
    expect(await result).toMatchObject({
      outcome: 'foreign',
      record: { values: ['198.51.100.20'], owner: 'none', exists: true },
    });
    expect(clock.sleeps).toEqual([]);
  });

  it('GIVEN no running task and no A record (the marker kept) THEN matched with no value', async () => {
    arrangeAccount(mocks, { tasks: [], records: [ownerRecordSet()] });
    expect(await wait().result).toEqual({ outcome: 'matched', values: [] });
  });

  it('GIVEN a record that differs and a deploy that changed no task THEN no-event at once, not a wait to the deadline', async () => {
    arrangeAccount(mocks, { tasks: RUNNING, records: [ownerRecordSet()] });
    const { clock, result } = wait(fakeClock(), 60_000, false);
    expect(await result).toEqual({ outcome: 'no-event', record: [], tasks: BOTH_IPS });
    expect(clock.sleeps).toEqual([]);
  });

  it('GIVEN a deploy that changed no task and a record already right THEN matched', async () => {
    arrangeAccount(mocks, { tasks: RUNNING, records: [aRecordSet(BOTH_IPS), ownerRecordSet()] });
    expect(await wait(fakeClock(), 60_000, false).result).toEqual({
      outcome: 'matched',
      values: BOTH_IPS,
    });
  });
});
