import {
  ChangeResourceRecordSetsCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { DNS_RECORD_TTL_SECONDS } from '@hello-world/shared';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { MAX_SYNC_ROUNDS, syncServiceRecord } from './sync-record';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  TARGET,
  TASKS,
  aRecordSet,
  arrangeAccount,
  changeRecordSets,
  fargateTask,
  listRecordSets,
  mockDnsUpdaterClients,
  ownerRecordSet,
  zoneApexRecordSets,
} from './testing';

const mocks = mockDnsUpdaterClients();
const running = (n: number) => TASKS.slice(0, n).map((t) => ({ task: fargateTask(t), ip: t.ip }));
/** ListTasks' answer while the first n tasks run. */
const listed = (n: number) => ({ taskArns: running(n).map(({ task }) => task.taskArn ?? '') });

/**
 * An account whose three tasks can all be described, with a hosted zone that holds `records` and
 * applies change batches, so each round reads what the previous one wrote. Which tasks run at
 * each ListTasks call is up to the spec.
 */
function arrangeLiveZone(records: ResourceRecordSet[] = []): ResourceRecordSet[] {
  arrangeAccount(mocks, { tasks: running(3) });
  const zone = [...zoneApexRecordSets(), ...records];
  mocks.route53.on(ListResourceRecordSetsCommand).callsFake((input) => listRecordSets(zone)(input));
  mocks.route53.on(ChangeResourceRecordSetsCommand).callsFake(changeRecordSets(zone));
  return zone;
}

/** The ChangeBatch of every ChangeResourceRecordSets call. */
function changeBatches() {
  return mocks.route53
    .commandCalls(ChangeResourceRecordSetsCommand)
    .map((call) => call.args[0].input);
}

const OWNER_TXT = {
  Name: `_ecs-owner.${DOMAIN}`,
  Type: 'TXT',
  TTL: DNS_RECORD_TTL_SECONDS,
  ResourceRecords: [{ Value: `"ecs-owner=${TARGET.owner}"` }],
};

