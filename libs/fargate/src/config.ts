import {
  APP_NAME,
  APP_PORT,
  DEFAULT_ENVIRONMENT,
  DEFAULT_REGION,
  deploymentNames,
  ENVIRONMENT_CONTEXT,
  ENVIRONMENT_VARIABLE,
  environmentNameProblem,
  environmentShapeProblem,
  isDefaultEnvironment,
  isPreviewEnvironment,
  LOG_RETENTION_DAYS,
  isAwsRegion,
  isEmailAddress,
  isSecretName,
  serviceNameProblem,
  type DeploymentNames,
  checkIpv4Cidr,
  isImageTag,
  parseCpuArchitecture,
  type CpuArchitecture,
  DEFAULT_INGRESS,
  INGRESS_MODES,
  isDomainInZone,
  isDomainName,
  isHostedZoneId,
  isIngressMode,
  normalizeDomainName,
} from '@hello-world/shared';
import { STRICT_LOG_RETENTION_DAYS } from './control-tower';
import { FARGATE_CPU_UNITS, describeMemoryOptions, isFargateSize } from './fargate-sizes';

/** The task's CPU architecture: one definition, shared with the image tools (libs/shared). */
export type { CpuArchitecture };

/**
 * How the templates meet AWS Control Tower's proactive controls (libs/fargate/src/control-tower.ts):
 * `reference` keeps the reference's cheaper choices and exempts each failing control by name;
 * `strict` meets every control except the two the public-IP design breaks, at a monthly cost.
 */
export type ControlTowerMode = 'reference' | 'strict';
export const CONTROL_TOWER_MODES: readonly ControlTowerMode[] = ['reference', 'strict'];

function isControlTowerMode(value: string): value is ControlTowerMode {
  return (CONTROL_TOWER_MODES as readonly string[]).includes(value);
}

/** Everything the stacks need, typed and validated; read once in bin/infra.ts. */
export interface InfraConfig {
  /**
   * Every name of this deployment, derived from its service (cdk.json context "service") and its
   * environment.
   */
  readonly names: DeploymentNames;
  /** `default` (the reference's names), or the environment DEPLOY_ENV / context names. */
  readonly environment: string;
  /** Container name and task family (names.service). */
  readonly appName: string;
  /** Main stack, ECS cluster, ECS service and ECR repository (names.deployment). */
  readonly deploymentName: string;
  /** names.registryStack. */
  readonly registryStackName: string;
  readonly region: string;
  /** The port the service listens on: container port, health check, security group rule. */
  readonly port: number;
  /** Task CPU units (256 = 0.25 vCPU). */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly architecture: CpuArchitecture;
  /** Default of the AllowedIP parameter: who may reach the service port. */
  readonly allowedIp: string;
  /** Default of the ImageTag parameter. */
  readonly imageTag: string;
  /** Run the service on Fargate Spot (interruptible, cheaper) instead of on-demand Fargate. */
  readonly spot: boolean;
  /** `strict`: immutable tags, a KMS key on the log group, a year of logs, Container Insights. */
  readonly controlTower: ControlTowerMode;
  /** How long the service's log group keeps events (strict: at least a year). */
  readonly logRetentionDays: number;
  /** Plain environment variables of the container (`variables`); `{}` adds none. */
  readonly variables: Readonly<Record<string, string>>;
  /** What ECS injects into the container as secrets, and the execution role may read. */
  readonly secrets: readonly SecretRef[];
  /** The customer managed KMS key the secrets are encrypted with; absent: AWS managed keys. */
  readonly secretsKmsKey?: string;
  /** ECS Exec on the service (`infra:exec`). */
  readonly exec: boolean;
  /** Container Insights on the cluster (always under controlTower strict). */
  readonly containerInsights: boolean;
  /** Default of the service stack's AlertEmail parameter; '' subscribes no address. */
  readonly alertEmail: string;
  /** How traffic reaches the tasks: their public IP (the reference), a DNS name, or a load balancer. */
  readonly ingress: IngressSettings;
  /**
   * The default environment's role settings: the registry stack holds its task roles and must
   * stay byte-identical whichever environment is synthesized.
   */
  readonly defaultEnvironmentRoles: TaskRoleSettings;
}

/**
 * A secret the container gets as an environment variable NAME, injected by ECS from an SSM
 * Parameter Store SecureString (`<secretsPath>NAME`, managed by infra:secrets) or a Secrets
 * Manager secret (its ARN without the `:jsonKey::` suffix, and the JSON key apart).
 */
export type SecretRef =
  | { readonly name: string; readonly kind: 'ssm'; readonly parameterName: string }
  | {
      readonly name: string;
      readonly kind: 'secretsmanager';
      readonly secretArn: string;
      readonly jsonKey?: string;
    };

/** What an environment's task roles need beyond pulling and logging. */
export interface TaskRoleSettings {
  /** The execution role may read exactly these. */
  readonly secrets: readonly SecretRef[];
  /** The execution role may decrypt with this key (only when there are secrets). */
  readonly secretsKmsKey?: string;
  /** The task role gets ECS Exec's channels and session logging. */
  readonly exec: boolean;
  /** ingress dns: the record the updater Lambda's role may change (absent in other modes). */
  readonly dnsRecord?: DnsRecordSettings;
}

