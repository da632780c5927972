import type { SyncTarget } from './sync-record';

/** The environment variables the service stack gives the function. */
export const DNS_UPDATER_ENV = [
  'CLUSTER_NAME',
  'SERVICE_NAME',
  'HOSTED_ZONE_ID',
  'DOMAIN_NAME',
  'OWNER',
] as const;

/** The target from the function's environment; one line naming the first missing variable. */
export function readUpdaterEnv(env: NodeJS.ProcessEnv): SyncTarget {
  const missing = DNS_UPDATER_ENV.find((name) => !env[name]);
  if (missing) throw new Error(`dns-updater: ${missing} is not set; redeploy the service stack`);
  return {
    cluster: env.CLUSTER_NAME as string,
    service: env.SERVICE_NAME as string,
    hostedZoneId: env.HOSTED_ZONE_ID as string,
    domainName: env.DOMAIN_NAME as string,
    owner: env.OWNER as string,
  };
}
