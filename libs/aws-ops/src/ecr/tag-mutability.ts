import { DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { DEPLOY_COMMAND, OpsError } from '../errors';

/** How a repository treats a tag pushed again: its ImageTagMutability and exclusion wildcards. */
export interface TagMutability {
  readonly mode: 'MUTABLE' | 'IMMUTABLE' | 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION';
  /** Wildcard filters (`*` only) of the *_WITH_EXCLUSION modes. */
  readonly exclusions: readonly string[];
}

/** The repository's tag mutability, from DescribeRepositories. */
export async function readTagMutability(
  client: ECRClient,
  repositoryName: string,
): Promise<TagMutability> {
  try {
    const { repositories } = await client.send(
      new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }),
    );
    const repository = repositories?.[0];
    return {
      mode: (repository?.imageTagMutability ?? 'MUTABLE') as TagMutability['mode'],
      exclusions: (repository?.imageTagMutabilityExclusionFilters ?? []).flatMap((f) =>
        f.filter ? [f.filter] : [],
      ),
    };
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') {
      throw new OpsError(
        'stack-not-found',
        `ECR repository ${repositoryName} does not exist: deploy the registry stack first (\`${DEPLOY_COMMAND}\`)`,
      );
    }
    throw error;
  }
}

/** ECR's tag wildcard: `*` matches any run of characters, everything else itself. */
function matchesWildcard(tag: string, wildcard: string): boolean {
  const pattern = wildcard
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(tag);
}

/** Whether the repository lets this tag move to another image once it exists. */
export function tagCanMove(mutability: TagMutability, tag: string): boolean {
  const excluded = mutability.exclusions.some((wildcard) => matchesWildcard(tag, wildcard));
  switch (mutability.mode) {
    case 'MUTABLE':
      return true;
    case 'IMMUTABLE':
      return false;
    case 'MUTABLE_WITH_EXCLUSION':
      return !excluded;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return excluded;
  }
}
