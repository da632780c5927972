import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { paginateDescribeParameters } from '@aws-sdk/client-ssm';
import {
  type AwsClients,
  explainError,
  findDeniedAction,
  isSetupProblem,
} from '@hello-world/aws-ops';
import { DEFAULT_ENVIRONMENT } from '@hello-world/shared';

/** Where ECS reads a secret of the task definition from (its ValueFrom). */
export type SecretSource =
  | { kind: 'ssm'; parameterName: string }
  | { kind: 'secretsmanager'; secretArn: string; jsonKey?: string }
  /** A Secrets Manager ARN only CloudFormation resolves (a Ref in it): not checkable here. */
  | { kind: 'unresolved'; valueFrom: string };

/** One entry of the container's Secrets: the variable's name and where its value comes from. */
export interface TaskSecret {
  name: string;
  source: SecretSource;
}

/** Stands in for an intrinsic (Ref AWS::Partition, AWS::AccountId…) in a Fn::Join. */
const TOKEN = '\u241f';

/**
 * ValueFrom as the template holds it: a literal ARN or parameter name, or the Fn::Join CDK writes
 * for an SSM parameter ARN (`arn:`, Ref AWS::Partition, `:ssm:<region>:`, Ref AWS::AccountId,
 * `:parameter/<name>`). Only the literal parts are needed: the parameter's name is in the last
 * one, and a Secrets Manager ARN is a literal in the settings.
 */
export function parseSecretValueFrom(valueFrom: unknown): SecretSource | undefined {
  const text = flattenJoin(valueFrom);
  if (text === undefined) return undefined;
  // An SSM parameter ARN: `arn:<partition>:ssm:<region>:<account>:parameter/<name without its
  // leading slash>`; a hierarchical name (the secrets path's) starts with `/`.
  const parameter = /^arn:[^:]*:ssm:[^:]*:[^:]*:parameter\/([^\u241f]+)$/.exec(text);
  if (parameter?.[1]) {
    const rest = parameter[1];
    return { kind: 'ssm', parameterName: rest.includes('/') ? `/${rest}` : rest };
  }
  const secret =
    /^(arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:[^:]+)(?::([^:]*):([^:]*):([^:]*))?$/.exec(text);
  if (secret?.[1]) {
    if (text.includes(TOKEN)) return { kind: 'unresolved', valueFrom: text.replaceAll(TOKEN, '…') };
    const jsonKey = secret[2];
    return { kind: 'secretsmanager', secretArn: secret[1], ...(jsonKey ? { jsonKey } : {}) };
  }
  // ECS also takes a bare parameter name (same region as the task).
  if (!text.startsWith('arn:') && !text.includes(TOKEN) && text.length > 0) {
    return { kind: 'ssm', parameterName: text };
  }
  return undefined;
}

function flattenJoin(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const join =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)['Fn::Join']
      : undefined;
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return undefined;
  return (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : TOKEN)).join('');
}

/** What the messages name: the deployment's targets and the environment's secrets folder. */
export interface SecretsCheckContext {
  /** The deployment project (`infra`), whose secrets target creates a missing parameter. */
  project: string;
  /** The environment deployed (its --env flag in the hint). */
  environment: string;
  /** deploymentNames().secretsPath: a parameter under it is the secrets target's to create. */
  secretsPath: string;
  region: string;
}

export type SecretsCheck =
  | { ok: true; checked: number; warnings: string[] }
  | { ok: false; exitCode: 1 | 2; message: string };

/** SSM's DescribeParameters takes at most 50 values in one filter. */
const NAMES_PER_CALL = 50;

/**
 * Before any stack update: every secret of the synthesized task definition must exist, or ECS
 * would start no task (ResourceInitializationError) and the deploy would only fail at the
 * circuit breaker, minutes later. Metadata only: SSM's DescribeParameters (never GetParameter) and
 * Secrets Manager's DescribeSecret; no value is read. A missing one is exit 1 naming it and how
 * to create it; a check the identity may not make is exit 2 naming the permission.
 */
