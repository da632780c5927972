import {
  DEFAULT_ENVIRONMENT,
  ENVIRONMENT_CONTEXT,
  EnvironmentNameError,
  environmentShapeProblem,
  isPreviewEnvironment,
  previewEnvironment,
} from '@hello-world/shared';
import {
  ConfigError,
  loadConfig,
  loadSecretSettings,
  type ContextReader,
  type DnsRecordSettings,
  type Env,
} from './config';

/** GitHub's OIDC issuer; an AWS account holds at most one provider for it. */
export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** The protected GitHub environment the release workflow deploys in. */
export const DEFAULT_GITHUB_ENVIRONMENT = 'production';

/**
 * The GitHub environment every pull-request preview job runs in, and the word that asks for the
 * previews' shared deploy role in the CI environments list.
 */
export const PREVIEW_GITHUB_ENVIRONMENT = 'preview';

/**
 * The environments CI deploys, in promotion order: each one's deploy role may read the one
 * before it (`infra:promote --from=staging --to=production`); `preview` adds the previews' role.
 */
export const DEFAULT_CI_ENVIRONMENTS: readonly string[] = [
  'staging',
  'production',
  PREVIEW_GITHUB_ENVIRONMENT,
];

/** Everything the optional CI stacks need; absent unless a repository is named. */
export interface CiConfig {
  /** owner/name of the one repository whose workflows may assume the role. */
  readonly repository: string;
  /**
   * The GitHub environment whose jobs may assume the default environment's deploy role (the
   * role of the reference's stack, kept for the workflows that deploy it).
   */
  readonly environment: string;
  /**
   * The deployment environments that get a deploy role of their own, each trusted by the GitHub
   * environment of the same name, in promotion order; `preview` for the previews' shared role.
   * @default DEFAULT_CI_ENVIRONMENTS
   */
  readonly environments?: readonly string[];
  /** Reuse this account's existing GitHub OIDC provider instead of creating one. */
  readonly oidcProviderArn?: string;
  /**
   * The Secrets Manager secrets (full ARNs) each deploy role's environment is configured with,
   * by CI environment (`default` for the CI stack's own role; `preview` for the previews'): the
   * deploy's preflight checks they exist. Read from the same settings synth reads
   * (loadSecretSettings), so a secret added to an environment needs `deploy-ci` again, as its
   * roles stack does. Absent: none.
   */
  readonly secretArns?: Readonly<Record<string, readonly string[]>>;
  /**
   * The environments whose ingress is dns or alb, by CI environment (`default` for the CI stack's
   * own role), with their zone and domain: their deploy roles get the rights that ingress needs
   * (ingressDeployPolicy). Read from cdk.json and context as synth reads them (readIngress), so an
   * environment switched to dns or alb needs `deploy-ci` again. Absent: every one is public-ip.
   */
  readonly ingress?: Readonly<Record<string, CiIngress>>;
}

/** A CI environment's dns or alb ingress: what its deploy role's ingress policy names. */
export type CiIngress = { readonly mode: 'dns' | 'alb' } & DnsRecordSettings;

/** Where each CI setting comes from: CDK context first, then the environment variable. */
export const CI_SETTINGS = {
  repository: { context: 'githubRepository', env: 'CI_GITHUB_REPOSITORY' },
  environment: { context: 'githubEnvironment', env: 'CI_GITHUB_ENVIRONMENT' },
  environments: { context: 'ciEnvironments', env: 'CI_ENVIRONMENTS' },
  oidcProviderArn: { context: 'githubOidcProviderArn', env: 'CI_GITHUB_OIDC_PROVIDER_ARN' },
} as const;

// GitHub: owner is alphanumeric and hyphens; repository names also allow . and _.
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
// Environment names end up inside the OIDC subject claim; keep them to safe characters.
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const PROVIDER_ARN =
  /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** A setting's value and where it came from, for the error: `context "x"`, `env X`, `--repo`. */
export interface SourcedValue {
  readonly value: string;
  readonly source: string;
}

export type CiSettingName = keyof typeof CI_SETTINGS;

function read(name: CiSettingName, readContext: ContextReader, env: Env): SourcedValue | undefined {
  const setting = CI_SETTINGS[name];
  const fromContext = readContext(setting.context);
  // cdk.json may hold a list: the same as its items joined by commas.
  if (Array.isArray(fromContext)) {
    return { value: fromContext.map(String).join(','), source: `context "${setting.context}"` };
  }
  if (typeof fromContext === 'string' && fromContext.trim() !== '') {
    return { value: fromContext.trim(), source: `context "${setting.context}"` };
  }
  const fromEnv = env[setting.env]?.trim();
  if (fromEnv) return { value: fromEnv, source: `env ${setting.env}` };
  return undefined;
}

/**
 * The CI stack's settings, or undefined when no repository is named: the stack is optional and
 * only synthesized on request (`nx run infra:deploy-ci`). Throws ConfigError, one line with
 * the fix, on a value that cannot work.
 */
export function loadCiConfig(readContext: ContextReader, env: Env): CiConfig | undefined {
  const repository = read('repository', readContext, env);
  if (!repository) return undefined;
  const ci = checkCiConfig({
    repository,
    environment: read('environment', readContext, env),
    environments: read('environments', readContext, env),
    oidcProviderArn: read('oidcProviderArn', readContext, env),
  });
  const secretArns = readSecretArns(readContext, ci.environments ?? []);
  const ingress = readIngress(readContext, ci.environments ?? []);
  return {
    ...ci,
    ...(Object.values(secretArns).some((arns) => arns.length > 0) ? { secretArns } : {}),
    ...(Object.keys(ingress).length > 0 ? { ingress } : {}),
  };
}