/** The name users reach the service at, in the Route 53 hosted zone the user names. */
export interface DnsRecordSettings {
  readonly hostedZoneId: string;
  /** The zone's name, normalized (lowercase, no trailing dot): synth makes no zone lookup. */
  readonly hostedZoneName: string;
  /** Inside the zone (or its apex), normalized. */
  readonly domainName: string;
}

/** ingress alb: the service's task count follows load between these bounds. */
export interface ScalingSettings {
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Target tracking on the service's average CPU utilization, in percent. */
  readonly cpuPercent: number;
  /** Target tracking on the load balancer's requests per target per minute. */
  readonly requestsPerTarget: number;
}

export type IngressSettings =
  | { readonly mode: 'public-ip' }
  | ({ readonly mode: 'dns' } & DnsRecordSettings)
  | ({ readonly mode: 'alb'; readonly scaling: ScalingSettings } & DnsRecordSettings);

export type SettingName =
  | 'service'
  | 'port'
  | 'region'
  | 'imageTag'
  | 'allowedIp'
  | 'cpu'
  | 'memoryMiB'
  | 'desiredCount'
  | 'architecture'
  | 'spot'
  | 'controlTower'
  | 'logRetentionDays'
  | 'variables'
  | 'secrets'
  | 'secretsKmsKey'
  | 'exec'
  | 'containerInsights'
  | 'alertEmail'
  | 'ingress'
  | 'domainName'
  | 'hostedZoneId'
  | 'hostedZoneName'
  | 'minTasks'
  | 'maxTasks'
  | 'scaleCpuPercent'
  | 'scaleRequestsPerTarget';

/** What a setting is when nothing sets it. */
export type SettingDefault =
  string | number | boolean | Readonly<Record<string, string>> | readonly string[];

/**
 * Where each setting can come from. Precedence: CDK context (`cdk synth -c cpu=512`, or
 * cdk.json) beats the environment variables (first one set wins), which beat the default.
 * CDK_DEFAULT_REGION is deliberately not read: the CDK CLI fills it with us-east-1 when no
 * region is configured, which would silently override this project's eu-west-1 default.
 * The service and its port name the deployment itself: only its cdk.json context sets them.
 */
export const SETTINGS: Record<
  SettingName,
  { context: string; env: readonly string[]; default: SettingDefault }
> = {
  service: { context: 'service', env: [], default: APP_NAME },
  port: { context: 'port', env: [], default: APP_PORT },
  region: { context: 'region', env: ['AWS_REGION', 'AWS_DEFAULT_REGION'], default: DEFAULT_REGION },
  imageTag: { context: 'imageTag', env: ['IMAGE_TAG'], default: 'latest' },
  allowedIp: { context: 'allowedIp', env: ['ALLOWED_IP'], default: '0.0.0.0/0' },
  cpu: { context: 'cpu', env: ['TASK_CPU'], default: 256 },
  memoryMiB: { context: 'memoryMiB', env: ['TASK_MEMORY_MIB'], default: 512 },
  desiredCount: { context: 'desiredCount', env: ['DESIRED_COUNT'], default: 1 },
  architecture: { context: 'architecture', env: ['CPU_ARCHITECTURE'], default: 'X86_64' },
  spot: { context: 'spot', env: ['FARGATE_SPOT'], default: false },
  controlTower: { context: 'controlTower', env: ['CONTROL_TOWER'], default: 'reference' },
  // Its default depends on controlTower (strict: STRICT_LOG_RETENTION_DAYS); see loadConfig.
  logRetentionDays: {
    context: 'logRetentionDays',
    env: ['LOG_RETENTION_DAYS'],
    default: LOG_RETENTION_DAYS,
  },
  variables: { context: 'variables', env: [], default: {} },
  secrets: { context: 'secrets', env: [], default: [] },
  secretsKmsKey: { context: 'secretsKmsKey', env: [], default: '' },
  exec: { context: 'exec', env: [], default: false },
  // Always on under controlTower strict (CT.ECS.PR.2); see loadConfig.
  containerInsights: { context: 'containerInsights', env: [], default: false },
  alertEmail: { context: 'alertEmail', env: ['ALERT_EMAIL'], default: '' },
  ingress: { context: 'ingress', env: ['INGRESS'], default: DEFAULT_INGRESS },
  domainName: { context: 'domainName', env: ['DOMAIN_NAME'], default: '' },
  hostedZoneId: { context: 'hostedZoneId', env: ['HOSTED_ZONE_ID'], default: '' },
  hostedZoneName: { context: 'hostedZoneName', env: ['HOSTED_ZONE_NAME'], default: '' },
  // Their defaults depend on desiredCount (min: at least 1, max: at least 4); see loadConfig.
  minTasks: { context: 'minTasks', env: ['MIN_TASKS'], default: 1 },
  maxTasks: { context: 'maxTasks', env: ['MAX_TASKS'], default: 4 },
  scaleCpuPercent: { context: 'scaleCpuPercent', env: ['SCALE_CPU_PERCENT'], default: 60 },
  scaleRequestsPerTarget: {
    context: 'scaleRequestsPerTarget',
    env: ['SCALE_REQUESTS_PER_TARGET'],
    default: 500,
  },
};

