import { DEPLOYMENT_NAME } from '@hello-world/shared';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config';

const SYNTH = 'run `npx nx run infra:synth`';

/**
 * The region the stacks were synthesized for, from the cloud assembly's manifest (`cdk deploy`
 * deploys there). A missing, unreadable or corrupt assembly is one line saying to synth again.
 */
export function readAssemblyRegion(assemblyDir: string): string {
  const manifestPath = join(assemblyDir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`no cloud assembly at ${assemblyDir}: ${SYNTH}`);
    }
    throw unreadable(manifestPath, error);
  }
  let manifest: { artifacts?: Record<string, { environment?: string }> };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch (error) {
    throw unreadable(manifestPath, error);
  }
  const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(
    manifest?.artifacts?.[DEPLOYMENT_NAME]?.environment ?? '',
  )?.[1];
  if (!region || region.startsWith('unknown')) {
    throw new ConfigError(
      `the cloud assembly at ${assemblyDir} names no region for ${DEPLOYMENT_NAME}: set AWS_REGION and ${SYNTH}`,
    );
  }
  return region;
}

function unreadable(manifestPath: string, error: unknown): ConfigError {
  const reason = ((error as Error).message ?? String(error)).split('\n')[0];
  return new ConfigError(`cannot read the cloud assembly at ${manifestPath} (${reason}): ${SYNTH}`);
}
