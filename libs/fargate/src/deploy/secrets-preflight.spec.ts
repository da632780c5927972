import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersCommand,
  type DescribeParametersCommandInput,
  type ParameterMetadata,
} from '@aws-sdk/client-ssm';
import { awsError, mockAwsClients } from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import {
  checkTaskSecrets,
  parseSecretValueFrom,
  type SecretsCheckContext,
  type TaskSecret,
} from './secrets-preflight';

const aws = mockAwsClients();
beforeEach(() => aws.reset());

const STAGING: SecretsCheckContext = {
  project: 'infra',
  environment: 'staging',
  secretsPath: deploymentNames('hello-world', 'staging').secretsPath,
  region: 'eu-west-1',
};
const API_KEY = '/hello-world-ecr-ecs-fargate/staging/API_KEY';
const DB_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf';

const ssmSecret = (name: string, parameterName = `${STAGING.secretsPath}${name}`): TaskSecret => ({
  name,
  source: { kind: 'ssm', parameterName },
});
const dbSecret: TaskSecret = {
  name: 'DB_PASSWORD',
  source: { kind: 'secretsmanager', secretArn: DB_ARN, jsonKey: 'password' },
};

/** A parameter as DescribeParameters lists it: metadata, never a value. */
function parameter(name: string, type = 'SecureString'): ParameterMetadata {
  return {
    Name: name,
    ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${name}`,
    Type: type as ParameterMetadata['Type'],
    KeyId: type === 'SecureString' ? 'alias/aws/ssm' : undefined,
    LastModifiedDate: new Date('2026-11-30T09:12:44.512Z'),
    LastModifiedUser: 'arn:aws:sts::123456789012:assumed-role/Admin/jane',
    Version: 3,
    Tier: 'Standard',
    Policies: [],
    DataType: 'text',
  };
}

/** SSM answering DescribeParameters as it does: only the stored ones the Name filter names. */
function storeParameters(...stored: ParameterMetadata[]): void {
  aws.ssm.on(DescribeParametersCommand).callsFake((input: DescribeParametersCommandInput) => {
    const names = input.ParameterFilters?.find((f) => f.Key === 'Name')?.Values ?? [];
    return { Parameters: stored.filter((p) => names.includes(p.Name ?? '')) };
  });
}

/** DescribeSecret's answer for a secret that exists. */
const describedSecret = {
  ARN: DB_ARN,
  Name: 'db',
  LastChangedDate: new Date('2026-11-02T10:00:00Z'),
  CreatedDate: new Date('2026-10-01T10:00:00Z'),
  VersionIdsToStages: { 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111': ['AWSCURRENT'] },
};

describe('parseSecretValueFrom', () => {
  it("GIVEN CDK's Fn::Join of an SSM parameter ARN (partition and account are Refs) THEN the parameter's name", () => {
    const valueFrom = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ssm:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':parameter/hello-world-ecr-ecs-fargate/staging/API_KEY',
        ],
      ],
    };
    expect(parseSecretValueFrom(valueFrom)).toEqual({ kind: 'ssm', parameterName: API_KEY });
  });

  it('GIVEN a literal SSM parameter ARN of a name without a path THEN the name as it is', () => {
    expect(parseSecretValueFrom('arn:aws:ssm:eu-west-1:123456789012:parameter/API_KEY')).toEqual({
      kind: 'ssm',
      parameterName: 'API_KEY',
    });
  });

  it('GIVEN a Secrets Manager ARN with a JSON key THEN the secret ARN without it, and the key', () => {
    expect(parseSecretValueFrom(`${DB_ARN}:password::`)).toEqual({
      kind: 'secretsmanager',
      secretArn: DB_ARN,
      jsonKey: 'password',
    });
    expect(parseSecretValueFrom(DB_ARN)).toEqual({ kind: 'secretsmanager', secretArn: DB_ARN });
  });

  it('GIVEN a Secrets Manager ARN with a Ref in it THEN unresolved: CloudFormation resolves it', () => {
    const valueFrom = {
      'Fn::Join': [
        '',
        ['arn:aws:secretsmanager:eu-west-1:', { Ref: 'AWS::AccountId' }, ':secret:db-AbCdEf'],
      ],
    };
    expect(parseSecretValueFrom(valueFrom)).toEqual({
      kind: 'unresolved',
      valueFrom: 'arn:aws:secretsmanager:eu-west-1:…:secret:db-AbCdEf',
    });
  });

  it('GIVEN a Ref or an empty string THEN nothing', () => {
    expect(parseSecretValueFrom({ Ref: 'SomeParameter' })).toBeUndefined();
    expect(parseSecretValueFrom('')).toBeUndefined();
  });
});

describe('checkTaskSecrets', () => {
  it('GIVEN every parameter stored as a SecureString and the secret there THEN ok, with one DescribeParameters and no value read', async () => {
    storeParameters(parameter(API_KEY), parameter(`${STAGING.secretsPath}OTHER`));
    aws.secretsManager.on(DescribeSecretCommand).resolves(describedSecret);
    const result = await checkTaskSecrets(aws.clients(), [ssmSecret('API_KEY'), dbSecret], STAGING);
    expect(result).toEqual({ ok: true, checked: 2, warnings: [] });
    expect(aws.ssm.commandCalls(DescribeParametersCommand)[0]?.args[0].input).toEqual({
      ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [API_KEY] }],
    });
    expect(aws.ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(aws.ssm.commandCalls(GetParametersCommand)).toHaveLength(0);
    expect(aws.secretsManager.commandCalls(DescribeSecretCommand)[0]?.args[0].input).toEqual({
      SecretId: DB_ARN,
    });
  });

  it('GIVEN no secrets THEN ok without a call', async () => {
    expect(await checkTaskSecrets(aws.clients(), [], STAGING)).toEqual({
      ok: true,
      checked: 0,
      warnings: [],
    });
    expect(aws.ssm.calls()).toHaveLength(0);
  });

  it('GIVEN a parameter missing from the secrets path THEN exit 1, one line naming it and the secrets command', async () => {
    storeParameters();
    expect(await checkTaskSecrets(aws.clients(), [ssmSecret('API_KEY')], STAGING)).toEqual({
      ok: false,
      exitCode: 1,
      message:
        'secret API_KEY (SSM parameter /hello-world-ecr-ecs-fargate/staging/API_KEY) does not exist: create it with `echo -n VALUE | npx nx run infra:secrets -- set API_KEY --env=staging`',
    });
  });

  it('GIVEN the default environment THEN the secrets command has no --env', async () => {
    storeParameters();
    const context = {
      ...STAGING,
      environment: 'default',
      secretsPath: deploymentNames('hello-world').secretsPath,
    };
    const result = await checkTaskSecrets(
      aws.clients(),
      [ssmSecret('API_KEY', `${context.secretsPath}API_KEY`)],
      context,
    );
    expect(result).toMatchObject({
      message: expect.stringMatching(
        /create it with `echo -n VALUE \| npx nx run infra:secrets -- set API_KEY`$/,
      ),
    });
  });

  it('GIVEN two missing THEN still one line: the first with its fix, the others named', async () => {
    storeParameters(parameter(API_KEY));
    const result = await checkTaskSecrets(
      aws.clients(),
      [ssmSecret('API_KEY'), ssmSecret('TOKEN'), ssmSecret('OTHER')],
      STAGING,
    );
    expect(result).toEqual({
      ok: false,
      exitCode: 1,
      message:
        'secret TOKEN (SSM parameter /hello-world-ecr-ecs-fargate/staging/TOKEN) does not exist: create it with `echo -n VALUE | npx nx run infra:secrets -- set TOKEN --env=staging`; also missing: OTHER',
    });
  });

  it('GIVEN more than 50 parameters THEN asks in groups of 50, as the Name filter allows', async () => {
    const secrets = Array.from({ length: 51 }, (_, i) => ssmSecret(`S${i}`));
    storeParameters(
      ...secrets.map((s) => parameter((s.source as { parameterName: string }).parameterName)),
    );
    expect(await checkTaskSecrets(aws.clients(), secrets, STAGING)).toMatchObject({ ok: true });
    expect(
      aws.ssm
        .commandCalls(DescribeParametersCommand)
        .map((c) => c.args[0].input.ParameterFilters?.[0]?.Values?.length),
    ).toEqual([50, 1]);
  });

  it('GIVEN a plain String parameter THEN ok, with a warning that it is not encrypted', async () => {
    storeParameters(parameter(API_KEY, 'String'));
    expect(await checkTaskSecrets(aws.clients(), [ssmSecret('API_KEY')], STAGING)).toEqual({
      ok: true,
      checked: 1,
      warnings: [
        'secret API_KEY (SSM parameter /hello-world-ecr-ecs-fargate/staging/API_KEY) is a String parameter, not a SecureString: its value is stored unencrypted; set it again with `echo -n VALUE | npx nx run infra:secrets -- set API_KEY --env=staging`',
      ],
    });
  });

  it('GIVEN a Secrets Manager secret that is not there THEN exit 1, naming its ARN and create-secret', async () => {
    storeParameters();
    aws.secretsManager
      .on(DescribeSecretCommand)
      .rejects(
        awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
      );
    expect(await checkTaskSecrets(aws.clients(), [dbSecret], STAGING)).toEqual({
      ok: false,
      exitCode: 1,
      message: `secret DB_PASSWORD (Secrets Manager secret ${DB_ARN}) does not exist: create it with \`aws secretsmanager create-secret --name db --region eu-west-1\` and set its ARN in the environment's secrets`,
    });
  });

  it('GIVEN a secret scheduled for deletion THEN exit 1, saying to restore it', async () => {
    aws.secretsManager
      .on(DescribeSecretCommand)
      .resolves({ ...describedSecret, DeletedDate: new Date('2026-12-01T08:00:00Z') });
    expect(await checkTaskSecrets(aws.clients(), [dbSecret], STAGING)).toMatchObject({
      ok: false,
      exitCode: 1,
      message: `secret DB_PASSWORD (Secrets Manager secret ${DB_ARN}) is scheduled for deletion: restore it with \`aws secretsmanager restore-secret --secret-id ${DB_ARN}\``,
    });
  });

  it('GIVEN an identity that may not call DescribeParameters THEN exit 2, naming the permission', async () => {
    aws.ssm
      .on(DescribeParametersCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::123456789012:assumed-role/hello-world-ecr-ecs-fargate-ci-deploy/GitHubActions is not authorized to perform: ssm:DescribeParameters on resource: arn:aws:ssm:eu-west-1:123456789012:* because no identity-based policy allows the ssm:DescribeParameters action',
        ),
      );
    expect(await checkTaskSecrets(aws.clients(), [ssmSecret('API_KEY')], STAGING)).toEqual({
      ok: false,
      exitCode: 2,
      message:
        "cannot check the task's secrets before deploying: your AWS identity may not call ssm:DescribeParameters; add it to the deploy role's (or your) IAM policy",
    });
  });

  it('GIVEN an identity that may not describe the secret THEN exit 2, naming the permission and the secret', async () => {
    aws.secretsManager
      .on(DescribeSecretCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:sts::123456789012:assumed-role/ci-deploy/GitHubActions is not authorized to perform: secretsmanager:DescribeSecret on resource: ${DB_ARN} because no identity-based policy allows the secretsmanager:DescribeSecret action`,
        ),
      );
    expect(await checkTaskSecrets(aws.clients(), [dbSecret], STAGING)).toEqual({
      ok: false,
      exitCode: 2,
      message: `cannot check the task's secrets before deploying: your AWS identity may not call secretsmanager:DescribeSecret on ${DB_ARN}; add it to the deploy role's (or your) IAM policy`,
    });
  });

  it('GIVEN a Secrets Manager ARN only CloudFormation resolves THEN ok, with a warning it was not checked', async () => {
    const unresolved: TaskSecret = {
      name: 'DB_PASSWORD',
      source: {
        kind: 'unresolved',
        valueFrom: 'arn:aws:secretsmanager:eu-west-1:…:secret:db-AbCdEf',
      },
    };
    expect(await checkTaskSecrets(aws.clients(), [unresolved], STAGING)).toEqual({
      ok: true,
      checked: 1,
      warnings: [
        'secret DB_PASSWORD (arn:aws:secretsmanager:eu-west-1:…:secret:db-AbCdEf) is only resolved by CloudFormation: not checked before the deploy',
      ],
    });
  });
});
