import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { readParameterOverrides } from '../deploy-command';
import { parseDuration } from '../ops/args';

export const DEPLOY_USAGE = `Usage: npx nx run infra:deploy [-- options]
  registry stack → image (hello-world:docker-push, skipped when the tag is in ECR) → service stack
  → wait for the rollout → URL (checked from here) → receipt
Options:
  --image-tag=TAG    deploy this tag (must be in ECR already) instead of the current build's
  --allowed-ip=CIDR  who may reach the service port (default: keep the stack's)
  --profile=NAME     AWS profile (region: the one the stacks were synthesized for, AWS_REGION)
  --timeout=20m      how long the rollout may take
  --json             print the receipt as JSON on stdout (progress stays on stderr)
  --registry-only    deploy only the registry stack (the infra:deploy-registry target)`;

export interface DeployOptions {
  help: boolean;
  imageTag?: string;
  allowedIp?: string;
  profile?: string;
  timeoutMs: number;
  json: boolean;
  registryOnly: boolean;
}

/** Flags first, then IMAGE_TAG / ALLOWED_IP; every bad value is one line (ConfigError). */
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
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.split('\n')[0]}; see --help`);
  }
  const overrides = readParameterOverrides(values, env);
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(values.timeout ?? '20m', '--timeout');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    help: values.help ?? false,
    ...(overrides.imageTag ? { imageTag: overrides.imageTag } : {}),
    ...(overrides.allowedIp ? { allowedIp: overrides.allowedIp } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
    timeoutMs,
    json: values.json ?? false,
    registryOnly: values['registry-only'] ?? false,
  };
}
