// Everything runs from this one file: Nx loads it as an ES module under Node's type stripping,
// which resolves no extensionless relative import, while Jest needs them extensionless. The pure
// decisions come first (which names and ports are free, how the registry, commit scopes and
// .dockerignore change), then the generator, which only reads the Tree, calls them and writes.

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

/** One service the infrastructure runs, as apps/infra/services.json lists it. */
export interface ServiceEntry {
  name: string;
  port: number;
}

export interface ServiceRegistry {
  services: ServiceEntry[];
}

/** Where the infrastructure lists its services; created with hello-world when missing. */
export const SERVICES_FILE = 'apps/infra/services.json';

/** The registry as it stands before any service is generated: hello-world (shared's APP_NAME, APP_PORT). */
export const INITIAL_REGISTRY: ServiceRegistry = {
  services: [{ name: 'hello-world', port: 49000 }],
};

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

/** What already holds a name: Nx projects, npm package names and registered services. */
export interface TakenNames {
  /** Project name to its root, e.g. infra -> apps/infra. */
  projects: ReadonlyMap<string, string>;
  /** npm package name to the directory whose package.json declares it. */
  packages: ReadonlyMap<string, string>;
  services: readonly ServiceEntry[];
  /** Whether apps/<name> already exists. */
  directoryExists: (path: string) => boolean;
}

/** Throws one line naming the problem and the next step, else returns the service's directory. */
export function checkServiceName(name: string, taken: TakenNames): string {
  if (!SERVICE_NAME.test(name)) {
    throw new Error(
      `service name ${JSON.stringify(name)} is not valid: use a lowercase letter, then up to 22 lowercase letters, digits or single hyphens, ending with a letter or digit, e.g. greeter`,
    );
  }
  const project = taken.projects.get(name);
  if (project !== undefined) {
    throw new Error(`"${name}" is already the project at ${project}: pick another name`);
  }
  const packageName = servicePackageName(name);
  const owner = taken.packages.get(packageName);
  if (owner !== undefined) {
    throw new Error(`${packageName} is already the package in ${owner}: pick another name`);
  }
  if (taken.services.some((service) => service.name === name)) {
    throw new Error(`"${name}" is already a service in ${SERVICES_FILE}: pick another name`);
  }
  const directory = `apps/${name}`;
  if (taken.directoryExists(directory)) {
    throw new Error(`${directory} already exists: pick another name`);
  }
  return directory;
}

/** The npm workspace package of a generated service. */
export function servicePackageName(name: string): string {
  return `@hello-world/${name}`;
}

/**
 * The requested port once checked, else the port after the highest one registered (never below
 * FIRST_SERVICE_PORT), else, when that runs past 65535, the lowest free one from there.
 */
export function choosePort(
  requested: number | undefined,
  services: readonly ServiceEntry[],
): number {
  const owners = new Map(services.map((service) => [service.port, service.name]));
  const next = nextFreePort(owners);
  if (requested === undefined) {
    if (next === undefined) {
      throw new Error(
        `no free port from ${FIRST_SERVICE_PORT} to ${MAX_SERVICE_PORT} in ${SERVICES_FILE}: pass --port with one below ${FIRST_SERVICE_PORT}`,
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
      `--port ${requested} is already used by ${owner} in ${SERVICES_FILE}: ${instead}`,
    );
  }
  return requested;
}

function nextFreePort(owners: ReadonlyMap<number, string>): number | undefined {
  const highest = Math.max(FIRST_SERVICE_PORT - 1, ...owners.keys());
  if (highest < MAX_SERVICE_PORT) return highest + 1;
  for (let port = FIRST_SERVICE_PORT; port <= MAX_SERVICE_PORT; port++) {
    if (!owners.has(port)) return port;
  }
  return undefined;
}

/** Reads the registry's JSON; a file of another shape is refused in one line. */
export function parseRegistry(value: unknown): ServiceRegistry {
  const services = (value as { services?: unknown } | null)?.services;
  const valid =
    Array.isArray(services) &&
    services.every(
      (entry: unknown) =>
        typeof (entry as ServiceEntry)?.name === 'string' &&
        Number.isInteger((entry as ServiceEntry)?.port),
    );
  if (!valid) {
    throw new Error(
      `${SERVICES_FILE} is not { "services": [{ "name": ..., "port": ... }] }: fix it, then generate again`,
    );
  }
  return value as ServiceRegistry;
}

/** The registry with the new service last; the rest of the file is kept as it was. */
export function addService(registry: ServiceRegistry, entry: ServiceEntry): ServiceRegistry {
  return { ...registry, services: [...registry.services, entry] };
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

/** `nx g @hello-world/tools:service <name> [--port=N]`: a new Koa service shaped like hello-world. */
export async function serviceGenerator(
  tree: Tree,
  options: ServiceGeneratorSchema,
): Promise<GeneratorCallback> {
  const registry = readRegistry(tree);
  const projects = new Map([...getProjects(tree)].map(([name, project]) => [name, project.root]));
  const directory = checkServiceName(options.name, {
    projects,
    packages: readPackageNames(tree, projects.values()),
    services: registry.services,
    directoryExists: (path) => tree.exists(path),
  });
  const service: ServiceEntry = {
    name: options.name,
    port: choosePort(options.port, registry.services),
  };

  renderServiceFiles(tree, directory, service);
  writeJson(tree, SERVICES_FILE, addService(registry, service));
  addRootReference(tree, directory);
  addCommitScope(tree, service.name, new Set(projects.keys()));
  updateText(tree, '.dockerignore', (text) => allowBundleInDockerignore(text, service.name));
  await formatFiles(tree);

  return () => {
    logger.info(
      `${directory} listens on ${service.port}. Next: npm install (adds the workspace package to package-lock.json), then npx nx run-many -t lint typecheck test build -p ${service.name}`,
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

function readRegistry(tree: Tree): ServiceRegistry {
  return tree.exists(SERVICES_FILE)
    ? parseRegistry(readJson(tree, SERVICES_FILE))
    : INITIAL_REGISTRY;
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
