import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DeleteParameterCommand,
  PutParameterCommand,
  paginateDescribeParameters,
  type SSMClient,
} from '@aws-sdk/client-ssm';

/**
 * A secret an environment's settings name (cdk.json `secrets`): an SSM SecureString under the
 * environment's secrets path, or a Secrets Manager secret by ARN (with ECS's optional JSON key).
 * The same shape as the fargate config's SecretRef, so its settings pass straight in.
 */
export type ConfiguredSecret =
  | { name: string; kind: 'ssm'; parameterName: string }
  | { name: string; kind: 'secretsmanager'; secretArn: string; jsonKey?: string };

/** A Standard parameter's value holds at most 4 KB (Advanced ones, which cost, 8 KB). */
export const STANDARD_PARAMETER_MAX_BYTES = 4096;

export interface PutSecretRequest {
  /** The parameter's full name: the environment's secrets path + NAME. */
  parameterName: string;
  value: string;
  /** The environment's secretsKmsKey; without it SSM encrypts with aws/ssm. */
  kmsKeyArn?: string;
}

export interface PutSecretResult {
  parameterName: string;
  version: number;
  tier: string;
}

/**
 * Writes the value as a SecureString (a new version when it exists). An SDK error can quote what
 * it was sent (a validation error's "Value '…' at 'value' failed…"): the value is cut out of it
 * before it goes on, so nothing downstream can print it.
 */
export async function putSecret(
  ssm: SSMClient,
  request: PutSecretRequest,
): Promise<PutSecretResult> {
  try {
    const answer = await ssm.send(
      new PutParameterCommand({
        Name: request.parameterName,
        Value: request.value,
        Type: 'SecureString',
        Overwrite: true,
        Tier: 'Standard',
        ...(request.kmsKeyArn ? { KeyId: request.kmsKeyArn } : {}),
      }),
    );
    return {
      parameterName: request.parameterName,
      version: answer.Version ?? 0,
      tier: answer.Tier ?? 'Standard',
    };
  } catch (error) {
    throw redactValue(error, request.value);
  }
}

/** The error with every occurrence of `value` in its message replaced; the same object otherwise. */
export function redactValue(error: unknown, value: string): unknown {
  if (value === '' || typeof error !== 'object' || error === null) return error;
  const e = error as { message?: unknown };
  if (typeof e.message === 'string' && e.message.includes(value)) {
    e.message = e.message.split(value).join('***');
  }
  return error;
}

/** One parameter stored under the path, as DescribeParameters lists it: never its value. */
export interface StoredParameter {
  /** The last segment of the parameter's name: the secret's NAME. */
  name: string;
  parameterName: string;
  type?: string;
  version?: number;
  lastModified?: Date;
  lastModifiedUser?: string;
  keyId?: string;
}

/**
 * The parameters directly under `path` (one level, not deeper), through the DescribeParameters
 * paginator with a Path filter. Metadata only: DescribeParameters never returns values.
 */
