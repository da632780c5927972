import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config';
import { readAssemblyRegion } from './assembly';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cdk-out-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HELLO_WORLD = { serviceStackName: 'hello-world-ecr-ecs-fargate', project: 'infra' };
const GREETER = { serviceStackName: 'greeter-ecr-ecs-fargate', project: 'greeter-infra' };

/** A manifest as `cdk synth` writes it (schema 55), with the service stack's environment. */
function writeManifest(environment: string, stack = HELLO_WORLD.serviceStackName): void {
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '55.0.0',
      artifacts: {
        [`${stack}-registry`]: {
          type: 'aws:cloudformation:stack',
          environment,
          properties: { templateFile: `${stack}-registry.template.json` },
        },
        [stack]: {
          type: 'aws:cloudformation:stack',
          environment,
          properties: { templateFile: `${stack}.template.json` },
        },
      },
    }),
  );
}

describe('readAssemblyRegion', () => {
  it('GIVEN a synthesized assembly THEN the region of the service stack', () => {
    writeManifest('aws://unknown-account/eu-central-1');
    expect(readAssemblyRegion(dir, HELLO_WORLD)).toBe('eu-central-1');
  });

  it('GIVEN no assembly THEN says to synth', () => {
    expect(() => readAssemblyRegion(join(dir, 'missing'), HELLO_WORLD)).toThrow(
      new ConfigError(
        `no cloud assembly at ${join(dir, 'missing')}: run \`npx nx run infra:synth\``,
      ),
    );
  });

  it('GIVEN a corrupt manifest THEN one line with the path and the parse error, and to synth again', () => {
    writeFileSync(join(dir, 'manifest.json'), '{ "version": "55.0.0", ');
    expect(() => readAssemblyRegion(dir, HELLO_WORLD)).toThrow(ConfigError);
    expect(() => readAssemblyRegion(dir, HELLO_WORLD)).toThrow(
      new RegExp(
        `^cannot read the cloud assembly at ${join(dir, 'manifest.json')} \\(.*JSON.*\\): run \`npx nx run infra:synth\`$`,
      ),
    );
  });

  it('GIVEN an assembly synthesized without a region THEN says to set AWS_REGION', () => {
    writeManifest('aws://unknown-account/unknown-region');
    expect(() => readAssemblyRegion(dir, HELLO_WORLD)).toThrow(
      /names no region .*: set AWS_REGION and run/,
    );
  });
});

describe('readAssemblyRegion for another deployment (greeter-infra)', () => {
  it("GIVEN greeter's assembly, which holds no hello-world stack THEN the region of greeter's service stack", () => {
    writeManifest('aws://unknown-account/eu-central-1', GREETER.serviceStackName);
    expect(readAssemblyRegion(dir, GREETER)).toBe('eu-central-1');
  });

  it("GIVEN no assembly THEN says to run greeter-infra's synth", () => {
    expect(() => readAssemblyRegion(join(dir, 'missing'), GREETER)).toThrow(
      new ConfigError(
        `no cloud assembly at ${join(dir, 'missing')}: run \`npx nx run greeter-infra:synth\``,
      ),
    );
  });

  it("GIVEN hello-world's assembly THEN names greeter's stack as the one without a region", () => {
    writeManifest('aws://unknown-account/eu-central-1');
    expect(() => readAssemblyRegion(dir, GREETER)).toThrow(
      `names no region for greeter-ecr-ecs-fargate: set AWS_REGION and run \`npx nx run greeter-infra:synth\``,
    );
  });
});
