import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CPU_ARCHITECTURE,
  DEFAULT_ENVIRONMENT,
  parseCpuArchitecture,
  type CpuArchitecture,
} from '@hello-world/shared';
import { ConfigError } from '../config';
import type { CfnTemplate } from './ingress-preflight';
import { parseSecretValueFrom, type TaskSecret } from './secrets-preflight';

/** Which deployment's assembly: its service stack's artifact, and its project's synth target. */
export interface AssemblyOf {
  /** The service stack (deploymentNames(service).deployment), whose environment names the region. */
  serviceStackName: string;
  /** The deployment project (`infra`, `greeter-infra`), whose synth target the hints name. */
  project: string;
  /** The environment the stack is of, for the hint when the assembly is another's. */
  environment?: string;
}

/**
 * The region the stacks were synthesized for, from the cloud assembly's manifest (`cdk deploy`
 * deploys there): the environment of the deployment's service stack. A missing, unreadable or
 * corrupt assembly is one line saying to synth again.
 */
export function readAssemblyRegion(assemblyDir: string, of: AssemblyOf): string {
  const synth = synthHint(of);
  const manifest = readManifest(assemblyDir, synth);
  if (manifest?.artifacts && !manifest.artifacts[of.serviceStackName]) {
    // Synthesized for another deployment or environment (another --env or DEPLOY_ENV).
    const environment = of.environment ?? DEFAULT_ENVIRONMENT;
    const synthCommand =
      environment === DEFAULT_ENVIRONMENT
        ? `npx nx run ${of.project}:synth`
        : `DEPLOY_ENV=${environment} npx nx run ${of.project}:synth`;
    throw new ConfigError(
      `the cloud assembly at ${assemblyDir} has no stack ${of.serviceStackName}: it holds another deployment's or environment's templates; run \`${synthCommand}\``,
    );
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

/**
 * The CPU architecture the synthesized service runs on: its task definition's
 * RuntimePlatform.CpuArchitecture in the service stack's template (none is Fargate's X86_64). The
 * deploy checks the image's platform against it before anything is rolled out.
 */
export function readTaskArchitecture(assemblyDir: string, of: AssemblyOf): CpuArchitecture {
  const { taskDefinition, templatePath, synth } = readTaskDefinition(assemblyDir, of);
  const value = taskDefinition.Properties?.RuntimePlatform?.CpuArchitecture;
  if (value === undefined) return DEFAULT_CPU_ARCHITECTURE;
  const architecture = typeof value === 'string' ? parseCpuArchitecture(value) : undefined;
  if (!architecture) {
    throw new ConfigError(
      `${templatePath}'s task definition runs on CPU architecture ${JSON.stringify(value)}, not X86_64 or ARM64: ${synth}`,
    );
  }
  return architecture;
}

/**
 * The secrets the synthesized task definition's containers get from SSM or Secrets Manager (their
 * Secrets: Name and ValueFrom), which must exist before the service stack is updated.
 */
export function readTaskSecrets(assemblyDir: string, of: AssemblyOf): TaskSecret[] {
  const { taskDefinition, templatePath, synth } = readTaskDefinition(assemblyDir, of);
  const containers = taskDefinition.Properties?.ContainerDefinitions;
  return (Array.isArray(containers) ? containers : []).flatMap((container) =>
    (Array.isArray(container?.Secrets) ? container.Secrets : []).map((entry) => {
      const name = typeof entry?.Name === 'string' ? entry.Name : undefined;
      const source = parseSecretValueFrom(entry?.ValueFrom);
      if (!name || !source) {
        throw new ConfigError(
          `${templatePath}'s task definition has a secret ${JSON.stringify(entry?.Name)} whose ValueFrom is neither an SSM parameter nor a Secrets Manager ARN: ${synth}`,
        );
      }
      return { name, source };
    }),
  );
}

interface TemplateTaskDefinition {
  Type?: string;
  Properties?: {
    RuntimePlatform?: { CpuArchitecture?: unknown };
    ContainerDefinitions?: { Secrets?: { Name?: unknown; ValueFrom?: unknown }[] }[];
  };
}

/**
 * The synthesized service stack's template, as `cdk deploy` will submit it: its outputs say its
 * ingress mode, and a mode switch compares it with the live stack's template.
 */
export function readServiceTemplate(
  assemblyDir: string,
  of: AssemblyOf,
): { template: CfnTemplate; templatePath: string } {
  const { template, templatePath } = readTemplate<CfnTemplate>(assemblyDir, of);
  return { template: template ?? {}, templatePath };
}

function readTemplate<T>(
  assemblyDir: string,
  of: AssemblyOf,
): { template: T | undefined; templatePath: string; synth: string } {
  const synth = synthHint(of);
  const manifest = readManifest(assemblyDir, synth);
  const templateFile =
    manifest?.artifacts?.[of.serviceStackName]?.properties?.templateFile ??
    `${of.serviceStackName}.template.json`;
  const templatePath = join(assemblyDir, templateFile);
  return { template: readJson<T>(templatePath, synth), templatePath, synth };
}

/** The service stack's (one) task definition, from its template in the assembly. */
function readTaskDefinition(
  assemblyDir: string,
  of: AssemblyOf,
): { taskDefinition: TemplateTaskDefinition; templatePath: string; synth: string } {
  const { template, templatePath, synth } = readTemplate<{
    Resources?: Record<string, TemplateTaskDefinition>;
  }>(assemblyDir, of);
  const [taskDefinition] = Object.values(template?.Resources ?? {}).filter(
    (resource) => resource?.Type === 'AWS::ECS::TaskDefinition',
  );
  if (!taskDefinition) {
    throw new ConfigError(`${templatePath} has no ECS task definition: ${synth}`);
  }
  return { taskDefinition, templatePath, synth };
}

function synthHint(of: AssemblyOf): string {
  return `run \`npx nx run ${of.project}:synth\``;
}

interface AssemblyManifest {
  artifacts?: Record<string, { environment?: string; properties?: { templateFile?: string } }>;
}

/** The assembly's manifest.json; missing is "no cloud assembly", unreadable or corrupt says so. */
function readManifest(assemblyDir: string, synth: string): AssemblyManifest {
  return readJson<AssemblyManifest>(
    join(assemblyDir, 'manifest.json'),
    synth,
    `no cloud assembly at ${assemblyDir}: ${synth}`,
  );
}

/** A JSON file of the assembly; `missing` is the line for a file that is not there. */
function readJson<T>(path: string, synth: string, missing = `no ${path}: ${synth}`): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError(missing);
    throw unreadable(path, error, synth);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw unreadable(path, error, synth);
  }
}

function unreadable(manifestPath: string, error: unknown, synth: string): ConfigError {
  const reason = ((error as Error).message ?? String(error)).split('\n')[0];
  return new ConfigError(`cannot read the cloud assembly at ${manifestPath} (${reason}): ${synth}`);
}