/**
 * The settings an environment's block in cdk.json may hold (`"environments": {"staging": {…}}`):
 * the task, its exposure, its configuration and secrets, ECS Exec and monitoring. The service,
 * port, region and image tag are the deployment's or the deploy's, not an environment's;
 * controlTower changes the shared registry, so it is all of theirs.
 */
export const ENVIRONMENT_SETTINGS = [
  'cpu',
  'memoryMiB',
  'desiredCount',
  'architecture',
  'spot',
  'allowedIp',
  'logRetentionDays',
  'variables',
  'secrets',
  'secretsKmsKey',
  'exec',
  'containerInsights',
  'alertEmail',
  'ingress',
  'domainName',
  'hostedZoneId',
  'hostedZoneName',
  'minTasks',
  'maxTasks',
  'scaleCpuPercent',
  'scaleRequestsPerTarget',
] as const satisfies readonly SettingName[];

/** cdk.json context key of the per-environment settings. */
export const ENVIRONMENTS_CONTEXT = 'environments';

/** The block of `environments` every preview (pr-<number>) reads. */
export const PREVIEWS_BLOCK = 'previews';

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_PERIODS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** A configuration value that cannot work; the message is one line with the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type ContextReader = (key: string) => unknown;
export type Env = Record<string, string | undefined>;

interface RawSetting {
  value: unknown;
  /** Where it came from, for error messages: `context "cpu"`, `env TASK_CPU` or `default`. */
  source: string;
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** An environment's own settings, with the name of its block for error messages. */
interface EnvironmentBlock {
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}

function readSetting(
  name: SettingName,
  readContext: ContextReader,
  env: Env,
  block?: EnvironmentBlock,
): RawSetting {
  const setting = SETTINGS[name];
  const fromContext = readContext(setting.context);
  if (isGiven(fromContext)) return { value: fromContext, source: `context "${setting.context}"` };
  for (const variable of setting.env) {
    if (isGiven(env[variable])) return { value: env[variable], source: `env ${variable}` };
  }
  if (block && isGiven(block.values[name])) {
    return {
      value: block.values[name],
      source: `cdk.json ${ENVIRONMENTS_CONTEXT}.${block.name}.${name}`,
    };
  }
  return { value: setting.default, source: 'default' };
}

function fail(name: SettingName, raw: RawSetting, problem: string): never {
  const setting = SETTINGS[name];
  // A problem may end in a question ("did you mean 10.0.0.0/24?"); the others get a full stop.
  const sentence = problem.endsWith('?') ? problem : `${problem}.`;
  const where =
    setting.env.length > 0
      ? `context "${setting.context}" or env ${setting.env[0]}`
      : `context "${setting.context}" in the deployment's cdk.json`;
  throw new ConfigError(
    `Invalid ${name} ${JSON.stringify(raw.value)} (from ${raw.source}): ${sentence} ` +
      `Set ${where}, or unset it for ${describeDefault(setting.default)}.`,
  );
}

/** `none` for the empty defaults ('' , {} and []), else the value as JSON. */
function describeDefault(value: SettingDefault): string {
  const empty =
    value === '' ||
    (Array.isArray(value)
      ? value.length === 0
      : typeof value === 'object' && Object.keys(value).length === 0);
  return empty ? 'none' : JSON.stringify(value);
}

function parseText(name: SettingName, raw: RawSetting): string {
  if (typeof raw.value !== 'string') fail(name, raw, 'expected text');
  return raw.value.trim();
}

function parseWholeNumber(name: SettingName, raw: RawSetting): number {
  if (typeof raw.value !== 'string' && typeof raw.value !== 'number') {
    fail(name, raw, 'expected a whole number');
  }
  const text = String(raw.value).trim();
  if (!/^-?\d+$/.test(text)) fail(name, raw, 'expected a whole number');
  return Number(text);
}

function parseBoolean(name: SettingName, raw: RawSetting): boolean {
  if (typeof raw.value === 'boolean') return raw.value;
  const text = String(raw.value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return fail(name, raw, 'expected true or false');
}

/**
 * One entry of an object or list setting is wrong: names the entry rather than the whole value,
 * which may be long. One line, with the fix.
 */
function failEntry(name: SettingName, raw: RawSetting, entry: string, problem: string): never {
  throw new ConfigError(
    `Invalid ${name} entry ${JSON.stringify(entry)} (from ${raw.source}): ${problem}.`,
  );
}

/**
 * An object or list setting: as cdk.json holds it, or as JSON text (`cdk synth -c
 * 'variables={"GREETING":"hi"}'`, where the CDK CLI passes text).
 */
function parseStructured(name: SettingName, raw: RawSetting): unknown {
  if (typeof raw.value !== 'string') return raw.value;
  try {
    return JSON.parse(raw.value) as unknown;
  } catch {
    return fail(name, raw, 'expected JSON, e.g. {"GREETING": "Hello"}');
  }
}

/** An environment variable name as POSIX shells accept it. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Set by the image and the service itself (the port it listens on, the address it binds):
 * neither a variable nor a secret may replace them.
 */
export const RESERVED_VARIABLES: readonly string[] = ['PORT', 'HOST'];

function parseVariables(raw: RawSetting): Record<string, string> {
  const value = parseStructured('variables', raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('variables', raw, 'expected an object of names and texts, e.g. {"GREETING": "Hello"}');
  }
  const variables: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    if (!VARIABLE_NAME.test(key)) {
      failEntry(
        'variables',
        raw,
        key,
        'a variable name is letters, digits and _, not starting with a digit',
      );
    }
    if (RESERVED_VARIABLES.includes(key)) {
      failEntry(
        'variables',
        raw,
        key,
        `${RESERVED_VARIABLES.join(' and ')} are set by the service itself; choose another name`,
      );
    }
    if (typeof text !== 'string') {
      failEntry('variables', raw, key, `a value is text: write ${JSON.stringify(String(text))}`);
    }
    variables[key] = text;
  }
  return variables;
}

/**
 * A Secrets Manager secret's ARN, optionally followed by ECS's `:json-key:version-stage:version-id`.
 * The secret's name part is what Secrets Manager allows (letters, digits and /_+=.@-).
 */
const SECRETS_MANAGER_VALUE =
  /^(arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512})(?::([^:]*):([^:]*):([^:]*))?$/;