export async function checkTaskSecrets(
  clients: Pick<AwsClients, 'ssm' | 'secretsManager'>,
  secrets: readonly TaskSecret[],
  context: SecretsCheckContext,
): Promise<SecretsCheck> {
  const missing: { secret: TaskSecret; line: string }[] = [];
  const warnings: string[] = [];
  const ssm = secrets.filter(
    (s): s is TaskSecret & { source: { kind: 'ssm' } } => s.source.kind === 'ssm',
  );
  let found: Map<string, string | undefined>;
  try {
    found = await describeParameters(
      clients,
      ssm.map((s) => s.source.parameterName),
    );
  } catch (error) {
    return deniedOrFailed(error, 'ssm:DescribeParameters', context);
  }
  for (const secret of ssm) {
    const { parameterName } = secret.source;
    if (!found.has(parameterName)) {
      missing.push({ secret, line: missingParameterLine(secret.name, parameterName, context) });
    } else if (found.get(parameterName) !== 'SecureString') {
      warnings.push(
        `secret ${secret.name} (SSM parameter ${parameterName}) is a ${found.get(parameterName) ?? 'plain'} parameter, not a SecureString: its value is stored unencrypted; set it again with \`${secretsSetCommand(secret.name, context)}\``,
      );
    }
  }
  for (const secret of secrets) {
    const { source } = secret;
    if (source.kind === 'unresolved') {
      warnings.push(
        `secret ${secret.name} (${source.valueFrom}) is only resolved by CloudFormation: not checked before the deploy`,
      );
      continue;
    }
    if (source.kind !== 'secretsmanager') continue;
    try {
      const answer = await clients.secretsManager.send(
        new DescribeSecretCommand({ SecretId: source.secretArn }),
      );
      if (answer.DeletedDate) {
        missing.push({
          secret,
          line: `secret ${secret.name} (Secrets Manager secret ${source.secretArn}) is scheduled for deletion: restore it with \`aws secretsmanager restore-secret --secret-id ${source.secretArn}\``,
        });
      }
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') {
        missing.push({
          secret,
          line: `secret ${secret.name} (Secrets Manager secret ${source.secretArn}) does not exist: create it with \`aws secretsmanager create-secret --name ${secretNameOf(source.secretArn)} --region ${regionOf(source.secretArn) ?? context.region}\` and set its ARN in the environment's secrets`,
        });
        continue;
      }
      return deniedOrFailed(error, 'secretsmanager:DescribeSecret', context, source.secretArn);
    }
  }
  const [first, ...others] = missing;
  if (first) {
    const more = others.length
      ? `; also missing: ${others.map((m) => m.secret.name).join(', ')}`
      : '';
    return { ok: false, exitCode: 1, message: `${first.line}${more}` };
  }
  return { ok: true, checked: secrets.length, warnings };
}

/** The named parameters that exist, with their type; one paginated call per 50 names. */
async function describeParameters(
  clients: Pick<AwsClients, 'ssm'>,
  names: readonly string[],
): Promise<Map<string, string | undefined>> {
  const found = new Map<string, string | undefined>();
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += NAMES_PER_CALL) {
    const pages = paginateDescribeParameters(
      { client: clients.ssm },
      {
        ParameterFilters: [
          { Key: 'Name', Option: 'Equals', Values: unique.slice(i, i + NAMES_PER_CALL) },
        ],
      },
    );
    for await (const page of pages) {
      for (const p of page.Parameters ?? []) if (p.Name) found.set(p.Name, p.Type);
    }
  }
  return found;
}

function missingParameterLine(
  name: string,
  parameterName: string,
  context: SecretsCheckContext,
): string {
  const what = `secret ${name} (SSM parameter ${parameterName}) does not exist`;
  // The secrets target writes <secretsPath>NAME; a parameter elsewhere is created by hand.
  if (parameterName === `${context.secretsPath}${name}`) {
    return `${what}: create it with \`${secretsSetCommand(name, context)}\``;
  }
  return `${what}: create it with \`aws ssm put-parameter --type SecureString --name ${parameterName} --value VALUE\``;
}

function secretsSetCommand(name: string, context: SecretsCheckContext): string {
  const env = context.environment === DEFAULT_ENVIRONMENT ? '' : ` --env=${context.environment}`;
  return `echo -n VALUE | npx nx run ${context.project}:secrets -- set ${name}${env}`;
}

/** `db` of `arn:…:secret:db-AbCdEf`: Secrets Manager appends 6 random characters to the name. */
function secretNameOf(secretArn: string): string {
  const full = secretArn.slice(secretArn.indexOf(':secret:') + ':secret:'.length);
  return full.replace(/-[A-Za-z0-9]{6}$/, '');
}

function regionOf(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

function deniedOrFailed(
  error: unknown,
  action: string,
  context: SecretsCheckContext,
  resource?: string,
): SecretsCheck {
  const problem = explainError(error, { region: context.region, project: context.project });
  if (problem.kind === 'access-denied') {
    const denied = findDeniedAction((error as Error).message ?? '') ?? action;
    return {
      ok: false,
      exitCode: 2,
      message: `cannot check the task's secrets before deploying: your AWS identity may not call ${denied}${resource ? ` on ${resource}` : ''}; add it to the deploy role's (or your) IAM policy`,
    };
  }
  return {
    ok: false,
    exitCode: isSetupProblem(problem) ? 2 : 1,
    message: `cannot check the task's secrets before deploying: ${problem.message}`,
  };
}
