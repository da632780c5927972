import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { REGISTRY_OUTPUTS, REGISTRY_STACK_NAME } from '@hello-world/shared';
import { mockClient } from 'aws-sdk-client-mock';
import { readRegistryRepositoryUri } from './registry-repository';

const cfn = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'eu-west-1' });
const uri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate';

beforeEach(() => cfn.reset());

describe('readRegistryRepositoryUri', () => {
  it('returns the repository URI output of the registry stack', async () => {
    // GIVEN the registry stack as DescribeStacks shows it
    cfn.on(DescribeStacksCommand, { StackName: REGISTRY_STACK_NAME }).resolves({
      Stacks: [
        {
          StackName: REGISTRY_STACK_NAME,
          StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${REGISTRY_STACK_NAME}/0b8f1c30-ca5e-11f0-9a3b-0a1b2c3d4e5f`,
          CreationTime: new Date('2026-11-25T17:00:00Z'),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            {
              OutputKey: REGISTRY_OUTPUTS.repositoryName,
              OutputValue: 'hello-world-ecr-ecs-fargate',
            },
            { OutputKey: REGISTRY_OUTPUTS.repositoryUri, OutputValue: uri },
          ],
        },
      ],
    });
    // WHEN / THEN the URI output comes back
    await expect(readRegistryRepositoryUri(client, 'eu-west-1')).resolves.toBe(uri);
  });

  it('says to deploy first when the stack does not exist', async () => {
    // GIVEN CloudFormation's answer for a missing stack
    const missing = Object.assign(
      new Error(`Stack with id ${REGISTRY_STACK_NAME} does not exist`),
      { name: 'ValidationError' },
    );
    cfn.on(DescribeStacksCommand).rejects(missing);
    // WHEN / THEN the error names the stack, the region and the next step
    await expect(readRegistryRepositoryUri(client, 'eu-west-1')).rejects.toThrow(
      `stack ${REGISTRY_STACK_NAME} is not deployed in eu-west-1`,
    );
  });

  it('says to redeploy when the stack lacks the output', async () => {
    // GIVEN a stack still being created, without outputs
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: REGISTRY_STACK_NAME,
          CreationTime: new Date('2026-11-25T17:00:00Z'),
          StackStatus: 'CREATE_IN_PROGRESS',
        },
      ],
    });
    // WHEN / THEN the error names the missing output and the status
    await expect(readRegistryRepositoryUri(client, 'eu-west-1')).rejects.toThrow(
      `no ${REGISTRY_OUTPUTS.repositoryUri} output (status CREATE_IN_PROGRESS): it is still changing: wait until it is done`,
    );
  });

  it('GIVEN a registry stack whose create rolled back THEN says to delete it and run deploy-registry, not deploy', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: REGISTRY_STACK_NAME,
          CreationTime: new Date('2026-11-25T17:00:00Z'),
          StackStatus: 'ROLLBACK_COMPLETE',
          StackStatusReason: 'The following resource(s) failed to create: [Repository].',
        },
      ],
    });
    const error = await readRegistryRepositoryUri(
      client,
      'eu-west-1',
      undefined,
      'greeter-infra',
    ).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      `stack ${REGISTRY_STACK_NAME} has no ${REGISTRY_OUTPUTS.repositoryUri} output (status ROLLBACK_COMPLETE): its creation failed and it cannot be updated: delete it (\`aws cloudformation delete-stack --stack-name ${REGISTRY_STACK_NAME} --region eu-west-1\`), then run \`npx nx run greeter-infra:deploy-registry\``,
    );
  });

  it('GIVEN a complete stack of that name without the output THEN says to redeploy it with deploy-registry', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: REGISTRY_STACK_NAME,
          CreationTime: new Date('2026-11-25T17:00:00Z'),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [],
        },
      ],
    });
    await expect(readRegistryRepositoryUri(client, 'eu-west-1')).rejects.toThrow(
      /\(status UPDATE_COMPLETE\): it is not the registry stack this deployment expects: redeploy it with `npx nx run infra:deploy-registry`/,
    );
  });
});
