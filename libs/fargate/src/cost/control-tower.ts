import type { CfnResource, CloudAssembly } from '../diagram/cloud-assembly';
import { asArray } from '../diagram/template-values';
import {
  DEFAULT_ASSUMPTIONS,
  estimateMonthlyCost,
  type Assumptions,
  type CostLine,
} from './estimate';
import { PRICES, type PriceTable } from './prices';

/** The CDK context / environment setting of the option (libs/fargate/src/config.ts). */
export const CONTROL_TOWER_OPTION = 'controlTower=strict';

/** CT.CLOUDWATCH.PR.2's minimum retention, which the option keeps the logs for. */
const STRICT_RETENTION_DAYS = 365;

/** What the option adds to the monthly estimate of templates synthesized without it. */
export interface ControlTowerOptionCost {
  /** Lines the option adds or changes, priced as with the option on. */
  readonly lines: readonly CostLine[];
  /** Lines of today's estimate that those replace. */
  readonly replaced: readonly CostLine[];
  /** What those lines assume beyond today's estimate. */
  readonly assumptions: readonly string[];
  readonly extraMonthly: number;
  readonly totalMonthly: number;
}

/**
 * The templates as `controlTower=strict` synthesizes them, for pricing only: each log group kept
 * at least a year and encrypted by its stack's log key with rotation on, Container Insights on
 * every cluster (libs/fargate/src/fargate-app.ts), and a stack's SNS topics encrypted by one key
 * of the stack's (libs/fargate/src/monitoring/topic-key.ts). Tag immutability costs nothing, so
 * it is left out.
 */
export function withControlTowerStrict(assembly: CloudAssembly): CloudAssembly {
  const copy = structuredClone(assembly) as CloudAssembly;
  for (const stack of copy.stacks) {
    const resources = (stack.template.Resources ?? {}) as Record<string, CfnResource>;
    // The environment's one log key encrypts every log group of its stack (the dns updater's too).
    let stackLogKey: string | undefined;
    for (const [logicalId, resource] of Object.entries(resources)) {
      const properties = (resource.Properties ?? {}) as Record<string, unknown>;
      if (resource.Type === 'AWS::Logs::LogGroup') {
        const retention = Number(properties['RetentionInDays']);
        if (Number.isFinite(retention) && retention < STRICT_RETENTION_DAYS) {
          properties['RetentionInDays'] = STRICT_RETENTION_DAYS;
        }
        if (properties['KmsKeyId'] === undefined) {
          if (stackLogKey === undefined) {
            stackLogKey = `${logicalId}Key`;
            resources[stackLogKey] = {
              Type: 'AWS::KMS::Key',
              Properties: { EnableKeyRotation: true },
            };
          }
          properties['KmsKeyId'] = { 'Fn::GetAtt': [stackLogKey, 'Arn'] };
        }
      }
      if (resource.Type === 'AWS::ECS::Cluster') {
        properties['ClusterSettings'] = [
          ...asArray(properties['ClusterSettings']).filter(
            (s) => (s as { Name?: string }).Name !== 'containerInsights',
          ),
          { Name: 'containerInsights', Value: 'enabled' },
        ];
      }
      (resource as { Properties?: Record<string, unknown> }).Properties = properties;
    }
    const plainTopics = Object.values(resources).filter(
      (r) => r.Type === 'AWS::SNS::Topic' && r.Properties?.['KmsMasterKeyId'] === undefined,
    );
    if (plainTopics.length > 0) {
      resources['StrictTopicKey'] = {
        Type: 'AWS::KMS::Key',
        Properties: { EnableKeyRotation: true },
      };
      for (const topic of plainTopics) {
        (topic as { Properties?: Record<string, unknown> }).Properties = {
          ...topic.Properties,
          KmsMasterKeyId: { 'Fn::GetAtt': ['StrictTopicKey', 'Arn'] },
        };
      }
    }
  }
  return copy;
}

const round = (value: number): number => Number(value.toFixed(2));
const same = (a: CostLine, b: CostLine) => a.item === b.item && a.monthly === b.monthly;

/**
 * What turning the option on would add to these templates, or undefined when they already
 * have it (nothing would change).
 */
export function estimateControlTowerOption(
  assembly: CloudAssembly,
  assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
  prices: PriceTable = PRICES,
): ControlTowerOptionCost | undefined {
  const today = estimateMonthlyCost(assembly, assumptions, prices);
  const strict = estimateMonthlyCost(withControlTowerStrict(assembly), assumptions, prices);
  const lines = strict.lines.filter((line) => !today.lines.some((l) => same(l, line)));
  if (lines.length === 0) return undefined;
  return {
    lines,
    replaced: today.lines.filter((line) => !strict.lines.some((l) => same(l, line))),
    assumptions: strict.assumptions.filter((a) => !today.assumptions.includes(a)),
    extraMonthly: round(strict.total - today.total),
    totalMonthly: strict.total,
  };
}
