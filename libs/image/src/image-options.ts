import {
  APP_NAME,
  DEFAULT_REGION,
  deploymentNames,
  isAwsProfileName,
  isAwsRegion,
} from '@hello-world/shared';
import { parseArgs } from 'node:util';
import { ImageError } from './image-error';

export const USAGE = `usage: nx run <app>:docker-build|docker-push [-- --allow-dirty --print-tag --project=P --region R --profile P]
  --allow-dirty  build from uncommitted changes in the image's inputs (tagged sha-<sha>-dirty-<hash>)
  --print-tag    print only the image's sha tag on stdout and exit: nothing built, pushed or asked of AWS
                 (for scripts: npx tsx libs/image/src/docker-push.ts --print-tag)
  --project=P    the Nx app to build (default ${APP_NAME}): its Dockerfile, bundle, inputs and registry
  --region R     AWS region, default AWS_REGION, else AWS_DEFAULT_REGION, else eu-west-1
  --profile P    AWS profile, default AWS_PROFILE
  Through nx, docker-push's options reach infra:deploy-registry, which nx runs first, and
  infra:deploy's reach docker-push (dependsOn params: forward): docker-push accepts deploy's
  options (--image-tag, --allowed-ip, --timeout, --json, --registry-only, --service-only) and
  pushes nothing when they name an image already in the registry or only the registry stack.
  docker-push writes what it did to dist/<app root>/image-push.json, which infra:deploy reads.
  env IMAGE_REGISTRY=host[:port][/namespace]  push there instead of the ECR repository (no AWS)
  env BASE_IMAGE=image                         base image passed to the Dockerfile's BASE_IMAGE
  env IMAGE_CACHE_FROM / IMAGE_CACHE_TO        buildx layer cache, e.g. type=gha,scope=hello-world`;

/** Everything docker-build and docker-push read from the command line and environment, once. */
export interface ImageOptions {
  allowDirty: boolean;
  help: boolean;
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
   * docker-push only: why it pushes nothing this time, when the deploy chain handed it
   * infra:deploy's --service-only, --image-tag or --registry-only.
   */
  skipPush?: string;
}

/**
 * infra:deploy's options, which reach docker-push along the chain (its dependsOn forwards the
 * command line): docker-push accepts them, and reads only the ones that mean "push nothing".
 */
const DEPLOY_CHAIN_OPTIONS = {
  'image-tag': { type: 'string' },
  'allowed-ip': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  'registry-only': { type: 'boolean' },
  'service-only': { type: 'boolean' },
} as const;

export interface BuildCache {
  from?: string;
  to?: string;
}

// host[:port] then optional lowercase path segments, as Docker names repositories.
const REGISTRY = /^[a-zA-Z0-9.-]+(?::\d{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * `chain`: docker-push, a step of the deploy chain, also accepts infra:deploy's options (and skips
 * when they say so); docker-build, in no chain, only its own.
 */
export function parseImageOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  { chain = false }: { chain?: boolean } = {},
): ImageOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'allow-dirty': { type: 'boolean', default: false },
        'print-tag': { type: 'boolean', default: false },
        project: { type: 'string' },
        region: { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        ...(chain ? DEPLOY_CHAIN_OPTIONS : {}),
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ImageError(`${(error as Error).message.split('\n')[0]}; see --help`, 'environment');
  }
  const project = values.project ?? APP_NAME;
  let names;
  try {
    names = deploymentNames(project);
  } catch (error) {
    throw new ImageError(`--project: ${(error as Error).message}`, 'environment');
  }
  const chainValues = values as Record<string, string | boolean | undefined>;
  const skipPush = chainValues['service-only']
    ? '--service-only deploys an image already in the registry'
    : typeof chainValues['image-tag'] === 'string'
      ? `--image-tag=${chainValues['image-tag']} deploys an image already in the registry`
      : chainValues['registry-only']
        ? '--registry-only deploys only the registry stack'
        : undefined;
  // Checked here so a typo is one line now, not an SDK error (or another region) later.
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
    throw new ImageError(
      `IMAGE_REGISTRY="${registry}" is not host[:port][/namespace], e.g. 127.0.0.1:5050`,
      'environment',
    );
  }
  const baseImage = env['BASE_IMAGE']?.trim();
  const cacheFrom = env['IMAGE_CACHE_FROM']?.trim();
  const cacheTo = env['IMAGE_CACHE_TO']?.trim();
  return {
    allowDirty: values['allow-dirty'] ?? false,
    help: values.help ?? false,
    printTag: values['print-tag'] ?? false,
    project,
    ...(skipPush ? { skipPush } : {}),
    ...(registry ? { repositoryOverride: `${registry}/${names.deployment}` } : {}),
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

function checkFlag(
  value: string | undefined,
  flag: string,
  isValid: (value: string) => boolean,
  want: string,
): void {
  if (value !== undefined && !isValid(value)) {
    throw new ImageError(`${flag} ${JSON.stringify(value)} is not ${want}`, 'environment');
  }
}
