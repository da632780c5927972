import type { EnvironmentDetails } from '@hello-world/aws-ops';
import type { CfnResource, CloudAssembly } from '../diagram/cloud-assembly';
import {
  DEFAULT_ASSUMPTIONS,
  estimateMonthlyCost,
  UnpricedResourceError,
  type Assumptions,
} from '../cost/estimate';
import { PRICES, type PriceTable } from '../cost/prices';

/** An environment's monthly estimate, or why there is none. */
export type EnvironmentCost =
  { monthly: number; currency: 'USD' } | { monthly: null; reason: string };

/**
 * What the estimate of a deployed environment assumes beyond what AWS says of it: printed once
 * under the table and in the JSON, so a number is never read without them.
 */
export function environmentCostAssumptions(prices: PriceTable = PRICES): string[] {
  return [
    `AWS list prices as of ${prices.asOf} (libs/fargate/src/cost/prices.ts), USD, ${prices.hoursPerMonth} hours a month, no free tier`,
    "what ECS says each service runs now: its task definition's CPU, memory and architecture, its desired count all month, its capacity providers (Fargate Spot at " +
      `${prices.spotFractionOfOnDemand * 100}% of on-demand), a public IPv4 address per task when it assigns them`,
    `${DEFAULT_ASSUMPTIONS.logIngestionGbPerMonth} GB of logs a month into each environment's log group, stored for its retention; its KMS key when it has one; Container Insights when its cluster has it on`,
    "the shared registry (one ECR repository for every environment) is in no environment's cost: `infra:cost` prices it",
  ];
}

/**
 * The running service as the templates `infra:cost` prices would describe it: a Fargate service
 * and its task definition, its cluster and its log group (with its key), from what ECS and
 * CloudWatch Logs say rather than from a synth. Only billed settings are filled in.
 */
function assemblyOf(details: EnvironmentDetails, region: string): CloudAssembly | string {
  const service = details.service;
  if (!service) return 'no ECS service runs in this environment';
  if (service.cpu === undefined || service.memoryMiB === undefined) {
    return `task definition ${service.taskDefinition ?? '(none)'} has no task-level CPU and memory`;
  }
  const resources: Record<string, CfnResource> = {
    Cluster: {
      Type: 'AWS::ECS::Cluster',
      Properties: {
        ClusterName: service.cluster,
        ClusterSettings: [
          { Name: 'containerInsights', Value: service.containerInsights ?? 'disabled' },
        ],
      },
    },
    TaskDefinition: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Cpu: service.cpu,
        Memory: service.memoryMiB,
        RuntimePlatform: { CpuArchitecture: service.architecture },
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        Cluster: { Ref: 'Cluster' },
        TaskDefinition: { Ref: 'TaskDefinition' },
        DesiredCount: service.desiredCount,
        ...(service.launchType ? { LaunchType: service.launchType } : {}),
        CapacityProviderStrategy: service.capacityProviderStrategy.map((s) => ({
          CapacityProvider: s.capacityProvider,
          Weight: s.weight,
          Base: s.base,
        })),
        NetworkConfiguration: {
          AwsvpcConfiguration: { AssignPublicIp: service.assignPublicIp ? 'ENABLED' : 'DISABLED' },
        },
      },
    },
  };
  const logGroup = details.logGroup;
  if (logGroup) {
    resources['LogGroup'] = {
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: logGroup.name,
        ...(logGroup.retentionDays !== undefined
          ? { RetentionInDays: logGroup.retentionDays }
          : {}),
        ...(logGroup.encrypted ? { KmsKeyId: { 'Fn::GetAtt': ['LogKey', 'Arn'] } } : {}),
      },
    };
    if (logGroup.encrypted) resources['LogKey'] = { Type: 'AWS::KMS::Key', Properties: {} };
  }
  return {
    stacks: [
      { name: details.stackName, region, dependencies: [], template: { Resources: resources } },
    ],
  };
}

/**
 * The monthly estimate of one deployed environment, by `infra:cost`'s estimator (the same prices
 * and lines) over what AWS says the environment runs. No service, a region without prices or a
 * setting the estimator cannot price (Spot on ARM64, EC2 capacity) is no number, with the reason.
 */
export function estimateEnvironmentCost(
  details: EnvironmentDetails,
  region: string,
  assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
  prices: PriceTable = PRICES,
): EnvironmentCost {
  const assembly = assemblyOf(details, region);
  if (typeof assembly === 'string') return { monthly: null, reason: assembly };
  try {
    const estimate = estimateMonthlyCost(assembly, assumptions, prices);
    return { monthly: estimate.total, currency: estimate.currency };
  } catch (error) {
    if (!(error instanceof UnpricedResourceError)) throw error;
    return { monthly: null, reason: error.message };
  }
}
