// Everything runs from this one file: Nx loads it as an ES module under Node's type stripping,
// which resolves no extensionless relative import, while Jest needs them extensionless. The pure
// decisions come first (which names and ports are free, what the deployment project holds, how
// the commit scopes and .dockerignore change), then the generator, which only reads the Tree,
// calls them and writes.

import {
  formatFiles,
  generateFiles,
  getProjects,
  logger,
  readJson,
  updateJson,
  writeJson,
  type GeneratorCallback,
  type Tree,
  workspaceRoot,
} from '@nx/devkit';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServiceGeneratorSchema } from './schema';

/** A service and the port it listens on. */
export interface ServiceEntry {
  name: string;
  port: number;
}

/**
 * One deployment project: a project root with a cdk.json, whose context names the service it
 * deploys and that service's port (libs/fargate's readDeployment reads the same two keys).
 */
export interface DeploymentEntry extends ServiceEntry {
  /** The Nx project, e.g. infra. */
  project: string;
  /** Its cdk.json, e.g. apps/infra/cdk.json: where an error tells you to look. */
  file: string;
}

/** What a cdk.json without context "service" or "port" deploys: hello-world (shared's APP_NAME, APP_PORT). */
export const DEFAULT_DEPLOYMENT: ServiceEntry = { name: 'hello-world', port: 49000 };

/**
 * hello-world's deployment. A new deployment copies its CDK settings: the `app` that runs
 * libs/fargate and every `@aws-cdk…` feature flag of its context, so all stacks synthesize alike.
 */
export const TEMPLATE_DEPLOYMENT = 'apps/infra/cdk.json';

/** The first port a generated service gets: hello-world has 49000, the next block is theirs. */
export const FIRST_SERVICE_PORT = 49010;

/** Below 1024 needs root, which the container never has (it runs as uid 1000). */
export const MIN_SERVICE_PORT = 1024;
export const MAX_SERVICE_PORT = 65535;

// A letter, then up to 22 lowercase letters, digits and single hyphens, not ending in one: the
// rule of @hello-world/shared's deploymentNames (the names AWS accepts for the service's stacks,
// repository and roles), a little shorter. Restated, not imported: Nx loads this file as an ES
// module under Node's type stripping, which cannot follow shared's extensionless re-exports;
// generator.spec.ts checks that both accept the same names.
const SERVICE_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,22}$/;

/** What already holds a name: Nx projects, npm package names and deployed services. */
export interface TakenNames {
  /** Project name to its root, e.g. infra -> apps/infra. */
  projects: ReadonlyMap<string, string>;
  /** npm package name to the directory whose package.json declares it. */
  packages: ReadonlyMap<string, string>;
  /** Every deployment project and the service it deploys. */
  deployments: readonly DeploymentEntry[];
  /** Whether apps/<name> (or apps/<name>-infra) already exists. */
  directoryExists: (path: string) => boolean;
}

/** The two projects a service is: its app, apps/<name>, and its deployment, apps/<name>-infra. */
export interface ServiceProjects {
  /** The app's directory, e.g. apps/greeter. */
  app: string;
  /** The deployment project's name, e.g. greeter-infra. */
  deployment: string;
  /** Its directory, e.g. apps/greeter-infra. */
  deploymentDir: string;
}

/**
 * Throws one line naming the problem and the next step, else returns where the service's two
 * projects go. Both names must be free: as a project, as a package and as a directory.
 */
export function checkServiceName(name: string, taken: TakenNames): ServiceProjects {
  if (!SERVICE_NAME.test(name)) {
    throw new Error(
      `service name ${JSON.stringify(name)} is not valid: use a lowercase letter, then up to 22 lowercase letters, digits or single hyphens, ending with a letter or digit, e.g. greeter`,
    );
  }
  const projects: ServiceProjects = {
    app: `apps/${name}`,
    deployment: deploymentProjectName(name),
    deploymentDir: `apps/${deploymentProjectName(name)}`,
  };
  checkFree(name, projects.app, taken);
  const deployed = taken.deployments.find((deployment) => deployment.name === name);
  if (deployed !== undefined) {
    throw new Error(
      `"${name}" is already the service ${deployed.project} deploys (${deployed.file}): pick another name`,
    );
  }
  checkFree(projects.deployment, projects.deploymentDir, taken);
  return projects;
}

/** `project` is no project, no package and no directory yet. */
function checkFree(project: string, directory: string, taken: TakenNames): void {
  const root = taken.projects.get(project);
  if (root !== undefined) {
    throw new Error(`"${project}" is already the project at ${root}: pick another name`);
  }
  const packageName = servicePackageName(project);
  const owner = taken.packages.get(packageName);
  if (owner !== undefined) {
    throw new Error(`${packageName} is already the package in ${owner}: pick another name`);
  }
  if (taken.directoryExists(directory)) {
    throw new Error(`${directory} already exists: pick another name`);
  }
}

