// The image of an ARM64 task (CPU_ARCHITECTURE=ARM64) on a real engine and registry: built and
// pushed as linux/arm64 under its own tag, beside the unchanged linux/amd64 image, and run under
// emulation. The arm64 base image: $BASE_IMAGE_ARM64 if set (CI here, where nothing can be pulled:
// .ci/make-arm64-base.sh), else the Dockerfile's own, whose arm64 variant `--platform` pulls.
// Running it on an x86 engine needs qemu's binfmt handler (CI: .ci/arm64-emulation.sh; Docker
// Desktop has it). Fails, never skips, without an engine or emulation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_PORT, DEPLOYMENT_NAME } from '@hello-world/shared';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IMAGE_APP } from './build-context';
import { parseBuiltImage, runNxTarget } from './nx-run';
import { readRegistryPlatforms } from './registry-http';
import { docker, provideRegistry, requireEngine, waitFor, type TestRegistry } from './testing';
import { workspaceRoot } from './workspace';

/**
 * The environment of a build for one task architecture: BASE_IMAGE is the arm64 base for ARM64
 * (a base of the CI's x86 engine would not do), the caller's for X86_64.
 */
function envFor(
  architecture: 'ARM64' | 'X86_64',
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CPU_ARCHITECTURE: architecture, ...extra };
  if (architecture === 'ARM64') {
    const arm64Base = process.env['BASE_IMAGE_ARM64'];
    if (arm64Base) env['BASE_IMAGE'] = arm64Base;
    else delete env['BASE_IMAGE'];
  }
  return env;
}

/** Builds with the real target; the image it names, and its output. */
function build(architecture: 'ARM64' | 'X86_64'): { image: string; output: string } {
  const result = runNxTarget('hello-world:docker-build', ['--allow-dirty'], envFor(architecture));
  const image = parseBuiltImage(result.output) ?? '';
  if (result.status !== 0 || !image) {
    throw new Error(`docker-build (${architecture}) failed:\n${result.output.slice(-3000)}`);
  }
  return { image, output: result.output };
}

