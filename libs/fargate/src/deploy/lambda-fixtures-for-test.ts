// Lambda's Invoke answers for the dns record updater, as the API returns them for a synchronous
// (RequestResponse) call: status 200 either way, the handler's result or its error in the payload.
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { ACCOUNT, NAME, REGION } from '@hello-world/aws-ops/testing';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';

export const UPDATER = `${NAME}-dns`;
export const UPDATER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${UPDATER}`;

const metadata = {
  httpStatusCode: 200,
  requestId: '7c2a9f4e-3b1d-4e8a-9c6f-2d5b8a1e0f37',
  attempts: 1,
  totalRetryDelay: 0,
};

/** The handler returned `result` (the dns-updater's SyncResult; `undefined` is JSON's null). */
export function invokeSucceeded(result: unknown): InvokeCommandOutput {
  return {
    $metadata: metadata,
    StatusCode: 200,
    ExecutedVersion: '$LATEST',
    Payload: Uint8ArrayBlobAdapter.fromString(JSON.stringify(result ?? null)),
  };
}

/** The handler threw: Lambda answers 200 with FunctionError and the Node.js runtime's error object. */
export function invokeFunctionError(errorType: string, errorMessage: string): InvokeCommandOutput {
  return {
    $metadata: metadata,
    StatusCode: 200,
    ExecutedVersion: '$LATEST',
    FunctionError: 'Unhandled',
    Payload: Uint8ArrayBlobAdapter.fromString(
      JSON.stringify({
        errorType,
        errorMessage,
        trace: [
          `${errorType}: ${errorMessage}`,
          '    at de_CommandError (/var/runtime/node_modules/@aws-sdk/client-route-53/dist-cjs/index.js:1180:21)',
          '    at async Runtime.handler (/var/task/index.js:1:4821)',
        ],
      }),
    ),
  };
}

/** What Lambda throws when the caller may not invoke the function. */
export function invokeDenied(caller: string): Error {
  return Object.assign(
    new Error(
      `User: ${caller} is not authorized to perform: lambda:InvokeFunction on resource: ${UPDATER_ARN} because no identity-based policy allows the lambda:InvokeFunction action`,
    ),
    { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } },
  );
}
