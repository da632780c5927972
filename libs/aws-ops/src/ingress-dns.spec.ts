import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import {
  compareServiceRecord,
  readServiceRecord,
  removeServiceRecord,
  ServiceRecord,
} from './ingress-dns';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  OWNER,
  aRecord,
  hostedZone,
  ownerRecord,
} from './testing/ingress-fixtures';

const route53Mock = mockClient(Route53Client);
const route53 = new Route53Client({});
const target = { hostedZoneId: HOSTED_ZONE_ID, domainName: DOMAIN, owner: OWNER };

function zone(...records: Parameters<typeof hostedZone>[0]) {
  route53Mock.on(ListResourceRecordSetsCommand).callsFake(hostedZone(records));
}

beforeEach(() => {
  route53Mock.reset();
  route53Mock.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING', SubmittedAt: new Date() },
  });
});

describe('readServiceRecord', () => {
  it('GIVEN our A record and owner TXT THEN its sorted values, TTL and owner ours', async () => {
    zone(aRecord(['54.170.12.99', '34.240.1.2']), ownerRecord());
    expect(await readServiceRecord(route53, target)).toEqual({
      values: ['34.240.1.2', '54.170.12.99'],
      ttl: 60,
      owner: 'ours',
      exists: true,
    });
  });

  it('GIVEN no record at the name but others after it THEN absent, not the next record', async () => {
    zone(aRecord(['198.51.100.1'], 'www.example.com'), ownerRecord(OWNER, 'www.example.com'));
    expect(await readServiceRecord(route53, target)).toEqual({
      values: [],
      owner: 'none',
      exists: false,
    });
  });

  it('GIVEN a TXT naming another deployment THEN owner foreign', async () => {
    zone(aRecord(['54.170.12.99']), ownerRecord('someone-else'));
    expect((await readServiceRecord(route53, target)).owner).toBe('foreign');
  });
});

describe('compareServiceRecord', () => {
  const ours = (values: string[]): ServiceRecord => ({
    values,
    ttl: 60,
    owner: 'ours',
    exists: values.length > 0,
  });

  it('GIVEN our record with exactly the tasks IPs in another order THEN it matches', () => {
    const check = compareServiceRecord(target, ours(['34.240.1.2', '54.170.12.99']), [
      '54.170.12.99',
      '34.240.1.2',
    ]);
    expect(check.matches).toBe(true);
  });

  it('GIVEN our record missing one task IP THEN it does not match', () => {
    const check = compareServiceRecord(target, ours(['54.170.12.99']), [
      '54.170.12.99',
      '34.240.1.2',
    ]);
    expect(check.matches).toBe(false);
  });

  it('GIVEN no task and no record THEN it matches', () => {
    expect(compareServiceRecord(target, ours([]), []).matches).toBe(true);
  });

  it('GIVEN the tasks IPs in a record nobody marked as ours THEN it does not match', () => {
    const record: ServiceRecord = { values: ['54.170.12.99'], owner: 'none', exists: true };
    expect(compareServiceRecord(target, record, ['54.170.12.99']).matches).toBe(false);
  });
});

describe('removeServiceRecord', () => {
  it('GIVEN our A record and TXT THEN deletes both, exactly as read, in one change batch', async () => {
    zone(aRecord(['54.170.12.99']), ownerRecord());
    const removal = await removeServiceRecord(route53, target);
    expect(removal).toEqual({
      outcome: 'removed',
      removed: [`${DOMAIN} A`, `_ecs-owner.${DOMAIN} TXT`],
      values: ['54.170.12.99'],
    });
    const [call] = route53Mock.commandCalls(ChangeResourceRecordSetsCommand);
    expect(call.args[0].input).toMatchObject({
      HostedZoneId: HOSTED_ZONE_ID,
      ChangeBatch: {
        Changes: [
          { Action: 'DELETE', ResourceRecordSet: aRecord(['54.170.12.99']) },
          { Action: 'DELETE', ResourceRecordSet: ownerRecord() },
        ],
      },
    });
  });

  it('GIVEN only our TXT (the updater already removed the A record) THEN deletes the TXT', async () => {
    zone(ownerRecord());
    const removal = await removeServiceRecord(route53, target);
    expect(removal).toEqual({
      outcome: 'removed',
      removed: [`_ecs-owner.${DOMAIN} TXT`],
      values: [],
    });
  });

  it('GIVEN an A record whose TXT names another owner THEN touches nothing', async () => {
    zone(aRecord(['54.170.12.99']), ownerRecord('someone-else'));
    expect(await removeServiceRecord(route53, target)).toEqual({
      outcome: 'foreign',
      domainName: DOMAIN,
    });
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });

  it('GIVEN an A record without any owner TXT THEN touches nothing', async () => {
    zone(aRecord(['54.170.12.99']));
    expect((await removeServiceRecord(route53, target)).outcome).toBe('foreign');
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });

  it('GIVEN neither record THEN absent, and no change', async () => {
    zone();
    expect(await removeServiceRecord(route53, target)).toEqual({ outcome: 'absent' });
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });
});

describe('removeServiceRecord of a name two deployments claim', () => {
  it('GIVEN an owner TXT naming this deployment and another THEN touches nothing', async () => {
    zone(aRecord(['54.170.12.99']), {
      ...ownerRecord(),
      ResourceRecords: [...(ownerRecord().ResourceRecords ?? []), { Value: '"ecs-owner=other"' }],
    });
    expect((await removeServiceRecord(route53, target)).outcome).toBe('foreign');
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });
});
