import { DEFAULT_ENVIRONMENT, type DeploymentNames } from '@hello-world/shared';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nxRunStep } from '../local/next-step';

/** One CloudFormation resource as CDK writes it into a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  /** The template condition the resource is created under, if any. */
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Description?: string;
  readonly Parameters?: Record<string, { readonly Default?: unknown; readonly Type?: string }>;
  readonly Resources?: Record<string, CfnResource>;
}

export interface SynthesizedStack {
  readonly name: string;
  readonly region: string;
  /** Stacks this one deploys after, from the assembly manifest. */
  readonly dependencies: readonly string[];
  readonly template: CfnTemplate;
}

/** What `cdk synth` wrote: the stacks in manifest order, each with its template. */
export interface CloudAssembly {
  readonly stacks: readonly SynthesizedStack[];
}

/** A problem the user fixes by running or changing something; printed as one line. */
export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly dependencies?: readonly string[];
  readonly properties?: { readonly templateFile?: string };
  readonly displayName?: string;
}

/** Where `nx run infra:synth` writes the cloud assembly, relative to the workspace root. */
export const DEFAULT_ASSEMBLY_DIR = join('dist', 'apps', 'infra', 'cdk.out');

/**
 * What to run when the templates are missing, broken or another environment's: the deployment
 * project's synth, in the environment wanted (`-- --env=staging` for one other than the default).
 */
export const synthHint = (project: string, environment: string = DEFAULT_ENVIRONMENT) =>
  `run \`${nxRunStep(project, 'synth', environment)}\` first`;

function readJson(file: string, hint: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AssemblyError(`Cannot read ${file} (${(error as Error).message}): ${hint}.`);
  }
}

/** `aws://unknown-account/eu-west-1` → `eu-west-1`. */
function regionOf(environment: string | undefined, stack: string, hint: string): string {
  const region = environment?.split('/').pop();
  if (!region || region.startsWith('unknown')) {
    throw new AssemblyError(
      `Stack ${stack} was synthesized without a region: set AWS_REGION (or context "region") and ${hint}.`,
    );
  }
  return region;
}

/**
 * Reads the CloudFormation stacks of a synthesized cloud assembly directory; its errors say to
 * run the synth of the deployment `project` (default hello-world's, infra) in `environment`.
 */
export function readCloudAssembly(
  dir: string,
  project = 'infra',
  /** The environment whose templates are wanted: its synth is the next step. */
  environment: string = DEFAULT_ENVIRONMENT,
): CloudAssembly {
  const hint = synthHint(project, environment);
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new AssemblyError(`No synthesized templates in ${dir}: ${hint}.`);
  }
  const manifest = readJson(manifestFile, hint) as { artifacts?: Record<string, ManifestArtifact> };
  const stacks = Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]): SynthesizedStack => {
      const templateFile = artifact.properties?.templateFile ?? `${id}.template.json`;
      return {
        name: artifact.displayName ?? id,
        region: regionOf(artifact.environment, id, hint),
        dependencies: artifact.dependencies ?? [],
        template: readJson(join(dir, templateFile), hint) as CfnTemplate,
      };
    });
  if (stacks.length === 0) throw new AssemblyError(`${manifestFile} holds no stack: ${hint}.`);
  return { stacks };
}

/** Every resource of every stack, with the stack it belongs to, in template order. */
export function listResources(
  assembly: CloudAssembly,
): { stack: SynthesizedStack; logicalId: string; resource: CfnResource }[] {
  return assembly.stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources ?? {}).map(([logicalId, resource]) => ({
      stack,
      logicalId,
      resource,
    })),
  );
}

/** The one region all stacks deploy to. */
export function regionOfAssembly(assembly: CloudAssembly): string {
  const regions = [...new Set(assembly.stacks.map((stack) => stack.region))];
  if (regions.length !== 1) {
    throw new AssemblyError(`The stacks target several regions (${regions.join(', ')}).`);
  }
  return regions[0];
}

/**
 * The stacks the assembly's manifest lists: those of its latest synth (the CDK CLI leaves older
 * templates of other environments beside them, so the files alone do not say). Undefined when
 * there is no manifest; a broken one is an AssemblyError.
 */
export function readAssemblyStackNames(dir: string, project = 'infra'): string[] | undefined {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return undefined;
  const manifest = readJson(manifestFile, synthHint(project)) as {
    artifacts?: Record<string, ManifestArtifact>;
  };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => artifact.displayName ?? id);
}

/**
 * Refuses an assembly synthesized for another environment than `names.environment`: its service
 * stack (`names.deployment`) must be among the stacks, else one line naming the synth to run.
 */
export function checkAssemblyEnvironment(
  stackNames: readonly string[],
  names: Pick<DeploymentNames, 'deployment' | 'environment'>,
  project = 'infra',
): void {
  if (stackNames.includes(names.deployment)) return;
  throw new AssemblyError(
    `The synthesized templates are not environment ${names.environment}'s (no stack ${names.deployment}; they hold ${stackNames.join(', ') || 'none'}): ${synthHint(project, names.environment)}.`,
  );
}