describe('syncServiceRecord', () => {
  it('GIVEN the first task runs and the name is free WHEN synced THEN creates the A record and its owner marker in one batch', async () => {
    arrangeAccount(mocks, { tasks: running(1) });
    mocks.route53.on(ChangeResourceRecordSetsCommand).resolves({});

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({ action: 'created', values: ['54.170.12.34'] });
    expect(changeBatches()).toEqual([
      {
        HostedZoneId: HOSTED_ZONE_ID,
        ChangeBatch: {
          Comment: `ecs task IPs of ${TARGET.owner}`,
          Changes: [
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: DOMAIN,
                Type: 'A',
                TTL: 60,
                ResourceRecords: [{ Value: '54.170.12.34' }],
              },
            },
            { Action: 'CREATE', ResourceRecordSet: OWNER_TXT },
          ],
        },
      },
    ]);
  });

  it('GIVEN our record and the last task gone WHEN synced THEN deletes the A record with its exact current values and keeps the marker', async () => {
    // Route 53 lists the values in the order they were written, not sorted.
    arrangeAccount(mocks, {
      tasks: [],
      records: [aRecordSet(['54.170.12.34', '34.245.9.201']), ownerRecordSet()],
    });
    mocks.route53.on(ChangeResourceRecordSetsCommand).resolves({});

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({ action: 'deleted', values: [] });
    expect(changeBatches().map((input) => input.ChangeBatch?.Changes)).toEqual([
      [
        {
          Action: 'DELETE',
          ResourceRecordSet: {
            Name: DOMAIN,
            Type: 'A',
            TTL: 60,
            ResourceRecords: [{ Value: '54.170.12.34' }, { Value: '34.245.9.201' }],
          },
        },
      ],
    ]);
  });

  it('GIVEN our record and three running tasks WHEN synced THEN upserts all three IPs, sorted', async () => {
    arrangeAccount(mocks, {
      tasks: running(3),
      records: [aRecordSet(['54.170.12.34']), ownerRecordSet()],
    });
    mocks.route53.on(ChangeResourceRecordSetsCommand).resolves({});

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    const values = ['34.245.9.201', '52.18.200.7', '54.170.12.34'];
    expect(result).toEqual({ action: 'updated', values });
    expect(changeBatches().map((input) => input.ChangeBatch?.Changes)).toEqual([
      [
        {
          Action: 'UPSERT',
          ResourceRecordSet: {
            Name: DOMAIN,
            Type: 'A',
            TTL: 60,
            ResourceRecords: values.map((Value) => ({ Value })),
          },
        },
      ],
    ]);
  });

  it('GIVEN our marker but no A record (the tasks were gone) WHEN a task runs again THEN upserts the A record alone', async () => {
    arrangeAccount(mocks, { tasks: running(1), records: [ownerRecordSet()] });
    mocks.route53.on(ChangeResourceRecordSetsCommand).resolves({});

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({ action: 'created', values: ['54.170.12.34'] });
    expect(
      changeBatches().map((input) => input.ChangeBatch?.Changes?.map((c) => c.Action)),
    ).toEqual([['UPSERT']]);
  });

  it('GIVEN an A record at the name without an owner marker WHEN synced THEN leaves it alone', async () => {
    arrangeAccount(mocks, { tasks: running(1), records: [aRecordSet(['203.0.113.10'], 300)] });

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({
      action: 'foreign',
      values: ['203.0.113.10'],
      reason: 'A record without an owner marker',
    });
    expect(changeBatches()).toEqual([]);
  });

  it('GIVEN a marker naming another deployment WHEN synced THEN leaves the name alone, even with no A record', async () => {
    arrangeAccount(mocks, {
      tasks: running(1),
      records: [ownerRecordSet('hello-world-ecr-ecs-fargate-production')],
    });

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({
      action: 'foreign',
      values: [],
      reason: `_ecs-owner.${DOMAIN} names another owner`,
    });
    expect(changeBatches()).toEqual([]);
  });

  it('GIVEN our record already equal to the running tasks WHEN synced THEN makes no change call', async () => {
    arrangeAccount(mocks, {
      tasks: running(2),
      records: [aRecordSet(['54.170.12.34', '34.245.9.201']), ownerRecordSet()],
    });

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({ action: 'unchanged', values: ['34.245.9.201', '54.170.12.34'] });
    expect(changeBatches()).toEqual([]);
  });

  it('GIVEN our record with the right IP but another TTL WHEN synced THEN upserts it with TTL 60', async () => {
    arrangeAccount(mocks, {
      tasks: running(1),
      records: [aRecordSet(['54.170.12.34'], 300), ownerRecordSet()],
    });
    mocks.route53.on(ChangeResourceRecordSetsCommand).resolves({});

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result.action).toBe('updated');
    expect(changeBatches()[0]?.ChangeBatch?.Changes?.[0]?.ResourceRecordSet?.TTL).toBe(60);
  });

  it('GIVEN a second task whose ENI has no public IP yet WHEN synced THEN the record holds the first task only', async () => {
    arrangeAccount(mocks, {
      tasks: [
        { task: fargateTask(TASKS[0]), ip: TASKS[0].ip },
        { task: fargateTask(TASKS[1]), ip: undefined },
      ],
      records: [aRecordSet(['54.170.12.34']), ownerRecordSet()],
    });

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({ action: 'unchanged', values: ['54.170.12.34'] });
    expect(changeBatches()).toEqual([]);
  });

  it('GIVEN no task and a free name WHEN synced THEN creates nothing', async () => {
    arrangeAccount(mocks, { tasks: [] });

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({ action: 'unchanged', values: [] });
    expect(changeBatches()).toEqual([]);
  });

  it('GIVEN someone creates the record between our read and our change WHEN Route 53 refuses the batch THEN reads again and leaves their record alone', async () => {
    arrangeAccount(mocks, { tasks: running(1) });
    const zone: ResourceRecordSet[] = zoneApexRecordSets();
    mocks.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake((input) => listRecordSets(zone)(input));
    mocks.route53.on(ChangeResourceRecordSetsCommand).callsFake(() => {
      zone.push(aRecordSet(['198.51.100.4']));
      throw new InvalidChangeBatch({
        message: `[Tried to create resource record set [name='${DOMAIN}.', type='A'] but it already exists]`,
        $metadata: { httpStatusCode: 400 },
      });
    });

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({
      action: 'foreign',
      values: ['198.51.100.4'],
      reason: 'A record without an owner marker',
    });
    expect(changeBatches()).toHaveLength(1);
  });

  it('GIVEN a record of another type in the way (a CNAME) WHEN Route 53 refuses the batch twice THEN reports it foreign with its reason', async () => {
    const refusal = `[RRSet of type A with DNS name ${DOMAIN}. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.]`;
    arrangeAccount(mocks, {
      tasks: running(1),
      records: [
        {
          Name: `${DOMAIN}.`,
          Type: 'CNAME',
          TTL: 300,
          ResourceRecords: [{ Value: 'old.example.net' }],
        },
      ],
    });
    mocks.route53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(new InvalidChangeBatch({ message: refusal, $metadata: { httpStatusCode: 400 } }));

    const result = await syncServiceRecord(mocks.clients(), TARGET);

    expect(result).toEqual({ action: 'foreign', values: [], reason: refusal });
    expect(changeBatches()).toHaveLength(2);
  });

  it('GIVEN Route 53 denies the change WHEN synced THEN the error propagates (the invocation fails and is retried)', async () => {
    arrangeAccount(mocks, { tasks: running(1) });
    mocks.route53.on(ChangeResourceRecordSetsCommand).rejects(
      Object.assign(
        new Error('User is not authorized to perform: route53:ChangeResourceRecordSets'),
        {
          name: 'AccessDenied',
        },
      ),
    );

    await expect(syncServiceRecord(mocks.clients(), TARGET)).rejects.toThrow(/not authorized/);
  });

  describe('verifying after a change (runs may overlap: the function reserves no concurrency)', () => {
    const upsertedValues = () =>
      changeBatches().map((input) =>
        input.ChangeBatch?.Changes?.filter((c) => c.ResourceRecordSet?.Type === 'A').map((c) => ({
          action: c.Action,
          values: c.ResourceRecordSet?.ResourceRecords?.map((r) => r.Value),
        })),
      );

    it('GIVEN a second task starts running between the read and the verify WHEN synced THEN a second change batch writes both IPs', async () => {
      const zone = arrangeLiveZone();
      mocks.ecs.on(ListTasksCommand).resolvesOnce(listed(1)).resolves(listed(2));

      const result = await syncServiceRecord(mocks.clients(), TARGET);

      const both = ['34.245.9.201', '54.170.12.34'];
      expect(result).toEqual({ action: 'updated', values: both });
      expect(upsertedValues()).toEqual([
        [{ action: 'CREATE', values: ['54.170.12.34'] }],
        [{ action: 'UPSERT', values: both }],
      ]);
      expect(zone).toContainEqual(aRecordSet(both));
      // The first read, the check after the first change, the check after the second.
      expect(mocks.ecs.commandCalls(ListTasksCommand)).toHaveLength(3);
    });

    it("GIVEN an older run that writes stale IPs over a newer run's record WHEN it reads the tasks after its change THEN it writes the current IPs back", async () => {
      // A newer run already wrote both tasks; this run read the tasks before the second one ran.
      arrangeLiveZone([aRecordSet(['34.245.9.201', '54.170.12.34']), ownerRecordSet()]);
      mocks.ecs.on(ListTasksCommand).resolvesOnce(listed(1)).resolves(listed(2));

      const result = await syncServiceRecord(mocks.clients(), TARGET);

      expect(result).toEqual({ action: 'updated', values: ['34.245.9.201', '54.170.12.34'] });
      expect(upsertedValues()).toEqual([
        [{ action: 'UPSERT', values: ['54.170.12.34'] }],
        [{ action: 'UPSERT', values: ['34.245.9.201', '54.170.12.34'] }],
      ]);
    });

    it('GIVEN the tasks stay the same WHEN synced THEN exactly one change batch and one verify read', async () => {
      arrangeLiveZone([ownerRecordSet()]);
      mocks.ecs.on(ListTasksCommand).resolves(listed(2));

      const result = await syncServiceRecord(mocks.clients(), TARGET);

      expect(result).toEqual({ action: 'created', values: ['34.245.9.201', '54.170.12.34'] });
      expect(changeBatches()).toHaveLength(1);
      expect(mocks.ecs.commandCalls(ListTasksCommand)).toHaveLength(2);
    });

    it('GIVEN the last task stops and another starts before the verify WHEN synced THEN the deleted record is written again with the new IP', async () => {
      arrangeLiveZone([aRecordSet(['54.170.12.34']), ownerRecordSet()]);
      mocks.ecs
        .on(ListTasksCommand)
        .resolvesOnce({ taskArns: [] })
        .resolves({ taskArns: [running(2)[1].task.taskArn ?? ''] });

      const result = await syncServiceRecord(mocks.clients(), TARGET);

      expect(result).toEqual({ action: 'created', values: ['34.245.9.201'] });
      expect(upsertedValues()).toEqual([
        [{ action: 'DELETE', values: ['54.170.12.34'] }],
        [{ action: 'UPSERT', values: ['34.245.9.201'] }],
      ]);
    });

    it(`GIVEN the tasks change at every read WHEN synced THEN it stops after ${MAX_SYNC_ROUNDS} rounds with the last one's result`, async () => {
      arrangeLiveZone([ownerRecordSet()]);
      mocks.ecs
        .on(ListTasksCommand)
        .resolvesOnce(listed(1))
        .resolvesOnce(listed(2))
        .resolvesOnce(listed(3))
        .resolves(listed(1));

      const result = await syncServiceRecord(mocks.clients(), TARGET);

      expect(MAX_SYNC_ROUNDS).toBe(3);
      expect(result).toEqual({
        action: 'updated',
        values: ['34.245.9.201', '52.18.200.7', '54.170.12.34'],
      });
      expect(changeBatches()).toHaveLength(3);
      // No check after the last round: a later task event runs the updater again.
      expect(mocks.ecs.commandCalls(ListTasksCommand)).toHaveLength(3);
    });

    it('GIVEN no change was needed WHEN synced THEN the tasks are read once, with no verify read', async () => {
      arrangeLiveZone([aRecordSet(['54.170.12.34']), ownerRecordSet()]);
      mocks.ecs.on(ListTasksCommand).resolves(listed(1));

      await syncServiceRecord(mocks.clients(), TARGET);

      expect(changeBatches()).toEqual([]);
      expect(mocks.ecs.commandCalls(ListTasksCommand)).toHaveLength(1);
    });
  });
});
