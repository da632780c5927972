import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { readServiceRecord } from './service-record';
import {
  DOMAIN,
  HOSTED_ZONE_ID,
  TARGET,
  aRecordSet,
  arrangeAccount,
  mockDnsUpdaterClients,
  ownerRecordSet,
} from './testing';

const mocks = mockDnsUpdaterClients();

describe('readServiceRecord', () => {
  it('GIVEN our A record and marker WHEN read THEN returns the values sorted, the TTL and ours', async () => {
    arrangeAccount(mocks, {
      records: [aRecordSet(['54.170.12.34', '34.245.9.201']), ownerRecordSet()],
    });

    expect(await readServiceRecord(mocks.clients().route53, TARGET)).toEqual({
      values: ['34.245.9.201', '54.170.12.34'],
      ttl: 60,
      owner: 'ours',
      exists: true,
    });
  });

  it('GIVEN a user-typed domain with a trailing dot and capitals WHEN read THEN asks Route 53 for exactly the two names it needs', async () => {
    arrangeAccount(mocks, { records: [] });

    await readServiceRecord(mocks.clients().route53, { ...TARGET, domainName: 'API.example.com.' });

    const inputs = mocks.route53
      .commandCalls(ListResourceRecordSetsCommand)
      .map((call) => call.args[0].input);
    expect(inputs).toEqual([
      { HostedZoneId: HOSTED_ZONE_ID, StartRecordName: DOMAIN, StartRecordType: 'A', MaxItems: 1 },
      {
        HostedZoneId: HOSTED_ZONE_ID,
        StartRecordName: `_ecs-owner.${DOMAIN}`,
        StartRecordType: 'TXT',
        MaxItems: 1,
      },
    ]);
  });

  it('GIVEN no A record but other records after the name in the zone WHEN read THEN it is absent, not the next record', async () => {
    // Listing from api.example.com/A returns the next set in the zone: www's A record.
    arrangeAccount(mocks, {
      records: [aRecordSet(['198.51.100.7'], 300, 'www.example.com'), ownerRecordSet()],
    });

    expect(await readServiceRecord(mocks.clients().route53, TARGET)).toEqual({
      values: [],
      ttl: undefined,
      owner: 'ours',
      exists: false,
    });
  });

  it('GIVEN an AAAA record at the name and no A WHEN read THEN the A record is absent', async () => {
    arrangeAccount(mocks, {
      records: [
        { Name: `${DOMAIN}.`, Type: 'AAAA', TTL: 300, ResourceRecords: [{ Value: '2001:db8::1' }] },
      ],
    });

    expect(await readServiceRecord(mocks.clients().route53, TARGET)).toMatchObject({
      exists: false,
      owner: 'none',
    });
  });

  it.each([
    ['another deployment', [{ Value: '"ecs-owner=hello-world-ecr-ecs-fargate-production"' }]],
    [
      'ours beside another',
      [{ Value: '"ecs-owner=hello-world-ecr-ecs-fargate-staging"' }, { Value: '"v=spf1 -all"' }],
    ],
    ['an unquoted value', [{ Value: 'ecs-owner=hello-world-ecr-ecs-fargate-staging' }]],
  ])('GIVEN a marker naming %s WHEN read THEN the owner is foreign', async (_, values) => {
    arrangeAccount(mocks, {
      records: [aRecordSet(['203.0.113.10']), { ...ownerRecordSet(), ResourceRecords: values }],
    });

    expect((await readServiceRecord(mocks.clients().route53, TARGET)).owner).toBe('foreign');
  });
});
