// infra:secrets through runOps, against mocked SSM and Secrets Manager: what each action sends and
// prints, and that a value never reaches stdout, stderr or the console.
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { awsError, mockAwsClients } from '@hello-world/aws-ops/testing';
import {
  DB_SECRET_ARN,
  SECRETS_KMS_KEY,
  describeSecretAnswer,
  parameterMetadata,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import { ConfigError } from '../config';
import { opsHarness, type OpsHarness } from './ops-harness-for-test';
import { type OpsDeps, runOps } from './run';
import type { SecretSettings } from './secrets';

const aws = mockAwsClients();
const STAGING = deploymentNames('hello-world', 'staging');
const PATH = STAGING.secretsPath;
const VALUE = 'pa55-w0rd-that-must-never-show';

/** staging's settings: API_KEY in SSM, DB_PASSWORD in Secrets Manager, with a KMS key. */
const SETTINGS: SecretSettings = {
  path: PATH,
  kmsKeyArn: SECRETS_KMS_KEY,
  secrets: [
    { name: 'API_KEY', kind: 'ssm', parameterName: `${PATH}API_KEY` },
    { name: 'DB_PASSWORD', kind: 'secretsmanager', secretArn: DB_SECRET_ARN, jsonKey: 'password' },
  ],
};

let consoleCalls: unknown[][] = [];

function harness(overrides: Partial<OpsDeps> = {}): OpsHarness {
  return opsHarness(aws.clients(), {
    deployment: { project: 'infra', names: STAGING, port: 49000 },
    secretSettings: () => SETTINGS,
    readSecretValue: async () => VALUE,
    ...overrides,
  });
}

/** Everything the command wrote, to stdout, stderr or the console. */
function everything(h: OpsHarness): string {
  return [...h.out, ...h.err, ...consoleCalls.map((c) => c.map(String).join(' '))].join('\n');
}

beforeEach(() => {
  aws.reset();
  consoleCalls = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args) => void consoleCalls.push(args));
  }
});

afterEach(() => jest.restoreAllMocks());

