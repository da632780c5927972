import { checkCiConfig, loadCiConfig } from './ci-config';
import { ConfigError } from './config';

const none = () => undefined;
const context = (values: Record<string, string>) => (key: string) => values[key];

describe('loadCiConfig', () => {
  it('leaves the CI stack out when no repository is named', () => {
    expect(loadCiConfig(none, {})).toBeUndefined();
  });

  it('reads the repository from context before the environment, defaulting the environment', () => {
    expect(
      loadCiConfig(context({ githubRepository: 'octo-org/hello-world' }), {
        CI_GITHUB_REPOSITORY: 'other/repo',
      }),
    ).toEqual({
      repository: 'octo-org/hello-world',
      environment: 'production',
      environments: ['staging', 'production', 'preview'],
    });
  });

  it('reads the CI environments, in promotion order, from context as a list or as text', () => {
    // GIVEN cdk.json's list or the variable's text  WHEN loaded  THEN the same names in order
    expect(
      loadCiConfig(context({ githubRepository: 'o/r' }), { CI_ENVIRONMENTS: 'qa, live' })
        ?.environments,
    ).toEqual(['qa', 'live']);
    const list = (key: string) =>
      ({ githubRepository: 'o/r', ciEnvironments: ['staging', 'preview'] })[key];
    expect(loadCiConfig(list, {})?.environments).toEqual(['staging', 'preview']);
  });

  it.each([
    ['default', /"default" always has its deploy role/],
    ['pr-7', /"pr-7" is one preview; "preview" gives every preview's shared role/],
    ['Staging', /"Staging": use lowercase letters/],
    ['staging,staging', /"staging" is listed twice/],
    ['staging,,production', /an empty name/],
  ])('refuses the CI environments %j with one line naming the fix', (value, problem) => {
    const refused = () =>
      loadCiConfig(none, { CI_GITHUB_REPOSITORY: 'o/r', CI_ENVIRONMENTS: value });
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(problem);
    expect(refused).toThrow(
      /\(from env CI_ENVIRONMENTS\): .*; list deployment environments separated by commas, e\.g\. staging,production,preview\.$/,
    );
  });

  it('reads every setting from the environment', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    expect(
      loadCiConfig(none, {
        CI_GITHUB_REPOSITORY: 'octo-org/hello.world_2',
        CI_GITHUB_ENVIRONMENT: 'prod-eu',
        CI_GITHUB_OIDC_PROVIDER_ARN: arn,
      }),
    ).toEqual({
      repository: 'octo-org/hello.world_2',
      environment: 'prod-eu',
      environments: ['staging', 'production', 'preview'],
      oidcProviderArn: arn,
    });
  });

  it.each(['octo-org', 'octo-org/hello/world', 'https://github.com/octo-org/hello-world', 'a b/c'])(
    'refuses the repository %j with one line naming the fix',
    (repository) => {
      expect(() => loadCiConfig(context({ githubRepository: repository }), {})).toThrow(
        new ConfigError(
          `Invalid GitHub repository ${JSON.stringify(repository)} (from context "githubRepository"): expected owner/name, e.g. --repo=octo-org/hello-world.`,
        ),
      );
    },
  );

  it('refuses an environment name that would break the OIDC subject', () => {
    expect(() =>
      loadCiConfig(context({ githubRepository: 'o/r', githubEnvironment: 'prod:*' }), {}),
    ).toThrow(/Invalid GitHub environment "prod:\*" \(from context "githubEnvironment"\)/);
  });

  it('refuses a provider ARN for another issuer and says how to find the right one', () => {
    expect(() =>
      loadCiConfig(none, {
        CI_GITHUB_REPOSITORY: 'o/r',
        CI_GITHUB_OIDC_PROVIDER_ARN: 'arn:aws:iam::123456789012:oidc-provider/gitlab.com',
      }),
    ).toThrow(/Invalid OIDC provider ARN .*aws iam list-open-id-connect-providers/);
  });
});

describe('checkCiConfig', () => {
  it('names the source it was given, such as the flag the user typed', () => {
    // GIVEN a bad repository typed as --repo  WHEN checked  THEN the error names --repo
    expect(() => checkCiConfig({ repository: { value: 'bad', source: '--repo' } })).toThrow(
      new ConfigError(
        'Invalid GitHub repository "bad" (from --repo): expected owner/name, e.g. --repo=octo-org/hello-world.',
      ),
    );
  });
});

