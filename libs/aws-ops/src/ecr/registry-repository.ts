import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { REGISTRY_OUTPUTS, REGISTRY_STACK_NAME } from '@hello-world/shared';
import { DEPLOY_COMMAND, OpsError } from '../errors';
import { getStack } from '../stacks';

/**
 * The repository URI the registry stack exports. Images are pushed there before the service
 * stack exists, so this reads the registry stack, not the main one.
 */
export async function readRegistryRepositoryUri(
  cfn: CloudFormationClient,
  region: string,
  stackName: string = REGISTRY_STACK_NAME,
): Promise<string> {
  const stack = await getStack(cfn, stackName, region);
  const uri = stack.outputs[REGISTRY_OUTPUTS.repositoryUri];
  if (!uri) {
    throw new OpsError(
      'stack-not-found',
      `stack ${stackName} has no ${REGISTRY_OUTPUTS.repositoryUri} output (status ${stack.status}): run \`${DEPLOY_COMMAND}\``,
    );
  }
  return uri;
}
