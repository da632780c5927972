import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config';
import { readAssemblyRegion } from './assembly';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cdk-out-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A manifest as `cdk synth` writes it (schema 55), with the service stack's environment. */
function writeManifest(environment: string): void {
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '55.0.0',
      artifacts: {
        'hello-world-ecr-ecs-fargate': {
          type: 'aws:cloudformation:stack',
          environment,
          properties: { templateFile: 'hello-world-ecr-ecs-fargate.template.json' },
        },
      },
    }),
  );
}

describe('readAssemblyRegion', () => {
  it('GIVEN a synthesized assembly THEN the region of the service stack', () => {
    writeManifest('aws://unknown-account/eu-central-1');
    expect(readAssemblyRegion(dir)).toBe('eu-central-1');
  });

  it('GIVEN no assembly THEN says to synth', () => {
    expect(() => readAssemblyRegion(join(dir, 'missing'))).toThrow(
      new ConfigError(
        `no cloud assembly at ${join(dir, 'missing')}: run \`npx nx run infra:synth\``,
      ),
    );
  });

  it('GIVEN a corrupt manifest THEN one line with the path and the parse error, and to synth again', () => {
    writeFileSync(join(dir, 'manifest.json'), '{ "version": "55.0.0", ');
    expect(() => readAssemblyRegion(dir)).toThrow(ConfigError);
    expect(() => readAssemblyRegion(dir)).toThrow(
      new RegExp(
        `^cannot read the cloud assembly at ${join(dir, 'manifest.json')} \\(.*JSON.*\\): run \`npx nx run infra:synth\`$`,
      ),
    );
  });

  it('GIVEN an assembly synthesized without a region THEN says to set AWS_REGION', () => {
    writeManifest('aws://unknown-account/unknown-region');
    expect(() => readAssemblyRegion(dir)).toThrow(/names no region .*: set AWS_REGION and run/);
  });
});
