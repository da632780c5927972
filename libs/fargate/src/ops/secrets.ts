import {
  type AwsClients,
  type ConfiguredSecret,
  type SecretEntry,
  type SecretListing,
  deleteSecret,
  listSecrets,
  putSecret,
  STANDARD_PARAMETER_MAX_BYTES,
} from '@hello-world/aws-ops';
import { EXIT_FAILED, EXIT_OK, UsageError } from '@hello-world/cli';
import { isDefaultEnvironment, isPreviewEnvironment } from '@hello-world/shared';
import { ConfigError } from '../config';
import type { SecretsOptions } from './args';
import { formatTable } from './format';

/** An environment's secret settings, as the fargate config's loadSecretSettings reads them. */
export interface SecretSettings {
  /** Its SSM folder, ending in `/` (deploymentNames' secretsPath). */
  path: string;
  kmsKeyArn?: string;
  secrets: readonly ConfiguredSecret[];
}

/** What the ops CLI hands the command (run.ts' context). */
export interface SecretsCommandContext {
  deps: {
    err: (text: string) => void;
    /** Whether a person can answer a question on stdin. */
    interactive: boolean;
    confirm: (question: string) => Promise<boolean>;
    /**
     * The value: all of stdin when it is not a terminal (one trailing newline dropped), else typed
     * at a prompt that does not echo it; undefined when the prompt was cancelled.
     */
    readSecretValue: (name: string) => Promise<string | undefined>;
    /** The environment's settings from the deployment's cdk.json; throws ConfigError. */
    secretSettings: () => SecretSettings;
    deployment: { project: string; names: { environment: string; secretsPath: string } };
  };
  clients: Pick<AwsClients, 'ssm' | 'secretsManager'>;
  json: boolean;
  print: (data: unknown, human: () => string) => void;
}

/**
 * `secrets set NAME | list | rm NAME`: 0 done, 1 not done (a prompt answered no or cancelled),
 * 2 a mistake (UsageError: a name or settings problem, no value, rm without a terminal or --yes).
 */
export async function runSecretsCommand(
  options: SecretsOptions,
  ctx: SecretsCommandContext,
): Promise<number> {
  const { deps } = ctx;
  const { project, names } = deps.deployment;
  // Refused before anything is read or asked: without a terminal only --yes can answer.
  if (options.action === 'rm' && !options.yes && !deps.interactive) {
    throw new UsageError(
      `rm asks before it deletes, and there is no terminal to ask on: add --yes to delete ${options.secretName} (\`npx nx run ${project}:secrets -- rm ${options.secretName} --yes${envFlag(names.environment)}\`)`,
    );
  }
  const settings = readSettings(deps.secretSettings, project);
  const where = { project, environment: names.environment };
  switch (options.action) {
    case 'list': {
      const listing = await listSecrets(ctx.clients, {
        path: settings.path,
        configured: settings.secrets,
      });
      ctx.print(listing, () => formatSecretListing(listing, where));
      return EXIT_OK;
    }
    case 'set':
      return setSecret(options.secretName, settings, ctx);
    case 'rm':
      return removeSecret(options.secretName, options.yes, settings, ctx);
  }
}

async function setSecret(
  name: string,
  settings: SecretSettings,
  ctx: SecretsCommandContext,
): Promise<number> {
  const { deps } = ctx;
  const { project, names } = deps.deployment;
  const configured = settings.secrets.find((s) => s.name === name);
  if (configured?.kind === 'secretsmanager') {
    throw new UsageError(
      `${name} is a Secrets Manager secret in ${names.environment}'s settings (${configured.secretArn}): the service reads it there, not from SSM; change it in Secrets Manager (\`aws secretsmanager put-secret-value --secret-id ${configured.secretArn} …\`)`,
    );
  }
  // Said before the value is asked for, so a misspelt name can be stopped with Ctrl-C.
  if (!configured) deps.err(`WARN ${notConfiguredWarning(name, names.environment, project)}`);
  const value = await deps.readSecretValue(name);
  if (value === undefined) {
    deps.err(`nothing set: ${name} was not changed`);
    return EXIT_FAILED;
  }
  if (value === '') {
    throw new UsageError(
      `empty value: nothing set; pipe the value in (\`printf %s "$VALUE" | npx nx run ${project}:secrets -- set ${name}${envFlag(names.environment)}\`) or run it on a terminal to be asked for it`,
    );
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > STANDARD_PARAMETER_MAX_BYTES) {
    throw new UsageError(
      `the value is ${bytes} bytes: a Standard SSM parameter holds at most ${STANDARD_PARAMETER_MAX_BYTES}; keep a larger secret in Secrets Manager and reference it by ARN in the settings' "secrets"`,
    );
  }
  const result = await putSecret(ctx.clients.ssm, {
    parameterName: `${settings.path}${name}`,
    value,
    ...(settings.kmsKeyArn ? { kmsKeyArn: settings.kmsKeyArn } : {}),
  });
  const redeploy = redeployCommand(project, names.environment);
  ctx.print(
    {
      action: 'set',
      name,
      environment: names.environment,
      parameterName: result.parameterName,
      version: result.version,
      configured: configured !== undefined,
      ...(settings.kmsKeyArn ? { kmsKeyArn: settings.kmsKeyArn } : {}),
    },
    () =>
      `set ${name} (version ${result.version}) in ${names.environment}; it takes effect with \`${redeploy}\``,
  );
  return EXIT_OK;
}