/** The npm workspace package of a generated project (the service or its deployment). */
export function servicePackageName(name: string): string {
  return `@hello-world/${name}`;
}

/** The deployment project of a service: greeter -> greeter-infra. */
export function deploymentProjectName(name: string): string {
  return `${name}-infra`;
}

/**
 * The requested port once checked, else the port after the highest one a deployment uses (never
 * below FIRST_SERVICE_PORT), else, when that runs past 65535, the lowest free one from there.
 */
export function choosePort(
  requested: number | undefined,
  deployments: readonly DeploymentEntry[],
): number {
  const owners = new Map(deployments.map((deployment) => [deployment.port, deployment]));
  const next = nextFreePort(owners);
  if (requested === undefined) {
    if (next === undefined) {
      throw new Error(
        `no free port from ${FIRST_SERVICE_PORT} to ${MAX_SERVICE_PORT} among the deployments' cdk.json: pass --port with one below ${FIRST_SERVICE_PORT}`,
      );
    }
    return next;
  }
  if (
    !Number.isInteger(requested) ||
    requested < MIN_SERVICE_PORT ||
    requested > MAX_SERVICE_PORT
  ) {
    throw new Error(
      `--port ${requested} is out of range: use a whole number from ${MIN_SERVICE_PORT} to ${MAX_SERVICE_PORT}`,
    );
  }
  const owner = owners.get(requested);
  if (owner !== undefined) {
    const instead = next === undefined ? 'pick another' : `leave --port out for ${next}`;
    throw new Error(
      `--port ${requested} is already used by ${owner.name} in ${owner.file}: ${instead}`,
    );
  }
  return requested;
}

function nextFreePort(owners: ReadonlyMap<number, unknown>): number | undefined {
  const highest = Math.max(FIRST_SERVICE_PORT - 1, ...owners.keys());
  if (highest < MAX_SERVICE_PORT) return highest + 1;
  for (let port = FIRST_SERVICE_PORT; port <= MAX_SERVICE_PORT; port++) {
    if (!owners.has(port)) return port;
  }
  return undefined;
}

interface CdkJson {
  app?: unknown;
  output?: unknown;
  context?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The service and port a deployment project's cdk.json names, as libs/fargate reads them
 * (context "service", default hello-world; context "port", default 49000). A value the stacks
 * would refuse is refused here too, in one line naming the file.
 */
export function parseDeployment(project: string, file: string, cdkJson: unknown): DeploymentEntry {
  if (typeof cdkJson !== 'object' || cdkJson === null || Array.isArray(cdkJson)) {
    throw new Error(`${file} is not a JSON object: fix it, then generate again`);
  }
  const context = (cdkJson as CdkJson).context ?? {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new Error(`${file}: "context" is not an object: fix it, then generate again`);
  }
  const { service = DEFAULT_DEPLOYMENT.name, port = DEFAULT_DEPLOYMENT.port } = context;
  if (typeof service !== 'string' || service === '') {
    throw new Error(
      `${file}: context "service" ${JSON.stringify(service)} is not a service name: fix it, then generate again`,
    );
  }
  const portNumber =
    typeof port === 'string' && /^\d+$/.test(port.trim()) ? Number(port) : (port as number);
  if (typeof portNumber !== 'number' || !Number.isInteger(portNumber)) {
    throw new Error(
      `${file}: context "port" ${JSON.stringify(port)} is not a whole number: fix it, then generate again`,
    );
  }
  return { project, file, name: service, port: portNumber };
}

/**
 * The new deployment's cdk.json: the template deployment's CDK CLI settings (`app` runs
 * libs/fargate from any apps/<project>, `watch`) and its `@aws-cdk…` feature flags; its own
 * output directory and, in the context, its own service and port. Nothing else of the template's
 * context (hello-world's service, port or any setting pinned for it) is copied.
 */
export function deploymentCdkJson(
  template: unknown,
  deployment: string,
  service: ServiceEntry,
): Record<string, unknown> {
  const source = (typeof template === 'object' && template !== null ? template : {}) as CdkJson;
  if (typeof source.app !== 'string') {
    throw new Error(
      `${TEMPLATE_DEPLOYMENT} has no "app" command to copy: restore hello-world's deployment, then generate again`,
    );
  }
  const flags = Object.entries(source.context ?? {}).filter(([key]) => key.startsWith('@aws-cdk'));
  return {
    app: source.app,
    output: `../../dist/apps/${deployment}/cdk.out`,
    ...(source['watch'] !== undefined ? { watch: source['watch'] } : {}),
    context: { service: service.name, port: service.port, ...Object.fromEntries(flags) },
  };
}

/** The new deployment's package.json: a workspace package with no targets of its own (the plugin infers them from cdk.json). */
export function deploymentPackageJson(service: string): Record<string, unknown> {
  const deployment = deploymentProjectName(service);
  return {
    name: servicePackageName(deployment),
    version: '0.0.0',
    private: true,
    description: `The deployment of ${service}: its CDK settings (cdk.json) and its deploy and operations targets, run by libs/fargate.`,
    dependencies: { '@hello-world/fargate': '*' },
    nx: {
      name: deployment,
      projectType: 'application',
      tags: ['type:app', 'scope:aws'],
      implicitDependencies: [service],
    },
  };
}

/**
 * commitlint.config.cjs with `name` in its `scopes` array, right after the last scope that names a
 * project (projects come first, then ci, docs and the tool-written ones). Undefined when the array
 * is not there in the expected shape, so the caller can say what to add by hand.
 */
export function insertCommitlintScope(
  config: string,
  name: string,
  projects: ReadonlySet<string>,
): string | undefined {
  const block = /(const scopes = \[\n)([\s\S]*?)(\n\];)/.exec(config);
  if (block === null) return undefined;
  const lines = (block[2] as string).split('\n');
  const scopes = lines.map((line) => /^\s*'([^']+)',?$/.exec(line)?.[1]);
  if (scopes.includes(name)) return config;
  const after = lastIndexWhere(scopes, (scope) => scope !== undefined && projects.has(scope));
  if (after < 0) return undefined;
  const indent = /^\s*/.exec(lines[after] as string)?.[0] ?? '  ';
  lines.splice(after + 1, 0, `${indent}'${name}',`);
  const start = block.index + (block[1] as string).length;
  return (
    config.slice(0, start) + lines.join('\n') + config.slice(start + (block[2] as string).length)
  );
}

