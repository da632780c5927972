import { clientConfig } from './client-config';

describe('clientConfig', () => {
  it('uses the explicit region over AWS_REGION', () => {
    // GIVEN AWS_REGION in the environment WHEN a region is passed THEN the passed one wins
    expect(clientConfig({ region: 'us-east-1' }, { AWS_REGION: 'eu-central-1' }).region).toBe(
      'us-east-1',
    );
  });

  it('falls back to eu-west-1 with adaptive retries when nothing is set', () => {
    const config = clientConfig({}, {});
    expect(config).toMatchObject({ region: 'eu-west-1', retryMode: 'adaptive' });
    expect(config).not.toHaveProperty('profile');
  });
});
