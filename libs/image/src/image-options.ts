import {
  APP_NAME,
  chooseEnvironment,
  DEFAULT_CPU_ARCHITECTURE,
  DEFAULT_REGION,
  deploymentNames,
  ENVIRONMENT_VARIABLE,
  isAwsProfileName,
  isAwsRegion,
  isImagePlatform,
  parseCpuArchitecture,
  platformOfArchitecture,
  type ImagePlatform,
} from '@hello-world/shared';
import { type CliSpec, type CliValues, UsageError } from '@hello-world/cli';

export const USAGE = `usage: nx run <app>:docker-build|docker-push [-- --allow-dirty --print-tag --platform=P --project=P --region R --profile P --env=NAME]
  --allow-dirty  build from uncommitted changes in the image's inputs (tagged sha-<sha>-dirty-<hash>)
  --print-tag    print only the image's sha tag on stdout and exit: nothing built, pushed or asked of AWS
                 (for scripts: npx tsx libs/image/src/docker-push.ts --print-tag)
  --platform=P   linux/amd64, linux/arm64, or both comma-separated (a multi-platform image, needs
                 docker buildx; docker-push pushes it as one index). Default: the task's, from env
                 CPU_ARCHITECTURE (X86_64 linux/amd64, ARM64 linux/arm64), else linux/amd64. Tags of
                 any other platform than linux/amd64 name it: sha-<sha>-arm64-ecr-ecs-fargate
  --project=P    the Nx app to build (default ${APP_NAME}): its Dockerfile, bundle, inputs and registry
  --region R     AWS region, default AWS_REGION, else AWS_DEFAULT_REGION, else eu-west-1
  --profile P    AWS profile, default AWS_PROFILE
  --env=NAME     docker-push: the environment it pushes for (default env ${ENVIRONMENT_VARIABLE}, else default):
                 a pull-request preview (pr-<number>) pushes to the previews' own repository, every other
                 environment to the shared one its images are promoted from
  -h, --help     show this help: nothing built, pushed or asked of AWS
  Through nx, docker-push's options reach infra:deploy-registry, which nx runs first, and
  infra:deploy's reach docker-push (dependsOn params: forward): docker-push accepts deploy's
  options (--env, --image-tag, --allowed-ip, --timeout, --json, --registry-only, --service-only, …) and
  pushes nothing when they name an image already in the registry or only the registry stack.
  docker-push writes what it did to dist/<app root>/image-push.json, which infra:deploy reads.
  env CPU_ARCHITECTURE=X86_64|ARM64            the Fargate task's architecture, as synth reads it
  env IMAGE_REGISTRY=host[:port][/namespace]  push there instead of the ECR repository (no AWS)
  env BASE_IMAGE=image                         base image passed to the Dockerfile's BASE_IMAGE
  env IMAGE_CACHE_FROM / IMAGE_CACHE_TO        buildx layer cache, e.g. type=gha,scope=hello-world`;

/** Everything docker-build and docker-push read from the command line and environment, once. */
export interface ImageOptions {
  allowDirty: boolean;
  /** Print the build's sha tag (the first docker-push pushes) and stop: no engine, no AWS. */
  printTag: boolean;
  /** Full repository (registry/namespace/name) when IMAGE_REGISTRY overrides ECR. */
  repositoryOverride?: string;
  baseImage?: string;
  /** BuildKit layer cache (IMAGE_CACHE_FROM / IMAGE_CACHE_TO); set, the build runs through buildx. */
  buildCache?: BuildCache;
  region?: string;
  profile?: string;
  /** The Nx app whose image this is (--project, default hello-world). */
  project: string;
  /**
   * The environment pushed for (--env, else DEPLOY_ENV, else default): its names' registry stack
   * holds the repository, the previews' own for a preview (`pr-<number>`), else the shared one.
   */
  environment: string;
  /**
   * What to build for, sorted, at least one: --platform, else the task's CPU_ARCHITECTURE, else
   * linux/amd64. More than one is a multi-platform image (buildx).
   */
  platforms: ImagePlatform[];
  /**
   * docker-push only: why it pushes nothing this time, when the deploy chain handed it
   * infra:deploy's --service-only, --image-tag or --registry-only.
   */
  skipPush?: string;
}

export interface BuildCache {
  from?: string;
  to?: string;
}

/** docker-build's command line; its `name` is the default app's, the CLIs name the one they build. */
export const IMAGE_BUILD_CLI = {
  name: `${APP_NAME}:docker-build`,
  usage: USAGE,
  options: {
    'allow-dirty': { type: 'boolean' },
    'print-tag': { type: 'boolean' },
    platform: { type: 'string', example: 'linux/arm64' },
    project: { type: 'string', example: APP_NAME },
    region: { type: 'string', example: DEFAULT_REGION },
    profile: { type: 'string', example: 'default' },
  },
} as const satisfies CliSpec;

/**
 * infra:deploy's options, which reach docker-push along the chain (its dependsOn forwards the
 * command line): docker-push accepts them, and reads only the ones that mean "push nothing".
 */
const DEPLOY_CHAIN_OPTIONS = {
  // Where the image goes: a preview's to the previews' repository, any other to the shared one.
  env: { type: 'string', example: 'staging' },
  'image-tag': { type: 'string', example: 'sha-1a2b3c4-ecr-ecs-fargate' },
  'allowed-ip': { type: 'string', example: '203.0.113.7/32' },
  'alert-email': { type: 'string', example: 'ops@example.com' },
  timeout: { type: 'string', example: '15m' },
  json: { type: 'boolean' },
  abort: { type: 'boolean' },
  'no-rollback': { type: 'boolean' },
  'max-severity': { type: 'string', example: 'HIGH' },
  'allow-vulnerable': { type: 'boolean' },
  'switch-ingress': { type: 'boolean' },
  'registry-only': { type: 'boolean' },
  'service-only': { type: 'boolean' },
} as const;

