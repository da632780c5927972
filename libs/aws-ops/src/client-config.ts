import { DEFAULT_REGION, isAwsProfileName, isAwsRegion } from '@hello-world/shared';

export interface AwsTarget {
  /** AWS region. @default AWS_REGION, else AWS_DEFAULT_REGION, else eu-west-1 */
  region?: string;
  /** Named profile from ~/.aws/config. @default the SDK's default credential chain */
  profile?: string;
}

type Env = Record<string, string | undefined>;

/** Retry budget for every client: adaptive mode backs off client-side when AWS throttles. */
export const MAX_ATTEMPTS = 5;

/**
 * Config shared by every SDK client the tools create. The endpoint is left to the SDK, which
 * honours AWS_ENDPOINT_URL for AWS-compatible endpoints.
 */
export function clientConfig(target: AwsTarget, env: Env = process.env) {
  return {
    // `||`: an empty variable means unset, as the SDK itself treats it.
    region: target.region ?? (env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || DEFAULT_REGION),
    ...(target.profile ? { profile: target.profile } : {}),
    retryMode: 'adaptive' as const,
    maxAttempts: MAX_ATTEMPTS,
  };
}

/** A region, profile or endpoint setting that cannot work: one line naming its source and the fix. */
export class AwsSettingError extends Error {
  override name = 'AwsSettingError';
}

/**
 * The service ids (SDK `serviceId`) of the clients in AwsClients. The SDK reads
 * AWS_ENDPOINT_URL_<ID in upper case, spaces as _> before AWS_ENDPOINT_URL for each of them.
 */
export const CLIENT_SERVICE_IDS = [
  'CloudFormation',
  'ECS',
  'EC2',
  'ECR',
  'CloudWatch Logs',
  'CloudWatch',
  'SSM',
  'Secrets Manager',
  'Route 53',
  'Elastic Load Balancing v2',
  'Application Auto Scaling',
  'Lambda',
];

/** A bad flag is fixed by passing another value; a bad variable by setting or unsetting it. */
function invalid(source: string, value: string, example: string): AwsSettingError {
  const fix = source.startsWith('--') ? `use ${example}` : `set it to ${example}, or unset it`;
  return new AwsSettingError(`invalid ${source} ${JSON.stringify(value)}: ${fix}`);
}

/** The region from the flag, else AWS_REGION, else AWS_DEFAULT_REGION, each checked alike. */
export function readAwsRegion(flag: string | undefined, env: Env): string {
  const [source, value] =
    flag !== undefined
      ? ['--region', flag]
      : env['AWS_REGION']
        ? ['AWS_REGION', env['AWS_REGION']]
        : env['AWS_DEFAULT_REGION']
          ? ['AWS_DEFAULT_REGION', env['AWS_DEFAULT_REGION']]
          : ['default', DEFAULT_REGION];
  if (!isAwsRegion(value)) throw invalid(source, value, 'a region code like eu-west-1');
  return value;
}

/** The profile from the flag, else AWS_PROFILE (as the SDK would read it), checked alike. */
export function readAwsProfile(flag: string | undefined, env: Env): string | undefined {
  if (flag === undefined && !env['AWS_PROFILE']) return undefined;
  const [source, value] =
    flag !== undefined ? ['--profile', flag] : ['AWS_PROFILE', env['AWS_PROFILE'] ?? ''];
  if (!isAwsProfileName(value)) {
    throw invalid(
      source,
      value,
      'a profile name from `aws configure list-profiles` (letters, digits and . _ @ + = , -)',
    );
  }
  return value;
}

/**
 * The endpoint variables the SDK would read for our clients. It turns a bad one into a bare
 * `TypeError: Invalid URL` on the first call, so check them before any call is made.
 */
export function checkEndpointUrls(env: Env): void {
  if (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] === 'true') return;
  const names = [
    'AWS_ENDPOINT_URL',
    ...CLIENT_SERVICE_IDS.map((id) => `AWS_ENDPOINT_URL_${id.toUpperCase().replace(/ /g, '_')}`),
  ];
  for (const name of names) {
    const value = env[name];
    if (value && !isHttpUrl(value)) {
      throw new AwsSettingError(
        `${name} ${JSON.stringify(value)} is not a URL: set it like http://localhost:4566, or unset it`,
      );
    }
  }
}

/**
 * Where the clients send their requests, for messages about what answered: the endpoint
 * variables the SDK reads (when set and not ignored), else the region's AWS endpoints.
 */
export function describeEndpoint(region: string, env: Env = process.env): string {
  if (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] !== 'true') {
    const set = [
      ...CLIENT_SERVICE_IDS.map((id) => `AWS_ENDPOINT_URL_${id.toUpperCase().replace(/ /g, '_')}`),
      'AWS_ENDPOINT_URL',
    ].filter((name) => env[name]);
    if (set.length > 0) return set.map((name) => `${env[name]} (${name})`).join(', ');
  }
  return `https://*.${region}.amazonaws.com (the region's default)`;
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Where the clients point, read once at the edge: `--region`/`--profile` or their variables,
 * and the endpoint variables, each checked with one rule. Throws AwsSettingError.
 */
export function readAwsTarget(flags: AwsTarget, env: Env): { region: string; profile?: string } {
  const region = readAwsRegion(flags.region, env);
  const profile = readAwsProfile(flags.profile, env);
  checkEndpointUrls(env);
  return { region, ...(profile ? { profile } : {}) };
}