describe('secrets set', () => {
  it('GIVEN a configured name and a value THEN puts a SecureString with the key and says to redeploy, never the value', async () => {
    aws.ssm.on(PutParameterCommand).resolves({ Version: 4, Tier: 'Standard' });
    const h = harness();
    expect(await runOps(['secrets', 'set', 'API_KEY', '--env=staging'], h.deps)).toBe(0);
    expect(aws.ssm.commandCalls(PutParameterCommand)[0].args[0].input).toEqual({
      Name: '/hello-world-ecr-ecs-fargate/staging/API_KEY',
      Value: VALUE,
      Type: 'SecureString',
      Overwrite: true,
      Tier: 'Standard',
      KeyId: SECRETS_KMS_KEY,
    });
    expect(h.out).toEqual([
      'set API_KEY (version 4) in staging; it takes effect with `npx nx run infra:redeploy -- --env=staging`',
    ]);
    expect(h.err).toEqual([]);
    expect(everything(h)).not.toContain(VALUE);
  });

  it('GIVEN --json THEN prints the name, parameter and version, never the value', async () => {
    aws.ssm.on(PutParameterCommand).resolves({ Version: 1, Tier: 'Standard' });
    const h = harness();
    expect(await runOps(['secrets', 'set', 'API_KEY', '--json'], h.deps)).toBe(0);
    expect(JSON.parse(h.out.join('\n'))).toEqual({
      action: 'set',
      name: 'API_KEY',
      environment: 'staging',
      parameterName: `${PATH}API_KEY`,
      version: 1,
      configured: true,
      kmsKeyArn: SECRETS_KMS_KEY,
    });
    expect(everything(h)).not.toContain(VALUE);
  });

  it('GIVEN a name not in the settings THEN warns before asking for the value, and still sets it', async () => {
    aws.ssm.on(PutParameterCommand).resolves({ Version: 1, Tier: 'Standard' });
    const asked: string[] = [];
    const h = harness({
      readSecretValue: async (name) => {
        asked.push(`asked for ${name} after ${h.err.length} stderr line(s)`);
        return VALUE;
      },
    });
    expect(await runOps(['secrets', 'set', 'NEW_TOKEN'], h.deps)).toBe(0);
    expect(h.err).toEqual([
      `WARN NEW_TOKEN is not among staging's "secrets" (apps/infra/cdk.json environments.staging): the service gets it only once it is listed there and deployed`,
    ]);
    expect(asked).toEqual(['asked for NEW_TOKEN after 1 stderr line(s)']);
    expect(everything(h)).not.toContain(VALUE);
  });

  it('GIVEN the name is a Secrets Manager reference THEN refuses to write SSM, exit 2, nothing asked', async () => {
    const readSecretValue = jest.fn(async () => VALUE);
    const h = harness({ readSecretValue });
    expect(await runOps(['secrets', 'set', 'DB_PASSWORD'], h.deps)).toBe(2);
    expect(h.err[0]).toMatch(
      /^infra:secrets: DB_PASSWORD is a Secrets Manager secret in staging's settings/,
    );
    expect(readSecretValue).not.toHaveBeenCalled();
    expect(aws.ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('GIVEN an empty value THEN refuses it in one line, exit 2, nothing put', async () => {
    const h = harness({ readSecretValue: async () => '' });
    expect(await runOps(['secrets', 'set', 'API_KEY'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:secrets: empty value: nothing set; pipe the value in (`printf %s "$VALUE" | npx nx run infra:secrets -- set API_KEY --env=staging`) or run it on a terminal to be asked for it',
    ]);
    expect(aws.ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('GIVEN the prompt is cancelled THEN sets nothing, exit 1', async () => {
    const h = harness({ readSecretValue: async () => undefined });
    expect(await runOps(['secrets', 'set', 'API_KEY'], h.deps)).toBe(1);
    expect(h.err).toEqual(['nothing set: API_KEY was not changed']);
    expect(aws.ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('GIVEN a value over 4 KB THEN refuses it before AWS, naming the limit, not the value', async () => {
    const big = 'x'.repeat(4097);
    const h = harness({ readSecretValue: async () => big });
    expect(await runOps(['secrets', 'set', 'API_KEY'], h.deps)).toBe(2);
    expect(h.err[0]).toMatch(
      /the value is 4097 bytes: a Standard SSM parameter holds at most 4096/,
    );
    expect(everything(h)).not.toContain(big);
  });

  it('GIVEN SSM echoes the value in its error THEN the one line printed does not hold it', async () => {
    aws.ssm
      .on(PutParameterCommand)
      .rejects(
        awsError(
          'ValidationException',
          `1 validation error detected: Value '${VALUE}' at 'value' failed to satisfy constraint: Member must satisfy regular expression pattern`,
        ),
      );
    const h = harness();
    expect(await runOps(['secrets', 'set', 'API_KEY'], h.deps)).toBe(1);
    expect(h.err).toEqual([
      "infra:secrets: ValidationException: 1 validation error detected: Value '***' at 'value' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ]);
    expect(everything(h)).not.toContain(VALUE);
  });

  it('GIVEN PutParameter is denied THEN names the action, exit 2, never the value', async () => {
    aws.ssm
      .on(PutParameterCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:eu-west-1:123456789012:parameter${PATH}API_KEY because no identity-based policy allows the ssm:PutParameter action`,
        ),
      );
    const h = harness();
    expect(await runOps(['secrets', 'set', 'API_KEY'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:secrets: access denied: your AWS identity may not call ssm:PutParameter; add it to your IAM policy or use another --profile',
    ]);
    expect(everything(h)).not.toContain(VALUE);
  });

  it('GIVEN no credentials THEN says how to get them, exit 2', async () => {
    aws.ssm
      .on(PutParameterCommand)
      .rejects(
        awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      );
    const h = harness();
    expect(await runOps(['secrets', 'set', 'API_KEY'], h.deps)).toBe(2);
    expect(h.err[0]).toMatch(/^infra:secrets: no AWS credentials found: run `aws configure`/);
    expect(everything(h)).not.toContain(VALUE);
  });

  it('GIVEN settings cdk.json refuses THEN one line naming the file, exit 2', async () => {
    const h = harness({
      secretSettings: () => {
        throw new ConfigError('secrets: "api_key" is not a secret name');
      },
    });
    expect(await runOps(['secrets', 'set', 'API_KEY'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:secrets: apps/infra/cdk.json: secrets: "api_key" is not a secret name',
    ]);
  });

  it('GIVEN the default environment THEN the redeploy hint has no --env', async () => {
    aws.ssm.on(PutParameterCommand).resolves({ Version: 2, Tier: 'Standard' });
    const names = deploymentNames('hello-world');
    const h = harness({
      deployment: { project: 'infra', names, port: 49000 },
      secretSettings: () => ({
        path: names.secretsPath,
        secrets: [{ name: 'API_KEY', kind: 'ssm', parameterName: `${names.secretsPath}API_KEY` }],
      }),
    });
    expect(await runOps(['secrets', 'set', 'API_KEY'], h.deps)).toBe(0);
    expect(h.out).toEqual([
      'set API_KEY (version 2) in default; it takes effect with `npx nx run infra:redeploy`',
    ]);
    expect(aws.ssm.commandCalls(PutParameterCommand)[0].args[0].input).not.toHaveProperty('KeyId');
  });

  it('GIVEN a named environment whose stack is not deployed yet THEN still sets: secrets come first', async () => {
    aws.ssm.on(PutParameterCommand).resolves({ Version: 1, Tier: 'Standard' });
    const h = harness();
    expect(await runOps(['secrets', 'set', 'API_KEY', '--env=staging'], h.deps)).toBe(0);
    expect(aws.cfn.calls()).toHaveLength(0);
  });
});

describe('secrets list', () => {
  beforeEach(() => {
    aws.ssm.on(DescribeParametersCommand).resolves({
      Parameters: [
        parameterMetadata('API_KEY', { Version: 4 }),
        parameterMetadata('OLD_TOKEN', { LastModifiedDate: new Date('2026-10-02T07:00:00Z') }),
      ],
    });
    aws.secretsManager
      .on(DescribeSecretCommand, { SecretId: DB_SECRET_ARN })
      .resolves(describeSecretAnswer());
  });

  it('GIVEN stored and referenced secrets THEN prints names, last change, version and notes, never a value', async () => {
    const h = harness();
    expect(await runOps(['secrets', 'list'], h.deps)).toBe(0);
    const text = h.out.join('\n');
    expect(text).toContain(
      'Secrets of staging (SSM parameters under /hello-world-ecr-ecs-fargate/staging/):',
    );
    expect(text).toMatch(/API_KEY\s+ssm\s+2026-11-20T09:30:00Z\s+4\n/);
    expect(text).toMatch(
      new RegExp(
        `DB_PASSWORD\\s+secrets manager\\s+2026-11-18T14:05:00Z\\s+-\\s+${DB_SECRET_ARN} \\(key password\\)`,
      ),
    );
    expect(text).toMatch(
      /OLD_TOKEN\s+ssm\s+2026-10-02T07:00:00Z\s+3\s+not in the settings: the service does not get it/,
    );
    // DescribeParameters and DescribeSecret hold no values; GetParameter(s) is never called.
    expect(aws.ssm.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'DescribeParametersCommand',
    ]);
  });

  it('GIVEN a configured secret not stored THEN marks it MISSING with the command that sets it', async () => {
    aws.ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
    const h = harness();
    expect(await runOps(['secrets', 'list'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toMatch(
      /API_KEY\s+ssm\s+-\s+-\s+MISSING: configured but not there; the deploy refuses it until `npx nx run infra:secrets -- set API_KEY --env=staging` succeeds/,
    );
  });

  it('GIVEN --json THEN one document with the path and the entries', async () => {
    const h = harness();
    expect(await runOps(['secrets', 'list', '--json'], h.deps)).toBe(0);
    const data = JSON.parse(h.out.join('\n'));
    expect(data.path).toBe(PATH);
    expect(data.secrets.map((s: { name: string; state: string }) => [s.name, s.state])).toEqual([
      ['API_KEY', 'stored'],
      ['DB_PASSWORD', 'stored'],
      ['OLD_TOKEN', 'stored'],
    ]);
  });

  it('GIVEN nothing stored or configured THEN says so and how to add one', async () => {
    aws.ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
    const h = harness({ secretSettings: () => ({ path: PATH, secrets: [] }) });
    expect(await runOps(['secrets'], h.deps)).toBe(0);
    expect(h.out).toEqual([
      `Secrets of staging (SSM parameters under ${PATH}):\n  none stored and none in the settings; add one with \`npx nx run infra:secrets -- set NAME --env=staging\``,
    ]);
  });

  it('GIVEN DescribeParameters is denied THEN names the action, exit 2', async () => {
    aws.ssm
      .on(DescribeParametersCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:DescribeParameters on resource: arn:aws:ssm:eu-west-1:123456789012:* because no identity-based policy allows the ssm:DescribeParameters action',
        ),
      );
    const h = harness();
    expect(await runOps(['secrets', 'list'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:secrets: access denied: your AWS identity may not call ssm:DescribeParameters; add it to your IAM policy or use another --profile',
    ]);
  });
});

describe('secrets rm', () => {
  it('GIVEN a terminal and yes THEN asks, deletes the parameter and says running tasks keep it', async () => {
    aws.ssm.on(DeleteParameterCommand).resolves({});
    const questions: string[] = [];
    const h = harness({
      interactive: true,
      confirm: async (q) => {
        questions.push(q);
        return true;
      },
    });
    expect(await runOps(['secrets', 'rm', 'OLD_TOKEN'], h.deps)).toBe(0);
    expect(questions).toEqual([`Delete secret ${PATH}OLD_TOKEN (staging)? [y/N] `]);
    expect(aws.ssm.commandCalls(DeleteParameterCommand)[0].args[0].input).toEqual({
      Name: `${PATH}OLD_TOKEN`,
    });
    expect(h.out).toEqual([
      'deleted OLD_TOKEN from staging; running tasks keep the value they started with',
    ]);
  });

  it('GIVEN a terminal and no THEN deletes nothing, exit 1', async () => {
    const h = harness({ interactive: true, confirm: async () => false });
    expect(await runOps(['secrets', 'rm', 'API_KEY'], h.deps)).toBe(1);
    expect(h.err).toEqual(['nothing deleted']);
    expect(aws.ssm.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  });

  it('GIVEN no terminal and no --yes THEN refuses before AWS, exit 2', async () => {
    const h = harness({ interactive: false });
    expect(await runOps(['secrets', 'rm', 'API_KEY'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:secrets: rm asks before it deletes, and there is no terminal to ask on: add --yes to delete API_KEY (`npx nx run infra:secrets -- rm API_KEY --yes --env=staging`)',
    ]);
    expect(aws.ssm.calls()).toHaveLength(0);
  });

  it('GIVEN --yes and a configured secret THEN deletes without asking and warns the next deploy refuses', async () => {
    aws.ssm.on(DeleteParameterCommand).resolves({});
    const confirm = jest.fn(async () => false);
    const h = harness({ confirm });
    expect(await runOps(['secrets', 'rm', 'API_KEY', '--yes'], h.deps)).toBe(0);
    expect(confirm).not.toHaveBeenCalled();
    expect(h.out[0]).toContain(
      `it is still in staging's settings, so the next deploy refuses until it is set again or taken out of "secrets"`,
    );
  });

  it('GIVEN no such parameter THEN one line pointing at list, exit 2', async () => {
    aws.ssm.on(DeleteParameterCommand).rejects(awsError('ParameterNotFound', ''));
    const h = harness();
    expect(await runOps(['secrets', 'rm', 'NOPE', '--yes'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:secrets: no secret NOPE in staging (no parameter ${PATH}NOPE): \`npx nx run infra:secrets -- list --env=staging\` shows those there are`,
    ]);
  });
});
