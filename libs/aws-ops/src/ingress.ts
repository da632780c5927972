import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import {
  APP_PORT,
  DEFAULT_INGRESS,
  INGRESS_OUTPUTS,
  IngressMode,
  isIngressMode,
  normalizeDomainName,
} from '@hello-world/shared';
import { OpsError } from './errors';
import { deploymentCommand } from './findings';
import { ServiceUrl, getServiceUrl } from './service-url';
import { ServiceRef, TaskSummary } from './tasks';

/** How a live service stack is reached, as its outputs say (readIngress). */
export interface IngressInfo {
  mode: IngressMode;
  /** dns and alb: the name users reach the service at, normalized (no trailing dot). */
  domainName?: string;
  hostedZoneId?: string;
  /** alb only. */
  loadBalancerDnsName?: string;
  loadBalancerArn?: string;
  targetGroupArn?: string;
}

/**
 * The live stack's ingress from its outputs: a stack without the IngressMode output is
 * public-ip (every stack deployed before the setting, and every public-ip stack since, whose
 * template is the reference's). A mode this version does not know is an error naming the fix.
 */
export function readIngress(outputs: Record<string, string>): IngressInfo {
  const declared = outputs[INGRESS_OUTPUTS.ingressMode];
  if (declared === undefined || declared === '') return { mode: DEFAULT_INGRESS };
  if (!isIngressMode(declared)) {
    throw new OpsError(
      'unknown',
      `the stack's ${INGRESS_OUTPUTS.ingressMode} output is ${JSON.stringify(declared)}, which this version of the tools does not know: update them (git pull, npm ci)`,
    );
  }
  if (declared === 'public-ip') return { mode: declared };
  const pick = (key: string, as: keyof IngressInfo) => (outputs[key] ? { [as]: outputs[key] } : {});
  const domain = outputs[INGRESS_OUTPUTS.domainName];
  return {
    mode: declared,
    ...(domain ? { domainName: normalizeDomainName(domain) } : {}),
    ...pick(INGRESS_OUTPUTS.hostedZoneId, 'hostedZoneId'),
    ...(declared === 'alb'
      ? {
          ...pick(INGRESS_OUTPUTS.loadBalancerDnsName, 'loadBalancerDnsName'),
          ...pick(INGRESS_OUTPUTS.loadBalancerArn, 'loadBalancerArn'),
          ...pick(INGRESS_OUTPUTS.targetGroupArn, 'targetGroupArn'),
        }
      : {}),
  };
}

/**
 * The stable URL of a dns or alb stack: the record's name on the service port (dns: plain HTTP
 * to the task), or HTTPS on the load balancer's 443. Undefined for public-ip, whose URL is a
 * task's IP and changes with every deployment, and for a stack missing its DomainName output.
 */
export function ingressUrl(ingress: IngressInfo, port: number = APP_PORT): string | undefined {
  if (!ingress.domainName) return undefined;
  if (ingress.mode === 'dns') return `http://${ingress.domainName}:${port}/`;
  if (ingress.mode === 'alb') return `https://${ingress.domainName}/`;
  return undefined;
}

/**
 * The stable URL from a stack's outputs, for listings that go on whatever one stack says: a mode
 * this version does not know gives none (the caller falls back to a task's URL).
 */
export function stableUrlOf(
  outputs: Record<string, string>,
  port: number = APP_PORT,
): string | undefined {
  try {
    return ingressUrl(readIngress(outputs), port);
  } catch (error) {
    if (error instanceof OpsError) return undefined;
    throw error;
  }
}

/** What `url` prints: a task's URL (public-ip), or the stack's stable one. */
export type IngressUrl =
  ({ mode: 'public-ip' } & ServiceUrl) | { mode: 'dns' | 'alb'; url: string; domainName: string };

/**
 * The service's URL in the stack's mode: public-ip looks up the newest running task (as
 * getServiceUrl, with its errors); dns and alb answer from the outputs alone, running task or not.
 */
export async function getIngressUrl(
  clients: { ecs: ECSClient; ec2: EC2Client },
  ref: ServiceRef,
  ingress: IngressInfo,
  port: number = APP_PORT,
  project?: string,
): Promise<IngressUrl> {
  if (ingress.mode === 'public-ip') {
    return { mode: 'public-ip', ...(await getServiceUrl(clients, ref, port, project)) };
  }
  const url = ingressUrl(ingress, port);
  if (!url || !ingress.domainName) {
    throw new OpsError(
      'unknown',
      `the ${ingress.mode} stack has no ${INGRESS_OUTPUTS.domainName} output: redeploy it with \`${deploymentCommand('deploy', project)}\``,
    );
  }
  return { mode: ingress.mode, url, domainName: ingress.domainName };
}

/**
 * The public IPs the dns record should hold: those of the service's running tasks, sorted, as
 * the updater Lambda computes them (desired and last status RUNNING, with a public IP).
 */
export function runningTaskIps(tasks: readonly TaskSummary[]): string[] {
  return [
    ...new Set(
      tasks
        .filter((t) => t.lastStatus === 'RUNNING' && t.publicIp)
        .map((t) => t.publicIp as string),
    ),
  ].sort();
}
