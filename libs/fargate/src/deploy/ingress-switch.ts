import { GetTemplateCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { explainError } from '@hello-world/aws-ops';
import type { IngressMode } from '@hello-world/shared';
import type { CfnTemplate } from './ingress-preflight';

/** What a stack update does to one resource of the live template, by logical ID. */
export interface TemplateChange {
  logicalId: string;
  type: string;
  /**
   * add/remove: the logical ID is only in the new/live template. replace: its type changes, or
   * a property that CloudFormation always replaces the resource for (REPLACING_PROPERTIES).
   * change: other properties differ; CloudFormation decides whether that replaces it.
   */
  action: 'add' | 'replace' | 'change' | 'remove';
  /** replace/change: the top-level properties that differ (replace: those that force it). */
  properties: string[];
}

/**
 * Properties whose change CloudFormation documents as "Update requires: Replacement", for the
 * resource types an ingress switch touches ('*': every property, as for a task definition, whose
 * revisions are immutable). A short, documented list, not a model of CloudFormation: any other
 * difference is reported as a change for CloudFormation to decide. The ECS service's
 * LoadBalancers are not in it: a rolling-update service takes target groups in place (a new ECS
 * deployment, not a new service).
 */
export const REPLACING_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'],
  'AWS::EC2::Subnet': ['AvailabilityZone', 'AvailabilityZoneId', 'CidrBlock', 'VpcId'],
  'AWS::ECS::Service': ['Cluster', 'LaunchType', 'Role', 'SchedulingStrategy', 'ServiceName'],
  'AWS::ECS::TaskDefinition': ['*'],
  'AWS::Route53::RecordSet': ['HostedZoneId', 'HostedZoneName', 'Name'],
  'AWS::Lambda::Function': ['FunctionName', 'PackageType'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::Events::Rule': ['EventBusName', 'Name'],
};

/** CDK's analytics resource: not the user's infrastructure. */
const IGNORED_TYPES = new Set(['AWS::CDK::Metadata']);

const ORDER: Record<TemplateChange['action'], number> = {
  add: 0,
  replace: 1,
  change: 2,
  remove: 3,
};

/**
 * The live template against the synthesized one, by logical ID: the resources added, removed,
 * replaced (a type change, or a property CloudFormation always replaces for) and changed. Pure:
 * templates in, plain data out; ordered add, replace, change, remove, then by logical ID.
 */
export function diffTemplates(live: CfnTemplate, next: CfnTemplate): TemplateChange[] {
  const before = resourcesOf(live);
  const after = resourcesOf(next);
  const changes: TemplateChange[] = [];
  for (const [logicalId, resource] of after) {
    const old = before.get(logicalId);
    if (!old) {
      changes.push({ logicalId, type: resource.type, action: 'add', properties: [] });
    } else if (old.type !== resource.type) {
      changes.push({ logicalId, type: resource.type, action: 'replace', properties: ['Type'] });
    } else {
      const differing = differingProperties(old.properties, resource.properties);
      if (differing.length === 0) continue;
      const replacing = REPLACING_PROPERTIES[resource.type] ?? [];
      const forcing = replacing.includes('*')
        ? differing.filter((p) => p !== 'Tags')
        : differing.filter((p) => replacing.includes(p));
      changes.push(
        forcing.length > 0
          ? { logicalId, type: resource.type, action: 'replace', properties: forcing }
          : { logicalId, type: resource.type, action: 'change', properties: differing },
      );
    }
  }
  for (const [logicalId, resource] of before) {
    if (!after.has(logicalId)) {
      changes.push({ logicalId, type: resource.type, action: 'remove', properties: [] });
    }
  }
  return changes.sort(
    (a, b) => ORDER[a.action] - ORDER[b.action] || a.logicalId.localeCompare(b.logicalId),
  );
}

function resourcesOf(
  template: CfnTemplate,
): Map<string, { type: string; properties: Record<string, unknown> }> {
  const found = new Map<string, { type: string; properties: Record<string, unknown> }>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const type = typeof resource?.Type === 'string' ? resource.Type : 'unknown';
    if (IGNORED_TYPES.has(type)) continue;
    const properties =
      typeof resource?.Properties === 'object' && resource.Properties !== null
        ? (resource.Properties as Record<string, unknown>)
        : {};
    found.set(logicalId, { type, properties });
  }
  return found;
}

