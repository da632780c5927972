import {
  DEFAULT_REGION,
  DEPLOYMENT_NAME,
  isAwsProfileName,
  isAwsRegion,
} from '@hello-world/shared';
import { parseArgs } from 'node:util';
import { ImageError } from './image-error';

export const USAGE = `usage: nx run hello-world:docker-build|docker-push [--allow-dirty] [--print-tag] [--region R] [--profile P]
  --allow-dirty  build from uncommitted changes in the image's inputs (tagged sha-<sha>-dirty-<hash>)
  --print-tag    print only the image's sha tag on stdout and exit: nothing built, pushed or asked of AWS
                 (for scripts: npx tsx libs/image/src/docker-push.ts --print-tag)
  --region R     AWS region, default AWS_REGION, else AWS_DEFAULT_REGION, else eu-west-1
  --profile P    AWS profile, default AWS_PROFILE. Through nx, set AWS_PROFILE (and AWS_REGION)
                 instead: the infra:deploy-registry step nx runs first does not see these flags
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
}

export interface BuildCache {
  from?: string;
  to?: string;
}

// host[:port] then optional lowercase path segments, as Docker names repositories.
const REGISTRY = /^[a-zA-Z0-9.-]+(?::\d{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

export function parseImageOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ImageOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'allow-dirty': { type: 'boolean', default: false },
        'print-tag': { type: 'boolean', default: false },
        region: { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ImageError(`${(error as Error).message.split('\n')[0]}; see --help`, 'environment');
  }
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
    ...(registry ? { repositoryOverride: `${registry}/${DEPLOYMENT_NAME}` } : {}),
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