/**
 * CONTRIBUTING.md with `name` in the "Scopes are ..." sentence, at the same place as in commitlint's
 * list (docs-consistency.spec.ts keeps the two equal). Undefined when the sentence is not found.
 */
export function insertGuideScope(
  guide: string,
  name: string,
  projects: ReadonlySet<string>,
): string | undefined {
  const paragraph = /^Scopes are [\s\S]*?(?=For example|\n\n)/m.exec(guide);
  if (paragraph === null) return undefined;
  const spans = [...paragraph[0].matchAll(/`([^`]+)`/g)];
  if (spans.some((span) => span[1] === name)) return guide;
  const last = spans.filter((span) => projects.has(span[1] as string)).at(-1);
  if (last === undefined) return undefined;
  // Right after the last project's closing backtick, so the list stays `a`, `b`, `name`, `c`.
  const at = paragraph.index + (last.index as number) + last[0].length;
  return `${guide.slice(0, at)}, \`${name}\`${guide.slice(at)}`;
}

/**
 * .dockerignore lets only the bundles through (images build from the workspace root): let this
 * service's bundle through as well.
 */
export function allowBundleInDockerignore(dockerignore: string, name: string): string {
  const lines = [`!dist/apps/${name}/main.js`, `!dist/apps/${name}/healthcheck.js`];
  const missing = lines.filter((line) => !dockerignore.split('\n').includes(line));
  if (missing.length === 0) return dockerignore;
  const base =
    dockerignore === '' || dockerignore.endsWith('\n') ? dockerignore : `${dockerignore}\n`;
  return `${base}${missing.join('\n')}\n`;
}

function lastIndexWhere<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}

// ---- The generator: read the Tree, decide with the functions above, write. ----

/**
 * The template of a service: apps/hello-world with its name and port as placeholders. Found through
 * this package rather than __dirname: Nx loads this file as an ES module (Node strips the types),
 * where __dirname does not exist, and Jest as CommonJS, where import.meta does not.
 */
export const SERVICE_TEMPLATE_DIR = join(
  dirname(
    createRequire(join(workspaceRoot, 'package.json')).resolve('@hello-world/tools/package.json'),
  ),
  'src/plugin/generators/service/files',
);

/**
 * `nx g @hello-world/tools:service <name> [--port=N]`: a new Koa service shaped like hello-world,
 * apps/<name>, and its deployment project, apps/<name>-infra, whose cdk.json names the service
 * and its port (the plugin infers the deployment's CDK and operations targets from that file).
 */
