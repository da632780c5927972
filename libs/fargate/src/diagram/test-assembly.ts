import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_ASSEMBLY_DIR,
  readCloudAssembly,
  type CfnResource,
  type CloudAssembly,
} from './cloud-assembly';

export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

/** Where `nx run infra:synth` writes them, absolute. */
export const DEFAULT_SYNTHESIZED_DIR = join(WORKSPACE_ROOT, DEFAULT_ASSEMBLY_DIR);

/** The templates `nx run infra:synth` wrote (tools:test depends on it). */
export function readSynthesizedAssembly(): CloudAssembly {
  return readCloudAssembly(DEFAULT_SYNTHESIZED_DIR);
}

/** A deep copy of the synthesized assembly, to change one property in a spec. */
export function copySynthesizedAssembly(): CloudAssembly {
  return structuredClone(readSynthesizedAssembly());
}

/** The first resource of a type, to edit in a copy. */
export function resourceOfType(
  assembly: CloudAssembly,
  type: string,
): CfnResource & { Properties: Record<string, unknown> } {
  for (const stack of assembly.stacks) {
    for (const resource of Object.values(stack.template.Resources ?? {})) {
      if (resource.Type === type)
        return resource as CfnResource & { Properties: Record<string, unknown> };
    }
  }
  throw new Error(`No ${type} in the synthesized templates`);
}

/** Moves the service to another port the way a config change would: security group and container. */
export function changePort(assembly: CloudAssembly, port: number): void {
  const sg = resourceOfType(assembly, 'AWS::EC2::SecurityGroup');
  for (const rule of sg.Properties['SecurityGroupIngress'] as {
    FromPort: number;
    ToPort: number;
  }[]) {
    rule.FromPort = port;
    rule.ToPort = port;
  }
  const task = resourceOfType(assembly, 'AWS::ECS::TaskDefinition');
  for (const container of task.Properties['ContainerDefinitions'] as {
    PortMappings: { ContainerPort: number }[];
  }[]) {
    for (const mapping of container.PortMappings) mapping.ContainerPort = port;
  }
}

/** Writes an assembly as `cdk synth` lays it out: manifest.json plus one template per stack. */
export function writeAssembly(assembly: CloudAssembly, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const artifacts = Object.fromEntries(
    assembly.stacks.map((stack) => [
      stack.name,
      {
        type: 'aws:cloudformation:stack',
        environment: `aws://unknown-account/${stack.region}`,
        properties: { templateFile: `${stack.name}.template.json` },
        dependencies: stack.dependencies,
        displayName: stack.name,
      },
    ]),
  );
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  for (const stack of assembly.stacks) {
    writeFileSync(join(dir, `${stack.name}.template.json`), JSON.stringify(stack.template));
  }
}

/**
 * The assembly with its stacks named as another service's deployment names them
 * (`greeter-ecr-ecs-fargate`, `…-registry`): the stack names are what the environment check
 * reads; the templates are left as they are.
 */
export function renameStacks(assembly: CloudAssembly, service: string): CloudAssembly {
  const rename = (name: string) => name.replace(/^hello-world-/, `${service}-`);
  return {
    stacks: assembly.stacks.map((stack) => ({
      ...stack,
      name: rename(stack.name),
      dependencies: stack.dependencies.map(rename),
    })),
  };
}
