// Plays one event through a workflow's parsed YAML, for the specs: which jobs run, in which order
// of needs, with each job's `if:` evaluated as GitHub would, and the jobs named in `execute`
// really run (their `run:` steps in bash, their outputs read from GITHUB_OUTPUT), so a job's
// decision reaches the jobs after it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateCondition, interpolate, type ExpressionScope, type Value } from './expressions';
import type { Workflow, WorkflowJob } from './workflows';

export interface SimulatedEvent {
  /** The github context: event_name, event (the webhook payload), repository, ref, … */
  github: Record<string, Value>;
  vars?: Record<string, string>;
  inputs?: Record<string, Value>;
  /** Jobs whose run: steps are executed (no uses: steps among them); others just "succeed". */
  execute?: readonly string[];
}

export interface SimulatedRun {
  /** Jobs that ran, in the order they could start. */
  ran: string[];
  skipped: string[];
  outputs: Record<string, Record<string, string>>;
  /** The DEPLOY_ENV and other env values each job that ran saw (workflow env, then job env). */
  env: Record<string, Record<string, string>>;
}

const needsOf = (job: WorkflowJob) =>
  typeof job.needs === 'string' ? [job.needs] : (job.needs ?? []);

function renderEnv(
  env: Record<string, unknown> | undefined,
  scope: ExpressionScope,
  base: Record<string, string>,
): Record<string, string> {
  const out = { ...base };
  for (const [key, value] of Object.entries(env ?? {})) {
    out[key] = interpolate(String(value), {
      ...scope,
      contexts: { ...scope.contexts, env: out },
    });
  }
  return out;
}

/** Runs a job's run: steps in bash as the runner would, returning the job's outputs. */
function executeJob(
  job: WorkflowJob,
  scope: ExpressionScope,
  jobEnv: Record<string, string>,
): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'simulated-job-'));
  try {
    const steps: Record<string, Value> = {};
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (step.uses) throw new Error(`cannot execute "uses: ${step.uses}" in a simulated job`);
      const stepScope = { ...scope, contexts: { ...scope.contexts, steps, env: jobEnv } };
      if (!evaluateCondition(step.if, stepScope)) continue;
      const output = join(dir, `output-${index}`);
      writeFileSync(output, '');
      const env = renderEnv(step.env, stepScope, jobEnv);
      const run = spawnSync(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '-c', interpolate(step.run ?? '', stepScope)],
        {
          env: { PATH: process.env['PATH'], ...env, GITHUB_OUTPUT: output, RUNNER_TEMP: dir },
          encoding: 'utf8',
        },
      );
      if (run.status !== 0) throw new Error(`step ${step.name ?? index} failed: ${run.stderr}`);
      const values = Object.fromEntries(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      if (step.id) steps[step.id] = { outputs: values, outcome: 'success', conclusion: 'success' };
    }
    const outputScope = { ...scope, contexts: { ...scope.contexts, steps } };
    return Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([key, value]) => [
        key,
        interpolate(value, outputScope),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function simulateRun(workflow: Workflow, event: SimulatedEvent): SimulatedRun {
  const base: ExpressionScope = {
    contexts: {
      github: event.github,
      vars: event.vars ?? {},
      inputs: event.inputs ?? {},
    },
  };
  const workflowEnv = renderEnv(workflow.env, base, {});
  const results: Record<string, { result: string; outputs: Record<string, string> }> = {};
  const run: SimulatedRun = { ran: [], skipped: [], outputs: {}, env: {} };
  const pending = Object.keys(workflow.jobs);
  while (pending.length > 0) {
    const ready = pending.find((id) =>
      needsOf(workflow.jobs[id] as WorkflowJob).every((need) => results[need]),
    );
    if (ready === undefined) throw new Error(`jobs ${pending.join(', ')} wait for each other`);
    pending.splice(pending.indexOf(ready), 1);
    const job = workflow.jobs[ready] as WorkflowJob;
    const needs = Object.fromEntries(
      needsOf(job).map((need) => [need, results[need] as unknown as Value]),
    );
    const allSucceeded = needsOf(job).every((need) => results[need]?.result === 'success');
    const scope: ExpressionScope = {
      contexts: { ...base.contexts, needs },
      status: allSucceeded ? 'success' : 'failure',
    };
    if (!evaluateCondition(job.if, scope)) {
      results[ready] = { result: 'skipped', outputs: {} };
      run.skipped.push(ready);
      continue;
    }
    const jobEnv = renderEnv(job.env, scope, workflowEnv);
    const outputs = event.execute?.includes(ready) ? executeJob(job, scope, jobEnv) : {};
    results[ready] = { result: 'success', outputs };
    run.ran.push(ready);
    run.outputs[ready] = outputs;
    run.env[ready] = jobEnv;
  }
  return run;
}
