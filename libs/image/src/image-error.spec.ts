import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { readAwsTarget, readRegistryRepositoryUri } from '@hello-world/aws-ops';
import { REGISTRY_STACK_NAME } from '@hello-world/shared';
import { mockClient } from 'aws-sdk-client-mock';
import { UsageError } from '@hello-world/cli';
import { explainImageFailure, ImageError } from './image-error';

const cfn = mockClient(CloudFormationClient);
beforeEach(() => cfn.reset());

describe('explainImageFailure', () => {
  it('GIVEN a usage or setup problem WHEN explained THEN it keeps its line and exits 2', () => {
    const error = new ImageError(
      'uncommitted changes in the image inputs: commit them',
      'environment',
    );

    expect(explainImageFailure(error, { region: 'eu-west-1' })).toEqual({
      message: 'uncommitted changes in the image inputs: commit them',
      exitCode: 2,
    });
  });

  it('GIVEN a UsageError WHEN explained THEN it keeps its line and exits 2', () => {
    expect(
      explainImageFailure(new UsageError('--region "EU" is not an AWS region'), {
        region: 'eu-west-1',
      }),
    ).toEqual({
      message: '--region "EU" is not an AWS region',
      exitCode: 2,
    });
  });

  it('GIVEN AWS_ENDPOINT_URL that is not a URL WHEN docker-push reads its AWS target THEN one line, exit 2', () => {
    let thrown: unknown;
    try {
      readAwsTarget({}, { AWS_ENDPOINT_URL: 'not-a-url' });
    } catch (error) {
      thrown = error;
    }

    expect(explainImageFailure(thrown, { region: 'eu-west-1' })).toEqual({
      message:
        'AWS_ENDPOINT_URL "not-a-url" is not a URL: set it like http://localhost:4566, or unset it',
      exitCode: 2,
    });
  });

  it('GIVEN a build that ran and failed WHEN explained THEN it exits 1', () => {
    const error = new ImageError('docker build failed (exit 1): npm ci failed');

    expect(explainImageFailure(error, { region: 'eu-west-1' }).exitCode).toBe(1);
  });

  it('GIVEN the SDK found no credentials WHEN explained THEN aws-ops words it and it exits 2', () => {
    // The SDK's CredentialsProviderError, as the default chain throws it with no profile or keys.
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });

    expect(explainImageFailure(error, { region: 'eu-west-1' })).toEqual({
      message: expect.stringContaining('no AWS credentials found: run `aws configure`'),
      exitCode: 2,
    });
  });

  it('GIVEN an expired session token WHEN explained THEN it exits 2', () => {
    const error = Object.assign(
      new Error('The security token included in the request is expired'),
      {
        name: 'ExpiredTokenException',
      },
    );

    expect(explainImageFailure(error, { region: 'eu-west-1' }).exitCode).toBe(2);
  });

  it('GIVEN the registry stack is not deployed WHEN docker-push looks it up THEN it says to deploy and exits 2', async () => {
    // GIVEN CloudFormation's answer for a missing stack
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error(`Stack with id ${REGISTRY_STACK_NAME} does not exist`), {
        name: 'ValidationError',
      }),
    );
    // WHEN the lookup docker-push makes fails
    const error = await readRegistryRepositoryUri(
      new CloudFormationClient({ region: 'eu-west-1' }),
      'eu-west-1',
    ).catch((e: unknown) => e);
    // THEN
    expect(explainImageFailure(error, { region: 'eu-west-1' })).toEqual({
      message: expect.stringContaining('run `npx nx run infra:deploy`'),
      exitCode: 2,
    });
  });

  it('GIVEN an AWS error that is not the caller setup WHEN explained THEN it exits 1 with its first line', () => {
    const error = Object.assign(new Error('We encountered an internal error.\nPlease try again.'), {
      name: 'InternalFailure',
    });

    expect(explainImageFailure(error, { region: 'eu-west-1' })).toEqual({
      message: 'InternalFailure: We encountered an internal error.',
      exitCode: 1,
    });
  });
});
