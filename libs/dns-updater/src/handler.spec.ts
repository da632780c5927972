import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { handler } from './handler';
import {
  DOMAIN,
  TARGET,
  TASKS,
  aRecordSet,
  arrangeAccount,
  fargateTask,
  mockDnsUpdaterClients,
} from './testing';

const mocks = mockDnsUpdaterClients();

beforeAll(() => {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    CLUSTER_NAME: TARGET.cluster,
    SERVICE_NAME: TARGET.service,
    HOSTED_ZONE_ID: TARGET.hostedZoneId,
    DOMAIN_NAME: TARGET.domainName,
    OWNER: TARGET.owner,
  });
});

afterEach(() => jest.restoreAllMocks());

describe('handler', () => {
  it('GIVEN a task ECS just started WHEN invoked THEN creates the record and logs one JSON line with the result', async () => {
    arrangeAccount(mocks, { tasks: [{ task: fargateTask(TASKS[0]), ip: TASKS[0].ip }] });
    mocks.route53.on(ChangeResourceRecordSetsCommand).resolves({});
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);

    const result = await handler();

    expect(result).toEqual({ action: 'created', values: [TASKS[0].ip] });
    expect(log.mock.calls).toEqual([
      [JSON.stringify({ domainName: DOMAIN, action: 'created', values: [TASKS[0].ip] })],
    ]);
  });

  it('GIVEN a record someone else made WHEN invoked THEN logs the JSON line as a warning', async () => {
    arrangeAccount(mocks, {
      tasks: [{ task: fargateTask(TASKS[0]), ip: TASKS[0].ip }],
      records: [aRecordSet(['203.0.113.10'])],
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    await handler();

    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(warn.mock.calls[0]?.[0] as string)).toMatchObject({
      domainName: DOMAIN,
      action: 'foreign',
    });
    expect(mocks.route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });
});
