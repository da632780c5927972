import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AssemblyError,
  listResources,
  readCloudAssembly,
  regionOfAssembly,
} from './cloud-assembly';
import { copySynthesizedAssembly, readSynthesizedAssembly, writeAssembly } from './test-assembly';

describe('readCloudAssembly', () => {
  it('GIVEN the synthesized assembly WHEN read THEN it holds the registry and service stacks in deploy order', () => {
    const assembly = readSynthesizedAssembly();

    expect(assembly.stacks.map((stack) => stack.name)).toEqual([
      'hello-world-ecr-ecs-fargate-registry',
      'hello-world-ecr-ecs-fargate',
    ]);
    expect(assembly.stacks[1].dependencies).toEqual(['hello-world-ecr-ecs-fargate-registry']);
  });

  it('GIVEN the synthesized assembly WHEN its region is asked THEN it is the configured default', () => {
    expect(regionOfAssembly(readSynthesizedAssembly())).toBe('eu-west-1');
  });

  it('GIVEN no synthesized assembly WHEN read THEN the error says to run infra:synth', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-assembly-'));

    expect(() => readCloudAssembly(empty)).toThrow(AssemblyError);
    expect(() => readCloudAssembly(empty)).toThrow(/run `npx nx run infra:synth` first/);
    // Another deployment's: its own project's synth.
    expect(() => readCloudAssembly(empty, 'greeter-infra')).toThrow(
      /run `npx nx run greeter-infra:synth` first/,
    );
  });

  it('GIVEN a manifest whose template is not JSON WHEN read THEN it fails with one line naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-assembly-'));
    writeAssembly(copySynthesizedAssembly(), dir);
    writeFileSync(join(dir, 'hello-world-ecr-ecs-fargate.template.json'), '{ not json');

    expect(() => readCloudAssembly(dir)).toThrow(/hello-world-ecr-ecs-fargate\.template\.json/);
  });

  it('GIVEN stacks in two regions WHEN the region is asked THEN it refuses', () => {
    const assembly = copySynthesizedAssembly();
    const [registry, service] = assembly.stacks;
    const split = { stacks: [registry, { ...service, region: 'us-east-1' }] };

    expect(() => regionOfAssembly(split)).toThrow(/several regions/);
  });

  it('GIVEN the synthesized assembly WHEN resources are listed THEN every stack contributes', () => {
    const types = listResources(readSynthesizedAssembly()).map((r) => r.resource.Type);

    expect(types).toContain('AWS::ECR::Repository');
    expect(types).toContain('AWS::ECS::Service');
  });
});