export async function listStoredParameters(
  ssm: SSMClient,
  path: string,
): Promise<StoredParameter[]> {
  const found: StoredParameter[] = [];
  // The Path filter takes the folder without its trailing slash.
  const folder = path.endsWith('/') ? path.slice(0, -1) : path;
  const pages = paginateDescribeParameters(
    { client: ssm },
    { ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: [folder] }] },
  );
  for await (const page of pages) {
    for (const p of page.Parameters ?? []) {
      if (!p.Name) continue;
      found.push({
        name: p.Name.slice(p.Name.lastIndexOf('/') + 1),
        parameterName: p.Name,
        ...(p.Type ? { type: p.Type } : {}),
        ...(p.Version !== undefined ? { version: p.Version } : {}),
        ...(p.LastModifiedDate ? { lastModified: p.LastModifiedDate } : {}),
        ...(p.LastModifiedUser ? { lastModifiedUser: p.LastModifiedUser } : {}),
        ...(p.KeyId ? { keyId: p.KeyId } : {}),
      });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** One line of `secrets list`: a stored parameter, a configured secret, or both. */
export interface SecretEntry {
  name: string;
  source: 'ssm' | 'secretsmanager';
  /** In the environment's settings (cdk.json `secrets`). */
  configured: boolean;
  /**
   * `stored`: there; `missing`: configured but not there (the deploy refuses it); `unchecked`:
   * a Secrets Manager secret this identity may not describe (`note` says why).
   */
  state: 'stored' | 'missing' | 'unchecked';
  parameterName?: string;
  secretArn?: string;
  jsonKey?: string;
  type?: string;
  version?: number;
  lastChanged?: Date;
  note?: string;
}

export interface SecretListing {
  path: string;
  secrets: SecretEntry[];
}

/**
 * The environment's secrets: every parameter under its path, every configured one missing, and
 * the configured Secrets Manager secrets with their last change (DescribeSecret: no value).
 */
export async function listSecrets(
  clients: { ssm: SSMClient; secretsManager: SecretsManagerClient },
  request: { path: string; configured: readonly ConfiguredSecret[] },
): Promise<SecretListing> {
  const stored = await listStoredParameters(clients.ssm, request.path);
  const configuredSsm = new Set(
    request.configured.flatMap((c) => (c.kind === 'ssm' ? [c.parameterName] : [])),
  );
  const entries: SecretEntry[] = stored.map((p) => ({
    name: p.name,
    source: 'ssm',
    configured: configuredSsm.has(p.parameterName),
    state: 'stored',
    parameterName: p.parameterName,
    ...(p.type ? { type: p.type } : {}),
    ...(p.version !== undefined ? { version: p.version } : {}),
    ...(p.lastModified ? { lastChanged: p.lastModified } : {}),
  }));
  const storedNames = new Set(stored.map((p) => p.parameterName));
  for (const c of request.configured) {
    if (c.kind === 'ssm') {
      if (!storedNames.has(c.parameterName)) {
        entries.push({
          name: c.name,
          source: 'ssm',
          configured: true,
          state: 'missing',
          parameterName: c.parameterName,
        });
      }
      continue;
    }
    entries.push(await describeSecretReference(clients.secretsManager, c));
  }
  return {
    path: request.path,
    secrets: entries.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** A configured Secrets Manager secret: its last change, or why it could not be read. */
async function describeSecretReference(
  secretsManager: SecretsManagerClient,
  secret: Extract<ConfiguredSecret, { kind: 'secretsmanager' }>,
): Promise<SecretEntry> {
  const base = {
    name: secret.name,
    source: 'secretsmanager' as const,
    configured: true,
    secretArn: secret.secretArn,
    ...(secret.jsonKey ? { jsonKey: secret.jsonKey } : {}),
  };
  try {
    const answer = await secretsManager.send(
      new DescribeSecretCommand({ SecretId: secret.secretArn }),
    );
    if (answer.DeletedDate) {
      return { ...base, state: 'missing', note: 'scheduled for deletion' };
    }
    const lastChanged = answer.LastChangedDate ?? answer.CreatedDate;
    return { ...base, state: 'stored', ...(lastChanged ? { lastChanged } : {}) };
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'ResourceNotFoundException') return { ...base, state: 'missing' };
    // A secret this identity may not describe must not hide the others: listed as not checked.
    if (/AccessDenied/.test(name)) {
      return {
        ...base,
        state: 'unchecked',
        note: 'not checked: your identity may not call secretsmanager:DescribeSecret on it',
      };
    }
    throw error;
  }
}

/**
 * Deletes the parameter; `not-found` when there is none of that name (SSM's ParameterNotFound),
 * which the CLI words as one line.
 */
export async function deleteSecret(
  ssm: SSMClient,
  parameterName: string,
): Promise<'deleted' | 'not-found'> {
  try {
    await ssm.send(new DeleteParameterCommand({ Name: parameterName }));
    return 'deleted';
  } catch (error) {
    if ((error as { name?: string }).name === 'ParameterNotFound') return 'not-found';
    throw error;
  }
}
