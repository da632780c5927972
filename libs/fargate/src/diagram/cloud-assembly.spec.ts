import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploymentNames } from '@hello-world/shared';
import {
  AssemblyError,
  checkAssemblyEnvironment,
  listResources,
  readAssemblyStackNames,
  readCloudAssembly,
  regionOfAssembly,
} from './cloud-assembly';
import {
  copySynthesizedAssembly,
  DEFAULT_SYNTHESIZED_DIR,
  readSynthesizedAssembly,
  writeAssembly,
} from './test-assembly';

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

describe('readCloudAssembly in an environment', () => {
  it("GIVEN no synthesized assembly WHEN staging's is read THEN the error says to synthesize staging", () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-assembly-'));

    expect(() => readCloudAssembly(empty, 'infra', 'staging')).toThrow(
      /: run `npx nx run infra:synth -- --env=staging` first\.$/,
    );
  });
});

describe('readAssemblyStackNames', () => {
  it("GIVEN the synthesized assembly WHEN its stacks are listed THEN they are its manifest's", () => {
    expect(readAssemblyStackNames(DEFAULT_SYNTHESIZED_DIR)).toEqual([
      'hello-world-ecr-ecs-fargate-registry',
      'hello-world-ecr-ecs-fargate',
    ]);
  });

  it('GIVEN a directory without a manifest WHEN listed THEN undefined', () => {
    expect(readAssemblyStackNames(mkdtempSync(join(tmpdir(), 'no-assembly-')))).toBeUndefined();
  });

  it('GIVEN a manifest that is not JSON WHEN listed THEN one line naming the file and the synth', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-manifest-'));
    writeFileSync(join(dir, 'manifest.json'), '{ not json');

    expect(() => readAssemblyStackNames(dir, 'greeter-infra')).toThrow(
      /^Cannot read .*manifest\.json \(.*\): run `npx nx run greeter-infra:synth` first\.$/,
    );
  });
});

describe('checkAssemblyEnvironment', () => {
  const DEFAULT_STACKS = ['hello-world-ecr-ecs-fargate-registry', 'hello-world-ecr-ecs-fargate'];
  const STAGING_STACKS = [
    'hello-world-ecr-ecs-fargate-registry',
    'hello-world-ecr-ecs-fargate-staging-roles',
    'hello-world-ecr-ecs-fargate-staging',
  ];

  it("GIVEN the environment's own stacks WHEN checked THEN accepted", () => {
    expect(() =>
      checkAssemblyEnvironment(STAGING_STACKS, deploymentNames('hello-world', 'staging')),
    ).not.toThrow();
    expect(() =>
      checkAssemblyEnvironment(DEFAULT_STACKS, deploymentNames('hello-world')),
    ).not.toThrow();
  });

  it("GIVEN the default's stacks WHEN staging is wanted THEN one line: synthesize staging first", () => {
    expect(() =>
      checkAssemblyEnvironment(DEFAULT_STACKS, deploymentNames('hello-world', 'staging')),
    ).toThrow(
      new AssemblyError(
        "The synthesized templates are not environment staging's (no stack hello-world-ecr-ecs-fargate-staging; they hold hello-world-ecr-ecs-fargate-registry, hello-world-ecr-ecs-fargate): run `npx nx run infra:synth -- --env=staging` first.",
      ),
    );
  });

  it("GIVEN staging's stacks WHEN the default is wanted THEN refused, naming the default's synth", () => {
    expect(() =>
      checkAssemblyEnvironment(STAGING_STACKS, deploymentNames('hello-world'), 'infra'),
    ).toThrow(
      /^The synthesized templates are not environment default's \(no stack hello-world-ecr-ecs-fargate;.*: run `npx nx run infra:synth` first\.$/,
    );
  });
});
