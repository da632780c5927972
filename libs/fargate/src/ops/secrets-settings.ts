import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CDK_JSON } from '../deployment';
import { ConfigError, loadSecretSettings } from '../config';
import type { SecretSettings } from './secrets';

/**
 * The environment's secret settings from the deployment's cdk.json context, as synth reads them
 * (loadSecretSettings): its folder, KMS key and configured secrets. Throws ConfigError.
 */
export function readSecretSettings(
  dir: string,
  environment: string,
  readText: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): SecretSettings {
  const path = join(dir, CDK_JSON);
  let context: Record<string, unknown>;
  try {
    const parsed = JSON.parse(readText(path)) as { context?: Record<string, unknown> };
    context = parsed.context ?? {};
  } catch (error) {
    throw new ConfigError(`${path} cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  return loadSecretSettings((key) => context[key], environment);
}
