import { checkEndpointUrls, readAwsProfile } from '@hello-world/aws-ops';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { readParameterOverrides } from '../deploy-command';
import { parseDuration } from '../ops/args';

export const DEPLOY_USAGE = `Usage: npx nx run infra:deploy [-- options]
  registry stack → image (hello-world:docker-push, skipped when the tag is in ECR) → service stack
  → wait for the rollout → tag the image deployed-<stack> → URL (checked from here) → receipt
Options:
  --image-tag=TAG    deploy this tag (must be in ECR already) instead of the current build's
  --allowed-ip=CIDR  who may reach the service port (default: keep the stack's; a network address,
                     e.g. 203.0.113.7/32; 0.0.0.0/0 is the whole internet and is warned about)
  --profile=NAME     AWS profile, default AWS_PROFILE (region: the one the stacks were synthesized
                     for, from AWS_REGION)
  --timeout=20m      how long the rollout may take
  --json             print the receipt as JSON on stdout (progress stays on stderr)
  --allow-dirty      build and push uncommitted changes (tagged sha-<sha>-dirty-<hash>)
  --registry-only    deploy only the registry stack (the infra:deploy-registry target);
                     not with --image-tag or --allowed-ip, which set the service stack
  --service-only     deploy only the service stack, with --image-tag=TAG already in ECR (what the
                     CI deploy role runs); the registry stack must exist: an administrator deploys
                     it with infra:deploy-registry. Not with --registry-only or --allow-dirty`;

export interface DeployOptions {
  help: boolean;
  imageTag?: string;
  allowedIp?: string;
  profile?: string;
  timeoutMs: number;
  json: boolean;
  registryOnly: boolean;
  /** Only the service stack, with an image already in ECR; the registry stack is only read. */
  serviceOnly: boolean;
  /** Passed to docker-push: build the image from uncommitted changes. */
  allowDirty: boolean;
}

/**
 * Flags first, then IMAGE_TAG / ALLOWED_IP / AWS_PROFILE; the AWS endpoint variables are checked
 * too, before CDK or the SDK trip over them. Every bad value is one line (ConfigError).
 */
export function parseDeployArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): DeployOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'image-tag': { type: 'string' },
        'allowed-ip': { type: 'string' },
        profile: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        'registry-only': { type: 'boolean', default: false },
        'service-only': { type: 'boolean', default: false },
        'allow-dirty': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.split('\n')[0]}; see --help`);
  }
  if (values['registry-only'] && values['service-only']) {
    throw new ConfigError(
      '--registry-only and --service-only each deploy one stack: keep one, or drop both to deploy both stacks',
    );
  }
  if (values['service-only'] && values['allow-dirty']) {
    throw new ConfigError(
      '--allow-dirty builds and pushes the work tree, but --service-only deploys an image already in ECR: drop one of them',
    );
  }
  if (values['registry-only']) {
    // Only the service stack takes these; silently dropping them would deploy something else.
    const ignored = (['image-tag', 'allowed-ip'] as const).filter((f) => values[f] !== undefined);
    if (ignored.length > 0) {
      throw new ConfigError(
        `--${ignored[0]} sets the service stack, but --registry-only deploys only the registry: drop --${ignored[0]}, or drop --registry-only to deploy both stacks`,
      );
    }
  }
  if (values['allow-dirty'] && (values['image-tag'] !== undefined || values['registry-only'])) {
    // Nothing is built then, so the flag would be silently ignored.
    throw new ConfigError(
      `--allow-dirty builds and pushes the work tree, but ${values['registry-only'] ? '--registry-only pushes nothing' : '--image-tag deploys an image already in ECR'}: drop one of them`,
    );
  }
  const overrides = readParameterOverrides(values, env);
  if (values['service-only'] && !overrides.imageTag) {
    // Nothing is built or pushed: without a tag there would be nothing to deploy.
    throw new ConfigError(
      '--service-only deploys an image already in ECR and builds nothing: add --image-tag=TAG (e.g. --image-tag=sha-1a2b3c4-ecr-ecs-fargate), or drop --service-only to build and deploy both stacks',
    );
  }
  const timeoutMs = asConfigError(() => parseDuration(values.timeout ?? '20m', '--timeout'));
  // The same rules as the ops commands' (aws-ops), so `--profile=` or 'a b' fail here too.
  const profile = asConfigError(() => readAwsProfile(values.profile, env));
  asConfigError(() => checkEndpointUrls(env));
  return {
    help: values.help ?? false,
    ...(overrides.imageTag ? { imageTag: overrides.imageTag } : {}),
    ...(overrides.allowedIp ? { allowedIp: overrides.allowedIp } : {}),
    ...(profile ? { profile } : {}),
    timeoutMs,
    json: values.json ?? false,
    registryOnly: values['registry-only'] ?? false,
    serviceOnly: values['service-only'] ?? false,
    allowDirty: values['allow-dirty'] ?? false,
  };
}

/** This CLI reports every bad value as a ConfigError, whichever shared check found it. */
function asConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
