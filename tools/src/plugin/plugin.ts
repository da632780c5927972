// The workspace's Nx plugin (registered in nx.json): container targets for every project under
// apps/ with a Dockerfile, CDK and operations targets for every deployment project (a directory
// under apps/ with a cdk.json). This file is the thin shell: it reads the matched files, the
// projects' names and the CLIs' command tables, and hands plain data to infer.ts.
//
// Nx loads it under Node's own type stripping: relative imports name their .js twin (Nx maps it
// to the .ts source), and only types come from @nx/devkit.

import type { CreateNodesResultV2, CreateNodesV2 } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  LOCAL_COMMANDS_FILE,
  OPS_COMMANDS_FILE,
  readCommandTables,
  type CommandTables,
} from './command-table.js';
import { inferProjects, type DeploymentFacts, type ImageProjectFacts } from './infer.js';

/** Both files in one call, so a Dockerfile project can find the deployment that names it. */
export const PLUGIN_GLOB = 'apps/**/{Dockerfile,cdk.json}';

export type PluginOptions = Record<string, never>;

function readJson(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** The project's name as Nx knows it, or undefined when the directory is not a project. */
export function projectNameAt(workspaceRoot: string, root: string): string | undefined {
  const projectJson = readJson(join(workspaceRoot, root, 'project.json'));
  if (projectJson)
    return typeof projectJson['name'] === 'string' ? projectJson['name'] : basename(root);
  const packageJson = readJson(join(workspaceRoot, root, 'package.json'));
  if (!packageJson) return undefined;
  const nx = packageJson['nx'] as { name?: unknown } | undefined;
  if (typeof nx?.name === 'string') return nx.name;
  return typeof packageJson['name'] === 'string' ? packageJson['name'] : basename(root);
}

/** cdk.json's context `service` and `output`, read as the CDK app reads them. */
export function readDeployment(workspaceRoot: string, root: string, name: string): DeploymentFacts {
  const file = join(root, 'cdk.json');
  let cdk: { output?: unknown; context?: { service?: unknown } };
  try {
    cdk = JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8'));
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON (${(error as Error).message}): fix it so Nx can read the deployment`,
      { cause: error },
    );
  }
  const service = cdk.context?.service;
  if (service !== undefined && typeof service !== 'string') {
    throw new Error(
      `${file}: context "service" must be the name of the service project, e.g. "hello-world"`,
    );
  }
  return {
    root,
    name,
    service,
    output: typeof cdk.output === 'string' ? cdk.output : undefined,
  };
}

export function readTables(workspaceRoot: string): CommandTables {
  return readCommandTables(
    readFileSync(join(workspaceRoot, OPS_COMMANDS_FILE), 'utf8'),
    readFileSync(join(workspaceRoot, LOCAL_COMMANDS_FILE), 'utf8'),
  );
}

/** The shell: matched files in, one result per file out (each names its own project root). */
export function createNodesFor(
  files: readonly string[],
  workspaceRoot: string,
): CreateNodesResultV2 {
  const images: ImageProjectFacts[] = [];
  const deployments: DeploymentFacts[] = [];
  const owner = new Map<string, string>();
  for (const file of files) {
    const root = dirname(file).split('\\').join('/');
    const name = projectNameAt(workspaceRoot, root);
    // A Dockerfile or cdk.json outside any project (a fixture, an example) is not inferred.
    if (name === undefined) continue;
    owner.set(file, root);
    if (basename(file) === 'Dockerfile') images.push({ root, name });
    else deployments.push(readDeployment(workspaceRoot, root, name));
  }
  const projects = inferProjects({
    images,
    deployments,
    tables: deployments.length > 0 ? readTables(workspaceRoot) : { ops: [], local: [] },
  });
  return files.flatMap((file) => {
    const root = owner.get(file);
    if (root === undefined) return [];
    const project =
      basename(file) === 'Dockerfile' ? projects.images[root] : projects.deployments[root];
    return project ? [[file, { projects: { [root]: project } }] as const] : [];
  });
}

export const createNodesV2: CreateNodesV2<PluginOptions> = [
  PLUGIN_GLOB,
  (files, _options, context) => createNodesFor(files, context.workspaceRoot),
];
