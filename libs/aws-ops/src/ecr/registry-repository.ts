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
      `stack ${stackName} has no ${REGISTRY_OUTPUTS.repositoryUri} output (status ${stack.status}): ${registryRepairStep(stack.status, stackName, region, project)}`,
    );
  }
  return uri;
}

/**
 * What gets a registry stack without its repository output going, by its status: the deploy that
 * read it would only fail the same way again.
 */
export function registryRepairStep(
  status: string,
  stackName: string,
  region: string,
  project?: string,
): string {
  const deployRegistry = `\`${deploymentCommand('deploy-registry', project)}\``;
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED') {
    // A stack whose first create failed can only be deleted.
    return `its creation failed and it cannot be updated: delete it (\`aws cloudformation delete-stack --stack-name ${stackName} --region ${region}\`), then run ${deployRegistry}`;
  }
  if (status.endsWith('_IN_PROGRESS')) {
    return `it is still changing: wait until it is done (\`aws cloudformation describe-stacks --stack-name ${stackName} --region ${region}\` shows it), then retry`;
  }
  return `it is not the registry stack this deployment expects: redeploy it with ${deployRegistry} (\`aws cloudformation describe-stacks --stack-name ${stackName} --region ${region}\` shows what it has)`;
}
