import {
  DEFAULT_ENVIRONMENT,
  isPreviewEnvironment,
  type DeploymentNames,
} from '@hello-world/shared';
import type { CloudAssembly } from '../diagram/cloud-assembly';

/** The stacks an estimate prices, and the shared ones it leaves to the default environment's. */
export interface PricedStacks {
  readonly assembly: CloudAssembly;
  /** The stacks priced, in deploy order. */
  readonly stacks: readonly string[];
  /** Stacks every environment shares (registry, CI), left out of this environment's estimate. */
  readonly shared: readonly string[];
}

/**
 * What an environment's estimate prices. The default environment's is the whole deployment, as
 * the docs show it (registry included). Another environment shares the registry (and the CI
 * stack) with every other: its estimate is what it adds (its service stack and its roles), so a
 * preview's cost on a pull request and the sum over `infra:envs` count the registry once.
 */
export function pricedStacksOf(
  assembly: CloudAssembly,
  names: Pick<DeploymentNames, 'environment' | 'registryStack' | 'ciStack'>,
): PricedStacks {
  const isShared = (name: string) =>
    names.environment !== DEFAULT_ENVIRONMENT &&
    (name === names.registryStack || name === names.ciStack);
  const own = assembly.stacks.filter((stack) => !isShared(stack.name));
  return {
    assembly: { stacks: own },
    stacks: own.map((stack) => stack.name),
    shared: assembly.stacks.filter((stack) => isShared(stack.name)).map((stack) => stack.name),
  };
}

/**
 * One line saying what was priced, outside the default environment (whose estimate is the one
 * the docs show, unchanged); undefined for the default.
 */
export function describePricedStacks(
  priced: PricedStacks,
  environment: string,
): string | undefined {
  if (environment === DEFAULT_ENVIRONMENT) return undefined;
  // Previews share their own stack (repository and roles) among themselves only.
  const sharers = isPreviewEnvironment(environment) ? 'every preview' : 'every environment';
  const shared =
    priced.shared.length > 0
      ? `; shared with ${sharers}, not counted here: ${priced.shared.join(', ')}`
      : '';
  return `Environment ${environment}: its own stacks ${priced.stacks.join(', ')}${shared}`;
}
