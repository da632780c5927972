import { APP_NAME, DEFAULT_ENVIRONMENT } from '@hello-world/shared';
import { nxRunStep } from './next-step';

/**
 * A problem worded for the user, one line. exitCode follows the product rule: 2 (default) for
 * bad usage or environment (options, template, engine, port), 1 when the operation itself failed.
 */
export class LocalError extends Error {
  override name = 'LocalError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

export interface LocalHealthCheck {
  /** As in the task definition: ['CMD', ...argv], ['CMD-SHELL', command] or ['NONE']. */
  command: string[];
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startPeriodSeconds?: number;
}

/** What the synthesized task definition says about running the container. */
export interface LocalTaskSpec {
  containerName: string;
  /** Repository name of the image (the part of Image before ':'; its registry is ECR's). */
  imageRepository: string;
  containerPort: number;
  /** CPU units (1024 = 1 vCPU): the container's own, else the task's. */
  cpuUnits?: number;
  /** Hard memory limit in MiB: the container's own, else the task's. */
  memoryMiB?: number;
  user?: string;
  readonlyRootFilesystem: boolean;
  environment: { name: string; value: string }[];
  /**
   * The names of the container's Secrets (SSM or Secrets Manager in AWS): locally their values
   * come from the environment's git-ignored secrets file (local-secrets.ts), never from AWS.
   */
  secrets: string[];
  healthCheck?: LocalHealthCheck;
  stopTimeoutSeconds?: number;
  initProcessEnabled: boolean;
  /** Linux capabilities the task definition drops (`ALL`, or names like `NET_RAW`). */
  dropCapabilities: string[];
  /** Linux capabilities it adds back. */
  addCapabilities: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A literal from the template; an intrinsic (Ref, Fn::*) is resolved only by CloudFormation. */
function literal(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new LocalError(
    `task definition field ${field} is ${JSON.stringify(value)}, which only CloudFormation can resolve: make it a literal in the CDK app to run it locally`,
  );
}

function numberOf(value: unknown, field: string): number | undefined {
  const text = literal(value, field);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n))
    throw new LocalError(`task definition field ${field} is not a number: ${text}`);
  return n;
}

/** A list of literal names, e.g. LinuxParameters.Capabilities.Drop. */
function literalList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new LocalError(`task definition field ${field} is not a list: ${JSON.stringify(value)}`);
  }
  return value.map((item, i) => literal(item, `${field}[${i}]`) ?? '');
}

/**
 * The repository name from Image, which the CDK app writes as
 * Fn::Join ['', [<account>, '.dkr.ecr.<region>.', <suffix>, '/<repository>:', Ref ImageTag]]:
 * the literal text between the last '/' and the ':' before the tag.
 */
function repositoryOf(image: unknown): string {
  const join = isObject(image) ? image['Fn::Join'] : undefined;
  const parts: unknown[] =
    typeof image === 'string'
      ? [image]
      : Array.isArray(join) && Array.isArray(join[1])
        ? join[1]
        : [];
  // Resolved-only parts (account, URL suffix, tag) stand in as '?' so they never look like a name.
  const text = parts.map((part) => (typeof part === 'string' ? part : '?')).join('');
  const name = text.slice(text.lastIndexOf('/') + 1).split(':')[0] ?? '';
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)) {
    throw new LocalError(
      `cannot read the image repository from the task definition's Image ${JSON.stringify(image)}`,
    );
  }
  return name;
}