const platformOf = (image: string) =>
  docker('image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image);

let arm64 = { image: '', output: '' };

beforeAll(() => {
  // GIVEN a reachable engine (a missing one is a failure with the next step, not a skip)
  requireEngine();
  // AND the image built for an ARM64 task by the real target
  arm64 = build('ARM64');
});

describe('docker-build for the task architecture', () => {
  it('GIVEN CPU_ARCHITECTURE=ARM64 THEN a linux/arm64 image, under a tag that names arm64', () => {
    expect(arm64.output).toMatch(/^(?:\S+: )?platform: linux\/arm64$/m);
    expect(arm64.image).toMatch(
      /^hello-world-ecr-ecs-fargate:sha-[0-9a-f]+(-dirty-[0-9a-f]+)?-arm64-ecr-ecs-fargate$/,
    );
    expect(platformOf(arm64.image)).toBe('linux/arm64');
  });

  it('GIVEN CPU_ARCHITECTURE=X86_64 THEN linux/amd64 under the tag it always had', () => {
    const amd64 = build('X86_64');
    expect(amd64.image).toMatch(
      /^hello-world-ecr-ecs-fargate:sha-[0-9a-f]+(-dirty-[0-9a-f]+)?-ecr-ecs-fargate$/,
    );
    expect(platformOf(amd64.image)).toBe('linux/amd64');
  });
});

describe('the ARM64 image run under emulation', () => {
  let container = '';
  afterAll(() => {
    if (container) spawnSync('docker', ['rm', '--force', container]);
  });

  it('runs node as an arm64 process and answers GET / with hello-world', async () => {
    // GIVEN the arm64 image run as the task runs it, but without the 0.25 vCPU quota: emulated
    // node starts several times slower
    container = docker(
      'run',
      '--detach',
      '--platform',
      'linux/arm64',
      '--read-only',
      '--cap-drop=ALL',
      '--publish',
      `127.0.0.1::${APP_PORT}`,
      arm64.image,
    );
    const baseUrl = `http://${docker('port', container, String(APP_PORT)).split('\n')[0]}`;
    // WHEN / is requested (an engine that cannot run arm64 ends the container at once)
    const response = await waitFor('GET / on the arm64 container', async () => {
      const running = docker('inspect', '--format', '{{.State.Running}}', container);
      if (running !== 'true') {
        const logs = spawnSync('docker', ['logs', container], { encoding: 'utf8' });
        throw new Error(
          `the arm64 container stopped (${`${logs.stdout}${logs.stderr}`.trim().split('\n').at(-1)}): the engine cannot run linux/arm64 images; register qemu's binfmt handler (as root: .ci/arm64-emulation.sh)`,
        );
      }
      return fetch(`${baseUrl}/`).catch(() => undefined);
    });
    // THEN the service answers
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello-world');
    // AND the process serving it is arm64 node, not an x86 one
    expect(docker('exec', container, 'node', '-p', 'process.arch')).toBe('arm64');
  });
});

describe('docker-push for the task architecture', () => {
  let registry: TestRegistry = { address: '', stop: () => undefined };
  // A namespace of its own, so each push is a real one on a registry that outlives runs.
  const namespace = `arm64-test-${process.pid}-${Date.now()}`;
  let repository = '';
  const pushed = new Map<string, string>();
  const push = (architecture: 'ARM64' | 'X86_64') =>
    runNxTarget(
      'hello-world:docker-push',
      ['--allow-dirty'],
      envFor(architecture, { IMAGE_REGISTRY: `${registry.address}/${namespace}` }),
    );
  const pushedTag = (output: string): string | undefined =>
    new RegExp(`^(?:\\S+: )?pushed: ${repository.replace(/[.]/g, '\\.')}:(\\S+) `, 'm').exec(
      output,
    )?.[1];

  beforeAll(async () => {
    registry = await provideRegistry();
    repository = `${registry.address}/${namespace}/${DEPLOYMENT_NAME}`;
  });

  afterAll(() => {
    for (const tag of pushed.keys()) spawnSync('docker', ['rmi', `${repository}:${tag}`]);
    registry.stop();
  });

  it('GIVEN the amd64 image already pushed THEN the ARM64 push is a real push of a linux/arm64 image, not a skip', async () => {
    // GIVEN the same commit's amd64 image in the registry
    const amd64 = push('X86_64');
    const amd64Tag = pushedTag(amd64.output);
    if (amd64.status !== 0 || !amd64Tag) throw new Error(`amd64 push failed:\n${amd64.output}`);
    pushed.set(amd64Tag, 'amd64');
    // WHEN the ARM64 image is pushed
    const result = push('ARM64');
    expect(result.status).toBe(0);
    const tag = pushedTag(result.output);
    if (tag) pushed.set(tag, 'arm64');
    // THEN it is pushed under its own tag, next to the amd64 one
    expect(tag).toBe(amd64Tag.replace(/-ecr-ecs-fargate$/, '-arm64-ecr-ecs-fargate'));
    expect(result.output).not.toContain('skipped build and push');
    // AND the registry's manifest of each tag names its own platform
    await expect(readRegistryPlatforms(repository, tag ?? '')).resolves.toEqual([
      expect.stringMatching(/^linux\/arm64(\/v8)?$/),
    ]);
    await expect(readRegistryPlatforms(repository, amd64Tag)).resolves.toEqual(['linux/amd64']);
    // AND the report infra:deploy reads says which platform it rolls out
    const report = JSON.parse(
      readFileSync(join(workspaceRoot, DEFAULT_IMAGE_APP.pushReport), 'utf8'),
    ) as Record<string, unknown>;
    expect(report).toMatchObject({ repository, tag, pushed: true, platforms: ['linux/arm64'] });
  });
});
