import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { Script } from 'node:vm';
import { bundleDnsUpdater } from './bundle';
import { TARGET, TASKS, arrangeAccount, fargateTask, mockDnsUpdaterClients } from './testing';

/**
 * The inline code lands in the service stack's template, whose body CloudFormation takes directly
 * (no asset bucket) up to 51,200 bytes; the updater must leave room for the rest.
 */
const BUNDLE_BUDGET_BYTES = 4608;

const mocks = mockDnsUpdaterClients();
const code = bundleDnsUpdater();

/**
 * Loads the bundle as Lambda loads index.js: a CommonJS module. Its `require` is this spec's, so
 * the external @aws-sdk clients are the ones aws-sdk-client-mock stubs.
 */
function loadBundle(env: Record<string, string>): { handler?: () => Promise<unknown> } {
  const module = { exports: {} as Record<string, unknown> };
  new Script(code, { filename: 'index.js' }).runInNewContext({
    module,
    exports: module.exports,
    require,
    process: { env },
    console: { log: () => undefined, warn: () => undefined },
  });
  return module.exports;
}

describe('bundleDnsUpdater', () => {
  it(`GIVEN the handler and its core WHEN bundled THEN stays under ${BUNDLE_BUDGET_BYTES} bytes`, () => {
    expect(Buffer.byteLength(code)).toBeLessThan(BUNDLE_BUDGET_BYTES);
  });

  it('GIVEN the bundle WHEN inspected THEN requires the AWS SDK from the runtime instead of carrying it', () => {
    expect(code).toContain('require("@aws-sdk/client-route-53")');
    expect(code).not.toMatch(/smithy|esbuild/);
  });

  it('GIVEN the bundle loaded as index.js WHEN a task runs THEN its exported handler creates the record', async () => {
    arrangeAccount(mocks, { tasks: [{ task: fargateTask(TASKS[0]), ip: TASKS[0].ip }] });
    mocks.route53.on(ChangeResourceRecordSetsCommand).resolves({});
    const { handler } = loadBundle({
      AWS_REGION: 'eu-west-1',
      CLUSTER_NAME: TARGET.cluster,
      SERVICE_NAME: TARGET.service,
      HOSTED_ZONE_ID: TARGET.hostedZoneId,
      DOMAIN_NAME: TARGET.domainName,
      OWNER: TARGET.owner,
    });

    expect(await handler?.()).toEqual({ action: 'created', values: [TASKS[0].ip] });
    expect(mocks.route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
  });

  it('GIVEN the bundle without its environment WHEN invoked THEN fails with one line naming the variable', async () => {
    const { handler } = loadBundle({});

    await expect(handler?.()).rejects.toThrow(
      'dns-updater: CLUSTER_NAME is not set; redeploy the service stack',
    );
  });
});
