import { ConfigError, loadConfig, loadSecretSettings, type Env } from './config';

const context = (values: Record<string, unknown>) => (key: string) => values[key];
const staging = { DEPLOY_ENV: 'staging' } satisfies Env;

const DB_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf';
const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function errorFrom(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** A config read with one environment block, `staging`, holding these settings. */
const stagingWith = (settings: Record<string, unknown>, env: Env = staging) =>
  loadConfig(context({ environments: { staging: settings } }), env);

const stagingError = (settings: Record<string, unknown>) =>
  errorFrom(() => stagingWith(settings)).message;

describe('variables', () => {
  it("GIVEN staging's block names variables THEN the container's plain variables", () => {
    expect(stagingWith({ variables: { GREETING: 'Hello from staging' } }).variables).toEqual({
      GREETING: 'Hello from staging',
    });
  });

  it('GIVEN variables as JSON text (cdk synth -c) THEN read as an object', () => {
    const config = loadConfig(context({ variables: '{"LOG_LEVEL":"debug"}' }), {});
    expect(config.variables).toEqual({ LOG_LEVEL: 'debug' });
  });

  it('GIVEN a name a shell cannot export THEN one line naming the entry', () => {
    expect(stagingError({ variables: { 'LOG-LEVEL': 'debug' } })).toBe(
      'Invalid variables entry "LOG-LEVEL" (from cdk.json environments.staging.variables): a variable name is letters, digits and _, not starting with a digit.',
    );
  });

  it.each(['PORT', 'HOST'])('GIVEN the reserved %s THEN refused: the service sets it', (name) => {
    expect(stagingError({ variables: { [name]: '8080' } })).toMatch(
      new RegExp(
        `^Invalid variables entry "${name}" .*PORT and HOST are set by the service itself`,
      ),
    );
  });

  it('GIVEN a value that is not text THEN refused, showing it quoted', () => {
    expect(stagingError({ variables: { WORKERS: 3 } })).toMatch(/a value is text: write "3"\.$/);
  });

  it('GIVEN a variable that is also a secret THEN refused: one value per name', () => {
    expect(stagingError({ variables: { API_KEY: 'x' }, secrets: ['API_KEY'] })).toMatch(
      /^Invalid variables entry "API_KEY" .*also a secret of this environment/,
    );
  });
});

describe('secrets', () => {
  it("GIVEN a list of names THEN each an SSM SecureString under the environment's secrets path", () => {
    expect(stagingWith({ secrets: ['API_KEY', 'SESSION_KEY'] }).secrets).toEqual([
      {
        name: 'API_KEY',
        kind: 'ssm',
        parameterName: '/hello-world-ecr-ecs-fargate/staging/API_KEY',
      },
      {
        name: 'SESSION_KEY',
        kind: 'ssm',
        parameterName: '/hello-world-ecr-ecs-fargate/staging/SESSION_KEY',
      },
    ]);
  });

  it('GIVEN an object THEN ssm, a Secrets Manager ARN, and one JSON key of it', () => {
    const secrets = {
      API_KEY: 'ssm',
      DB_PASSWORD: DB_SECRET,
      DB_USER: `${DB_SECRET}:username::`,
    };
    expect(stagingWith({ secrets }).secrets).toEqual([
      {
        name: 'API_KEY',
        kind: 'ssm',
        parameterName: '/hello-world-ecr-ecs-fargate/staging/API_KEY',
      },
      { name: 'DB_PASSWORD', kind: 'secretsmanager', secretArn: DB_SECRET },
      { name: 'DB_USER', kind: 'secretsmanager', secretArn: DB_SECRET, jsonKey: 'username' },
    ]);
  });

  it("GIVEN a preview THEN the previews block's secrets, under the previews' shared path", () => {
    const config = loadConfig(context({ environments: { previews: { secrets: ['API_KEY'] } } }), {
      DEPLOY_ENV: 'pr-7',
    });
    expect(config.secrets).toEqual([
      {
        name: 'API_KEY',
        kind: 'ssm',
        parameterName: '/hello-world-ecr-ecs-fargate/previews/API_KEY',
      },
    ]);
  });

  it('GIVEN a name that is not UPPER_CASE THEN one line with the rule and an example', () => {
    expect(stagingError({ secrets: ['api_key'] })).toBe(
      'Invalid secrets entry "api_key" (from cdk.json environments.staging.secrets): a secret name is the variable the container gets: A-Z, 0-9 and _, starting with a letter, up to 128, e.g. API_KEY.',
    );
  });

  it('GIVEN a source that is neither ssm nor a Secrets Manager ARN THEN refused, naming both forms', () => {
    const message = stagingError({
      secrets: { DB_PASSWORD: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db' },
    });
    expect(message).toMatch(
      /^Invalid secrets entry "DB_PASSWORD" \(from cdk\.json environments\.staging\.secrets\): /,
    );
    expect(message).toMatch(
      /is neither "ssm" .* nor a Secrets Manager secret ARN like arn:aws:secretsmanager:/,
    );
    expect(message.split('\n')).toHaveLength(1);
  });

  it('GIVEN a version stage in the ARN THEN refused: each task start reads the current version', () => {
    expect(stagingError({ secrets: { DB_USER: `${DB_SECRET}:username:AWSPREVIOUS:` } })).toMatch(
      /a version stage or id is not supported/,
    );
  });

  it('GIVEN a name listed twice THEN refused', () => {
    expect(stagingError({ secrets: ['API_KEY', 'API_KEY'] })).toMatch(/"API_KEY".*listed twice/);
  });

  it('GIVEN a secret named PORT THEN refused like a variable would be', () => {
    expect(stagingError({ secrets: ['PORT'] })).toMatch(/PORT and HOST are set by the service/);
  });

  it('GIVEN secrets that are neither a list nor an object THEN both forms are shown', () => {
    expect(stagingError({ secrets: 'API_KEY' })).toMatch(/expected JSON/);
    expect(stagingError({ secrets: 42 })).toMatch(/expected a list of names, e\.g\. \["API_KEY"\]/);
  });
});

describe('secretsKmsKey', () => {
  it('GIVEN a key ARN THEN kept for the execution role', () => {
    expect(stagingWith({ secrets: ['API_KEY'], secretsKmsKey: KMS_KEY }).secretsKmsKey).toBe(
      KMS_KEY,
    );
  });

  it('GIVEN an alias THEN refused: IAM grants Decrypt on the key', () => {
    expect(
      stagingError({ secretsKmsKey: 'arn:aws:kms:eu-west-1:123456789012:alias/app-secrets' }),
    ).toMatch(/name the key's ARN \(…:key\/<key id>\), not an alias/);
  });

  it('GIVEN none THEN absent (AWS managed keys need no grant)', () => {
    expect(stagingWith({ secrets: ['API_KEY'] })).not.toHaveProperty('secretsKmsKey');
  });
});

describe('exec and containerInsights', () => {
  it('GIVEN exec true in the block THEN ECS Exec on, for that environment only', () => {
    const environments = { staging: { exec: true } };
    expect(loadConfig(context({ environments }), staging).exec).toBe(true);
    expect(loadConfig(context({ environments }), { DEPLOY_ENV: 'production' }).exec).toBe(false);
  });

  it('GIVEN exec "yes" THEN refused: true or false', () => {
    expect(stagingError({ exec: 'yes' })).toMatch(/^Invalid exec "yes" .*expected true or false/);
  });

  it('GIVEN containerInsights true THEN on in the reference mode', () => {
    expect(stagingWith({ containerInsights: true }).containerInsights).toBe(true);
  });

  it('GIVEN controlTower strict THEN Container Insights on, and an explicit false refused', () => {
    expect(loadConfig(context({ controlTower: 'strict' }), {}).containerInsights).toBe(true);
    expect(
      errorFrom(() => loadConfig(context({ controlTower: 'strict', containerInsights: false }), {}))
        .message,
    ).toMatch(/controlTower strict keeps Container Insights on \(the CT\.ECS\.PR\.2 control\)/);
  });
});

describe('alertEmail', () => {
  it('GIVEN ALERT_EMAIL THEN the default of the AlertEmail parameter', () => {
    expect(loadConfig(context({}), { ALERT_EMAIL: 'ops@example.com' }).alertEmail).toBe(
      'ops@example.com',
    );
  });

  it('GIVEN none THEN empty: the alarms exist and email no one', () => {
    expect(loadConfig(context({}), {}).alertEmail).toBe('');
  });

  it('GIVEN a block address THEN for that environment', () => {
    expect(stagingWith({ alertEmail: 'staging-alerts@example.com' }).alertEmail).toBe(
      'staging-alerts@example.com',
    );
  });

  it('GIVEN something that is not an address THEN refused at synth in one line', () => {
    expect(errorFrom(() => loadConfig(context({}), { ALERT_EMAIL: 'ops@example' })).message).toBe(
      'Invalid alertEmail "ops@example" (from env ALERT_EMAIL): not an email address like ops@example.com. Set context "alertEmail" or env ALERT_EMAIL, or unset it for none.',
    );
  });
});

describe('defaultEnvironmentRoles', () => {
  const environments = {
    default: { secrets: ['API_KEY'], exec: true },
    staging: { secrets: { DB_PASSWORD: DB_SECRET }, secretsKmsKey: KMS_KEY },
  };

  it("GIVEN staging is synthesized THEN the default environment's role settings, not staging's", () => {
    const config = loadConfig(context({ environments }), staging);
    expect(config.defaultEnvironmentRoles).toEqual({
      secrets: [
        {
          name: 'API_KEY',
          kind: 'ssm',
          parameterName: '/hello-world-ecr-ecs-fargate/default/API_KEY',
        },
      ],
      exec: true,
    });
    expect(config.exec).toBe(false);
  });

  it('GIVEN the default environment is synthesized THEN the same as its own settings', () => {
    const config = loadConfig(context({ environments }), {});
    expect(config.defaultEnvironmentRoles).toEqual({ secrets: config.secrets, exec: config.exec });
    expect(loadConfig(context({ environments }), staging).defaultEnvironmentRoles).toEqual(
      config.defaultEnvironmentRoles,
    );
  });

  it('GIVEN top-level context THEN it sets the default environment (and overrides blocks)', () => {
    const config = loadConfig(context({ environments, exec: 'false' }), staging);
    expect(config.defaultEnvironmentRoles.exec).toBe(false);
  });
});

describe('loadSecretSettings (for the ops CLI)', () => {
  const environments = {
    staging: { secrets: { API_KEY: 'ssm', DB_PASSWORD: DB_SECRET }, secretsKmsKey: KMS_KEY },
    previews: { secrets: ['API_KEY'] },
  };
  const readContext = context({ environments });

  it('GIVEN staging THEN its folder, key and secrets as synth reads them', () => {
    expect(loadSecretSettings(readContext, 'staging')).toEqual({
      path: '/hello-world-ecr-ecs-fargate/staging/',
      kmsKeyArn: KMS_KEY,
      secrets: [
        {
          name: 'API_KEY',
          kind: 'ssm',
          parameterName: '/hello-world-ecr-ecs-fargate/staging/API_KEY',
        },
        { name: 'DB_PASSWORD', kind: 'secretsmanager', secretArn: DB_SECRET },
      ],
    });
  });

  it("GIVEN a preview THEN the previews' shared folder", () => {
    expect(loadSecretSettings(readContext, 'pr-12')).toEqual({
      path: '/hello-world-ecr-ecs-fargate/previews/',
      secrets: [
        {
          name: 'API_KEY',
          kind: 'ssm',
          parameterName: '/hello-world-ecr-ecs-fargate/previews/API_KEY',
        },
      ],
    });
  });

  it('GIVEN an environment without secrets THEN its folder and none', () => {
    expect(loadSecretSettings(readContext, 'default')).toEqual({
      path: '/hello-world-ecr-ecs-fargate/default/',
      secrets: [],
    });
  });

  it('GIVEN an invalid secret THEN the same one-line ConfigError as synth', () => {
    const bad = context({ environments: { staging: { secrets: ['api-key'] } } });
    expect(() => loadSecretSettings(bad, 'staging')).toThrow(ConfigError);
  });
});
