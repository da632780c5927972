import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { REGISTRY_OUTPUTS, REGISTRY_STACK_NAME } from '@hello-world/shared';
import { OpsError } from '../errors';
import { deploymentCommand } from '../findings';
import { getStack } from '../stacks';

/**
 * The repository URI the registry stack exports. Images are pushed there before the service
 * stack exists, so this reads the registry stack, not the main one.
 */
export async function readRegistryRepositoryUri(
  cfn: CloudFormationClient,
  region: string,
  stackName: string = REGISTRY_STACK_NAME,
  /** The deployment project whose deploy the errors name. @default infra (hello-world's) */
  project?: string,
): Promise<string> {
  const stack = await getStack(cfn, stackName, region, project);
  const uri = stack.outputs[REGISTRY_OUTPUTS.repositoryUri];
  if (!uri) {
    throw new OpsError(
      'stack-not-found',
      `stack ${stackName} has no ${REGISTRY_OUTPUTS.repositoryUri} output (status ${stack.status}): run \`${deploymentCommand('deploy', project)}\``,
    );
  }
  return uri;
}
