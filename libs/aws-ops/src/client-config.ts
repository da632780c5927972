import { DEFAULT_REGION } from '@hello-world/shared';

export interface AwsTarget {
  /** AWS region. @default AWS_REGION, else AWS_DEFAULT_REGION, else eu-west-1 */
  region?: string;
  /** Named profile from ~/.aws/config. @default the SDK's default credential chain */
  profile?: string;
}

/** Retry budget for every client: adaptive mode backs off client-side when AWS throttles. */
export const MAX_ATTEMPTS = 5;

/**
 * Config shared by every SDK client the tools create. The endpoint is left to the SDK, which
 * honours AWS_ENDPOINT_URL for AWS-compatible endpoints.
 */
export function clientConfig(
  target: AwsTarget,
  env: Record<string, string | undefined> = process.env,
) {
  return {
    region: target.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? DEFAULT_REGION,
    ...(target.profile ? { profile: target.profile } : {}),
    retryMode: 'adaptive' as const,
    maxAttempts: MAX_ATTEMPTS,
  };
}
