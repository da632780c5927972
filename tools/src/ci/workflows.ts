import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const WORKFLOWS_DIR = join('.github', 'workflows');

/** The parts of a GitHub Actions workflow these checks read. */
export interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  concurrency?: WorkflowJob['concurrency'];
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, WorkflowJob>;
}

export interface WorkflowJob {
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string; url?: string };
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean | string };
  defaults?: { run?: { shell?: string } };
  steps?: WorkflowStep[];
}

export interface WorkflowStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** One `run:` block as a script file shellcheck can read. */
export interface RunScript {
  /** file › job › step, for messages. */
  location: string;
  shell: 'bash' | 'sh';
  script: string;
}

/** Workflow file names (.yml/.yaml) under the workspace's .github/workflows, sorted. */
export function listWorkflowFiles(root: string): string[] {
  return readdirSync(join(root, WORKFLOWS_DIR))
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

export function readWorkflow(root: string, file: string): Workflow {
  return parse(readFileSync(join(root, WORKFLOWS_DIR, file), 'utf8')) as Workflow;
}

/**
 * Every `run:` block, with `${{ expr }}` replaced by a plain variable so shellcheck sees shell
 * (the expression is substituted before the shell runs). GitHub's default shell on Linux is bash;
 * blocks in another shell (pwsh, python) are left out.
 */
export function extractRunScripts(file: string, workflow: Workflow): RunScript[] {
  const scripts: RunScript[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (typeof step.run !== 'string') continue;
      const shell =
        step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? 'bash';
      if (shell !== 'bash' && shell !== 'sh') continue;
      scripts.push({
        location: `${file} › ${jobId} › ${step.name ?? step.id ?? `step ${index + 1}`}`,
        shell,
        script: step.run.replace(/\$\{\{[^}]*\}\}/g, '$GITHUB_EXPRESSION'),
      });
    }
  }
  return scripts;
}

/** Every `uses:` reference of a workflow (owner/repo@ref), as parsed: comments are not kept. */
export function listActionReferences(workflow: Workflow): string[] {
  return Object.values(workflow.jobs ?? {}).flatMap((job) =>
    (job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : [])),
  );
}
