import {
  describeEnvironment,
  isDeployedBefore,
  listEnvironmentStacks,
  type AwsClients,
  type EnvironmentDetails,
  type EnvironmentStack,
} from '@hello-world/aws-ops';
import { deploymentNames, isPreviewEnvironment } from '@hello-world/shared';
import type { Deployment } from '../deployment';
import type { EnvsOptions } from './args';
import {
  environmentCostAssumptions,
  estimateEnvironmentCost,
  type EnvironmentCost,
} from './environment-cost';

/**
 * One deployed environment as `infra:envs --json` prints it (the preview sweep reads
 * `environments[].environment`). Absent facts are null, never missing.
 */
export interface EnvironmentRow {
  environment: string;
  /** A pull-request preview (`pr-<number>`). */
  preview: boolean;
  stackName: string;
  stackStatus: string;
  /** ISO time of the stack's last update, else of its creation. */
  lastDeployed: string;
  /** The newest running task's URL; null when no task runs with a public IP. */
  url: string | null;
  /** The image tag the service runs (its PRIMARY deployment), else the stack's ImageTag. */
  imageTag: string | null;
  /** The stack's ImageTag parameter: what its last deploy asked for. */
  stackImageTag: string | null;
  desiredCount: number | null;
  runningCount: number | null;
  /** USD a month, by infra:cost's prices over what ECS says the service runs; null: see costNote. */
  monthlyCost: number | null;
  costNote?: string;
}

export interface EnvironmentsReport {
  service: string;
  region: string;
  environments: EnvironmentRow[];
  /**
   * Stacks named like the service's that this identity may not read (DescribeStacks denied):
   * whether they are environments is unknown. Empty when every candidate was read.
   */
  skipped: string[];
  currency: 'USD';
  costAssumptions: string[];
}

export interface EnvsDeps {
  clients: AwsClients;
  region: string;
  deployment: Pick<Deployment, 'names' | 'port'>;
  now: number;
}

/** The environment's log group: its names' (a stack tagged by hand may carry any name). */
function logGroupOf(service: string, stack: EnvironmentStack): string {
  try {
    return deploymentNames(service, stack.environment).logGroup;
  } catch {
    return `/ecs/${stack.stackName}`;
  }
}

function toRow(details: EnvironmentDetails, cost: EnvironmentCost): EnvironmentRow {
  return {
    environment: details.environment,
    preview: isPreviewEnvironment(details.environment),
    stackName: details.stackName,
    stackStatus: details.status,
    lastDeployed: details.lastDeployed.toISOString(),
    url: details.url ?? null,
    imageTag: details.service?.imageTag ?? details.stackImageTag ?? null,
    stackImageTag: details.stackImageTag ?? null,
    desiredCount: details.service?.desiredCount ?? null,
    runningCount: details.service?.runningCount ?? null,
    monthlyCost: cost.monthly,
    ...(cost.monthly === null ? { costNote: cost.reason } : {}),
  };
}

/**
 * The deployed environments of the deployment's service, filtered before anything else is read
 * (a sweep of old previews describes only those), then each described and priced.
 */
export async function listEnvironments(
  deps: EnvsDeps,
  options: EnvsOptions,
): Promise<EnvironmentsReport> {
  const { service } = deps.deployment.names;
  // Previews only: the other stacks are not even described (the preview role may not).
  const listing = await listEnvironmentStacks(deps.clients.cfn, service, {
    previewsOnly: options.previews,
  });
  const stacks = listing.environments.filter(
    (stack) =>
      options.olderThanMs === undefined || isDeployedBefore(stack, options.olderThanMs, deps.now),
  );
  const environments = await Promise.all(
    stacks.map(async (stack) => {
      const details = await describeEnvironment(deps.clients, stack, {
        port: deps.deployment.port,
        logGroupName: logGroupOf(service, stack),
        containerName: service,
      });
      return toRow(details, estimateEnvironmentCost(details, deps.region));
    }),
  );
  return {
    service,
    region: deps.region,
    environments,
    skipped: listing.skipped,
    currency: 'USD',
    costAssumptions: environmentCostAssumptions(),
  };
}

/** `7d`, `12h`, `90m`, `45s`: the largest unit that divides the duration, as it was likely typed. */
export function shortDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const [unit, size] = units.find(([, size]) => ms % size === 0) ?? ['ms', 1];
  return `${ms / size}${unit}`;
}

/** What the filters asked for, for the line that says none matched. */
export function describeFilters(options: EnvsOptions): string {
  return [
    options.previews ? 'preview ' : '',
    'environment',
    options.olderThanMs !== undefined
      ? ` last deployed more than ${shortDuration(options.olderThanMs)} ago`
      : '',
  ].join('');
}

/** The note for candidates DescribeStacks was denied on, or undefined when there are none. */
export function describeSkipped(skipped: readonly string[]): string | undefined {
  return skipped.length === 0
    ? undefined
    : `not read (your identity may not call cloudformation:DescribeStacks on them): ${skipped.join(', ')}`;
}

/**
 * The one line for a named environment whose service stack is not there: the environments that
 * are (found as `envs` finds them; previews only for a preview, which is what the preview role may
 * read), or, when they cannot be listed, where to list them.
 */
export async function undeployedEnvironmentMessage(
  clients: Pick<AwsClients, 'cfn'>,
  context: { service: string; environment: string; region: string; project: string },
): Promise<string> {
  const { environment, region, project } = context;
  const what = `no environment ${JSON.stringify(environment)} is deployed in ${region}`;
  const deploy = `\`npx nx run ${project}:deploy -- --env=${environment}\``;
  const previewsOnly = isPreviewEnvironment(environment);
  const which = previewsOnly ? 'preview' : 'environment';
  let deployed: string[];
  let skipped: string | undefined;
  try {
    const listing = await listEnvironmentStacks(clients.cfn, context.service, { previewsOnly });
    deployed = listing.environments.map((e) => e.environment);
    skipped = describeSkipped(listing.skipped);
  } catch {
    // Listing every stack needs more than reading one: say where to look instead.
    return `${what}: \`npx nx run ${project}:envs\` lists the deployed ones; pass --env with one of them, or deploy it with ${deploy}`;
  }
  const also = skipped ? `; ${skipped}` : '';
  if (deployed.length === 0) {
    return `${what} (no ${which} is deployed there${also}): deploy it with ${deploy}, or pass --region if it lives elsewhere`;
  }
  return `${what} (deployed${previewsOnly ? ' previews' : ''}: ${deployed.join(', ')}${also}); pass --env with one of them, or deploy it with ${deploy}`;
}