describe('loadCiConfig: the Secrets Manager secrets each deploy role checks', () => {
  const DB = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf';
  const PREVIEW_DB = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:preview-db-QwErTy';

  it("reads each environment's from its settings block, each secret once, never an SSM name", () => {
    // GIVEN staging with one secret read whole and by one JSON key, and an SSM one; previews' own
    const settings: Record<string, unknown> = {
      githubRepository: 'o/r',
      environments: {
        staging: { secrets: { DB_PASSWORD: DB, DB_USER: `${DB}:username::`, API_KEY: 'ssm' } },
        previews: { secrets: { DB_PASSWORD: PREVIEW_DB } },
      },
    };
    // WHEN the CI settings are loaded
    const ci = loadCiConfig((key) => settings[key], {});
    // THEN each CI environment's role gets its own ARNs (previews': the previews block's)
    expect(ci?.secretArns).toEqual({
      default: [],
      staging: [DB],
      production: [],
      preview: [PREVIEW_DB],
    });
  });

  it("reads the default environment's for the CI stack's own deploy role", () => {
    const settings: Record<string, unknown> = {
      githubRepository: 'o/r',
      ciEnvironments: ['staging'],
      environments: { default: { secrets: { DB_PASSWORD: DB } } },
    };
    expect(loadCiConfig((key) => settings[key], {})?.secretArns).toEqual({
      default: [DB],
      staging: [],
    });
  });

  it('refuses a secret synth would refuse, with the same one line', () => {
    const settings: Record<string, unknown> = {
      githubRepository: 'o/r',
      environments: { staging: { secrets: { DB_PASSWORD: 'arn:aws:s3:::bucket' } } },
    };
    expect(() => loadCiConfig((key) => settings[key], {})).toThrow(ConfigError);
  });
});

describe('loadCiConfig: the ingress each deploy role deploys (dns and alb only)', () => {
  const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };

  it("reads each environment's from its settings block, leaving public-ip ones out", () => {
    // GIVEN staging in alb mode, production in dns mode, the default and previews public-ip
    const settings: Record<string, unknown> = {
      githubRepository: 'o/r',
      environments: {
        staging: { ingress: 'alb', domainName: 'staging.example.com', ...ZONE },
        production: { ingress: 'dns', domainName: 'Hello.Example.com.', ...ZONE },
      },
    };
    // WHEN the CI settings are loaded
    const ci = loadCiConfig((key) => settings[key], {});
    // THEN only those two, normalized as synth normalizes them
    expect(ci?.ingress).toEqual({
      staging: { mode: 'alb', domainName: 'staging.example.com', ...ZONE },
      production: { mode: 'dns', domainName: 'hello.example.com', ...ZONE },
    });
  });

  it("reads the default environment's from cdk.json, never from this shell's variables", () => {
    // GIVEN the default environment dns in context, and INGRESS=alb in the shell
    const settings: Record<string, unknown> = {
      githubRepository: 'o/r',
      ciEnvironments: ['staging'],
      ingress: 'dns',
      domainName: 'hello.example.com',
      ...ZONE,
    };
    const shell = { INGRESS: 'alb', DOMAIN_NAME: 'other.example.com' };
    // WHEN loaded  THEN context's dns, for the default and (top-level context) staging alike
    expect(loadCiConfig((key) => settings[key], shell)?.ingress).toEqual({
      default: { mode: 'dns', domainName: 'hello.example.com', ...ZONE },
      staging: { mode: 'dns', domainName: 'hello.example.com', ...ZONE },
    });
  });

  it('adds no ingress at all when every environment is public-ip', () => {
    expect(loadCiConfig(context({ githubRepository: 'o/r' }), {})).not.toHaveProperty('ingress');
  });

  it('refuses an ingress synth would refuse, with the same one line', () => {
    const settings: Record<string, unknown> = {
      githubRepository: 'o/r',
      environments: { staging: { ingress: 'alb' } },
    };
    expect(() => loadCiConfig((key) => settings[key], {})).toThrow(
      /ingress alb needs a domain in a Route 53 hosted zone/,
    );
  });
});