/**
 * docker-push's command line: a step of the deploy chain, it also accepts infra:deploy's options
 * (and skips when they say so); docker-build, in no chain, only its own.
 */
export const IMAGE_PUSH_CLI = {
  name: `${APP_NAME}:docker-push`,
  usage: USAGE,
  options: { ...IMAGE_BUILD_CLI.options, ...DEPLOY_CHAIN_OPTIONS },
} as const satisfies CliSpec;

/** What either CLI parsed: docker-build's values have none of the chain's. */
export type ImageCliValues = CliValues<typeof IMAGE_BUILD_CLI.options> &
  Partial<CliValues<typeof DEPLOY_CHAIN_OPTIONS>>;

// host[:port] then optional lowercase path segments, as Docker names repositories.
const REGISTRY = /^[a-zA-Z0-9.-]+(?::\d{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * The options from what parseCli read and the environment; a value no AWS or Docker call could
 * use is refused now, in one line (UsageError, exit 2), not as an SDK error (or another region) later.
 */
export function toImageOptions(
  values: ImageCliValues,
  env: Record<string, string | undefined>,
): ImageOptions {
  const project = values.project ?? APP_NAME;
  try {
    deploymentNames(project);
  } catch (error) {
    throw new UsageError(`--project: ${(error as Error).message}`);
  }
  let environment;
  let names;
  try {
    environment = chooseEnvironment(values.env, env);
    names = deploymentNames(project, environment);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const skipPush = values.abort
    ? '--abort stops a deploy in progress and deploys nothing'
    : values['service-only']
      ? '--service-only deploys an image already in the registry'
      : values['image-tag'] !== undefined
        ? `--image-tag=${values['image-tag']} deploys an image already in the registry`
        : values['registry-only']
          ? '--registry-only deploys only the registry stack'
          : undefined;
  checkFlag(
    values.region,
    '--region',
    isAwsRegion,
    `an AWS region, e.g. --region ${DEFAULT_REGION}`,
  );
  checkFlag(
    values.profile,
    '--profile',
    isAwsProfileName,
    'a profile name of A-Z a-z 0-9 _ . + = , @ -, e.g. --profile default',
  );
  const registry = env['IMAGE_REGISTRY']?.trim().replace(/\/+$/, '');
  if (registry !== undefined && registry !== '' && !REGISTRY.test(registry)) {
    throw new UsageError(
      `IMAGE_REGISTRY="${registry}" is not host[:port][/namespace], e.g. 127.0.0.1:5050`,
    );
  }
  const platforms = readPlatforms(values.platform, env['CPU_ARCHITECTURE']);
  const baseImage = env['BASE_IMAGE']?.trim();
  const cacheFrom = env['IMAGE_CACHE_FROM']?.trim();
  const cacheTo = env['IMAGE_CACHE_TO']?.trim();
  return {
    allowDirty: values['allow-dirty'],
    printTag: values['print-tag'],
    project,
    environment,
    platforms,
    ...(skipPush ? { skipPush } : {}),
    // Named as in ECR: the previews' repository for a preview, the shared one otherwise.
    ...(registry ? { repositoryOverride: `${registry}/${names.repository}` } : {}),
    ...(baseImage ? { baseImage } : {}),
    ...(cacheFrom || cacheTo
      ? {
          buildCache: {
            ...(cacheFrom ? { from: cacheFrom } : {}),
            ...(cacheTo ? { to: cacheTo } : {}),
          },
        }
      : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
  };
}

/**
 * The stack whose outputs name the ECR repository docker-push pushes to: the environment's
 * registry stack, which for a pull-request preview is the previews' own (`…-previews`: code under
 * review never writes where releases come from), and for every other environment the shared one.
 */
export function registryStackOf(options: Pick<ImageOptions, 'project' | 'environment'>): string {
  return deploymentNames(options.project, options.environment).registryStack;
}

/**
 * The platforms to build for: --platform's list, else the one the task's CPU_ARCHITECTURE runs
 * (validated as synth validates it), else Fargate's default X86_64's linux/amd64.
 */
export function readPlatforms(
  flag: string | undefined,
  cpuArchitecture: string | undefined,
): ImagePlatform[] {
  if (flag !== undefined) {
    const items = flag
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (items.length === 0 || !items.every(isImagePlatform)) {
      throw new UsageError(
        `--platform ${JSON.stringify(flag)} is not linux/amd64, linux/arm64 or both comma-separated (the platforms Fargate runs), e.g. --platform=linux/arm64`,
      );
    }
    return [...new Set(items)].sort();
  }
  // Unset or empty is the default, as synth reads it.
  if (cpuArchitecture === undefined || cpuArchitecture.trim() === '') {
    return [platformOfArchitecture(DEFAULT_CPU_ARCHITECTURE)];
  }
  const architecture = parseCpuArchitecture(cpuArchitecture);
  if (!architecture) {
    throw new UsageError(
      `CPU_ARCHITECTURE=${JSON.stringify(cpuArchitecture)} is not X86_64 or ARM64 (the task's CPU architecture, as synth reads it), e.g. CPU_ARCHITECTURE=ARM64`,
    );
  }
  return [platformOfArchitecture(architecture)];
}

function checkFlag(
  value: string | undefined,
  flag: string,
  isValid: (value: string) => boolean,
  want: string,
): void {
  if (value !== undefined && !isValid(value)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not ${want}`);
  }
}
