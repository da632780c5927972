import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStacks } from './app';
import { loadConfig, type InfraConfig } from './config';

export interface SynthesizedApp {
  readonly config: InfraConfig;
  readonly assembly: CloudAssembly;
  /** The stack with the service's repository: the shared registry, or a preview's previews' stack. */
  readonly registry: Template;
  /** The environment's task roles stack, outside the default environment (a preview's: previews'). */
  readonly roles?: Template;
  readonly service: Template;
}

/**
 * The context cdk.json pins (every CDK feature flag), which the CDK CLI hands to bin/infra.ts: specs
 * synthesize with it too, so a flag that changes the templates shows up in them.
 */
export function readCdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'apps', 'infra', 'cdk.json'), 'utf8'),
  ) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes both stacks the way bin/infra.ts does, with cdk.json's context plus the given one
 * and no environment, so specs see exactly what `cdk synth` writes. Synthesis includes the
 * cdk-nag and AWS Control Tower validation: an unacknowledged finding throws here.
 */
export function synthesizeApp(context: Record<string, unknown> = {}): SynthesizedApp {
  const app = new App({ context: { ...readCdkJsonContext(), ...context } });
  const config = loadConfig((key) => app.node.tryGetContext(key), {});
  const stacks = createStacks(app, config);
  const assembly = app.synth();
  return {
    config,
    assembly,
    registry: Template.fromJSON(assembly.getStackByName(stacks.registry.stackName).template),
    ...(stacks.roles
      ? { roles: Template.fromJSON(assembly.getStackByName(stacks.roles.stackName).template) }
      : {}),
    service: Template.fromJSON(assembly.getStackByName(stacks.service.stackName).template),
  };
}