/**
 * The ingress of the default environment and of each CI environment that is dns or alb, as
 * loadConfig reads it for that environment from cdk.json and context (its `environments` block,
 * then top-level context), never from this shell's variables: the CI stacks are the same whichever
 * shell synthesizes them. Previews are public-ip (config refuses the others). Throws ConfigError,
 * the one line synth of that environment would print.
 */
export function readIngress(
  readContext: ContextReader,
  ciEnvironments: readonly string[],
): Record<string, CiIngress> {
  const ingressOf = (ciEnvironment: string): CiIngress | undefined => {
    if (ciEnvironment === PREVIEW_GITHUB_ENVIRONMENT) return undefined;
    const forEnvironment: ContextReader = (key) =>
      key === ENVIRONMENT_CONTEXT ? ciEnvironment : readContext(key);
    // Its name was checked by readSecretArns, which loadCiConfig runs first.
    const { ingress } = loadConfig(forEnvironment, {});
    if (ingress.mode === 'public-ip') return undefined;
    const { mode, hostedZoneId, hostedZoneName, domainName } = ingress;
    return { mode, hostedZoneId, hostedZoneName, domainName };
  };
  return Object.fromEntries(
    [DEFAULT_ENVIRONMENT, ...ciEnvironments].flatMap((name) => {
      const ingress = ingressOf(name);
      return ingress ? [[name, ingress]] : [];
    }),
  );
}

/**
 * The Secrets Manager ARNs of the default environment and of each CI environment (a preview's
 * are every preview's: they share the `previews` settings block), each once.
 */
export function readSecretArns(
  readContext: ContextReader,
  ciEnvironments: readonly string[],
): Record<string, string[]> {
  const arnsOf = (ciEnvironment: string): string[] => {
    const environment =
      ciEnvironment === PREVIEW_GITHUB_ENVIRONMENT ? previewEnvironment(1) : ciEnvironment;
    let secrets;
    try {
      ({ secrets } = loadSecretSettings(readContext, environment));
    } catch (error) {
      if (!(error instanceof EnvironmentNameError)) throw error;
      throw new ConfigError(
        `Invalid CI environment (context "${CI_SETTINGS.environments.context}" or --environments): ${error.message}.`,
      );
    }
    const arns = secrets.flatMap((s) => (s.kind === 'secretsmanager' ? [s.secretArn] : []));
    return [...new Set(arns)];
  };
  return Object.fromEntries(
    [DEFAULT_ENVIRONMENT, ...ciEnvironments].map((name) => [name, arnsOf(name)]),
  );
}

/**
 * `staging,production,preview` → its names, checked: each a deployment environment other than
 * the default (whose role is always there) and other than a single preview (`preview` stands for
 * them all), each once. The service's own length limits are checked where its names are known.
 */
export function parseCiEnvironments(setting: SourcedValue): string[] {
  const names = setting.value.split(',').map((name) => name.trim());
  const fix = `list deployment environments separated by commas, e.g. ${DEFAULT_CI_ENVIRONMENTS.join(',')}`;
  const refuse = (problem: string): never => {
    throw new ConfigError(
      `Invalid CI environments ${JSON.stringify(setting.value)} (from ${setting.source}): ${problem}; ${fix}.`,
    );
  };
  for (const [i, name] of names.entries()) {
    if (name === '') refuse('an empty name');
    if (name === DEFAULT_ENVIRONMENT) {
      refuse(
        `"${DEFAULT_ENVIRONMENT}" always has its deploy role (--environment names its GitHub environment)`,
      );
    }
    if (isPreviewEnvironment(name)) {
      refuse(
        `"${name}" is one preview; "${PREVIEW_GITHUB_ENVIRONMENT}" gives every preview's shared role`,
      );
    }
    const shape = name === PREVIEW_GITHUB_ENVIRONMENT ? undefined : environmentShapeProblem(name);
    if (shape) refuse(`"${name}": ${shape}`);
    if (names.indexOf(name) !== i) refuse(`"${name}" is listed twice`);
  }
  return names;
}

/**
 * The one set of rules for the CI settings, wherever they came from (synth's context and
 * environment, or deploy-ci's flags), so a typo is named by the source the user typed.
 */
export function checkCiConfig(settings: {
  repository: SourcedValue;
  environment?: SourcedValue | undefined;
  environments?: SourcedValue | undefined;
  oidcProviderArn?: SourcedValue | undefined;
}): CiConfig {
  const { repository, environment, oidcProviderArn: provider } = settings;
  if (!REPOSITORY.test(repository.value)) {
    throw new ConfigError(
      `Invalid GitHub repository ${JSON.stringify(repository.value)} (from ${repository.source}): ` +
        'expected owner/name, e.g. --repo=octo-org/hello-world.',
    );
  }
  if (environment && !ENVIRONMENT.test(environment.value)) {
    throw new ConfigError(
      `Invalid GitHub environment ${JSON.stringify(environment.value)} (from ${environment.source}): ` +
        `use letters, digits, . _ or -, or leave it unset for "${DEFAULT_GITHUB_ENVIRONMENT}".`,
    );
  }
  if (provider && !PROVIDER_ARN.test(provider.value)) {
    throw new ConfigError(
      `Invalid OIDC provider ARN ${JSON.stringify(provider.value)} (from ${provider.source}): expected ` +
        'arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com ' +
        '(find it with `aws iam list-open-id-connect-providers`), or leave it unset to create one.',
    );
  }
  return {
    repository: repository.value,
    environment: environment?.value ?? DEFAULT_GITHUB_ENVIRONMENT,
    environments: settings.environments
      ? parseCiEnvironments(settings.environments)
      : [...DEFAULT_CI_ENVIRONMENTS],
    ...(provider ? { oidcProviderArn: provider.value } : {}),
  };
}
