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
 * What bin/infra.ts writes beside the templates: the priced settings as resolved, and the
 * environment variables that could have set them (empty counts as unset, as loadConfig reads it).
 */
export function recordSynthSettings(config: InfraConfig, env: Env): SynthSettings {
  const settings = Object.fromEntries(PRICED_SETTINGS.map((name) => [name, config[name]]));
  const environment = Object.fromEntries(
    PRICED_SETTINGS.flatMap((name) => SETTINGS[name].env).map((variable) => [
      variable,
      env[variable] ? env[variable] : null,
    ]),
  );
  return { settings, environment };
}
