import { DEFAULT_ENVIRONMENT, SYNTH_SETTINGS_FILE, type SynthSettings } from '@hello-world/shared';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssemblyError } from '../diagram/cloud-assembly';
import { nxRunStep } from '../local/next-step';

/** The settings the CDK app recorded beside these templates, or undefined for templates without. */
export function readSynthSettings(assemblyDir: string): SynthSettings | undefined {
  const file = join(assemblyDir, SYNTH_SETTINGS_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SynthSettings) : undefined;
}

const shown = (value: string | null | undefined) => (value ? `${JSON.stringify(value)}` : 'unset');

/**
 * Refuses templates the current environment variables would not synthesize: a priced setting's
 * variable (TASK_CPU, CONTROL_TOWER, …) now differs from what it was at synth. One line, with the
 * fix: the deployment `project`'s synth and cost (default hello-world's, infra), in the deployment
 * environment priced (`-- --env=staging`). Whose environment the templates are is checked on
 * their stacks (checkAssemblyEnvironment): the record is written by the same synth.
 */
export function checkSynthSettings(
  recorded: SynthSettings,
  env: Record<string, string | undefined>,
  project = 'infra',
  deploymentEnvironment: string = DEFAULT_ENVIRONMENT,
): void {
  const changed = Object.entries(recorded.environment)
    .map(([variable, then]) => ({ variable, then, now: env[variable] ? env[variable] : null }))
    .filter(({ then, now }) => then !== now);
  if (changed.length === 0) return;
  const list = changed
    .map(({ variable, then, now }) => `${variable} was ${shown(then)}, is ${shown(now)}`)
    .join('; ');
  throw new AssemblyError(
    `the synthesized templates were made with other settings (${list}): run \`${nxRunStep(project, 'synth', deploymentEnvironment)}\` with the same environment first, or \`${nxRunStep(project, 'cost', deploymentEnvironment)}\`, which does.`,
  );
}

/** One line naming the configuration that was priced. */
export function describePricedConfiguration(recorded: SynthSettings | undefined): string {
  if (!recorded)
    return 'Priced: the templates as they are (no record of the settings they were synthesized with)';
  const s = recorded.settings;
  const vcpu = Number(s['cpu']) / 1024;
  // alb autoscales between minTasks and maxTasks; the other modes run desiredCount.
  const alb = s['ingress'] === 'alb' && s['minTasks'] !== undefined;
  const count = Number(s['desiredCount']);
  const tasks = alb
    ? `${String(s['minTasks'])}–${String(s['maxTasks'])} tasks`
    : `${count} task${count === 1 ? '' : 's'}`;
  const ingress =
    s['ingress'] !== undefined && s['ingress'] !== 'public-ip'
      ? ` · ingress=${String(s['ingress'])}`
      : '';
  return (
    `Priced: ${String(s['region'])} · ${vcpu} vCPU, ${String(s['memoryMiB'])} MiB · ` +
    `${tasks} · ${String(s['architecture'])} · ` +
    `${s['spot'] === true ? 'Fargate Spot' : 'on-demand'} · controlTower=${String(s['controlTower'])}${ingress}`
  );
}
