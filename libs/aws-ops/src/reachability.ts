import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Your public IP as the internet sees it; undefined when it cannot be found out. */
export type CallerIpLookup = () => Promise<string | undefined>;

export interface ProbeResult {
  ok: boolean;
  status?: number;
  error?: string;
}

/** One HTTP GET against the service URL. */
export type UrlProbe = (url: string) => Promise<ProbeResult>;

/** Where the real lookup asks: AWS's own echo service. Messages name it when it fails. */
export const CALLER_IP_SERVICE = 'checkip.amazonaws.com';

/** The real lookup: AWS's own echo service. */
export async function fetchCallerIp(timeoutMs = 3000): Promise<string | undefined> {
  try {
    const response = await fetch(`https://${CALLER_IP_SERVICE}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const ip = (await response.text()).trim();
    return isIPv4(ip) || isIPv6(ip) ? ip : undefined;
  } catch {
    return undefined;
  }
}

/** The real probe: a GET with a timeout; any HTTP answer below 500 counts as answering. */
export async function probeUrl(url: string, timeoutMs = 5000): Promise<ProbeResult> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { ok: response.status < 500, status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, error: cause ?? (error as Error).name ?? String(error) };
  }
}

/** True when `ip` falls inside `cidr` (IPv4 or IPv6); false for anything malformed. */
export function isIpInCidr(ip: string, cidr: string): boolean {
  const [network, prefixText] = cidr.trim().split('/');
  const type = isIPv4(network) ? 'ipv4' : isIPv6(network) ? 'ipv6' : undefined;
  const prefix = Number(prefixText);
  const ipType = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  if (!type || type !== ipType || !Number.isInteger(prefix)) return false;
  const list = new BlockList();
  try {
    list.addSubnet(network, prefix, type);
  } catch {
    return false;
  }
  return list.check(ip, type);
}
