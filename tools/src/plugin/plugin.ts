// The workspace's Nx plugin (registered in nx.json as ./tools/src/plugin/plugin.ts): container
// targets for every project under apps/ with a Dockerfile, CDK and operations targets for every
// deployment project (a directory under apps/ with a cdk.json).
//
// One file on purpose: Nx loads it under Node's own type stripping, and Node warns on every nx
// command about each further typeless-package .ts module it has to import as ESM
// (MODULE_TYPELESS_PACKAGE_JSON). So the parts are sections, in order: the command tables read
// from the CLIs, the container targets, the deployment targets, the pure inference over the
// workspace's facts, and last the thin shell that reads files and calls it. Only types come
// from @nx/devkit.

import type { CreateNodesResultV2, CreateNodesV2, TargetConfiguration } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Command tables
// ---------------------------------------------------------------------------------------------

// The command tables the CLIs already have, read as data. The plugin runs inside Nx under Node's
// own type stripping, which cannot load the CLIs' modules (their imports are extensionless, and
// the ops CLI pulls in the AWS SDK: seconds on every graph computation). So the table is read
// from the CLI's source text: a plain `export const NAME = ['a', 'b'] as const` literal.
// command-table.spec.ts checks the result against the real modules, so the two cannot drift.

/** Where each table lives, relative to the workspace root. */
export const OPS_COMMANDS_FILE = 'libs/fargate/src/ops/args.ts';
export const LOCAL_COMMANDS_FILE = 'libs/fargate/src/local/local-args.ts';

/** The commands the ops CLI runs (`COMMANDS`) and those its local twin runs (`LOCAL_COMMANDS`). */
export interface CommandTables {
  ops: readonly string[];
  local: readonly string[];
}

/**
 * The string literals of `export const <name> = [ ... ] as const` in `source`. Throws one line
 * naming the file and the constant when the table is missing or holds anything but strings.
 */
export function readStringTable(source: string, name: string, file: string): string[] {
  const match = new RegExp(`export const ${name}\\s*=\\s*\\[([^\\]]*)\\]\\s*as const`).exec(source);
  const body = match?.[1];
  const items = body
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const strings = items?.map((item) => /^'([a-z][a-z0-9-]*)'$/.exec(item)?.[1]);
  if (!strings || strings.length === 0 || strings.some((item) => item === undefined)) {
    throw new Error(
      `${file} has no \`export const ${name} = ['command', …] as const\` of plain command names: the Nx plugin tools/src/plugin infers its targets from that table`,
    );
  }
  return strings as string[];
}

/** Both tables, from the two CLIs' sources. */
export function readCommandTables(opsSource: string, localSource: string): CommandTables {
  return {
    ops: readStringTable(opsSource, 'COMMANDS', OPS_COMMANDS_FILE),
    local: readStringTable(localSource, 'LOCAL_COMMANDS', LOCAL_COMMANDS_FILE),
  };
}

// ---------------------------------------------------------------------------------------------
// Container targets
// ---------------------------------------------------------------------------------------------

// The container targets of a project with a Dockerfile: docker-build, docker-push and
// container-test, from plain data. The image CLIs (libs/image) build hello-world unless told
// --project=<name>, so hello-world's commands stay exactly as they were.

/**
 * The executor of every deployment target and of docker-push (which deploy's options reach) (tools/executors.json): it runs the CLI with the
 * command line after `--` unchanged. nx:run-commands cannot: its schema's `env` is an object of
 * environment variables, so Nx refuses `-- --env=staging` before the CLI runs. Its options are
 * cliCommand, cliCwd and cliForwardArgs, so a CLI's own --command or --cwd is never taken for them.
 */
export const CLI_EXECUTOR = '@hello-world/tools:cli';

/** The service every command defaults to; its commands carry no --project. */
export const DEFAULT_SERVICE = 'hello-world';

/** What the plugin marks its container targets with, as @nx/jest marks its own with jest. */
export const CONTAINER_TECHNOLOGIES = ['docker'];

/** What decides the image's tag, so docker-build and docker-push rebuild on the same changes. */
const IMAGE_INPUTS = [
  'production',
  '^production',
  '{workspaceRoot}/package-lock.json',
  '{workspaceRoot}/.dockerignore',
  // The task's architecture, which the image is built for (libs/image reads it).
  { env: 'CPU_ARCHITECTURE' },
];

