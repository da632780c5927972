import { readUpdaterEnv } from './updater-env';
import { TARGET } from './testing';

const ENV = {
  CLUSTER_NAME: TARGET.cluster,
  SERVICE_NAME: TARGET.service,
  HOSTED_ZONE_ID: TARGET.hostedZoneId,
  DOMAIN_NAME: TARGET.domainName,
  OWNER: TARGET.owner,
};

describe('readUpdaterEnv', () => {
  it('GIVEN the five variables the stack sets WHEN read THEN returns the target', () => {
    expect(readUpdaterEnv(ENV)).toEqual(TARGET);
  });

  it('GIVEN HOSTED_ZONE_ID missing WHEN read THEN throws one line naming it', () => {
    expect(() => readUpdaterEnv({ ...ENV, HOSTED_ZONE_ID: '' })).toThrow(
      new Error('dns-updater: HOSTED_ZONE_ID is not set; redeploy the service stack'),
    );
  });
});
