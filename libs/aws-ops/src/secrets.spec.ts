import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  deleteSecret,
  listSecrets,
  listStoredParameters,
  putSecret,
  type ConfiguredSecret,
} from './secrets';
import { awsError } from './testing/fixtures';
import {
  DB_SECRET_ARN,
  SECRETS_KMS_KEY,
  SECRETS_PATH,
  describeSecretAnswer,
  parameterMetadata,
} from './testing/secrets-fixtures';

const ssmMock = mockClient(SSMClient);
const smMock = mockClient(SecretsManagerClient);
const clients = { ssm: new SSMClient({}), secretsManager: new SecretsManagerClient({}) };
const VALUE = 's3cr3t-Value-9f8e7d';

beforeEach(() => {
  ssmMock.reset();
  smMock.reset();
});

describe('putSecret', () => {
  it('GIVEN a value and the environment key THEN puts a Standard SecureString over any older version with that key', async () => {
    ssmMock.on(PutParameterCommand).resolves({ Version: 4, Tier: 'Standard' });
    const result = await putSecret(clients.ssm, {
      parameterName: `${SECRETS_PATH}API_KEY`,
      value: VALUE,
      kmsKeyArn: SECRETS_KMS_KEY,
    });
    expect(result).toEqual({
      parameterName: `${SECRETS_PATH}API_KEY`,
      version: 4,
      tier: 'Standard',
    });
    expect(ssmMock.commandCalls(PutParameterCommand)[0].args[0].input).toEqual({
      Name: `${SECRETS_PATH}API_KEY`,
      Value: VALUE,
      Type: 'SecureString',
      Overwrite: true,
      Tier: 'Standard',
      KeyId: SECRETS_KMS_KEY,
    });
  });

  it('GIVEN no key configured THEN leaves KeyId out, so SSM uses aws/ssm', async () => {
    ssmMock.on(PutParameterCommand).resolves({ Version: 1, Tier: 'Standard' });
    await putSecret(clients.ssm, { parameterName: `${SECRETS_PATH}API_KEY`, value: VALUE });
    expect(ssmMock.commandCalls(PutParameterCommand)[0].args[0].input).not.toHaveProperty('KeyId');
  });

  it('GIVEN SSM refuses the value and quotes it THEN the error that goes on does not hold it', async () => {
    ssmMock
      .on(PutParameterCommand)
      .rejects(
        awsError(
          'ValidationException',
          `1 validation error detected: Value '${VALUE}' at 'value' failed to satisfy constraint: Member must have length less than or equal to 4096`,
        ),
      );
    const error = await putSecret(clients.ssm, {
      parameterName: `${SECRETS_PATH}API_KEY`,
      value: VALUE,
    }).catch((e: Error) => e);
    expect((error as Error).name).toBe('ValidationException');
    expect((error as Error).message).toContain(`Value '***' at 'value'`);
    expect((error as Error).message).not.toContain(VALUE);
  });
});

describe('listStoredParameters', () => {
  it('GIVEN two pages THEN reads both with a one-level Path filter on the folder without its slash', async () => {
    ssmMock
      .on(DescribeParametersCommand)
      .resolvesOnce({ Parameters: [parameterMetadata('TOKEN')], NextToken: 'page-2' })
      .resolvesOnce({ Parameters: [parameterMetadata('API_KEY', { Version: 7 })] });
    const stored = await listStoredParameters(clients.ssm, SECRETS_PATH);
    expect(stored.map((p) => [p.name, p.version])).toEqual([
      ['API_KEY', 7],
      ['TOKEN', 3],
    ]);
    const calls = ssmMock.commandCalls(DescribeParametersCommand);
    expect(calls[0].args[0].input.ParameterFilters).toEqual([
      { Key: 'Path', Option: 'OneLevel', Values: ['/hello-world-ecr-ecs-fargate/staging'] },
    ]);
    expect(calls[1].args[0].input.NextToken).toBe('page-2');
  });
});

describe('listSecrets', () => {
  const configured: ConfiguredSecret[] = [
    { name: 'API_KEY', kind: 'ssm', parameterName: `${SECRETS_PATH}API_KEY` },
    { name: 'MISSING_ONE', kind: 'ssm', parameterName: `${SECRETS_PATH}MISSING_ONE` },
    { name: 'DB_PASSWORD', kind: 'secretsmanager', secretArn: DB_SECRET_ARN, jsonKey: 'password' },
  ];

  it('GIVEN stored, missing and Secrets Manager secrets THEN lists each with its state and last change', async () => {
    ssmMock
      .on(DescribeParametersCommand)
      .resolves({ Parameters: [parameterMetadata('API_KEY'), parameterMetadata('OLD_TOKEN')] });
    smMock.on(DescribeSecretCommand, { SecretId: DB_SECRET_ARN }).resolves(describeSecretAnswer());
    const listing = await listSecrets(clients, { path: SECRETS_PATH, configured });
    expect(listing.secrets).toEqual([
      expect.objectContaining({
        name: 'API_KEY',
        state: 'stored',
        configured: true,
        version: 3,
        type: 'SecureString',
        lastChanged: new Date('2026-11-20T09:30:00.000Z'),
      }),
      expect.objectContaining({
        name: 'DB_PASSWORD',
        source: 'secretsmanager',
        state: 'stored',
        jsonKey: 'password',
        lastChanged: new Date('2026-11-18T14:05:00.000Z'),
      }),
      expect.objectContaining({ name: 'MISSING_ONE', state: 'missing', configured: true }),
      expect.objectContaining({ name: 'OLD_TOKEN', state: 'stored', configured: false }),
    ]);
  });

  it('GIVEN a referenced secret that is gone THEN it is missing', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [] });
    smMock
      .on(DescribeSecretCommand)
      .rejects(
        awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
      );
    const listing = await listSecrets(clients, { path: SECRETS_PATH, configured });
    expect(listing.secrets.find((s) => s.name === 'DB_PASSWORD')?.state).toBe('missing');
  });

  it('GIVEN DescribeSecret is denied THEN the reference is listed as not checked, the rest still', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [parameterMetadata('API_KEY')] });
    smMock
      .on(DescribeSecretCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: secretsmanager:DescribeSecret on resource: ${DB_SECRET_ARN}`,
        ),
      );
    const listing = await listSecrets(clients, { path: SECRETS_PATH, configured });
    expect(listing.secrets.find((s) => s.name === 'DB_PASSWORD')).toMatchObject({
      state: 'unchecked',
      note: 'not checked: your identity may not call secretsmanager:DescribeSecret on it',
    });
    expect(listing.secrets.find((s) => s.name === 'API_KEY')?.state).toBe('stored');
  });
});

describe('deleteSecret', () => {
  it('GIVEN the parameter THEN deletes it by its full name', async () => {
    ssmMock.on(DeleteParameterCommand).resolves({});
    expect(await deleteSecret(clients.ssm, `${SECRETS_PATH}API_KEY`)).toBe('deleted');
    expect(ssmMock.commandCalls(DeleteParameterCommand)[0].args[0].input).toEqual({
      Name: `${SECRETS_PATH}API_KEY`,
    });
  });

  it('GIVEN no such parameter THEN answers not-found', async () => {
    ssmMock.on(DeleteParameterCommand).rejects(awsError('ParameterNotFound', ''));
    expect(await deleteSecret(clients.ssm, `${SECRETS_PATH}NOPE`)).toBe('not-found');
  });
});