/** What `secrets` names for one NAME: `ssm`, or a Secrets Manager ARN (`…:jsonKey::`). */
function parseSecretSource(
  raw: RawSetting,
  name: string,
  source: unknown,
  secretsPath: string,
): SecretRef {
  if (source === 'ssm') return { name, kind: 'ssm', parameterName: `${secretsPath}${name}` };
  const match = typeof source === 'string' ? SECRETS_MANAGER_VALUE.exec(source.trim()) : null;
  if (!match) {
    return failEntry(
      'secrets',
      raw,
      name,
      `${JSON.stringify(source)} is neither "ssm" (the SecureString ${secretsPath}${name}, set with infra:secrets) nor a Secrets Manager secret ARN like arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf (add :jsonKey:: for one key of a JSON secret)`,
    );
  }
  const [, secretArn = '', jsonKey, versionStage, versionId] = match;
  if (versionStage || versionId) {
    failEntry(
      'secrets',
      raw,
      name,
      'a version stage or id is not supported: ECS then reads that version for ever; name the ARN alone, or ARN:jsonKey:: for one key, and each task start reads the current version',
    );
  }
  return jsonKey
    ? { name, kind: 'secretsmanager', secretArn, jsonKey }
    : { name, kind: 'secretsmanager', secretArn };
}

/**
 * `["API_KEY"]` (SSM SecureStrings under the environment's secrets path) or
 * `{"API_KEY": "ssm", "DB_PASSWORD": "arn:aws:secretsmanager:…"}`.
 */
function parseSecrets(raw: RawSetting, secretsPath: string): SecretRef[] {
  const value = parseStructured('secrets', raw);
  const entries: [unknown, unknown][] = Array.isArray(value)
    ? value.map((name) => [name, 'ssm'])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : fail(
          'secrets',
          raw,
          'expected a list of names, e.g. ["API_KEY"], or an object of names and sources, e.g. {"API_KEY": "ssm"}',
        );
  const secrets: SecretRef[] = [];
  for (const [name, source] of entries) {
    if (typeof name !== 'string' || !isSecretName(name)) {
      failEntry(
        'secrets',
        raw,
        String(name),
        'a secret name is the variable the container gets: A-Z, 0-9 and _, starting with a letter, up to 128, e.g. API_KEY',
      );
    }
    if (RESERVED_VARIABLES.includes(name)) {
      failEntry(
        'secrets',
        raw,
        name,
        `${RESERVED_VARIABLES.join(' and ')} are set by the service itself; choose another name`,
      );
    }
    if (secrets.some((secret) => secret.name === name)) {
      failEntry('secrets', raw, name, 'listed twice; keep one');
    }
    secrets.push(parseSecretSource(raw, name, source, secretsPath));
  }
  return secrets;
}

