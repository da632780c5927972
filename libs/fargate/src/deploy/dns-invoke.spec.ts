import { InvokeCommand } from '@aws-sdk/client-lambda';
import { awsError, mockAwsClients } from '@hello-world/aws-ops/testing';
import { invokeDnsUpdater } from './dns-invoke';
import {
  UPDATER,
  UPDATER_ARN,
  invokeDenied,
  invokeFunctionError,
  invokeSucceeded,
} from './lambda-fixtures-for-test';

const aws = mockAwsClients();
const CONTEXT = { region: 'eu-west-1', project: 'infra' };
const CI_ROLE =
  'arn:aws:sts::123456789012:assumed-role/github-actions-hello-world-deploy/GitHubActions';

beforeEach(() => aws.reset());

describe('invokeDnsUpdater', () => {
  it('GIVEN the updater sets the record THEN one synchronous call with an empty event, and its result', async () => {
    aws.lambda
      .on(InvokeCommand, { FunctionName: UPDATER })
      .resolves(invokeSucceeded({ action: 'created', values: ['54.170.12.34'] }));
    const invoked = await invokeDnsUpdater(aws.clients().lambda, UPDATER, CONTEXT);
    expect(invoked).toEqual({ ok: true, run: { action: 'created', values: ['54.170.12.34'] } });
    const [call] = aws.lambda.commandCalls(InvokeCommand);
    expect(call?.args[0].input).toEqual({
      FunctionName: UPDATER,
      InvocationType: 'RequestResponse',
      Payload: '{}',
    });
  });

  it('GIVEN the handler throws THEN one line with its error, the log group and doctor', async () => {
    aws.lambda
      .on(InvokeCommand)
      .resolves(
        invokeFunctionError(
          'AccessDenied',
          `User: arn:aws:sts::123456789012:assumed-role/${UPDATER}/${UPDATER} is not authorized to perform: route53:ChangeResourceRecordSets`,
        ),
      );
    const invoked = await invokeDnsUpdater(aws.clients().lambda, UPDATER, CONTEXT);
    expect(invoked).toEqual({
      ok: false,
      problem: {
        kind: 'unknown',
        message: `the dns updater ${UPDATER} failed (AccessDenied: User: arn:aws:sts::123456789012:assumed-role/${UPDATER}/${UPDATER} is not authorized to perform: route53:ChangeResourceRecordSets); its log group /aws/lambda/${UPDATER} says more: see \`npx nx run infra:doctor\``,
      },
    });
  });

  it('GIVEN an identity that may not invoke it THEN access-denied naming lambda:InvokeFunction and the function', async () => {
    aws.lambda.on(InvokeCommand).rejects(invokeDenied(CI_ROLE));
    const invoked = await invokeDnsUpdater(aws.clients().lambda, UPDATER, CONTEXT);
    expect(invoked).toEqual({
      ok: false,
      problem: {
        kind: 'access-denied',
        message: `your AWS identity may not call lambda:InvokeFunction on ${UPDATER}, which the deploy runs once to set the record: add it to the deploy role's (or your) IAM policy`,
      },
    });
  });

  it('GIVEN no such function THEN one line saying the dns stack lacks it, naming doctor', async () => {
    aws.lambda.on(InvokeCommand).rejects(
      awsError('ResourceNotFoundException', `Function not found: ${UPDATER_ARN}`, {
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const invoked = await invokeDnsUpdater(aws.clients().lambda, UPDATER, CONTEXT);
    expect(!invoked.ok && invoked.problem.message).toBe(
      `the dns updater ${UPDATER} does not exist in eu-west-1, though the stack is in dns mode: see \`npx nx run infra:doctor\``,
    );
  });

  it('GIVEN a handler that returns nothing THEN ok, with nothing read from its null', async () => {
    aws.lambda.on(InvokeCommand).resolves(invokeSucceeded(undefined));
    expect(await invokeDnsUpdater(aws.clients().lambda, UPDATER, CONTEXT)).toEqual({
      ok: true,
      run: {},
    });
  });
});
