import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config';

/** Which deployment's assembly: its service stack's artifact, and its project's synth target. */
export interface AssemblyOf {
  /** The service stack (deploymentNames(service).deployment), whose environment names the region. */
  serviceStackName: string;
  /** The deployment project (`infra`, `greeter-infra`), whose synth target the hints name. */
  project: string;
}

/**
 * The region the stacks were synthesized for, from the cloud assembly's manifest (`cdk deploy`
 * deploys there): the environment of the deployment's service stack. A missing, unreadable or
 * corrupt assembly is one line saying to synth again.
 */
export function readAssemblyRegion(assemblyDir: string, of: AssemblyOf): string {
  const synth = `run \`npx nx run ${of.project}:synth\``;
  const manifestPath = join(assemblyDir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`no cloud assembly at ${assemblyDir}: ${synth}`);
    }
    throw unreadable(manifestPath, error, synth);
  }
  let manifest: { artifacts?: Record<string, { environment?: string }> };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch (error) {
    throw unreadable(manifestPath, error, synth);
  }
  const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(
    manifest?.artifacts?.[of.serviceStackName]?.environment ?? '',
  )?.[1];
  if (!region || region.startsWith('unknown')) {
    throw new ConfigError(
      `the cloud assembly at ${assemblyDir} names no region for ${of.serviceStackName}: set AWS_REGION and ${synth}`,
    );
  }
  return region;
}

function unreadable(manifestPath: string, error: unknown, synth: string): ConfigError {
  const reason = ((error as Error).message ?? String(error)).split('\n')[0];
  return new ConfigError(`cannot read the cloud assembly at ${manifestPath} (${reason}): ${synth}`);
}
