// The security rules the workflows are held to, as functions that return what breaks them, so
// the spec can show each one rejecting a mutated copy as well as accepting the real files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  listActionReferences,
  type Workflow,
  type WorkflowJob,
  type WorkflowStep,
} from './workflows';

/** `owner/repo[/path]@<40-hex commit> # vX.Y.Z`: a full sha, and the release it is. */
export const ACTION_PIN = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/;

/**
 * The variables the CI roles are read from (`nx run infra:deploy-ci` prints them): the publish
 * role's is the repository's; each GitHub environment holds its own deploy role's.
 */
export const PUBLISH_ROLE_VARIABLE = 'AWS_PUBLISH_ROLE_ARN';
export const DEPLOY_ROLE_VARIABLE = 'AWS_DEPLOY_ROLE_ARN';
/** The GitHub environments a deploy role is trusted in (each its own role, its OIDC subject). */
export const DEPLOY_ENVIRONMENTS = ['staging', 'production', 'preview'] as const;
export type DeployEnvironment = (typeof DEPLOY_ENVIRONMENTS)[number];
/** The protected environment releases reach, by promotion only. */
export const PRODUCTION_ENVIRONMENT = 'production';
export const MAIN_REF_CONDITION = "github.ref == 'refs/heads/main'";
/** A pull request's jobs with any write or token run only for this repository's own branches. */
export const SAME_REPOSITORY_CONDITION =
  'github.event.pull_request.head.repo.full_name == github.repository';
export const RELEASE_CHECKOUT_REF = 'refs/tags/${{ env.RELEASE_TAG }}';

const CREDENTIALS_ACTION = 'aws-actions/configure-aws-credentials@';
const CHECKOUT_ACTION = 'actions/checkout@';

const stepsOf = (job: WorkflowJob): WorkflowStep[] => job.steps ?? [];
const runOf = (job: WorkflowJob) =>
  stepsOf(job)
    .map((s) => s.run ?? '')
    .join('\n');
const environmentOf = (job: WorkflowJob) =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;

/**
 * Every `uses:` value as written in the file, trailing comment included (parsing the YAML drops
 * comments, and the version lives in one).
 */
export function readUsesLines(text: string): string[] {
  return text.split('\n').flatMap((line) => /^\s*(?:-\s+)?uses:\s*(.+?)\s*$/.exec(line)?.[1] ?? []);
}

/** Each `uses:` that is not a full commit sha with its version in a comment. */
export function checkActionPins(text: string): string[] {
  const lines = readUsesLines(text);
  const problems = lines
    .filter((uses) => !ACTION_PIN.test(uses))
    .map((uses) => `uses: ${uses} is not pinned as owner/repo@<40-hex sha> # vX.Y.Z`);
  // A `uses:` the line scan cannot see (flow style, a multi-line value) would escape the rule.
  const parsed = listActionReferences(parse(text) as Workflow).length;
  if (parsed !== lines.length) {
    problems.push(`${parsed} actions are used but ${lines.length} plain "uses:" lines were found`);
  }
  return problems;
}

/** action → the `sha # version` pins it has across these texts; one pin per action is the rule. */
export function collectPins(texts: readonly string[]): Map<string, Set<string>> {
  const pins = new Map<string, Set<string>>();
  for (const uses of texts.flatMap(readUsesLines)) {
    const [action = '', pin = ''] = uses.split('@');
    pins.set(action, (pins.get(action) ?? new Set()).add(pin));
  }
  return pins;
}

/**
 * A job that can write anything with its token (the repository, pull requests, …) or request an
 * OIDC token (so assume an AWS role). With no permissions declared at all, the token's
 * repository default applies: treated as privileged.
 */
export function isPrivileged(workflow: Workflow, job: WorkflowJob): boolean {
  const permissions: unknown = job.permissions ?? workflow.permissions;
  if (permissions === undefined || permissions === 'write-all') return true;
  if (typeof permissions !== 'object' || permissions === null) return false;
  return Object.values(permissions as Record<string, string>).includes('write');
}

/**
 * In a privileged job, the checkout leaves no token in .git/config (persist-credentials: false)
 * and npm installs without running any package's lifecycle scripts.
 */