/** Finds the task definition's container in a synthesized CloudFormation template. */
export function readTaskSpec(
  template: unknown,
  containerName: string = APP_NAME,
  /** The deployment project whose synth writes the template (default hello-world's `infra`). */
  project = 'infra',
  /** The deployment environment the template is for: its synth is the next step. */
  deploymentEnvironment: string = DEFAULT_ENVIRONMENT,
): LocalTaskSpec {
  const resources =
    isObject(template) && isObject(template['Resources']) ? template['Resources'] : {};
  const taskDefinitions = Object.values(resources).filter(
    (r): r is Json => isObject(r) && r['Type'] === 'AWS::ECS::TaskDefinition',
  );
  const containers = taskDefinitions.flatMap((td) => {
    const props = isObject(td['Properties']) ? td['Properties'] : {};
    const defs = Array.isArray(props['ContainerDefinitions']) ? props['ContainerDefinitions'] : [];
    return defs.filter(isObject).map((c) => ({ task: props, container: c }));
  });
  const found = containers.find(({ container }) => container['Name'] === containerName);
  if (!found) {
    throw new LocalError(
      `no container ${containerName} in the synthesized template's task definitions: run \`${nxRunStep(project, 'synth', deploymentEnvironment)}\``,
    );
  }
  const { task, container: c } = found;
  const ports = Array.isArray(c['PortMappings']) ? c['PortMappings'].filter(isObject) : [];
  const containerPort = numberOf(ports[0]?.['ContainerPort'], 'PortMappings[0].ContainerPort');
  if (containerPort === undefined) {
    throw new LocalError(`container ${containerName} maps no port in the task definition`);
  }
  const linux = isObject(c['LinuxParameters']) ? c['LinuxParameters'] : {};
  const capabilities = isObject(linux['Capabilities']) ? linux['Capabilities'] : {};
  const health = isObject(c['HealthCheck']) ? c['HealthCheck'] : undefined;
  const environment = (Array.isArray(c['Environment']) ? c['Environment'] : [])
    .filter(isObject)
    .map((e, i) => ({
      name: literal(e['Name'], `Environment[${i}].Name`) ?? '',
      value: literal(e['Value'], `Environment[${i}].Value`) ?? '',
    }));
  // Only the names: where ECS reads the values (ValueFrom, an ARN with Refs) means nothing here.
  const secrets = (Array.isArray(c['Secrets']) ? c['Secrets'] : [])
    .filter(isObject)
    .map((e, i) => literal(e['Name'], `Secrets[${i}].Name`) ?? '');
  const spec: LocalTaskSpec = {
    containerName,
    imageRepository: repositoryOf(c['Image']),
    containerPort,
    readonlyRootFilesystem:
      literal(c['ReadonlyRootFilesystem'], 'ReadonlyRootFilesystem') === 'true',
    environment,
    secrets,
    initProcessEnabled: literal(linux['InitProcessEnabled'], 'InitProcessEnabled') === 'true',
    dropCapabilities: literalList(capabilities['Drop'], 'Capabilities.Drop'),
    addCapabilities: literalList(capabilities['Add'], 'Capabilities.Add'),
  };
  const cpuUnits = numberOf(c['Cpu'], 'Cpu') || numberOf(task['Cpu'], 'Cpu');
  if (cpuUnits) spec.cpuUnits = cpuUnits;
  const memoryMiB = numberOf(c['Memory'], 'Memory') || numberOf(task['Memory'], 'Memory');
  if (memoryMiB) spec.memoryMiB = memoryMiB;
  const user = literal(c['User'], 'User');
  if (user) spec.user = user;
  const stopTimeout = numberOf(c['StopTimeout'], 'StopTimeout');
  if (stopTimeout !== undefined) spec.stopTimeoutSeconds = stopTimeout;
  if (health) {
    const command = Array.isArray(health['Command'])
      ? health['Command'].map((part, i) => literal(part, `HealthCheck.Command[${i}]`) ?? '')
      : [];
    spec.healthCheck = { command };
    const interval = numberOf(health['Interval'], 'HealthCheck.Interval');
    const timeout = numberOf(health['Timeout'], 'HealthCheck.Timeout');
    const retries = numberOf(health['Retries'], 'HealthCheck.Retries');
    const startPeriod = numberOf(health['StartPeriod'], 'HealthCheck.StartPeriod');
    if (interval !== undefined) spec.healthCheck.intervalSeconds = interval;
    if (timeout !== undefined) spec.healthCheck.timeoutSeconds = timeout;
    if (retries !== undefined) spec.healthCheck.retries = retries;
    if (startPeriod !== undefined) spec.healthCheck.startPeriodSeconds = startPeriod;
  }
  return spec;
}
