import {
  ChangeResourceRecordSetsCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { DNS_RECORD_TTL_SECONDS } from '@hello-world/shared';
import { syncServiceRecord } from './sync-record';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  TARGET,
  TASKS,
  aRecordSet,
  arrangeAccount,
  fargateTask,
  listRecordSets,
  mockDnsUpdaterClients,
  ownerRecordSet,
  zoneApexRecordSets,
} from './testing';

const mocks = mockDnsUpdaterClients();
const running = (n: number) => TASKS.slice(0, n).map((t) => ({ task: fargateTask(t), ip: t.ip }));

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
});