export function checkPrivilegedJob(jobId: string, job: WorkflowJob): string[] {
  const problems: string[] = [];
  for (const step of stepsOf(job)) {
    if (
      step.uses?.startsWith(CHECKOUT_ACTION) &&
      String(step.with?.['persist-credentials']) !== 'false'
    ) {
      problems.push(`${jobId}: actions/checkout without persist-credentials: false`);
    }
    for (const install of step.run?.match(/\bnpm\s+(?:ci|install|i)\b[^\n;&|]*/g) ?? []) {
      if (!/(^|\s)--ignore-scripts(\s|$)/.test(install)) {
        problems.push(`${jobId}: "${install.trim()}" runs install scripts (add --ignore-scripts)`);
      }
    }
  }
  return problems;
}

/** Actions that run after the AWS credentials are configured: they could read them. */
export function checkCredentialsLast(jobId: string, job: WorkflowJob): string[] {
  const steps = stepsOf(job);
  const at = steps.findIndex((s) => s.uses?.startsWith(CREDENTIALS_ACTION));
  if (at === -1) return [];
  return steps
    .slice(at + 1)
    .filter((s) => s.uses)
    .map((s) => `${jobId}: ${s.uses} runs after the AWS credentials are configured`);
}

/** The repository variable a job's configure-aws-credentials step assumes, if any. */
export function assumedRoleVariable(job: WorkflowJob): string | undefined {
  const step = stepsOf(job).find((s) => s.uses?.startsWith(CREDENTIALS_ACTION));
  const role = step?.with?.['role-to-assume'];
  if (step === undefined) return undefined;
  return /^\$\{\{ vars\.(\w+) \}\}$/.exec(String(role))?.[1] ?? String(role);
}

/** The commands that deploy stacks with infra:deploy (directly or as a deploy target). */
const deployCommands = (job: WorkflowJob) =>
  commandLines(job).filter((line) =>
    /\binfra:deploy\b(?!-)|-t deploy\b|--targets?=deploy\b/.test(line),
  );

/** The run lines of a job, one command per line, echo and printf lines left out. */
const commandLines = (job: WorkflowJob) =>
  runOf(job)
    .split('\n')
    .filter((line) => !/^\s*(echo|printf)\b/.test(line));

const linesRunning = (job: WorkflowJob, target: string) =>
  commandLines(job).filter((line) => new RegExp(`\\binfra:${target}\\b(?!-)`).test(line));

/** The ops CLI commands the deploy role may run (rollback.yml): they change only the service. */
export const DEPLOY_ROLE_OPS = ['rollback', 'abort'];

/** The commands that run the ops CLI (libs/fargate/src/ops/main.ts), with the command each names. */
const opsCommands = (job: WorkflowJob) =>
  runOf(job)
    .split('\n')
    .flatMap((line) => {
      // The command as written: a variable ("$COMMAND") could be any of them, so it is refused.
      const match = /\bops\/main\.ts(?:\s+(\S+))?/.exec(line);
      return match ? [{ line: line.trim(), command: match[1] ?? '' }] : [];
    });

/** What builds or pushes an image, or deploys the registry: never a deploy role's, except… */
const IMAGE_BUILD = /docker-push|docker-build|deploy-registry|docker\s+(buildx\s+)?build|buildx/;
/**
 * …the preview role's: a pull request's image is pushed with it (never the publish role, which
 * releases are pushed with), by docker-push itself (not the Nx target, which deploys the previews'
 * stack, an administrator's), for the preview's environment: into the previews' repository,
 * never the release one.
 */
const PREVIEW_PUSH =
  /^\s*npx tsx libs\/image\/src\/docker-push\.ts --env="\$PREVIEW_ENV"(\s*\|.*)?$/;
/** Naming the tag a build would have builds nothing. */
const PRINT_TAG = /docker-push\.ts --print-tag\b/;

/**
 * The DEPLOY_ENV a job in each GitHub environment must act on: staging and production their
 * own; a preview job the pull request's pr-<number> (or the sweep's matrix entry, which
 * read-environments.ts only lets be pr-<number>).
 */
