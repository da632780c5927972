import type { SynthSettings } from '@hello-world/shared';
import { SETTINGS, type Env, type InfraConfig, type SettingName } from './config';

/** The settings that change what the stacks cost (the image tag and AllowedIP do not). */
export const PRICED_SETTINGS = [
  'region',
  'cpu',
  'memoryMiB',
  'desiredCount',
  'architecture',
  'spot',
  'controlTower',
] as const satisfies readonly SettingName[];

/**
 * The ingress mode changes the bill too (a load balancer, a hosted zone, an updater function), and
 * so do alb's autoscaling bounds: recorded flat, as the mode and, for alb, its task range.
 */
export const PRICED_INGRESS_SETTINGS = [
  'ingress',
  'minTasks',
  'maxTasks',
] as const satisfies readonly SettingName[];

/**
 * What bin/infra.ts writes beside the templates: the priced settings as resolved, and the
 * environment variables that could have set them (empty counts as unset, as loadConfig reads it).
 */
export function recordSynthSettings(config: InfraConfig, env: Env): SynthSettings {
  const { ingress } = config;
  const settings = {
    ...Object.fromEntries(PRICED_SETTINGS.map((name) => [name, config[name]])),
    ingress: ingress.mode,
    ...(ingress.mode === 'alb'
      ? { minTasks: ingress.scaling.minTasks, maxTasks: ingress.scaling.maxTasks }
      : {}),
  };
  const environment = Object.fromEntries(
    [...PRICED_SETTINGS, ...PRICED_INGRESS_SETTINGS]
      .flatMap((name) => SETTINGS[name].env)
      .map((variable) => [variable, env[variable] ? env[variable] : null]),
  );
  return { settings, environment };
}
