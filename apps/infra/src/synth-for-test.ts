import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createStacks } from './app';
import { loadConfig, type InfraConfig } from './config';

export interface SynthesizedApp {
  readonly config: InfraConfig;
  readonly assembly: CloudAssembly;
  readonly registry: Template;
  readonly service: Template;
}

/**
 * Synthesizes both stacks the way bin/infra.ts does, with the given CDK context and no
 * environment, so specs see exactly what `cdk synth` writes. Synthesis includes the cdk-nag
 * validation: an unacknowledged finding throws here.
 */
export function synthesizeApp(context: Record<string, unknown> = {}): SynthesizedApp {
  const app = new App({ context });
  const config = loadConfig((key) => app.node.tryGetContext(key), {});
  const stacks = createStacks(app, config);
  const assembly = app.synth();
  return {
    config,
    assembly,
    registry: Template.fromJSON(assembly.getStackByName(stacks.registry.stackName).template),
    service: Template.fromJSON(assembly.getStackByName(stacks.service.stackName).template),
  };
}
