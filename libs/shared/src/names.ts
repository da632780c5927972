import {
  DEFAULT_ENVIRONMENT,
  EnvironmentNameError,
  environmentShapeProblem,
  isDefaultEnvironment,
  isPreviewEnvironment,
  PREVIEW_GROUP,
} from './environments';

/** Every deployed name and every image/release tag of this flavour carries this suffix. */
export const FLAVOUR_SUFFIX = '-ecr-ecs-fargate';

/** Every name one deployment of a service gives its AWS resources and local artefacts. */
export interface DeploymentNames {
  /** The service (its Nx project name): the container name, task family and log stream part. */
  readonly service: string;
  /** The environment these names are for: `default` (the reference's names), `staging`, `pr-7`. */
  readonly environment: string;
  /**
   * Service stack, ECS cluster and ECS service share this name: the reference's in the default
   * environment, suffixed with any other (`hello-world-ecr-ecs-fargate-staging`).
   */
  readonly deployment: string;
  /**
   * The ECR repository, one for every environment (images are promoted, never rebuilt), but
   * previews: they share their own, `<service>-ecr-ecs-fargate-previews`, so code under review
   * never writes where releases come from.
   */
  readonly repository: string;
  /**
   * The stack with the repository, so it exists before the first image is pushed: the shared
   * registry stack; for previews, their own `<service>-ecr-ecs-fargate-previews`.
   */
  readonly registryStack: string;
  /**
   * The stack holding this environment's task roles, deployed by an administrator: the registry
   * stack for the default environment, `<deployment>-roles` for another, and for every preview
   * the previews' stack (registryStack).
   */
  readonly rolesStack: string;
  /** Optional stack with the GitHub OIDC roles for CI; shared. */
  readonly ciStack: string;
  readonly logGroup: string;
  /** The task's two IAM roles, in the roles stack (previews share one pair). */
  readonly taskRoles: { readonly execution: string; readonly task: string };
  /** The CI stack's roles: one publish role, and this environment's deploy role. */
  readonly ciRoles: { readonly publish: string; readonly deploy: string };
  /** The image name a local build gets (`<name>:<tag>`); shared, like the registry. */
  readonly localImage: string;
  /** The local target's container: one per environment, so two can run side by side. */
  readonly localContainer: string;
  /**
   * Where `infra:secrets` keeps this environment's SSM Parameter Store SecureStrings, ending in
   * `/`: `/<service>-ecr-ecs-fargate/<environment>/` (every preview shares `/…/previews/`, as it
   * shares its roles). A secret NAME is the parameter `<secretsPath>NAME`.
   */
  readonly secretsPath: string;
  /** The service stack's CloudWatch alarms, topics, rule and dashboard (monitoring). */
  readonly monitoring: MonitoringNames;
  /** The dns ingress mode's record updater (ingress dns only). */
  readonly dnsUpdater: {
    /** Lambda function keeping the A record equal to the running tasks' public IPs. */
    readonly function: string;
    /** Its role, in the environment's roles stack (an administrator's, like the task roles). */
    readonly role: string;
    /** EventBridge rule on the service's task state changes that invokes it. */
    readonly rule: string;
    readonly logGroup: string;
  };
}

/** The names of one environment's alarms and what they notify; all start with its deployment. */
export interface MonitoringNames {
  /** Every alarm of the environment starts with it: status and doctor list alarms by it. */
  readonly alarmPrefix: string;
  readonly alarms: {
    /** Running tasks below the desired count for several minutes. */
    readonly tasksBelowDesired: string;
    /** Tasks stopping unexpectedly (crashes, failed health checks) again and again. */
    readonly taskStops: string;
    /** Error-level log lines above a rate. */
    readonly errorLogs: string;
    readonly cpuHigh: string;
    readonly memoryHigh: string;
  };
  /** SNS topic every alarm notifies; --alert-email subscribes an address to it. */
  readonly alarmTopic: string;
  /** SNS topic each unexpected task stop is published to (the task-stops alarm counts them). */
  readonly taskStopsTopic: string;
  /** EventBridge rule matching this service's unexpected task stops. */
  readonly taskStopsRule: string;
  /** CloudWatch dashboard of the environment. */
  readonly dashboard: string;
  /** Namespace of the metrics the service's log group's metric filters publish. */
  readonly metricNamespace: string;
}

/** A service name that cannot name a deployment; the message is one line with the rule. */
export class ServiceNameError extends Error {
  override readonly name = 'ServiceNameError';
}

/**
 * AWS's length limit for each kind of derived name. IAM role names (64) bind first: the CI
 * publish role, `github-actions-<service>-ecr-ecs-fargate-publish`, leaves 25 characters.
 */