const DEPLOY_ENV_OF: Record<DeployEnvironment, RegExp> = {
  staging: /^staging$/,
  production: /^production$/,
  preview: /^(pr-\$\{\{ github\.event\.pull_request\.number \}\}|\$\{\{ matrix\.environment \}\})$/,
};

/**
 * Which role a job assumes decides what it may run:
 * - publish (runs on main only): pushes images, no environment, deploys no
 *   stack, and never runs hello-world:docker-push through Nx (that target deploys the registry
 *   stack first);
 * - deploy (one per GitHub environment: staging, production, preview), acting on that
 *   environment's stacks only (DEPLOY_ENV), building and pushing no image but a preview's (with
 *   docker-push.ts itself, in environment preview):
 *   - staging and preview: infra:deploy of the service stack with an image already in ECR,
 *     alone of its Nx chain (--exclude-task-dependencies), after build and synth;
 *   - production: never a deploy of a build: infra:promote --from=staging --to=production;
 *   - preview only: infra:destroy --yes of the pull request's environment, never its images;
 *   - anywhere: the ops CLI's rollback or abort, and reading (infra:envs);
 * and each such job first fails in one line when its role variable is not set.
 */
export function checkRoleUse(
  jobId: string,
  job: WorkflowJob,
  workflowEnv: Record<string, string> = {},
): string[] {
  const role = assumedRoleVariable(job);
  const problems: string[] = [];
  const wantsToken = job.permissions?.['id-token'] === 'write';
  if (role === undefined) {
    return wantsToken ? [`${jobId}: requests an OIDC token but assumes no role`] : [];
  }
  if (!wantsToken) problems.push(`${jobId}: assumes ${role} without id-token: write`);
  const credentials = stepsOf(job).find((s) => s.uses?.startsWith(CREDENTIALS_ACTION));
  if (/access-key|secrets\./.test(JSON.stringify(credentials))) {
    problems.push(`${jobId}: AWS credentials from stored keys`);
  }
  const first = stepsOf(job)[0];
  if (
    first?.if !== `vars.${role} == ''` ||
    !first.run?.includes(role) ||
    !/exit 1/.test(first.run)
  ) {
    problems.push(`${jobId}: the first step must fail naming ${role} when it is not set`);
  }
  const run = runOf(job);
  if (role === PUBLISH_ROLE_VARIABLE) {
    if (job.environment !== undefined) {
      problems.push(
        `${jobId}: the publish role trusts refs, not environments: drop the environment`,
      );
    }
    if (
      deployCommands(job).length > 0 ||
      /deploy-registry|hello-world:docker-push|cdk deploy|infra:(promote|destroy)\b/.test(run)
    ) {
      problems.push(`${jobId}: the publish role deploys no stack`);
    }
    return problems;
  }
  if (role !== DEPLOY_ROLE_VARIABLE) {
    problems.push(
      `${jobId}: assumes ${role}, neither ${PUBLISH_ROLE_VARIABLE} nor ${DEPLOY_ROLE_VARIABLE}`,
    );
    return problems;
  }
  const environment = environmentOf(job) as DeployEnvironment | undefined;
  if (environment === undefined || !DEPLOY_ENVIRONMENTS.includes(environment)) {
    problems.push(
      `${jobId}: the deploy role is trusted only in environments ${DEPLOY_ENVIRONMENTS.join(', ')}`,
    );
    return problems;
  }
  const commands = deployCommands(job);
  const promotes = linesRunning(job, 'promote');
  const destroys = linesRunning(job, 'destroy');
  const lists = linesRunning(job, 'envs');
  const ops = opsCommands(job);
  const changes = commands.length + promotes.length + destroys.length + ops.length;
  // A job that only lists (the sweep's) reads every environment; one that changes acts on its own.
  const deployEnv = job.env?.['DEPLOY_ENV'] ?? workflowEnv['DEPLOY_ENV'] ?? '';
  if (changes > 0 && !DEPLOY_ENV_OF[environment].test(deployEnv)) {
    problems.push(
      `${jobId}: DEPLOY_ENV "${deployEnv}" is not the stacks of environment ${environment}`,
    );
  }
  if (changes + lists.length === 0) {
    problems.push(
      `${jobId}: assumes the deploy role but deploys, promotes, destroys, rolls back, aborts or lists nothing`,
    );
  }
  for (const { line, command } of ops.filter((o) => !DEPLOY_ROLE_OPS.includes(o.command))) {
    problems.push(
      `${jobId}: "${line}" runs ops command "${command}": the deploy role runs only ${DEPLOY_ROLE_OPS.join(' and ')}`,
    );
  }
  if (environment === PRODUCTION_ENVIRONMENT && commands.length > 0) {
    problems.push(
      `${jobId}: production never deploys a build: promote staging's image (infra:promote --from=staging --to=production)`,
    );
  }
  for (const command of commands) {
    if (!command.includes('--service-only') || !/--image-tag="?\$/.test(command)) {
      problems.push(
        `${jobId}: "${command.trim()}" must be --service-only --image-tag=<published tag>`,
      );
    }
    // infra:deploy depends on deploy-registry and docker-push (the chain's Nx tasks).
    if (!command.includes('--exclude-task-dependencies')) {
      problems.push(
        `${jobId}: "${command.trim()}" must run with --exclude-task-dependencies: deploy-registry and docker-push, the tasks before deploy, are not the deploy role's`,
      );
    }
  }
  for (const command of promotes) {
    if (environment !== PRODUCTION_ENVIRONMENT) {
      problems.push(`${jobId}: "${command.trim()}" promotes outside environment production`);
    } else if (
      !command.includes('--from=staging --to=production') ||
      !command.includes('--exclude-task-dependencies')
    ) {
      problems.push(
        `${jobId}: "${command.trim()}" must be --exclude-task-dependencies -- --from=staging --to=production`,
      );
    }
  }
  for (const command of destroys) {
    if (environment !== 'preview') {
      problems.push(`${jobId}: "${command.trim()}" destroys outside environment preview`);
    } else if (
      !/\s--yes\b/.test(command) ||
      !command.includes('--env="$PREVIEW_ENV"') ||
      command.includes('--delete-images')
    ) {
      problems.push(
        `${jobId}: "${command.trim()}" must destroy --env="$PREVIEW_ENV" --yes, and never --delete-images`,
      );
    }
  }
  const builds = commandLines(job).filter(
    (line) => IMAGE_BUILD.test(line) && !PRINT_TAG.test(line),
  );
  if (
    builds.some((line) => environment !== 'preview' || !PREVIEW_PUSH.test(line)) ||
    (environment !== 'preview' && stepsOf(job).some((s) => s.uses?.startsWith('docker/')))
  ) {
    problems.push(
      environment === 'preview'
        ? `${jobId}: the preview role pushes the pull request's image with docker-push.ts --env="$PREVIEW_ENV" itself (into the previews' repository), and builds or deploys nothing else`
        : `${jobId}: the deploy role builds and pushes nothing`,
    );
  }
  // Without its task dependencies deploy finds the bundle and the templates only if built here.
  const prepared = run.search(/-t build synth\b/);
  const deploying = commands[0] === undefined ? -1 : run.indexOf(commands[0]);
  if (deploying !== -1 && (prepared === -1 || prepared > deploying)) {
    problems.push(
      `${jobId}: build and synth (nx run-many -t build synth) must run before the deploy`,
    );
  }
  return problems;
}

