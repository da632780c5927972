import {
  explainError,
  isSetupProblem,
  type AwsClients,
  type Problem,
  type ProblemContext,
} from '@hello-world/aws-ops';

/** Resolves credentials the way the deploy's calls will, e.g. `resolveClientCredentials`. */
export type CredentialsResolver = () => Promise<unknown>;

/**
 * The SDK client's own provider chain (env, SSO, profile files, process, web identity, ECS/EC2
 * metadata): the profile and order `cdk deploy` uses too. Keys in the environment or files need
 * no AWS call; SSO and role profiles make the sign-in call the deploy would make first anyway.
 */
export function resolveClientCredentials(clients: Pick<AwsClients, 'cfn'>): Promise<unknown> {
  return clients.cfn.config.credentials();
}

/**
 * Checks that credentials resolve before any `cdk deploy` starts. Without this, missing or expired
 * credentials surface as CDK's "Unable to resolve AWS account…" and a generic "cdk deploy failed".
 * Any failure here is the caller's setup, not the deploy's: the CLI exits 2.
 */
export async function findCredentialsProblem(
  resolveCredentials: CredentialsResolver,
  context: ProblemContext,
): Promise<Problem | undefined> {
  try {
    await resolveCredentials();
    return undefined;
  } catch (error) {
    return explainError(error, context);
  }
}

/**
 * A first cheap call (e.g. DescribeStacks of the registry stack) before CDK runs: an endpoint that
 * refuses connections, or credentials AWS rejects, are then one line naming where requests went,
 * not CDK's raw `connect ECONNREFUSED`. Other answers are left to the deploy, which explains them
 * in place.
 */
export async function findEndpointProblem(
  call: () => Promise<unknown>,
  context: ProblemContext & { endpoint: string },
): Promise<Problem | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    const problem = explainError(error, context);
    if (!isSetupProblem(problem)) return undefined;
    if (problem.kind !== 'network') return problem;
    const e = error as { code?: string; name?: string };
    return {
      kind: 'network',
      message: `cannot reach AWS at ${context.endpoint} (${e.code || e.name || 'no answer'}): check your network or proxy, or the AWS_ENDPOINT_URL* variables`,
    };
  }
}