/** A KMS key's ARN (IAM grants kms:Decrypt on the key, never on an alias). */
const KMS_KEY_ARN =
  /^arn:aws(?:-[a-z]+)*:kms:[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;

function parseKmsKey(raw: RawSetting): string | undefined {
  const arn = parseText('secretsKmsKey', raw);
  if (arn === '') return undefined;
  if (!KMS_KEY_ARN.test(arn)) {
    fail(
      'secretsKmsKey',
      raw,
      arn.includes(':alias/')
        ? "name the key's ARN (…:key/<key id>), not an alias: IAM grants kms:Decrypt on the key itself"
        : 'expected a KMS key ARN like arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
  }
  return arn;
}

/** The role settings of one environment: its secrets, their key and ECS Exec. */
function readTaskRoleSettings(
  read: (name: SettingName) => RawSetting,
  secretsPath: string,
): TaskRoleSettings {
  const secrets = parseSecrets(read('secrets'), secretsPath);
  const secretsKmsKey = parseKmsKey(read('secretsKmsKey'));
  const exec = parseBoolean('exec', read('exec'));
  const ingress = readIngressTarget(read);
  return {
    secrets,
    ...(secretsKmsKey ? { secretsKmsKey } : {}),
    exec,
    ...(ingress.mode === 'dns' ? { dnsRecord: ingress.record } : {}),
  };
}

/** The scaling settings, which only the alb mode has. */
const SCALING_SETTINGS = [
  'minTasks',
  'maxTasks',
  'scaleCpuPercent',
  'scaleRequestsPerTarget',
] as const satisfies readonly SettingName[];

/**
 * The ingress mode and, for dns and alb, the record: a hosted zone the user names by id and name
 * (synth makes no lookup, so it stays offline) and a domain inside it. Throws ConfigError, one line.
 */
function readIngressTarget(
  read: (name: SettingName) => RawSetting,
): { mode: 'public-ip' } | { mode: 'dns' | 'alb'; record: DnsRecordSettings } {
  const modeRaw = read('ingress');
  const mode = parseText('ingress', modeRaw).toLowerCase();
  if (!isIngressMode(mode)) {
    fail('ingress', modeRaw, `expected ${INGRESS_MODES.join(', ')}`);
  }
  const recordSettings = ['domainName', 'hostedZoneId', 'hostedZoneName'] as const;
  if (mode === 'public-ip') {
    for (const name of recordSettings) {
      const raw = read(name);
      if (raw.source !== 'default') {
        fail(name, raw, 'it applies to ingress dns or alb only; set ingress (INGRESS) too');
      }
    }
    return { mode };
  }
  const missing = recordSettings.filter((name) => read(name).source === 'default');
  if (missing.length > 0) {
    const variables = missing.map((name) => SETTINGS[name].env[0]).join(', ');
    throw new ConfigError(
      `ingress ${mode} needs a domain in a Route 53 hosted zone: set ${variables} (or context ${missing.map((name) => `"${name}"`).join(', ')}), e.g. DOMAIN_NAME=hello.example.com HOSTED_ZONE_ID=Z0123456789ABCDEFGHIJ HOSTED_ZONE_NAME=example.com.`,
    );
  }
  const domainRaw = read('domainName');
  const domainName = normalizeDomainName(parseText('domainName', domainRaw));
  if (!isDomainName(domainName)) {
    fail(
      'domainName',
      domainRaw,
      'expected a DNS name such as hello.example.com (no scheme, no wildcard)',
    );
  }
  const zoneIdRaw = read('hostedZoneId');
  const hostedZoneId = parseText('hostedZoneId', zoneIdRaw).replace(/^\/hostedzone\//, '');
  if (!isHostedZoneId(hostedZoneId)) {
    fail(
      'hostedZoneId',
      zoneIdRaw,
      'expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (Route 53 console, "Hosted zone ID")',
    );
  }
  const zoneNameRaw = read('hostedZoneName');
  const hostedZoneName = normalizeDomainName(parseText('hostedZoneName', zoneNameRaw));
  if (!isDomainName(hostedZoneName)) {
    fail('hostedZoneName', zoneNameRaw, "expected the zone's name such as example.com");
  }
  if (!isDomainInZone(domainName, hostedZoneName)) {
    fail(
      'domainName',
      domainRaw,
      `it is not in the hosted zone ${hostedZoneName}; use a name ending in .${hostedZoneName}, or the zone that holds it`,
    );
  }
  return { mode, record: { hostedZoneId, hostedZoneName, domainName } };
}

/**
 * The environment's ingress. Scaling applies to alb only: a count that follows load needs a load
 * balancer in front (a dns record would hand clients tasks that are going away).
 */
function readIngressSettings(
  read: (name: SettingName) => RawSetting,
  environment: string,
  desiredCount: number,
): IngressSettings {
  const target = readIngressTarget(read);
  if (target.mode !== 'public-ip' && isPreviewEnvironment(environment)) {
    fail(
      'ingress',
      read('ingress'),
      `previews run public-ip only (each preview would need its own name and certificate); remove ingress from the ${PREVIEWS_BLOCK} block`,
    );
  }
  if (target.mode !== 'alb') {
    for (const name of SCALING_SETTINGS) {
      const raw = read(name);
      if (raw.source !== 'default') {
        fail(
          name,
          raw,
          'autoscaling needs a load balancer in front: it applies to ingress alb only',
        );
      }
    }
    return target.mode === 'public-ip' ? { mode: 'public-ip' } : { mode: 'dns', ...target.record };
  }
  const minRaw = read('minTasks');
  const minTasks =
    minRaw.source === 'default' ? Math.max(1, desiredCount) : parseWholeNumber('minTasks', minRaw);
  if (minTasks < 1) fail('minTasks', minRaw, 'a load-balanced service keeps at least 1 task');
  const maxRaw = read('maxTasks');
  const maxTasks =
    maxRaw.source === 'default' ? Math.max(minTasks, 4) : parseWholeNumber('maxTasks', maxRaw);
  if (maxTasks < minTasks) {
    fail('maxTasks', maxRaw, `it is below minTasks (${minTasks})`);
  }
  if (maxTasks > MAX_DESIRED_COUNT) {
    fail('maxTasks', maxRaw, `ECS runs at most ${MAX_DESIRED_COUNT} tasks per service`);
  }
  const cpuRaw = read('scaleCpuPercent');
  const cpuPercent = parseWholeNumber('scaleCpuPercent', cpuRaw);
  if (cpuPercent < 10 || cpuPercent > 90) {
    fail('scaleCpuPercent', cpuRaw, 'expected a CPU target of 10–90 percent');
  }
  const requestsRaw = read('scaleRequestsPerTarget');
  const requestsPerTarget = parseWholeNumber('scaleRequestsPerTarget', requestsRaw);
  if (requestsPerTarget < 1) {
    fail(
      'scaleRequestsPerTarget',
      requestsRaw,
      'expected at least 1 request per target per minute',
    );
  }
  return {
    mode: 'alb',
    ...target.record,
    scaling: { minTasks, maxTasks, cpuPercent, requestsPerTarget },
  };
}

/**
 * An environment's secrets, their folder and key, for the ops CLI (`infra:secrets`, the deploy's
 * preflight): from its block in cdk.json (a preview's: `previews`) or top-level context, as synth
 * reads them. Throws ConfigError, one line.
 */
export function loadSecretSettings(
  readContext: ContextReader,
  environment: string,
): { path: string; kmsKeyArn?: string; secrets: SecretRef[] } {
  const { names: serviceNames } = loadServiceSettings(readContext);
  const names = deploymentNames(serviceNames.service, environment);
  const block = readEnvironmentBlock(readContext, environment);
  const roles = readTaskRoleSettings(
    (name) => readSetting(name, readContext, {}, block),
    names.secretsPath,
  );
  const path = names.secretsPath;
  return roles.secretsKmsKey
    ? { path, kmsKeyArn: roles.secretsKmsKey, secrets: [...roles.secrets] }
    : { path, secrets: [...roles.secrets] };
}

/**
 * ECS's "Tasks per service" quota (Amazon ECS developer guide, service-quotas.html): 5,000.
 * Anything above it can only fail mid-deploy, and a huge number would reach the template as a
 * float (1e20) that CloudFormation rejects; refusing it at synth costs nothing.
 */
const MAX_DESIRED_COUNT = 5000;

/**
 * The container runs as an unprivileged user (CONTAINER_USER), which cannot bind below 1024; a
 * TCP port ends at 65535.
 */
const PORT_RANGE = { min: 1024, max: 65535 } as const;

/** What names a deployment: its service and the port that service listens on. */
export interface ServiceSettings {
  readonly names: DeploymentNames;
  readonly port: number;
}

/**
 * Reads and validates the deployment's service and port, from its CDK context only (cdk.json
 * `"service"` and `"port"`; absent: hello-world and 49000). Throws ConfigError, one line.
 */
export function loadServiceSettings(readContext: ContextReader): ServiceSettings {
  const read = (name: SettingName) => readSetting(name, readContext, {});

  const serviceRaw = read('service');
  const service = parseText('service', serviceRaw);
  const serviceProblem = serviceNameProblem(service);
  if (serviceProblem) fail('service', serviceRaw, serviceProblem);
  const names = deploymentNames(service);

  const portRaw = read('port');
  const port = parseWholeNumber('port', portRaw);
  if (port < PORT_RANGE.min || port > PORT_RANGE.max) {
    fail(
      'port',
      portRaw,
      `the service's port must be ${PORT_RANGE.min}–${PORT_RANGE.max} (it runs as an unprivileged user)`,
    );
  }
  return { names, port };
}

/**
 * Reads and validates the configuration. Throws ConfigError (one line, with the fix) on the
 * first invalid value, so synth stops before any construct is built.
 */
export function loadConfig(readContext: ContextReader, env: Env): InfraConfig {
  const { names: serviceNames, port } = loadServiceSettings(readContext);
  const environment = readEnvironment(readContext, env, serviceNames.service);
  const names = deploymentNames(serviceNames.service, environment);
  const block = readEnvironmentBlock(readContext, environment);
  const read = (name: SettingName) =>
    readSetting(
      name,
      readContext,
      env,
      block && (ENVIRONMENT_SETTINGS as readonly string[]).includes(name) ? block : undefined,
    );

  const regionRaw = read('region');
  const region = parseText('region', regionRaw);
  if (!isAwsRegion(region)) fail('region', regionRaw, 'not an AWS region name like eu-west-1');

  const imageTagRaw = read('imageTag');
  const imageTag = parseText('imageTag', imageTagRaw);
  if (!isImageTag(imageTag)) {
    fail(
      'imageTag',
      imageTagRaw,
      'an image tag is 1–128 of A-Z a-z 0-9 _ . - and cannot start with . or -',
    );
  }

  const allowedIpRaw = read('allowedIp');
  const allowedIp = parseText('allowedIp', allowedIpRaw);
  // Shape and host bits: the template's AllowedPattern can check only the shape.
  const allowedIpCheck = checkIpv4Cidr(allowedIp);
  if (!allowedIpCheck.ok) fail('allowedIp', allowedIpRaw, allowedIpCheck.problem);

  const cpuRaw = read('cpu');
  const cpu = parseWholeNumber('cpu', cpuRaw);
  if (!FARGATE_CPU_UNITS.includes(cpu)) {
    fail('cpu', cpuRaw, `Fargate offers ${FARGATE_CPU_UNITS.join(', ')} CPU units`);
  }
  const memoryRaw = read('memoryMiB');
  const memoryMiB = parseWholeNumber('memoryMiB', memoryRaw);
  if (!isFargateSize(cpu, memoryMiB)) {
    fail(
      'memoryMiB',
      memoryRaw,
      `Fargate has no ${cpu} CPU / ${memoryMiB} MiB task; ${describeMemoryOptions(cpu)}`,
    );
  }

  const desiredRaw = read('desiredCount');
  const desiredCount = parseWholeNumber('desiredCount', desiredRaw);
  if (desiredCount < 0)
    fail('desiredCount', desiredRaw, 'the desired task count cannot be negative');
  if (desiredCount > MAX_DESIRED_COUNT) {
    fail(
      'desiredCount',
      desiredRaw,
      `ECS runs at most ${MAX_DESIRED_COUNT} tasks per service (its "Tasks per service" quota)`,
    );
  }

  const architectureRaw = read('architecture');
  const architecture =
    parseCpuArchitecture(parseText('architecture', architectureRaw)) ??
    fail('architecture', architectureRaw, 'expected X86_64 or ARM64');

  const spotRaw = read('spot');
  const spot = parseBoolean('spot', spotRaw);
  if (spot && architecture === 'ARM64') {
    fail(
      'spot',
      spotRaw,
      'Fargate Spot runs X86_64 tasks only; use architecture X86_64 or spot false',
    );
  }

  const controlTowerRaw = read('controlTower');
  const controlTower = parseText('controlTower', controlTowerRaw).toLowerCase();
  if (!isControlTowerMode(controlTower)) {
    fail('controlTower', controlTowerRaw, `expected ${CONTROL_TOWER_MODES.join(' or ')}`);
  }

  const retentionRaw = read('logRetentionDays');
  // Strict mode's year is the default there; a shorter explicit value would break its control.
  const retentionGiven = retentionRaw.source !== 'default';
  const logRetentionDays = retentionGiven
    ? parseWholeNumber('logRetentionDays', retentionRaw)
    : controlTower === 'strict'
      ? STRICT_LOG_RETENTION_DAYS
      : LOG_RETENTION_DAYS;
  if (!LOG_RETENTION_PERIODS.includes(logRetentionDays)) {
    fail(
      'logRetentionDays',
      retentionRaw,
      `CloudWatch Logs keeps events for ${LOG_RETENTION_PERIODS.join(', ')} days`,
    );
  }
  if (controlTower === 'strict' && logRetentionDays < STRICT_LOG_RETENTION_DAYS) {
    fail(
      'logRetentionDays',
      retentionRaw,
      `controlTower strict keeps logs at least ${STRICT_LOG_RETENTION_DAYS} days (the log group retention control)`,
    );
  }

  const variables = parseVariables(read('variables'));
  const roles = readTaskRoleSettings(read, names.secretsPath);
  const clash = roles.secrets.find((secret) => secret.name in variables);
  if (clash) {
    failEntry(
      'variables',
      read('variables'),
      clash.name,
      'also a secret of this environment; the container gets one value per name: remove one of the two',
    );
  }

  const insightsRaw = read('containerInsights');
  const insightsGiven = parseBoolean('containerInsights', insightsRaw);
  if (controlTower === 'strict' && insightsRaw.source !== 'default' && !insightsGiven) {
    fail(
      'containerInsights',
      insightsRaw,
      'controlTower strict keeps Container Insights on (the CT.ECS.PR.2 control)',
    );
  }
  const containerInsights = insightsGiven || controlTower === 'strict';

  const alertEmailRaw = read('alertEmail');
  const alertEmail = parseText('alertEmail', alertEmailRaw);
  if (alertEmail !== '' && !isEmailAddress(alertEmail)) {
    fail('alertEmail', alertEmailRaw, 'not an email address like ops@example.com');
  }

  const ingress = readIngressSettings(read, environment, desiredCount);
  const defaultEnvironmentRoles = readDefaultEnvironmentRoles(readContext, serviceNames.service);
  if (
    isDefaultEnvironment(environment) &&
    JSON.stringify(defaultEnvironmentRoles.dnsRecord) !== JSON.stringify(roles.dnsRecord)
  ) {
    // The default environment's roles are in the registry stack, which every synth makes the
    // same from cdk.json: an updater role that only an environment variable asked for would
    // appear and vanish with whichever shell deploys next.
    throw new ConfigError(
      `The default environment's ingress dns settings differ between the environment (INGRESS, DOMAIN_NAME, HOSTED_ZONE_ID, HOSTED_ZONE_NAME) and cdk.json: its record updater's role is in the registry stack, which is synthesized from cdk.json alone. Put "ingress", "domainName", "hostedZoneId" and "hostedZoneName" in apps/infra/cdk.json (or pass them with -c), unset the variables, or deploy a named environment (--env).`,
    );
  }

  return {
    names,
    environment,
    appName: names.service,
    deploymentName: names.deployment,
    registryStackName: names.registryStack,
    region,
    port,
    cpu,
    memoryMiB,
    desiredCount,
    architecture,
    allowedIp,
    imageTag,
    spot,
    controlTower,
    logRetentionDays,
    variables,
    secrets: roles.secrets,
    ...(roles.secretsKmsKey ? { secretsKmsKey: roles.secretsKmsKey } : {}),
    exec: roles.exec,
    containerInsights,
    alertEmail,
    ingress,
    defaultEnvironmentRoles: isDefaultEnvironment(environment) ? roles : defaultEnvironmentRoles,
  };
}

/**
 * The default environment's secrets, key and ECS Exec, whichever environment is synthesized: from
 * top-level context or `environments.default`, never from environment variables, so the
 * registry stack (which holds the default environment's task roles) is the same for every synth.
 */
function readDefaultEnvironmentRoles(
  readContext: ContextReader,
  service: string,
): TaskRoleSettings {
  const block = readEnvironmentBlock(readContext, DEFAULT_ENVIRONMENT);
  return readTaskRoleSettings(
    (name) => readSetting(name, readContext, {}, block),
    deploymentNames(service).secretsPath,
  );
}

/**
 * The environment to synthesize: CDK context `environment` (`cdk synth -c environment=staging`),
 * else DEPLOY_ENV, else the default. Throws ConfigError, one line, on a name AWS would refuse.
 */
function readEnvironment(readContext: ContextReader, env: Env, service: string): string {
  const fromContext = readContext(ENVIRONMENT_CONTEXT);
  const [value, source] = isGiven(fromContext)
    ? [fromContext, `context "${ENVIRONMENT_CONTEXT}"`]
    : isGiven(env[ENVIRONMENT_VARIABLE])
      ? [env[ENVIRONMENT_VARIABLE], `env ${ENVIRONMENT_VARIABLE}`]
      : [DEFAULT_ENVIRONMENT, 'default'];
  const environment = typeof value === 'string' ? value.trim() : '';
  const problem =
    typeof value !== 'string' ? 'expected text' : environmentNameProblem(service, environment);
  if (problem) {
    throw new ConfigError(
      `Invalid environment ${JSON.stringify(value)} (from ${source}): ${problem}. Set --env, ${ENVIRONMENT_VARIABLE} or context "${ENVIRONMENT_CONTEXT}", or unset it for the default environment.`,
    );
  }
  return environment;
}

/**
 * The settings block of `environment` in cdk.json's `environments` (every preview reads
 * `previews`), checked whole so a typo anywhere fails every synth, not only that environment's.
 */
function readEnvironmentBlock(
  readContext: ContextReader,
  environment: string,
): EnvironmentBlock | undefined {
  const blocks = readContext(ENVIRONMENTS_CONTEXT);
  if (blocks === undefined || blocks === null) return undefined;
  const where = `cdk.json context "${ENVIRONMENTS_CONTEXT}"`;
  if (typeof blocks !== 'object' || Array.isArray(blocks)) {
    throw new ConfigError(
      `${where} is not an object: expected {"staging": {"desiredCount": 1}, "${PREVIEWS_BLOCK}": {…}}.`,
    );
  }
  for (const [name, values] of Object.entries(blocks)) {
    const nameProblem =
      name === PREVIEWS_BLOCK || isDefaultEnvironment(name)
        ? undefined
        : environmentShapeProblem(name);
    if (nameProblem) {
      throw new ConfigError(`${where} names environment ${JSON.stringify(name)}: ${nameProblem}.`);
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new ConfigError(
        `${where}: ${name} is not an object of settings: expected e.g. {"desiredCount": 2}.`,
      );
    }
    const unknown = Object.keys(values).filter(
      (key) => !(ENVIRONMENT_SETTINGS as readonly string[]).includes(key),
    );
    if (unknown.length > 0) {
      throw new ConfigError(
        `${where}: ${name} has no setting ${unknown.map((key) => JSON.stringify(key)).join(', ')}; an environment may set ${ENVIRONMENT_SETTINGS.join(', ')}.`,
      );
    }
  }
  const key = isPreviewEnvironment(environment) ? PREVIEWS_BLOCK : environment;
  const values = (blocks as Record<string, Record<string, unknown>>)[key];
  return values ? { name: key, values } : undefined;
}
