import {
  AwsSettingError,
  checkEndpointUrls,
  describeEndpoint,
  clientConfig,
  readAwsProfile,
  readAwsRegion,
  readAwsTarget,
} from './client-config';

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

  it('GIVEN an empty AWS_REGION THEN treats it as unset', () => {
    expect(clientConfig({}, { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-west-2' }).region).toBe(
      'us-west-2',
    );
  });
});

describe('readAwsRegion', () => {
  it('GIVEN no flag THEN takes AWS_REGION before AWS_DEFAULT_REGION', () => {
    expect(readAwsRegion(undefined, { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'x' })).toBe(
      'eu-central-1',
    );
  });

  it('accepts GovCloud and sovereign-cloud region codes', () => {
    expect(['us-gov-west-1', 'eusc-de-east-1'].map((r) => readAwsRegion(r, {}))).toEqual([
      'us-gov-west-1',
      'eusc-de-east-1',
    ]);
  });

  it.each([['mars-1'], [''], ['Ireland']])(
    'GIVEN --region %j THEN one line with an example region',
    (value) => {
      expect(() => readAwsRegion(value, {})).toThrow(
        new AwsSettingError(
          `invalid --region ${JSON.stringify(value)}: use a region code like eu-west-1`,
        ),
      );
    },
  );

  it('GIVEN a bad AWS_REGION THEN names the variable and says to fix or unset it', () => {
    expect(() => readAwsRegion(undefined, { AWS_REGION: 'nowhere' })).toThrow(
      'invalid AWS_REGION "nowhere": set it to a region code like eu-west-1, or unset it',
    );
  });

  it('GIVEN a bad AWS_DEFAULT_REGION and no AWS_REGION THEN names AWS_DEFAULT_REGION', () => {
    expect(() => readAwsRegion(undefined, { AWS_DEFAULT_REGION: 'moon' })).toThrow(
      /^invalid AWS_DEFAULT_REGION "moon"/,
    );
  });
});

describe('readAwsProfile', () => {
  it('GIVEN no flag THEN takes AWS_PROFILE, as the SDK would', () => {
    expect(readAwsProfile(undefined, { AWS_PROFILE: 'dev' })).toBe('dev');
  });

  it('GIVEN neither THEN no profile', () => {
    expect(readAwsProfile(undefined, { AWS_PROFILE: '' })).toBeUndefined();
  });

  it.each([[''], ['a b']])('GIVEN --profile %j THEN one line pointing at the profile list', (v) => {
    expect(() => readAwsProfile(v, {})).toThrow(
      `invalid --profile ${JSON.stringify(v)}: use a profile name from \`aws configure list-profiles\``,
    );
  });

  it('GIVEN a bad AWS_PROFILE THEN names the variable', () => {
    expect(() => readAwsProfile(undefined, { AWS_PROFILE: 'my profile' })).toThrow(
      /^invalid AWS_PROFILE "my profile": set it to a profile name/,
    );
  });
});

describe('checkEndpointUrls', () => {
  it('GIVEN AWS_ENDPOINT_URL that is not a URL THEN one line with an example', () => {
    expect(() => checkEndpointUrls({ AWS_ENDPOINT_URL: 'not-a-url' })).toThrow(
      new AwsSettingError(
        'AWS_ENDPOINT_URL "not-a-url" is not a URL: set it like http://localhost:4566, or unset it',
      ),
    );
  });

  it('GIVEN a URL without http(s) THEN rejects it (the SDK would take "localhost:" as the scheme)', () => {
    expect(() => checkEndpointUrls({ AWS_ENDPOINT_URL: 'localhost:4566' })).toThrow(
      AwsSettingError,
    );
  });

  it('GIVEN a bad service-specific variable for one of our clients THEN names it', () => {
    expect(() => checkEndpointUrls({ AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'logs.local' })).toThrow(
      /^AWS_ENDPOINT_URL_CLOUDWATCH_LOGS "logs.local" is not a URL/,
    );
  });

  it('GIVEN http and https endpoints THEN accepts them', () => {
    expect(() =>
      checkEndpointUrls({
        AWS_ENDPOINT_URL: 'http://localhost:4566',
        AWS_ENDPOINT_URL_ECS: 'https://ecs.example.test',
      }),
    ).not.toThrow();
  });

  it('GIVEN AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true THEN skips them, as the SDK does', () => {
    expect(() =>
      checkEndpointUrls({
        AWS_ENDPOINT_URL: 'not-a-url',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).not.toThrow();
  });
});

describe('readAwsTarget', () => {
  it('GIVEN flags and a valid environment THEN the region and profile to build clients with', () => {
    expect(
      readAwsTarget(
        { region: 'us-east-1' },
        { AWS_PROFILE: 'dev', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
      ),
    ).toEqual({ region: 'us-east-1', profile: 'dev' });
  });

  it('GIVEN a good region but a bad endpoint THEN still rejects the endpoint', () => {
    expect(() => readAwsTarget({ region: 'us-east-1' }, { AWS_ENDPOINT_URL: 'x' })).toThrow(
      AwsSettingError,
    );
  });
});

describe('describeEndpoint', () => {
  it('GIVEN no endpoint variable THEN the region default', () => {
    expect(describeEndpoint('eu-west-1', {})).toBe(
      "https://*.eu-west-1.amazonaws.com (the region's default)",
    );
  });

  it('GIVEN AWS_ENDPOINT_URL and a service one THEN names both with their variables', () => {
    expect(
      describeEndpoint('eu-west-1', {
        AWS_ENDPOINT_URL: 'http://localhost:4566',
        AWS_ENDPOINT_URL_ECS: 'http://localhost:4567',
      }),
    ).toBe(
      'http://localhost:4567 (AWS_ENDPOINT_URL_ECS), http://localhost:4566 (AWS_ENDPOINT_URL)',
    );
  });

  it('GIVEN AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true THEN the region default', () => {
    expect(
      describeEndpoint('us-east-1', {
        AWS_ENDPOINT_URL: 'http://localhost:4566',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).toMatch(/^https:\/\/\*\.us-east-1\.amazonaws\.com/);
  });
});
