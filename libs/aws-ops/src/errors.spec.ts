import { OpsError, explainError, findDeniedAction } from './errors';
import { awsError, stackMissingError } from './testing/fixtures';

const ctx = { region: 'eu-west-1', stackName: 'hello-world-ecr-ecs-fargate' };

describe('explainError', () => {
  it.each([
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'no-credentials',
      /no AWS credentials found: run `aws configure`/,
    ],
    [
      'an expired token',
      awsError('ExpiredToken', 'The security token included in the request is expired'),
      'expired-token',
      /session token has expired: sign in again/,
    ],
    [
      'an expired token (JSON protocol name)',
      awsError('ExpiredTokenException', 'The security token included in the request is expired'),
      'expired-token',
      /expired/,
    ],
    [
      'a stack that is not deployed',
      stackMissingError(),
      'stack-not-found',
      /stack hello-world-ecr-ecs-fargate is not deployed in eu-west-1: run `npx nx run infra:deploy`, or pass --region/,
    ],
    [
      'access denied',
      awsError(
        'AccessDeniedException',
        'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:eu-west-1:123456789012:service/x/y because no identity-based policy allows the ecs:DescribeServices action',
      ),
      'access-denied',
      /may not call ecs:DescribeServices/,
    ],
    [
      'throttling beyond retries',
      awsError('ThrottlingException', 'Rate exceeded'),
      'throttled',
      /throttling requests in eu-west-1 even after retries: wait a minute/,
    ],
    [
      'an unknown host',
      Object.assign(new Error('getaddrinfo ENOTFOUND ecs.eu-west-1.amazonaws.com'), {
        code: 'ENOTFOUND',
      }),
      'network',
      /cannot reach AWS in eu-west-1 \(ENOTFOUND\)/,
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      'network',
      /ECONNREFUSED.*AWS_ENDPOINT_URL/,
    ],
    [
      'a request timeout',
      Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }),
      'network',
      /TimeoutError/,
    ],
    [
      'a missing log group',
      awsError('ResourceNotFoundException', 'The specified log group does not exist.'),
      'stack-not-found',
      /^The specified log group does not exist in eu-west-1: run `npx nx run infra:deploy`/,
    ],
    [
      'a missing ECS service',
      awsError('ServiceNotFoundException', 'Service not found.'),
      'service-not-found',
      /infra:deploy/,
    ],
  ])('GIVEN %s WHEN explained THEN it says what to do next', (_, error, kind, message) => {
    const problem = explainError(error, ctx);
    expect(problem.kind).toBe(kind);
    expect(problem.message).toMatch(message);
    expect(problem.message).not.toContain('\n');
  });

  it('keeps the first line of an unknown error, without its stack', () => {
    const error = awsError('InvalidParameterException', 'bad input\n    at something (x.js:1:1)');
    expect(explainError(error, ctx)).toEqual({
      kind: 'unknown',
      message: 'InvalidParameterException: bad input',
    });
  });

  it('passes an OpsError through unchanged', () => {
    expect(explainError(new OpsError('no-running-task', 'no task yet'), ctx)).toEqual({
      kind: 'no-running-task',
      message: 'no task yet',
    });
  });
});

describe('findDeniedAction', () => {
  it('names the IAM action from an EC2-style message', () => {
    expect(
      findDeniedAction(
        'You are not authorized to perform: ec2:DescribeNetworkInterfaces because no identity-based policy allows it',
      ),
    ).toBe('ec2:DescribeNetworkInterfaces');
  });
});