/**
 * Pull requests from forks never reach a token that can write or assume a role: no
 * pull_request_target trigger (it runs with the base repository's token for forks too), and
 * every privileged job of a pull_request workflow requires the head repository to be this one,
 * a condition nothing in its `if:` can bypass (joined by &&, no ||, ! or always()).
 */
export function checkForkSafety(workflow: Workflow): string[] {
  const triggers = Object.keys(workflow.on ?? {});
  const problems = triggers.includes('pull_request_target')
    ? ['runs on pull_request_target, which hands forks a privileged token: use pull_request']
    : [];
  if (!triggers.includes('pull_request')) return problems;
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    if (!isPrivileged(workflow, job)) continue;
    const condition = job.if ?? '';
    const terms = condition.split('&&').map((t) => t.trim());
    const ok =
      !/\|\||always\(|!/.test(condition.replace(/!=/g, '')) &&
      terms.includes(SAME_REPOSITORY_CONDITION);
    if (!ok) problems.push(`${jobId}: if: must require ${SAME_REPOSITORY_CONDITION}`);
  }
  return problems;
}

/**
 * Nothing in CI deploys the registry stack or the CI roles (an administrator does), and nothing
 * reads the single role variable the two roles replaced. Messages may name the targets.
 */
export function checkAdministratorTargets(workflow: Workflow): string[] {
  const commands = Object.values(workflow.jobs ?? {})
    .flatMap((job) => runOf(job).split('\n'))
    .filter((line) => !/^\s*(echo|printf)\b/.test(line));
  const problems = ['deploy-registry', 'deploy-ci']
    .filter((target) => commands.some((line) => line.includes(target)))
    .map((target) => `runs ${target}, an administrator's target`);
  if (JSON.stringify(workflow).includes('vars.AWS_ROLE_ARN')) {
    problems.push(
      `reads vars.AWS_ROLE_ARN: use ${PUBLISH_ROLE_VARIABLE} or ${DEPLOY_ROLE_VARIABLE}`,
    );
  }
  return problems;
}