function differingProperties(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((name) => canonical(before[name]) !== canonical(after[name]))
    .sort((a, b) => a.localeCompare(b));
}

/** JSON with object keys sorted: the same value written in another key order is no change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** What a deploy that changes the live stack's ingress mode may do without asking. */
export type SwitchDecision =
  /** Same mode, or nothing live yet: nothing to confirm. */
  | { action: 'proceed' }
  /** --switch-ingress: confirmed on the command line (CI). */
  | { action: 'confirmed' }
  /** A terminal: show the changes and ask y/N. */
  | { action: 'ask' }
  /** No terminal and no flag: one line, exit 2. */
  | { action: 'refuse'; message: string };

export const SWITCH_INGRESS_FLAG = '--switch-ingress';

/**
 * A mode switch on a live environment replaces resources users depend on (the URL changes, the
 * task's security group, the service's load balancing): it is asked first in a terminal, and
 * without one (CI) only --switch-ingress lets it go ahead, as infra:destroy asks or takes --yes.
 */
export function decideIngressSwitch(
  from: IngressMode | undefined,
  to: IngressMode,
  options: { stackName: string; interactive: boolean; switchIngress: boolean },
): SwitchDecision {
  if (from === undefined || from === to) return { action: 'proceed' };
  if (options.switchIngress) return { action: 'confirmed' };
  if (options.interactive) return { action: 'ask' };
  return {
    action: 'refuse',
    message: `${options.stackName} runs ingress ${from} and this deploy switches it to ${to}, which replaces resources and changes its URL: run it in a terminal to see the changes and confirm, or pass ${SWITCH_INGRESS_FLAG}`,
  };
}

/** The diff of the live and synthesized templates, or why there is none (GetTemplate failed). */
export type SwitchChanges =
  { known: true; changes: readonly TemplateChange[] } | { known: false; reason: string };

/** The changes, one line each, for the terminal (stderr) before the question. */
export function formatIngressSwitch(
  from: IngressMode,
  to: IngressMode,
  stackName: string,
  found: SwitchChanges,
): string[] {
  const head = `${stackName} runs ingress ${from}; this deploy switches it to ${to}.`;
  if (!found.known) return [head, `  what changes is not known: ${found.reason}`];
  const { changes } = found;
  if (changes.length === 0) return [head, '  no resource changes found in the templates'];
  const width = Math.max(...changes.map((c) => c.type.length));
  return [
    `${head} CloudFormation will:`,
    ...changes.map((c) => {
      const properties = c.properties.length ? `: ${c.properties.join(', ')}` : '';
      return `  ${c.action.padEnd(7)}  ${c.type.padEnd(width)}  ${c.logicalId}${properties}`;
    }),
    ...(changes.some((c) => c.action === 'change')
      ? ['  (change: updated in place or replaced, as CloudFormation decides for those properties)']
      : []),
  ];
}

/**
 * The live stack's template (GetTemplate, as deployed: CDK deploys JSON) against the synthesized
 * one. A template that cannot be read is said, not fatal: the question is still asked.
 */
export async function findSwitchChanges(
  cfn: CloudFormationClient,
  stackName: string,
  next: CfnTemplate,
  region: string,
): Promise<SwitchChanges> {
  let body: string | undefined;
  try {
    ({ TemplateBody: body } = await cfn.send(
      new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }),
    ));
  } catch (error) {
    return { known: false, reason: explainError(error, { region, stackName }).message };
  }
  try {
    return { known: true, changes: diffTemplates(JSON.parse(body ?? '') as CfnTemplate, next) };
  } catch {
    return { known: false, reason: `the live template of ${stackName} is not JSON` };
  }
}