async function removeSecret(
  name: string,
  yes: boolean,
  settings: SecretSettings,
  ctx: SecretsCommandContext,
): Promise<number> {
  const { deps } = ctx;
  const { project, names } = deps.deployment;
  const parameterName = `${settings.path}${name}`;
  if (
    !yes &&
    !(await deps.confirm(`Delete secret ${parameterName} (${names.environment})? [y/N] `))
  ) {
    deps.err('nothing deleted');
    return EXIT_FAILED;
  }
  const outcome = await deleteSecret(ctx.clients.ssm, parameterName);
  if (outcome === 'not-found') {
    throw new UsageError(
      `no secret ${name} in ${names.environment} (no parameter ${parameterName}): \`npx nx run ${project}:secrets -- list${envFlag(names.environment)}\` shows those there are`,
    );
  }
  const configured = settings.secrets.some((s) => s.kind === 'ssm' && s.name === name);
  const next = configured
    ? `; it is still in ${names.environment}'s settings, so the next deploy refuses until it is set again or taken out of "secrets"`
    : '';
  ctx.print(
    { action: 'rm', name, environment: names.environment, parameterName, configured },
    () =>
      `deleted ${name} from ${names.environment}; running tasks keep the value they started with${next}`,
  );
  return EXIT_OK;
}

/** The settings, or their problem as one line (exit 2) naming the deployment's cdk.json. */
function readSettings(read: () => SecretSettings, project: string): SecretSettings {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new UsageError(`apps/${project}/cdk.json: ${error.message}`);
    }
    throw error;
  }
}

/** ` -- --env=NAME` for a named environment; nothing for the default one. */
function redeployEnvSuffix(environment: string): string {
  return isDefaultEnvironment(environment) ? '' : ` -- --env=${environment}`;
}

/** The environment's flag in a command line that already has `--`: ` --env=NAME`, or nothing. */
function envFlag(environment: string): string {
  return isDefaultEnvironment(environment) ? '' : ` --env=${environment}`;
}

/** Where an environment's settings live in its deployment's cdk.json, for the hints. */
export function settingsPlace(project: string, environment: string): string {
  const file = `apps/${project}/cdk.json`;
  if (isDefaultEnvironment(environment))
    return `the context of ${file}, or its environments.default`;
  if (isPreviewEnvironment(environment)) return `${file} environments.previews`;
  return `${file} environments.${environment}`;
}

function notConfiguredWarning(name: string, environment: string, project: string): string {
  return `${name} is not among ${environment}'s "secrets" (${settingsPlace(project, environment)}): the service gets it only once it is listed there and deployed`;
}

function time(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

function describeEntry(entry: SecretEntry, where: { project: string; environment: string }) {
  if (entry.state === 'missing') {
    return `MISSING${entry.note ? ` (${entry.note})` : ''}: configured but not there; the deploy refuses it until \`${
      entry.source === 'ssm'
        ? `npx nx run ${where.project}:secrets -- set ${entry.name}${envFlag(where.environment)}`
        : `aws secretsmanager describe-secret --secret-id ${entry.secretArn}`
    }\` succeeds`;
  }
  if (entry.state === 'unchecked') return entry.note ?? 'not checked';
  if (!entry.configured) return 'not in the settings: the service does not get it';
  if (entry.source === 'secretsmanager') {
    return `${entry.secretArn}${entry.jsonKey ? ` (key ${entry.jsonKey})` : ''}`;
  }
  return entry.type && entry.type !== 'SecureString'
    ? `WARN stored as ${entry.type}, not encrypted`
    : '';
}

/** `secrets list` for people: one row per secret, never a value (the API gave none). */
export function formatSecretListing(
  listing: SecretListing,
  where: { project: string; environment: string },
): string {
  const heading = `Secrets of ${where.environment} (SSM parameters under ${listing.path}):`;
  if (listing.secrets.length === 0) {
    return `${heading}\n  none stored and none in the settings; add one with \`npx nx run ${where.project}:secrets -- set NAME${envFlag(where.environment)}\``;
  }
  const rows = listing.secrets.map((entry) => [
    entry.name,
    entry.source === 'ssm' ? 'ssm' : 'secrets manager',
    time(entry.lastChanged),
    entry.version === undefined ? '-' : String(entry.version),
    describeEntry(entry, where),
  ]);
  return [heading, formatTable(['NAME', 'SOURCE', 'LAST CHANGE', 'VERSION', ''], rows)].join('\n');
}

/** The redeploy that makes a changed secret reach the tasks, for this environment. */
export function redeployCommand(project: string, environment: string): string {
  return `npx nx run ${project}:redeploy${redeployEnvSuffix(environment)}`;
}