export async function serviceGenerator(
  tree: Tree,
  options: ServiceGeneratorSchema,
): Promise<GeneratorCallback> {
  const projects = new Map([...getProjects(tree)].map(([name, project]) => [name, project.root]));
  const deployments = readDeployments(tree, projects);
  const { app, deployment, deploymentDir } = checkServiceName(options.name, {
    projects,
    packages: readPackageNames(tree, projects.values()),
    deployments,
    directoryExists: (path) => tree.exists(path),
  });
  const service: ServiceEntry = {
    name: options.name,
    port: choosePort(options.port, deployments),
  };
  if (!tree.exists(TEMPLATE_DEPLOYMENT)) {
    throw new Error(
      `${TEMPLATE_DEPLOYMENT} is not there: a new deployment copies its CDK feature flags from hello-world's; restore it, then generate again`,
    );
  }
  const cdkJson = deploymentCdkJson(readJson(tree, TEMPLATE_DEPLOYMENT), deployment, service);

  renderServiceFiles(tree, app, service);
  writeJson(tree, `${deploymentDir}/cdk.json`, cdkJson);
  writeJson(tree, `${deploymentDir}/package.json`, deploymentPackageJson(service.name));
  addRootReference(tree, app);
  // The deployment right after its service: …, tools, greeter, greeter-infra, ci, …
  const projectNames = new Set(projects.keys());
  addCommitScope(tree, service.name, projectNames);
  addCommitScope(tree, deployment, new Set([...projectNames, service.name]));
  updateText(tree, '.dockerignore', (text) => allowBundleInDockerignore(text, service.name));
  await formatFiles(tree);

  return () => {
    logger.info(
      `${app} listens on ${service.port}; ${deploymentDir} deploys it. Next: npm install (adds both workspace packages to package-lock.json), then npx nx run-many -t lint typecheck test build -p ${service.name}, npx nx run ${deployment}:synth, and npx nx run ${deployment}:deploy to take it to AWS`,
    );
  };
}

export default serviceGenerator;

/** Writes apps/<name> from the template; no other file. Exported for the template drift spec. */
export function renderServiceFiles(tree: Tree, directory: string, service: ServiceEntry): void {
  // `__tmpl__` keeps the templates out of this workspace's own TypeScript, Jest, ESLint and Nx
  // project detection; generateFiles drops it from the written names.
  generateFiles(tree, SERVICE_TEMPLATE_DIR, directory, { ...service, tmpl: '' });
}

/** Every project root with a cdk.json is a deployment project: the service and port it names. */
function readDeployments(tree: Tree, projects: ReadonlyMap<string, string>): DeploymentEntry[] {
  return [...projects]
    .map(([project, root]) => ({ project, file: join(root, 'cdk.json') }))
    .filter(({ file }) => tree.exists(file))
    .map(({ project, file }) => parseDeployment(project, file, readJson(tree, file)));
}

function readPackageNames(tree: Tree, roots: Iterable<string>): Map<string, string> {
  const names = new Map<string, string>();
  for (const root of roots) {
    const file = join(root, 'package.json');
    const name = tree.exists(file) ? (readJson(tree, file) as { name?: unknown }).name : undefined;
    if (typeof name === 'string') names.set(name, root);
  }
  return names;
}

/** What `nx sync` would add: the solution tsconfig references every TypeScript project. */
function addRootReference(tree: Tree, directory: string): void {
  if (!tree.exists('tsconfig.json')) return;
  updateJson(tree, 'tsconfig.json', (tsconfig: { references?: { path: string }[] }) => {
    const path = `./${directory}`;
    const references = tsconfig.references ?? [];
    if (!references.some((reference) => reference.path === path)) references.push({ path });
    return { ...tsconfig, references };
  });
}

/** The new project becomes a commit scope, in commitlint's list and in the guide's sentence alike. */
function addCommitScope(tree: Tree, name: string, projects: ReadonlySet<string>): void {
  const edits: Array<[string, typeof insertCommitlintScope]> = [
    ['commitlint.config.cjs', insertCommitlintScope],
    ['CONTRIBUTING.md', insertGuideScope],
  ];
  for (const [file, insert] of edits) {
    if (!tree.exists(file)) continue;
    const updated = insert(tree.read(file, 'utf-8') as string, name, projects);
    if (updated === undefined) logger.warn(`${file}: scope list not found; add "${name}" by hand`);
    else tree.write(file, updated);
  }
}

function updateText(tree: Tree, file: string, change: (text: string) => string): void {
  if (tree.exists(file)) tree.write(file, change(tree.read(file, 'utf-8') as string));
}