/** The shell a step runs in, and whether it was chosen explicitly (unspecified: no pipefail). */
function explicitShell(workflow: Workflow, job: WorkflowJob, step: WorkflowStep) {
  return step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell;
}

/**
 * Steps that pipe a command into another without pipefail. GitHub runs an unspecified shell as
 * `bash -e {0}`, so `deploy | tee` passes when the deploy fails; an explicit `shell: bash` runs
 * `bash --noprofile --norc -eo pipefail {0}`.
 */
export function checkPipefail(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs ?? {}).flatMap(([jobId, job]) =>
    stepsOf(job)
      .filter((s) => s.run !== undefined && /[^|]\|[^|]/.test(s.run))
      .filter((s) => explicitShell(workflow, job, s) !== 'bash')
      .map((s) => `${jobId} › ${s.name ?? s.run?.split('\n')[0]}: a pipe without pipefail`),
  );
}

/**
 * Every job of the continuous deploy runs only on main and only when CONTINUOUS_DEPLOY is on:
 * both are conditions the whole `if:` requires (joined by &&, nothing that could bypass them).
 */
export function checkDeploysOnlyFromMain(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs ?? {}).flatMap(([jobId, job]) => {
    const condition = job.if ?? '';
    const terms = condition.split('&&').map((t) => t.trim());
    const ok =
      !/\|\||always\(|!/.test(condition.replace(/!=/g, '')) &&
      terms.includes(MAIN_REF_CONDITION) &&
      terms.includes("vars.CONTINUOUS_DEPLOY == 'true'");
    return ok ? [] : [`${jobId}: if: must require ${MAIN_REF_CONDITION} && CONTINUOUS_DEPLOY`];
  });
}

/**
 * The release builds exactly the tag: every checkout names refs/tags/<tag> (never a bare name a
 * branch could match), and every job waits for the job whose first step checks the tag.
 */
export function checkReleaseRefs(workflow: Workflow): string[] {
  const problems: string[] = [];
  const jobs = workflow.jobs ?? {};
  for (const [jobId, job] of Object.entries(jobs)) {
    for (const step of stepsOf(job).filter((s) => s.uses?.startsWith(CHECKOUT_ACTION))) {
      if (step.with?.['ref'] !== RELEASE_CHECKOUT_REF) {
        problems.push(`${jobId}: checkout ref must be ${RELEASE_CHECKOUT_REF}`);
      }
    }
  }
  const roots = Object.entries(jobs).filter(([, job]) => job.needs === undefined);
  if (roots.length !== 1) return [...problems, `${roots.length} jobs start the release; one must`];
  const [rootId, root] = roots[0] as [string, WorkflowJob];
  const first = stepsOf(root)[0];
  if (first?.uses !== undefined || !first?.run?.includes('$RELEASE_TAG')) {
    problems.push(`${rootId}: the first step must check $RELEASE_TAG, before any checkout`);
  }
  return problems;
}