const NAME_LIMITS: readonly { what: string; limit: number; of: (n: DeploymentNames) => string }[] =
  [
    { what: 'CloudFormation stack name', limit: 128, of: (n) => n.registryStack },
    { what: 'CloudFormation stack name', limit: 128, of: (n) => n.rolesStack },
    { what: 'CloudFormation stack name', limit: 128, of: (n) => n.ciStack },
    { what: 'ECR repository name', limit: 256, of: (n) => n.deployment },
    { what: 'ECS cluster and service name', limit: 255, of: (n) => n.deployment },
    { what: 'ECS container name and task family', limit: 255, of: (n) => n.service },
    { what: 'CloudWatch Logs group name', limit: 512, of: (n) => n.logGroup },
    { what: 'EventBridge rule name', limit: 64, of: (n) => n.monitoring.taskStopsRule },
    { what: 'IAM role name', limit: 64, of: (n) => n.taskRoles.execution },
    { what: 'IAM role name', limit: 64, of: (n) => n.ciRoles.publish },
    { what: 'IAM role name', limit: 64, of: (n) => n.ciRoles.deploy },
    { what: 'IAM role name', limit: 64, of: (n) => n.dnsUpdater.role },
    { what: 'Lambda function name', limit: 64, of: (n) => n.dnsUpdater.function },
    { what: 'EventBridge rule name', limit: 64, of: (n) => n.dnsUpdater.rule },
  ];

/**
 * Lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or
 * digit: what an Nx project name, an ECR repository name and a docker image name all accept.
 */
const SERVICE_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

function deriveNames(service: string, environment: string = DEFAULT_ENVIRONMENT): DeploymentNames {
  const base = `${service}${FLAVOUR_SUFFIX}`;
  const deployment = isDefaultEnvironment(environment) ? base : `${base}-${environment}`;
  // Previews come and go with pull requests; an administrator cannot make roles for each, so
  // they share one set, named after the group.
  const preview = isPreviewEnvironment(environment);
  const roleOwner = preview ? `${base}-${PREVIEW_GROUP}` : deployment;
  // Code under review must not write where releases come from: previews build into their own
  // repository, in their own administrator's stack with their shared roles.
  const previews = `${base}-previews`;
  return {
    service,
    environment,
    deployment,
    repository: preview ? previews : base,
    registryStack: preview ? previews : `${base}-registry`,
    rolesStack: isDefaultEnvironment(environment)
      ? `${base}-registry`
      : preview
        ? previews
        : `${roleOwner}-roles`,
    ciStack: `${base}-ci`,
    logGroup: `/ecs/${deployment}`,
    taskRoles: { execution: `${roleOwner}-execution`, task: `${roleOwner}-task` },
    ciRoles: {
      publish: `github-actions-${base}-publish`,
      deploy: `github-actions-${roleOwner}-deploy`,
    },
    localImage: base,
    localContainer: `${deployment}-local`,
    secretsPath: `/${base}/${preview ? PREVIEW_SECRETS_BLOCK : environment}/`,
    monitoring: monitoringNames(deployment),
    dnsUpdater: {
      function: `${deployment}-dns`,
      role: `${roleOwner}-dns`,
      rule: `${deployment}-dns`,
      logGroup: `/aws/lambda/${deployment}-dns`,
    },
  };
}

/** The settings block (cdk.json `environments.previews`) and secrets folder every preview shares. */
const PREVIEW_SECRETS_BLOCK = 'previews';

/** A deployment's monitoring names, exactly as deploymentNames(…).monitoring gives them. */
export function monitoringNames(deployment: string): MonitoringNames {
  const alarmPrefix = `${deployment}-`;
  return {
    alarmPrefix,
    alarms: {
      tasksBelowDesired: `${alarmPrefix}tasks-below-desired`,
      taskStops: `${alarmPrefix}task-stops`,
      errorLogs: `${alarmPrefix}error-logs`,
      cpuHigh: `${alarmPrefix}cpu-high`,
      memoryHigh: `${alarmPrefix}memory-high`,
    },
    alarmTopic: `${alarmPrefix}alarms`,
    taskStopsTopic: `${alarmPrefix}task-stops`,
    taskStopsRule: `${alarmPrefix}task-stops`,
    dashboard: deployment,
    metricNamespace: `ECR-ECS-Fargate/${deployment}`,
  };
}

/** The CloudWatch console's page of a dashboard, as infra:status links it. */
export function dashboardUrl(region: string, dashboard: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(dashboard)}`;
}

/** The longest service name whose every derived name fits AWS's limits (25). */
export const MAX_SERVICE_NAME_LENGTH = Math.min(
  ...NAME_LIMITS.map(({ limit, of }) => limit - of(deriveNames('')).length),
);

/**
 * Why `service` cannot name a deployment (one clause with the rule), or undefined when it can:
 * AWS would refuse one of its derived names somewhere.
 */
export function serviceNameProblem(service: string): string | undefined {
  if (!SERVICE_NAME.test(service)) {
    return 'use lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, e.g. greeter';
  }
  const names = deriveNames(service);
  const tooLong = NAME_LIMITS.find(({ limit, of }) => of(names).length > limit);
  return tooLong
    ? `it is ${service.length} characters, and the ${tooLong.what} ${tooLong.of(names)} would exceed AWS's ${tooLong.limit}; use at most ${MAX_SERVICE_NAME_LENGTH}`
    : undefined;
}