export interface ContainerProject {
  /** The Nx project name, e.g. hello-world. */
  name: string;
  /** Its directory, e.g. apps/hello-world. */
  root: string;
  /** The deployment projects that serve it (cdk.json context `service`), sorted; may be empty. */
  deployments: readonly string[];
}

/** infra:deploy; a:deploy and b:deploy. */
function list(projects: readonly string[], suffix: string, conjunction = 'and'): string {
  return projects.map((project) => `${project}${suffix}`).join(` ${conjunction} `);
}

/** `tsx <script>`, with `--project=<name>` for any service but the default. */
function imageCommand(script: string, project: string, extra = ''): string {
  const projectFlag = project === DEFAULT_SERVICE ? '' : ` --project=${project}`;
  return `tsx ${script}${projectFlag}${extra}`;
}

/** The real-engine Jest suite of the images, and its spec for any service's image. */
const CONTAINER_SUITE = 'jest --config libs/image/src/jest.container.config.cjs';
const SERVICE_IMAGE_SPEC = 'libs/image/src/service-image.container-spec.ts';

export function containerTargets(project: ContainerProject): Record<string, TargetConfiguration> {
  const { name, deployments } = project;
  const localDeploy =
    deployments.length > 0 ? list(deployments, ':deploy:local', 'or') : 'deploy:local';
  const registry =
    deployments.length > 0
      ? [{ projects: [...deployments], target: 'deploy-registry', params: 'forward' as const }]
      : [];
  return {
    'docker-build': {
      executor: 'nx:run-commands',
      dependsOn: ['build'],
      cache: false,
      inputs: [...IMAGE_INPUTS],
      options: {
        command: imageCommand('libs/image/src/docker-build.ts', name),
        cwd: '{workspaceRoot}',
      },
      metadata: {
        technologies: [...CONTAINER_TECHNOLOGIES],
        description: `Build the image locally as ${name}-ecr-ecs-fargate:sha-<newest commit of these inputs>-ecr-ecs-fargate. The inputs decide the tag (not cached). --allow-dirty to build uncommitted changes; env BASE_IMAGE overrides the base.`,
      },
    },
    'docker-push': {
      executor: CLI_EXECUTOR,
      dependsOn: ['build', ...registry],
      cache: false,
      options: {
        cliCommand: imageCommand('libs/image/src/docker-push.ts', name),
        cliCwd: '{workspaceRoot}',
      },
      metadata: {
        technologies: [...CONTAINER_TECHNOLOGIES],
        description:
          deployments.length > 0
            ? `Build and push the image unless its tag is already in the registry, and write what it did to dist/${project.root}/image-push.json for ${list(deployments, ':deploy')}. Registry: env IMAGE_REGISTRY (host[:port][/namespace], no AWS) or the registry stack ECR repository. Runs after ${list(deployments, ':deploy-registry')}, which ${deployments.length > 1 ? 'get' : 'gets'} its options (params: forward).`
            : `Build and push the image unless its tag is already in the registry, and write what it did to dist/${project.root}/image-push.json. Registry: env IMAGE_REGISTRY (host[:port][/namespace], no AWS); no deployment project names ${name} as its service (cdk.json context "service"), so there is no registry stack to push to.`,
      },
      inputs: [...IMAGE_INPUTS],
      outputs: [`{workspaceRoot}/dist/${project.root}/image-push.json`],
      configurations: {
        local: {
          cliCommand: `echo 'docker-push:local: nothing pushed; ${localDeploy} builds the image on the local engine'`,
          cliForwardArgs: false,
        },
      },
    },
    'container-test': {
      executor: 'nx:run-commands',
      cache: false,
      // hello-world runs libs/image's whole suite (its image, the push, the local target); any other
      // service runs the suite written for every service's image, pointed at its own project.
      options:
        name === DEFAULT_SERVICE
          ? { command: CONTAINER_SUITE, cwd: '{workspaceRoot}' }
          : {
              command: `${CONTAINER_SUITE} ${SERVICE_IMAGE_SPEC}`,
              cwd: '{workspaceRoot}',
              env: { CONTAINER_TEST_PROJECT: name },
            },
      metadata: {
        technologies: [...CONTAINER_TECHNOLOGIES],
        description:
          name === DEFAULT_SERVICE
            ? 'Real-engine tests of the image (needs DOCKER_HOST and LOCAL_REGISTRY; set BASE_IMAGE where Docker Hub is out of reach).'
            : `Real-engine tests of ${name}'s image, built by ${name}:docker-build and run like the Fargate task: user, port, GET /, /health, Docker health check, exit 0 on SIGTERM (needs DOCKER_HOST; set BASE_IMAGE where Docker Hub is out of reach).`,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Deployment targets
// ---------------------------------------------------------------------------------------------

// The CDK and operations targets of a deployment project (a directory with cdk.json), from plain
// data: which project it is, which service it deploys, and the CLIs' command tables. Every
// description lives here, once; the ops targets come from the ops CLI's COMMANDS and their :local
// configurations from the local CLI's LOCAL_COMMANDS.

/** What the plugin marks its deployment targets with, as @nx/jest marks its own with jest. */
export const DEPLOYMENT_TECHNOLOGIES = ['aws-cdk'];

/** What one operations command does, for `nx show project` and the graph. */
export const OPS_DESCRIPTIONS: Readonly<Record<string, string>> = {
  status:
    'Service counts, deployments, tasks with health, image and IPs, stopped tasks, events, URL',
  url: 'Print only the service URL, for scripts',
  outputs: 'Outputs of the service and registry stacks',
  logs: 'Container logs: --since, --follow, --filter, --task',
  redeploy: 'Force a new deployment, wait for it and print the URL',
  rollback:
    'Put the service back on the previous image that served, or --to=TAG, through a service stack update',
  abort: 'Stop the deploy in progress (stack update or rollout) and wait for its rollback',
  doctor: 'Find why the service is not serving, with evidence and a fix',
  destroy:
    'Delete the service stack (asks first); --delete-images also removes images and the registry stack',
  scan: "The image scan's findings (severity, id, package@version, uri) of a tag, default the running image; --max-severity exits 1",
  envs: 'The deployed environments, found by their stack tags: URL, image tag, last deploy, monthly cost; --previews, --older-than, --json',
  secrets:
    "The environment's secrets (SSM SecureStrings): -- set NAME (value from stdin or a hidden prompt, never argv), list (names, last change, version; never values), rm NAME; a change takes effect with redeploy",
  exec: 'Open a shell, or run --command CMD, in a running task through ECS Exec (--task ID, --container NAME); needs "exec": true and the session-manager-plugin',
};

/** synth first, with the dependent's options (--env=NAME synthesizes that environment). */
const SYNTH_FORWARD = { target: 'synth', params: 'forward' as const };

/** The environment variables that change the synthesized templates. */
const SYNTH_ENV = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'IMAGE_TAG',
  'ALLOWED_IP',
  'TASK_CPU',
  'TASK_MEMORY_MIB',
  'DESIRED_COUNT',
  'CPU_ARCHITECTURE',
  'FARGATE_SPOT',
  'CONTROL_TOWER',
  // The environment (bin/synth.ts sets it from --env) and a setting the environments override.
  'DEPLOY_ENV',
  'LOG_RETENTION_DAYS',
];

const SYNTH_PACKAGES = [
  'aws-cdk-lib',
  'constructs',
  'cdk-nag',
  '@cdklabs/cdk-validator-cfnguard',
  'aws-cdk',
  'tsx',
];

export interface DeploymentProject {
  /** The Nx project name, e.g. infra. */
  name: string;
  /** Its directory, e.g. apps/infra. */
  root: string;
  /** The service project it deploys (cdk.json context `service`), e.g. hello-world. */
  service: string;
  /** Whether that service is a project with a Dockerfile; if not, deploy has no image to wait for. */
  serviceHasImage: boolean;
  /** cdk.json `output`, relative to root (CDK's default: cdk.out). */
  cdkOutput: string;
}

const posix = {
  /** a/b + ../../c → c, without node:path so the core stays plain data. */
  join(...parts: string[]): string {
    const out: string[] = [];
    for (const segment of parts.join('/').split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else out.push(segment);
    }
    return out.join('/');
  },
};

/** `../../` from the project root back to the workspace root. */
function upToWorkspace(root: string): string {
  return root
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .map(() => '../')
    .join('');
}

export function deploymentTargets(
  deployment: DeploymentProject,
  tables: CommandTables,
): Record<string, TargetConfiguration> {
  const { root, service } = deployment;
  const up = upToWorkspace(root);
  const meta = (description: string) => ({
    technologies: [...DEPLOYMENT_TECHNOLOGIES],
    description,
  });
  /** Every target runs in the project's directory: the CLIs operate the deployment whose cdk.json is there. */
  const inProject = (script: string, args = '') => ({
    cliCwd: root,
    cliCommand: `tsx ${up}${script}${args}`,
  });
  const hasLocal = (command: string) => tables.local.includes(command);
  const localCommand = (command: string) => `tsx ${up}libs/fargate/src/local/main.ts ${command}`;

  const targets: Record<string, TargetConfiguration> = {
    synth: {
      executor: CLI_EXECUTOR,
      cache: true,
      inputs: [
        'production',
        '^production',
        { externalDependencies: [...SYNTH_PACKAGES] },
        ...SYNTH_ENV.map((env) => ({ env })),
      ],
      outputs: [`{workspaceRoot}/${posix.join(root, deployment.cdkOutput)}`],
      options: inProject('libs/fargate/bin/synth.ts'),
      metadata: meta(
        `Synthesize the CloudFormation templates of ${service}'s deployment (cached; the inputs include the settings read from the environment); -- --env=NAME (or DEPLOY_ENV) for an environment's; -c key=value goes to cdk synth, other options are dropped (the targets that run synth first forward theirs)`,
      ),
    },
    diff: {
      executor: CLI_EXECUTOR,
      cache: false,
      dependsOn: [SYNTH_FORWARD],
      options: inProject('libs/fargate/bin/diff.ts'),
      metadata: meta(
        "Compare the synthesized templates with the deployed stacks (-- --env=NAME: that environment's, synthesized first)",
      ),
    },
    deploy: {
      executor: CLI_EXECUTOR,
      cache: false,
      metadata: meta(
        deployment.serviceHasImage
          ? `The last task of the chain synth → deploy-registry → ${service}:docker-push → deploy (each gets these options, params: forward): service stack with the pushed image, wait, URL and a receipt timing every step; --service-only --image-tag=TAG deploys only the service stack (CI, with --exclude-task-dependencies); :local runs the task definition on the local Docker engine`
          : `The last task of the chain synth → deploy-registry → deploy: service stack, wait, URL and a receipt. No project named ${service} has a Dockerfile (cdk.json context "service"), so no image target runs first: add apps/${service}/Dockerfile or name another service`,
      ),
      dependsOn: [
        SYNTH_FORWARD,
        ...(deployment.serviceHasImage
          ? [{ projects: [service], target: 'docker-push', params: 'forward' as const }]
          : []),
      ],
      options: inProject('libs/fargate/bin/deploy.ts'),
      ...(hasLocal('deploy')
        ? { configurations: { local: { cliCommand: localCommand('deploy') } } }
        : {}),
    },
    'deploy-registry': {
      executor: CLI_EXECUTOR,
      cache: false,
      metadata: meta(
        `Deploy only the registry stack (the ECR repository and the task roles), with your own credentials; writes dist/${root}/registry-deploy.json for the receipt of ${deployment.name}:deploy`,
      ),
      dependsOn: [SYNTH_FORWARD],
      outputs: [`{workspaceRoot}/dist/${root}/registry-deploy.json`],
      options: inProject('libs/fargate/bin/deploy.ts', ' --registry-only'),
      configurations: {
        local: {
          cliCommand:
            "echo 'deploy-registry:local: the local engine holds the image; no registry stack'",
          cliForwardArgs: false,
        },
      },
    },
    'deploy-ci': {
      executor: CLI_EXECUTOR,
      cache: false,
      metadata: meta(
        'As an administrator: deploy the registry stack (repository, task roles) and the GitHub OIDC stack with a publish and a deploy role (--repo=owner/name, default: origin); print the two role variables and the GitHub settings checklist',
      ),
      options: inProject('libs/fargate/bin/deploy-ci.ts'),
    },
    // Never cached and no docker-push before it: the target environment gets the image the
    // source runs, from the registry; nothing is built. It synthesizes the target itself.
    promote: {
      executor: CLI_EXECUTOR,
      cache: false,
      metadata: meta(
        `Deploy to one environment the exact image (tag and digest) another runs, never building one: -- --from=staging --to=production synthesizes the target's templates, deploys only its service stack, waits for the rollout, checks its tasks run that digest and prints a receipt`,
      ),
      options: inProject('libs/fargate/bin/promote.ts'),
    },
  };

  for (const command of tables.ops) {
    targets[command] = {
      executor: CLI_EXECUTOR,
      cache: false,
      metadata: meta(
        OPS_DESCRIPTIONS[command] ??
          `The ops CLI's ${command} command (libs/fargate/src/ops/main.ts; -- --help lists its options)`,
      ),
      options: inProject('libs/fargate/src/ops/main.ts', ` ${command}`),
      ...(hasLocal(command)
        ? { configurations: { local: { cliCommand: localCommand(command) } } }
        : {}),
    };
  }

  targets['diagram'] = {
    executor: CLI_EXECUTOR,
    cache: false,
    dependsOn: [SYNTH_FORWARD],
    metadata: meta(
      'Draw docs/architecture.{svg,png,drawio} from the synthesized templates (--check: fail if stale)',
    ),
    options: inProject('libs/fargate/src/diagram/main.ts'),
  };
  targets['cost'] = {
    executor: CLI_EXECUTOR,
    cache: false,
    dependsOn: [SYNTH_FORWARD],
    metadata: meta(
      'Monthly cost estimate of the synthesized templates (--env=NAME, --json, --log-gb, --image-mb)',
    ),
    options: inProject('libs/fargate/src/cost/main.ts'),
  };
  return targets;
}

// ---------------------------------------------------------------------------------------------
// Inference: facts in, projects out (pure)
// ---------------------------------------------------------------------------------------------

// The pure core of the plugin: from what the workspace holds (projects with a Dockerfile,
// deployment projects and the service each names) to the projects' inferred configuration.
// No files are read here: the shell below reads them and passes plain data in.

/** A project whose directory holds a Dockerfile. */
export interface ImageProjectFacts {
  root: string;
  name: string;
}

/** A project whose directory holds a cdk.json. */
export interface DeploymentFacts {
  root: string;
  name: string;
  /** cdk.json context `service`; undefined means hello-world, as the CDK app reads it. */
  service: string | undefined;
  /** cdk.json `output`; undefined means CDK's default, cdk.out. */
  output: string | undefined;
}

export interface WorkspaceFacts {
  images: readonly ImageProjectFacts[];
  deployments: readonly DeploymentFacts[];
  tables: CommandTables;
}

/** What the plugin says about one project root; merged under its hand-written configuration. */
export interface InferredProject {
  projectType: 'application';
  targets: Record<string, TargetConfiguration>;
  implicitDependencies?: string[];
}

/** The service a deployment deploys: its cdk.json context, else hello-world. */
export function serviceOf(deployment: DeploymentFacts): string {
  return deployment.service ?? DEFAULT_SERVICE;
}

/** The projects inferred, by root and by the file that made them: a root with a Dockerfile and a
 * cdk.json appears in both, and Nx merges the two. */
export interface InferredProjects {
  images: Record<string, InferredProject>;
  deployments: Record<string, InferredProject>;
}

/** What every inferred target's metadata names as its source, so `nx show project` says so. */
export const INFERRED_BY = 'tools/src/plugin/plugin.ts';

function markInferred(
  targets: Record<string, TargetConfiguration>,
): Record<string, TargetConfiguration> {
  return Object.fromEntries(
    Object.entries(targets).map(([name, target]) => [
      name,
      { ...target, metadata: { ...target.metadata, inferredBy: INFERRED_BY } },
    ]),
  );
}

export function inferProjects(facts: WorkspaceFacts): InferredProjects {
  const imageNames = new Set(facts.images.map((image) => image.name));
  const result: InferredProjects = { images: {}, deployments: {} };

  for (const image of facts.images) {
    const deployments = facts.deployments
      .filter((deployment) => serviceOf(deployment) === image.name)
      .map((deployment) => deployment.name)
      .sort();
    result.images[image.root] = {
      projectType: 'application',
      targets: markInferred(containerTargets({ name: image.name, root: image.root, deployments })),
    };
  }
  for (const deployment of facts.deployments) {
    const service = serviceOf(deployment);
    const serviceHasImage = imageNames.has(service);
    result.deployments[deployment.root] = {
      projectType: 'application',
      targets: markInferred(
        deploymentTargets(
          {
            name: deployment.name,
            root: deployment.root,
            service,
            serviceHasImage,
            cdkOutput: deployment.output ?? 'cdk.out',
          },
          facts.tables,
        ),
      ),
      // Only a project that exists may be named: Nx refuses an unknown implicit dependency.
      ...(serviceHasImage ? { implicitDependencies: [service] } : {}),
    };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Shell: files in, createNodesV2 results out
// ---------------------------------------------------------------------------------------------

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
  if (typeof cdk !== 'object' || cdk === null || Array.isArray(cdk)) {
    throw new Error(`${file} is not a JSON object: expected {"app": …, "context": {…}}`);
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
