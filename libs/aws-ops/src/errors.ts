import { describeEndpoint } from './client-config';

/** What kind of problem stopped an operation; the CLI maps kinds to exit codes and wording. */
export type ProblemKind =
  | 'no-credentials'
  | 'expired-token'
  | 'invalid-credentials'
  | 'stack-not-found'
  | 'service-not-found'
  | 'access-denied'
  | 'no-running-task'
  | 'throttled'
  | 'network'
  | 'endpoint-not-aws'
  /** An operation outlasted its --timeout (e.g. a deploy, then aborted or left going). */
  | 'timeout'
  /**
   * The deploy's checks refused the image before the stack changed: built for another CPU than
   * the task's, or scan findings at or above --max-severity.
   */
  | 'image-refused'
  | 'unknown';

/**
 * Kinds that are the caller's setup (credentials, permissions, network, nothing deployed yet)
 * rather than an operation that ran and failed: the CLIs exit 2 for these, 1 otherwise.
 */
const SETUP_PROBLEM_KINDS: ReadonlySet<ProblemKind> = new Set<ProblemKind>([
  'no-credentials',
  'expired-token',
  'invalid-credentials',
  'stack-not-found',
  'service-not-found',
  'access-denied',
  'network',
  'endpoint-not-aws',
]);

export function isSetupProblem(problem: Pick<Problem, 'kind'>): boolean {
  return SETUP_PROBLEM_KINDS.has(problem.kind);
}

/** A problem the user can act on: one line saying what happened and what to do next. */
export interface Problem {
  kind: ProblemKind;
  message: string;
}

/** Where an operation was pointed, so messages can name it. */
export interface ProblemContext {
  region: string;
  stackName?: string;
  /** The named profile (--profile or AWS_PROFILE), if any: credential messages then name it. */
  profile?: string;
  /**
   * The deployment project operated (`greeter-infra`): "not deployed" messages name its deploy.
   * @default infra (hello-world's: DEPLOY_COMMAND)
   */
  project?: string;
  /**
   * Where the clients send requests (describeEndpoint), for an answer that is not AWS's.
   * @default describeEndpoint(region) over this process's AWS_ENDPOINT_URL* variables
   */
  endpoint?: string;
}

/** hello-world's command that creates its stacks; every "not deployed" message points at it. */
export const DEPLOY_COMMAND = 'npx nx run infra:deploy';

/** The deploy of the deployment `project`, else hello-world's. */
function deployCommandOf(project: string | undefined): string {
  return project ? `npx nx run ${project}:deploy` : DEPLOY_COMMAND;
}

/** An error raised by this library itself, already worded for the user. */
export class OpsError extends Error {
  override name = 'OpsError';
  constructor(
    readonly kind: ProblemKind,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  /** The raw answer the SDK could not read (its deserialization errors carry it). */
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
  $responseBodyText?: string;
}

/**
 * The SDK's error for an answer it could not parse, e.g. `@aws-sdk XML parse error: mismatched
 * tags <meta> and </head>.` (XML protocols) or `Unexpected token '<', "<!DOCTYPE "... is not
 * valid JSON` (JSON protocols), each followed by "Deserialization error: …". Something other than
 * AWS answered: an HTML page is a proxy or captive portal.
 */
function explainUnreadableAnswer(
  e: ErrorLike,
  text: string,
  context: ProblemContext,
): Problem | undefined {
  if (!/Deserialization error/.test(e.message ?? '')) return undefined;
  const contentType = e.$response?.headers?.['content-type'] ?? '';
  const html =
    /html/i.test(contentType) ||
    /<(!doctype|html|head|meta|body|title)\b/i.test(`${e.$responseBodyText ?? ''} ${text}`);
  const status = e.$response?.statusCode;
  const endpoint = context.endpoint ?? describeEndpoint(context.region);
  return {
    kind: 'endpoint-not-aws',
    message:
      `${endpoint} answered with ${html ? 'a web page (HTML)' : 'something'} AWS would not send` +
      `${status ? ` (HTTP ${status})` : ''}: a proxy or captive portal is likely answering instead of AWS; ` +
      `sign in to the network or fix HTTPS_PROXY, or AWS_ENDPOINT_URL if you set it`,
  };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);
const EXPIRED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TokenRefreshRequired',
]);
const INVALID = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
]);
const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** `ecs:DescribeServices` from "... is not authorized to perform: ecs:DescribeServices on resource ...". */
export function findDeniedAction(message: string): string | undefined {
  return /perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
}

/** True for CloudFormation's answer about a stack that is not there. */
export function isStackMissing(error: unknown): boolean {
  const e = error as ErrorLike;
  return e?.name === 'ValidationError' && /does not exist/.test(e.message ?? '');
}