/**
 * Why `environment` cannot name an environment of `service` (one clause with the rule), or
 * undefined when it can: its shape, then AWS's limits on every name it would derive.
 */
export function environmentNameProblem(service: string, environment: string): string | undefined {
  if (isDefaultEnvironment(environment)) return undefined;
  const shape = environmentShapeProblem(environment);
  if (shape) return shape;
  const names = deriveNames(service, environment);
  const tooLong = NAME_LIMITS.find(({ limit, of }) => of(names).length > limit);
  if (!tooLong) return undefined;
  const room = Math.min(
    ...NAME_LIMITS.map(({ limit, of }) => limit - (of(names).length - environment.length)),
  );
  return `the ${tooLong.what} ${tooLong.of(names)} would exceed AWS's ${tooLong.limit}; ${service}'s environments can have at most ${Math.max(room, 0)} characters`;
}

/**
 * The names of `service`'s deployment (an Nx project name such as `hello-world`) in `environment`
 * (default: the reference's names): pure, and the one place they are spelt. Throws
 * ServiceNameError or EnvironmentNameError on a name AWS would refuse somewhere.
 */
export function deploymentNames(
  service: string,
  environment: string = DEFAULT_ENVIRONMENT,
): DeploymentNames {
  const problem = serviceNameProblem(service);
  if (problem) {
    throw new ServiceNameError(`invalid service name ${JSON.stringify(service)}: ${problem}`);
  }
  const environmentProblem = environmentNameProblem(service, environment);
  if (environmentProblem) {
    throw new EnvironmentNameError(
      `invalid environment ${JSON.stringify(environment)}: ${environmentProblem}`,
    );
  }
  return deriveNames(service, environment);
}

/** The reference deployment's service, whose names every default below spells. */
const HELLO_WORLD = deploymentNames('hello-world');

/** The application, container and task family name. */
export const APP_NAME = HELLO_WORLD.service;

/** Main stack, ECS cluster, ECS service and ECR repository share this name (the reference's). */
export const DEPLOYMENT_NAME = HELLO_WORLD.deployment;

/** The registry lives in its own stack so it exists before the first image is pushed. */
export const REGISTRY_STACK_NAME = HELLO_WORLD.registryStack;

/** Optional stack with the GitHub OIDC role for CI. */
export const CI_STACK_NAME = HELLO_WORLD.ciStack;

export const LOG_GROUP_NAME = HELLO_WORLD.logGroup;
export const LOG_STREAM_PREFIX = 'ecs';
export const LOG_RETENTION_DAYS = 7;

export const DEFAULT_REGION = 'eu-west-1';

/** The git tag nx release writes for a version (nx.json `release.releaseTag.pattern`). */
export const RELEASE_TAG_PATTERN = `v{version}${FLAVOUR_SUFFIX}`;

/** The same tags as a git/GitHub glob: the release workflow's trigger and the CI role's trust. */
export const RELEASE_TAG_GLOB = RELEASE_TAG_PATTERN.replace('{version}', '*');

/** Every image a build pushes carries `sha-<short sha>[-dirty-<hash>]${FLAVOUR_SUFFIX}`. */
export const BUILD_IMAGE_TAG_PREFIX = 'sha-';

/**
 * Release images (`v1.2.3…`, pre-releases too) in ECR's wildcard syntax, where `*` is any run of
 * characters; three dot-separated parts tell a release from the floating v1 and v1.2 tags.
 */
export const RELEASE_IMAGE_TAG_WILDCARD = `v*.*.*${FLAVOUR_SUFFIX}`;

/** Prefix of the marker tag `infra:deploy` moves onto the image a service stack runs. */
export const DEPLOYED_IMAGE_TAG_PREFIX = 'deployed-';

/**
 * The mutable marker on the image the service stack runs after its latest deploy, e.g.
 * `deployed-hello-world-ecr-ecs-fargate`; the ECR lifecycle policy never expires it.
 */
export function deployedImageTag(serviceStackName: string): string {
  return `${DEPLOYED_IMAGE_TAG_PREFIX}${serviceStackName}`;
}

/**
 * The tag on the image a service stack ran before its latest deploy or rollback: what a rollback
 * goes back to. It starts with DEPLOYED_IMAGE_TAG_PREFIX, so the lifecycle policy keeps it too.
 */
export function previousDeployedImageTag(serviceStackName: string): string {
  return `${deployedImageTag(serviceStackName)}-previous`;
}
