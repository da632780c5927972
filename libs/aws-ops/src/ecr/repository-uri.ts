/** The parts of an ECR repository URI such as the registry stack's ECRRepositoryUri output. */
export interface EcrRepository {
  /** Registry host, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com */
  registry: string;
  repositoryName: string;
  accountId: string;
  region: string;
}

const ECR_URI =
  /^((\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?)\/([a-z0-9][a-z0-9._/-]*)$/;

export function parseRepositoryUri(uri: string): EcrRepository {
  const match = ECR_URI.exec(uri.trim());
  if (!match) {
    throw new Error(
      `"${uri}" is not an ECR repository URI (<account>.dkr.ecr.<region>.amazonaws.com/<name>)`,
    );
  }
  const [, registry, accountId, region, repositoryName] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { registry, repositoryName, accountId, region };
}