/**
 * Turns any error from the SDK (or this library) into one line with a next step. Unknown errors
 * keep their own first line so nothing is hidden, but never a stack trace.
 */
export function explainError(error: unknown, context: ProblemContext): Problem {
  if (error instanceof OpsError) return { kind: error.kind, message: error.message };
  const e = (error ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const code = e.code ?? e.Code ?? '';
  const text = firstLine(e.message ?? String(error));
  const where = `in ${context.region}`;
  const deployCommand = deployCommandOf(context.project);

  const unreadable = explainUnreadableAnswer(e, text, context);
  if (unreadable) return unreadable;
  if (name === 'CredentialsProviderError') {
    return explainCredentialsError(text, context.profile, context.project);
  }
  if (EXPIRED.has(name) || EXPIRED.has(code) || /token.*expired|expired.*token/i.test(text)) {
    return {
      kind: 'expired-token',
      message: `your AWS session token has expired: sign in again (e.g. \`aws sso login${context.profile ? ` --profile ${context.profile}` : ''}\`) and retry`,
    };
  }
  if (INVALID.has(name) || INVALID.has(code)) {
    return {
      kind: 'invalid-credentials',
      message: `AWS rejected the credentials (${name || code}): check the access key or --profile`,
    };
  }
  if (isStackMissing(error)) {
    const stack = context.stackName ?? /Stack with id (\S+)/.exec(text)?.[1] ?? 'the stack';
    return {
      kind: 'stack-not-found',
      message: `stack ${stack} is not deployed ${where}: run \`${deployCommand}\`, or pass --region if it lives elsewhere`,
    };
  }
  if (name === 'ResourceNotFoundException' || name === 'RepositoryNotFoundException') {
    // e.g. the log group or repository of a deployment that is not there (yet) in this region.
    return {
      kind: 'stack-not-found',
      message: `${text.replace(/\.$/, '')} ${where}: run \`${deployCommand}\`, or pass --region if it lives elsewhere`,
    };
  }
  if (name === 'ClusterNotFoundException' || name === 'ServiceNotFoundException') {
    return {
      kind: 'service-not-found',
      message: `the ECS service is not there ${where} (${name}): run \`${deployCommand}\``,
    };
  }
  if (DENIED.has(name) || DENIED.has(code) || /not authorized to perform/.test(text)) {
    const action = findDeniedAction(text);
    return {
      kind: 'access-denied',
      message: action
        ? `access denied: your AWS identity may not call ${action}; add it to your IAM policy or use another --profile`
        : `access denied (${text}): check your IAM permissions or use another --profile`,
    };
  }
  if (THROTTLING.has(name) || THROTTLING.has(code)) {
    return {
      kind: 'throttled',
      message: `AWS is throttling requests ${where} even after retries: wait a minute and retry`,
    };
  }
  if (NETWORK_CODES.has(code) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return {
      kind: 'network',
      message: `cannot reach AWS ${where} (${code || name}): check your network, proxy or AWS_ENDPOINT_URL`,
    };
  }
  return { kind: 'unknown', message: `${name && name !== 'Error' ? `${name}: ` : ''}${text}` };
}

/**
 * The SDK's credential chain. Its providers' own errors are mostly lost: a named profile that is
 * missing makes fromIni fail with "Could not resolve credentials using profile: [x]", but the chain
 * goes on and ends with "Could not load credentials from any providers". So a named profile is
 * taken from the context first, the message second. SSO's expiry errors stop the chain and survive.
 */
function explainCredentialsError(
  text: string,
  contextProfile: string | undefined,
  project: string | undefined,
): Problem {
  const profile =
    contextProfile ??
    /using profile: \[([^\]]+)\]|Profile (\S+) was not found/.exec(text)?.slice(1).find(Boolean);
  const sso = profile ? `aws sso login --profile ${profile}` : 'aws sso login';
  if (/SSO session.*(expired|invalid)|Token is expired/i.test(text)) {
    return {
      kind: 'expired-token',
      message: `your AWS SSO session has expired or is invalid: run \`${sso}\` and retry`,
    };
  }
  if (profile) {
    return {
      kind: 'no-credentials',
      message: `AWS profile "${profile}" not found or has no credentials: run \`aws configure --profile ${profile}\` (or \`${sso}\`)`,
    };
  }
  return {
    kind: 'no-credentials',
    message: `no AWS credentials found: run \`aws configure\` or \`aws sso login\`, or name a profile with --profile NAME (${project ?? 'infra'}:deploy passes it along its chain) or AWS_PROFILE=NAME`,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
