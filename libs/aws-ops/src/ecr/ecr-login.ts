import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';

/** What `docker login --username <username> --password-stdin <endpoint>` needs. */
export interface RegistryLogin {
  username: string;
  password: string;
  /** e.g. https://123456789012.dkr.ecr.eu-west-1.amazonaws.com */
  endpoint: string;
  expiresAt?: Date;
}

/**
 * Exchanges the caller's AWS credentials for a registry login (valid 12 hours), so pushing needs
 * no AWS CLI. The token is base64 of `AWS:<password>`.
 */
export async function getEcrLogin(client: ECRClient): Promise<RegistryLogin> {
  const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
  const data = authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new Error(
      'ECR returned no authorization data; check the ecr:GetAuthorizationToken permission',
    );
  }
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0)
    throw new Error('ECR returned an authorization token that is not user:password');
  return {
    username: decoded.slice(0, separator),
    password: decoded.slice(separator + 1),
    endpoint: data.proxyEndpoint,
    ...(data.expiresAt ? { expiresAt: data.expiresAt } : {}),
  };
}