/** A job's needs, transitively. */
export function allNeeds(workflow: Workflow, jobId: string): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    const needs = workflow.jobs[id]?.needs;
    for (const need of typeof needs === 'string' ? [needs] : (needs ?? [])) {
      if (!seen.has(need)) {
        seen.add(need);
        visit(need);
      }
    }
  };
  visit(jobId);
  return seen;
}

export const DEPENDABOT_FILE = join('.github', 'dependabot.yml');

export interface DependabotGroup {
  patterns?: string[];
  'exclude-patterns'?: string[];
}

export interface DependabotUpdate {
  'package-ecosystem': string;
  directory?: string;
  directories?: string[];
  schedule?: { interval?: string };
  groups?: Record<string, DependabotGroup>;
}

export interface DependabotConfig {
  version: number;
  updates: DependabotUpdate[];
}

export function readDependabot(root: string): DependabotConfig | undefined {
  const path = join(root, DEPENDABOT_FILE);
  return existsSync(path) ? (parse(readFileSync(path, 'utf8')) as DependabotConfig) : undefined;
}

const globMatches = (pattern: string, name: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
  ).test(name);

/** The group Dependabot puts a dependency in: the first whose patterns take it. */
export function dependabotGroup(update: DependabotUpdate, name: string): string | undefined {
  return Object.entries(update.groups ?? {}).find(
    ([, group]) =>
      (group.patterns ?? []).some((p) => globMatches(p, name)) &&
      !(group['exclude-patterns'] ?? []).some((p) => globMatches(p, name)),
  )?.[0];
}

/**
 * Weekly updates of the actions and of npm at the root; of the npm packages given (the
 * workspace's), all nx ones in one pull request and all @aws-sdk ones in another.
 */
export function checkDependabot(
  config: DependabotConfig | undefined,
  packages: readonly string[],
): string[] {
  if (!config) return [`${DEPENDABOT_FILE} is missing`];
  const problems: string[] = [];
  if (config.version !== 2) problems.push('version must be 2');
  const update = (ecosystem: string) => {
    const found = config.updates?.find((u) => u['package-ecosystem'] === ecosystem);
    if (!found) problems.push(`no ${ecosystem} updates`);
    else if (found.directory !== '/' && !found.directories?.includes('/')) {
      problems.push(`${ecosystem} updates must cover directory /`);
    } else if (found.schedule?.interval !== 'weekly') {
      problems.push(`${ecosystem} updates must be weekly`);
    }
    return found;
  };
  update('github-actions');
  const npm = update('npm');
  if (!npm) return problems;
  const inOneGroup = (label: string, names: string[]) => {
    const groups = new Set(names.map((name) => dependabotGroup(npm, name)));
    if (names.length === 0) problems.push(`no ${label} packages to check`);
    else if (groups.size !== 1 || groups.has(undefined)) {
      problems.push(
        `${label} packages must share one group, got ${[...groups].map((g) => g ?? '(none)').join(', ')}`,
      );
    }
    return [...groups][0];
  };
  const nx = inOneGroup(
    'nx',
    packages.filter((p) => p === 'nx' || p.startsWith('@nx/')),
  );
  const sdk = inOneGroup(
    '@aws-sdk',
    packages.filter((p) => p.startsWith('@aws-sdk/')),
  );
  if (nx !== undefined && nx === sdk) problems.push('nx and @aws-sdk share a group');
  return problems;
}

/** Dependency names of the root package.json and its workspaces' package.json files. */
export function readWorkspacePackages(root: string, workspaceDirs: readonly string[]): string[] {
  const names = new Set<string>();
  for (const dir of ['.', ...workspaceDirs]) {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    for (const field of [
      'dependencies',
      'devDependencies',
      'peerDependencies',
      'optionalDependencies',
    ]) {
      for (const name of Object.keys(manifest[field] ?? {})) names.add(name);
    }
  }
  return [...names].sort();
}
