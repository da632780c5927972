import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { OpsError, explainError, findDeniedAction, isSetupProblem } from './errors';
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

describe('explainError for credentials', () => {
  // What the SDK's default chain throws when every provider failed (a missing profile included).
  const chainExhausted = () =>
    Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });

  it('GIVEN a named profile WHEN the chain finds no credentials THEN names that profile and how to set it up', () => {
    expect(explainError(chainExhausted(), { ...ctx, profile: 'nope' })).toEqual({
      kind: 'no-credentials',
      message:
        'AWS profile "nope" not found or has no credentials: run `aws configure --profile nope` (or `aws sso login --profile nope`)',
    });
  });

  it('GIVEN no named profile WHEN the chain finds no credentials THEN it says --profile (which the deploy chain passes on) or AWS_PROFILE names one', () => {
    expect(explainError(chainExhausted(), ctx).message).toBe(
      'no AWS credentials found: run `aws configure` or `aws sso login`, or name a profile with --profile NAME (infra:deploy passes it along its chain) or AWS_PROFILE=NAME',
    );
  });

  it("GIVEN fromIni's own missing-profile error THEN takes the profile name from it", () => {
    const error = Object.assign(
      new Error(
        'Could not resolve credentials using profile: [dev] in configuration/credentials file(s).',
      ),
      { name: 'CredentialsProviderError' },
    );
    expect(explainError(error, ctx).message).toMatch(/^AWS profile "dev" not found/);
  });

  it('GIVEN a named profile WHEN AWS says the session token expired THEN the login command names it', () => {
    const error = awsError('ExpiredToken', 'The security token included in the request is expired');
    expect(explainError(error, { ...ctx, profile: 'dev' }).message).toBe(
      'your AWS session token has expired: sign in again (e.g. `aws sso login --profile dev`) and retry',
    );
  });

  it('GIVEN an expired SSO session of a profile THEN an expired-token problem with the login command', () => {
    const error = Object.assign(
      new Error(
        'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
      ),
      { name: 'CredentialsProviderError' },
    );
    expect(explainError(error, { ...ctx, profile: 'dev' })).toEqual({
      kind: 'expired-token',
      message:
        'your AWS SSO session has expired or is invalid: run `aws sso login --profile dev` and retry',
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

describe('isSetupProblem', () => {
  it.each([
    'no-credentials',
    'expired-token',
    'stack-not-found',
    'access-denied',
    'network',
  ] as const)('GIVEN %s THEN it is the caller setup (exit 2)', (kind) => {
    expect(isSetupProblem({ kind })).toBe(true);
  });

  it.each(['no-running-task', 'throttled', 'unknown'] as const)(
    'GIVEN %s THEN the operation failed (exit 1)',
    (kind) => {
      expect(isSetupProblem({ kind })).toBe(false);
    },
  );
});

describe("explainError for another deployment's project (greeter-infra)", () => {
  const context = { region: 'eu-west-1', project: 'greeter-infra' };

  it('GIVEN a missing stack THEN the fix is greeter-infra:deploy', () => {
    expect(
      explainError(stackMissingError('greeter-ecr-ecs-fargate'), {
        ...context,
        stackName: 'greeter-ecr-ecs-fargate',
      }),
    ).toEqual({
      kind: 'stack-not-found',
      message:
        'stack greeter-ecr-ecs-fargate is not deployed in eu-west-1: run `npx nx run greeter-infra:deploy`, or pass --region if it lives elsewhere',
    });
  });

  it('GIVEN no credentials THEN the profile travels greeter-infra:deploy', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(explainError(error, context).message).toContain(
      '--profile NAME (greeter-infra:deploy passes it along its chain)',
    );
  });
});

describe('explainError for an endpoint that answers a web page (proxy, captive portal)', () => {
  const PORTAL_PAGE =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in to Wi-Fi</title></head><body>Accept the terms</body></html>';
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    // A real HTTP server answering HTML, so the real SDK clients throw what they really throw.
    server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PORTAL_PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const config = () => ({
    region: 'eu-west-1',
    endpoint,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'example' },
    maxAttempts: 1,
  });

  async function errorOf(send: () => Promise<unknown>): Promise<unknown> {
    try {
      await send();
    } catch (error) {
      return error;
    }
    throw new Error('the call did not fail');
  }

  it('GIVEN CloudFormation (XML) gets HTML THEN one line naming the endpoint and a proxy or portal, exit 2', async () => {
    const error = await errorOf(() =>
      new CloudFormationClient(config()).send(new DescribeStacksCommand({ StackName: 'x' })),
    );
    expect((error as Error).message).toMatch(/^@aws-sdk XML parse error: mismatched tags/);
    const problem = explainError(error, {
      ...ctx,
      endpoint: `${endpoint} (AWS_ENDPOINT_URL)`,
    });
    expect(problem).toEqual({
      kind: 'endpoint-not-aws',
      message: `${endpoint} (AWS_ENDPOINT_URL) answered with a web page (HTML) AWS would not send (HTTP 200): a proxy or captive portal is likely answering instead of AWS; sign in to the network or fix HTTPS_PROXY, or AWS_ENDPOINT_URL if you set it`,
    });
    expect(isSetupProblem(problem)).toBe(true);
  });

  it('GIVEN ECS (JSON) gets HTML THEN the same explanation', async () => {
    const error = await errorOf(() =>
      new ECSClient(config()).send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] })),
    );
    expect(explainError(error, { ...ctx, endpoint: 'E' }).message).toMatch(
      /^E answered with a web page \(HTML\) AWS would not send \(HTTP 200\): a proxy or captive portal/,
    );
  });

  it('GIVEN no endpoint in the context THEN names the region default', async () => {
    const error = await errorOf(() =>
      new CloudFormationClient(config()).send(new DescribeStacksCommand({ StackName: 'x' })),
    );
    const saved = process.env['AWS_ENDPOINT_URL'];
    delete process.env['AWS_ENDPOINT_URL'];
    try {
      expect(explainError(error, { region: 'us-east-2' }).message).toMatch(
        /^https:\/\/\*\.us-east-2\.amazonaws\.com \(the region's default\) answered with a web page/,
      );
    } finally {
      if (saved !== undefined) process.env['AWS_ENDPOINT_URL'] = saved;
    }
  });
});
