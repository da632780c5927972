import { createAwsClients, describeEndpoint } from '@hello-world/aws-ops';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCredentialsProblem, findEndpointProblem, resolveClientCredentials } from './preflight';

// The real SDK provider chain over a throw-away HOME: no AWS call, nothing of the machine's own.
const saved = process.env;
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'deploy-preflight-'));
  process.env = { HOME: home, AWS_EC2_METADATA_DISABLED: 'true' };
});
afterEach(() => {
  process.env = saved;
  rmSync(home, { recursive: true, force: true });
});

/** The check as bin/deploy.ts runs it: the deploy's clients, their own chain. */
function preflight(profile?: string) {
  const target = { region: 'eu-west-1', ...(profile ? { profile } : {}) };
  return findCredentialsProblem(
    () => resolveClientCredentials(createAwsClients(target, process.env)),
    target,
  );
}

describe('findCredentialsProblem', () => {
  it('GIVEN keys in the environment THEN no problem', async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(await preflight()).toBeUndefined();
  });

  it('GIVEN no credentials anywhere THEN a no-credentials problem with the sign-in commands', async () => {
    expect(await preflight()).toEqual({
      kind: 'no-credentials',
      message:
        'no AWS credentials found: run `aws configure` or `aws sso login`, or name a profile with --profile NAME (infra:deploy passes it along its chain) or AWS_PROFILE=NAME',
    });
  });

  it('GIVEN --profile naming a profile that is not configured THEN names it', async () => {
    expect(await preflight('nope')).toEqual({
      kind: 'no-credentials',
      message:
        'AWS profile "nope" not found or has no credentials: run `aws configure --profile nope` (or `aws sso login --profile nope`)',
    });
  });

  it('GIVEN an SSO profile whose cached session has expired THEN an expired-token problem', async () => {
    const startUrl = 'https://example.awsapps.com/start';
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile dev]\nsso_start_url = ${startUrl}\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Deployer\n`,
    );
    // Where the AWS CLI caches a legacy SSO login: sha1 of the start URL.
    writeFileSync(
      join(
        home,
        '.aws',
        'sso',
        'cache',
        `${createHash('sha1').update(startUrl).digest('hex')}.json`,
      ),
      JSON.stringify({
        startUrl,
        region: 'eu-west-1',
        accessToken: 'expired-token',
        expiresAt: '2020-01-01T00:00:00Z',
      }),
    );
    expect(await preflight('dev')).toEqual({
      kind: 'expired-token',
      message:
        'your AWS SSO session has expired or is invalid: run `aws sso login --profile dev` and retry',
    });
  });
});

describe('findEndpointProblem', () => {
  it('GIVEN AWS_ENDPOINT_URL where nothing listens THEN a network problem naming the endpoint', async () => {
    // What the SDK rejects with then (outside Jest's sandbox, which wraps it): Node's own error.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      errno: -111,
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
      port: 1,
      $metadata: { attempts: 1, totalRetryDelay: 0 },
    });
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' };
    const problem = await findEndpointProblem(() => Promise.reject(refused), {
      region: 'eu-west-1',
      endpoint: describeEndpoint('eu-west-1', env),
    });
    expect(problem).toEqual({
      kind: 'network',
      message:
        'cannot reach AWS at http://127.0.0.1:1 (AWS_ENDPOINT_URL) (ECONNREFUSED): check your network or proxy, or the AWS_ENDPOINT_URL* variables',
    });
  });

  it('GIVEN an answer that is not the setup (a throttled or internal error) THEN left to the deploy', async () => {
    const internal = Object.assign(new Error('We encountered an internal error.'), {
      name: 'InternalFailure',
    });
    await expect(
      findEndpointProblem(() => Promise.reject(internal), {
        region: 'eu-west-1',
        endpoint: 'https://*.eu-west-1.amazonaws.com',
      }),
    ).resolves.toBeUndefined();
  });
});
