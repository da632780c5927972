// Two environments side by side on the local engine, run the way the README says:
// `DEPLOY_ENV=staging nx run infra:deploy:local`, then the default environment beside it, then
// `DEPLOY_ENV=staging nx run infra:destroy:local` (`-- --env=staging` works the same through
// the workspace's executor). Needs a container engine (Docker, or DOCKER_HOST);
// set BASE_IMAGE where Docker Hub is out of reach. Fails, never skips, without an engine.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deploymentNames } from '@hello-world/shared';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_ENVIRONMENT_LABEL } from './docker-run-args';
import {
  docker,
  freePort,
  runLocalTarget,
  workspaceRoot,
  type NxRun,
} from './local-engine-for-test';

const staging = deploymentNames('hello-world', 'staging');
/** staging's own container, as --env names it (no --name: that naming is what is tested). */
const stagingContainer = staging.localContainer;
/** The default environment's, under a name of this run's: never a developer's own deployment. */
const defaultContainer = `hello-world-local-env-spec-${process.pid}`;
const cdkOut = join(workspaceRoot, 'dist', 'apps', 'infra', 'cdk.out');

/**
 * `nx run infra:<target>:local ARGS` as a user types it, with `env` on top of a clean environment
 * (no outer Nx run's task variables, no DEPLOY_ENV or task size of the caller's shell). Synth runs
 * for real (--skip-nx-cache): the environment decides its templates.
 */
function runLocal(target: string, args: string[], env: Record<string, string> = {}): NxRun {
  return runLocalTarget(target, ['--skip-nx-cache', ...args], {
    env,
    unset: ['DEPLOY_ENV', 'TASK_CPU', 'TASK_MEMORY_MIB'],
  });
}

/** GET path on the port on a fresh connection: the status code, or the connection error. */
async function answer(port: number, path: string): Promise<number | string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      headers: { connection: 'close' },
    });
    await response.text();
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).message;
  }
}

/** The task definition's memory (MiB) in a stack's synthesized template. */
function templateMemoryMiB(stack: string): number {
  const template = JSON.parse(readFileSync(join(cdkOut, `${stack}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { Memory?: string } }>;
  };
  const task = Object.values(template.Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition');
  return Number(task?.Properties.Memory);
}

/** `docker inspect` of a container: memory limit (MiB), environment label, image. */
function inspect(container: string): { memoryMiB: number; environment: string; image: string } {
  const [memory = '', environment = '', image = ''] = docker(
    'inspect',
    '--format',
    `{{.HostConfig.Memory}}|{{index .Config.Labels "${LOCAL_ENVIRONMENT_LABEL}"}}|{{.Config.Image}}`,
    container,
  ).stdout.split('|');
  return { memoryMiB: Number(memory) / 1024 / 1024, environment, image };
}

let stagingPort = 0;
let defaultPort = 0;
let stagingDeployed: NxRun;
let defaultDeployed: NxRun;
let stagingTemplateMiB = 0;

beforeAll(async () => {
  // GIVEN a reachable engine (a missing one is a failure with the next step, not a skip)
  const engine = docker('version', '--format', '{{.Server.Version}}');
  if (engine.status !== 0) {
    throw new Error(
      `no container engine (DOCKER_HOST=${process.env['DOCKER_HOST'] ?? 'unset'}): start Docker, or point DOCKER_HOST at a running engine`,
    );
  }
  // AND no staging deployment of the developer's own, which this spec would replace
  if (docker('container', 'inspect', stagingContainer).status === 0) {
    throw new Error(
      `a container ${stagingContainer} exists: remove it (DEPLOY_ENV=staging npx nx run infra:destroy:local) before the container tests`,
    );
  }
  stagingPort = await freePort();
  defaultPort = await freePort();
  // WHEN staging deploys with a bigger task (its synth reads these, as its cdk.json settings)
  stagingDeployed = runLocal('deploy', [`--port=${stagingPort}`], {
    DEPLOY_ENV: 'staging',
    TASK_CPU: '512',
    TASK_MEMORY_MIB: '1024',
  });
  stagingTemplateMiB = templateMemoryMiB(staging.deployment);
  // AND the default environment beside it, on another port, with the image staging runs
  // (environments share the image; this skips a second build). Its synth runs last, so the
  // assembly is the default's again for the specs that read it.
  defaultDeployed = runLocal('deploy', [
    `--name=${defaultContainer}`,
    `--port=${defaultPort}`,
    `--image=${inspect(stagingContainer).image}`,
  ]);
});

afterAll(() => {
  docker('rm', '--force', stagingContainer, `${stagingContainer}-next`);
  docker('rm', '--force', defaultContainer, `${defaultContainer}-next`);
});

describe('deploy:local in two environments', () => {
  it('deploys staging, then the default beside it, each printing its URL', () => {
    expect({ status: stagingDeployed.status, tail: stagingDeployed.output.slice(-2000) }).toEqual(
      expect.objectContaining({ status: 0 }),
    );
    expect(stagingDeployed.output).toMatch(
      new RegExp(`^(?:infra: )?http://localhost:${stagingPort}$`, 'm'),
    );
    expect({ status: defaultDeployed.status, tail: defaultDeployed.output.slice(-2000) }).toEqual(
      expect.objectContaining({ status: 0 }),
    );
    expect(defaultDeployed.output).toMatch(
      new RegExp(`^(?:infra: )?http://localhost:${defaultPort}$`, 'm'),
    );
  });

  it.each(['/', '/health'])('both answer GET %s on their own ports', async (path) => {
    expect(await answer(stagingPort, path)).toBe(200);
    expect(await answer(defaultPort, path)).toBe(200);
  });

  it("runs staging in its own container with its task definition's memory, the default with its own", () => {
    // GIVEN staging synthesized with 1024 MiB  THEN its container has that limit, the default 512
    expect(stagingTemplateMiB).toBe(1024);
    expect(inspect(stagingContainer)).toMatchObject({
      memoryMiB: stagingTemplateMiB,
      environment: 'staging',
    });
    expect(inspect(defaultContainer)).toMatchObject({ memoryMiB: 512, environment: 'default' });
  });

  it("refuses the default on staging's port in one line naming staging's container, which keeps serving", async () => {
    // WHEN the default environment is deployed on the port staging's container holds
    const result = runLocal('deploy', [
      `--name=${defaultContainer}`,
      `--port=${stagingPort}`,
      `--image=${inspect(defaultContainer).image}`,
    ]);
    // THEN it fails (Nx turns the command's exit 2 into 1) naming staging's container and --port
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      `port ${stagingPort} is taken by ${stagingContainer} (the staging environment's local container): pass --port=N (or set LOCAL_PORT) to run default beside it`,
    );
    // AND both environments still serve where they were
    expect(await answer(stagingPort, '/')).toBe(200);
    expect(await answer(defaultPort, '/')).toBe(200);
  });
});

describe('status:local and destroy:local in staging', () => {
  it("reports staging's container with status:local", () => {
    const status = runLocal('status', [], { DEPLOY_ENV: 'staging' });
    expect(status.status).toBe(0);
    expect(status.output).toContain(`Container ${stagingContainer}: running (healthy)`);
    expect(status.output).toMatch(/environment staging/);
  });

  it('removes only staging with destroy:local: the default keeps serving', async () => {
    const destroyed = runLocal('destroy', [], { DEPLOY_ENV: 'staging' });
    expect(destroyed.status).toBe(0);
    expect(docker('container', 'inspect', stagingContainer).status).not.toBe(0);
    expect(await answer(defaultPort, '/')).toBe(200);
    expect(await answer(defaultPort, '/health')).toBe(200);
  });
});
