import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readWorkspaceImageSource } from './image-source';
import { workspaceRoot } from './workspace';

// The real docker-build entry point in its own process: exit codes and stderr as a user sees them.
const TSX_CLI = join(workspaceRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

// Without the project Nx runs this spec for, which would otherwise name the error lines.
const callerEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name !== 'NX_TASK_TARGET_PROJECT'),
);

function runEntry(entry: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [TSX_CLI, join(__dirname, entry), ...args], {
    cwd: workspaceRoot,
    env: { ...callerEnv, NX_DAEMON: 'false', ...env },
    encoding: 'utf8',
  });
}

function runDockerBuild(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = runEntry('docker-build.ts', args, env);
  return { status: run.status, stderr: run.stderr };
}

describe('docker-build (child process)', () => {
  jest.setTimeout(60_000);

  it('GIVEN a bad --region WHEN run THEN it exits 2 with one line naming the flag', () => {
    const run = runDockerBuild(['--region', 'EU']);

    expect(run).toEqual({
      status: 2,
      stderr:
        'hello-world:docker-build: --region "EU" is not an AWS region, e.g. --region eu-west-1\n',
    });
  });

  it('GIVEN no container engine at DOCKER_HOST WHEN the build runs THEN it exits 2, its last line saying to start Docker', () => {
    const run = runDockerBuild(['--allow-dirty'], {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });

    expect(run.status).toBe(2);
    // docker's own output streams first; ours is the last line.
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^hello-world:docker-build: docker (build|buildx) cannot reach a container engine \(.*\): start Docker, or point DOCKER_HOST at a running engine$/,
    );
  });
});

describe('docker-push --print-tag (child process)', () => {
  jest.setTimeout(120_000);

  // Neither an engine nor AWS can answer: if --print-tag reached either, the run would fail.
  const unreachable = {
    DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example',
  };

  it.each(['docker-push.ts', 'docker-build.ts'])(
    'GIVEN %s --print-tag WHEN run THEN stdout is exactly the sha tag it would push first, exit 0',
    (entry) => {
      // --allow-dirty so the spec holds while the image's inputs are being edited
      const run = runEntry(entry, ['--print-tag', '--allow-dirty'], unreachable);

      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const expected = readWorkspaceImageSource(workspaceRoot, { allowDirty: true }).tags[0]?.name;
      expect(run.stdout).toBe(`${expected}\n`);
      expect(run.stdout).toMatch(/^sha-[0-9a-f]{4,40}(-dirty-[0-9a-f]+)?-ecr-ecs-fargate\n$/);
    },
  );

  it('GIVEN --print-tag with an unknown option WHEN run THEN it exits 2 and prints no tag', () => {
    const run = runEntry('docker-push.ts', ['--print-tag', '--tag-only'], unreachable);

    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^hello-world:docker-push: unknown option --tag-only: options are .*, --help\n$/,
    );
  });

  it('GIVEN --help with --print-tag WHEN run THEN the usage on stdout, exit 0, no tag', () => {
    const run = runEntry('docker-push.ts', ['--print-tag', '--help'], unreachable);

    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^usage: nx run <app>:docker-build\|docker-push /);
    expect(run.stdout).not.toMatch(/^sha-/m);
  });
});

describe('--project (child process)', () => {
  jest.setTimeout(120_000);

  it.each([
    ['nosuch', /^nosuch:docker-push: no Nx project named nosuch: name an app with --project/],
    ['infra', /^infra:docker-push: project infra has no docker-build target, so no image/],
  ])(
    'GIVEN --project=%s, no app with an image WHEN run THEN one line, exit 2, no tag',
    (project, line) => {
      const run = runEntry('docker-push.ts', ['--print-tag', `--project=${project}`], {});

      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(line);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('GIVEN another app and a bad --region WHEN run THEN the line names that app, exit 2', () => {
    const run = runEntry('docker-build.ts', ['--project=billing', '--region', 'EU'], {});

    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 2,
      stdout: '',
      stderr: 'billing:docker-build: --region "EU" is not an AWS region, e.g. --region eu-west-1\n',
    });
  });

  it('GIVEN --project no deployment can carry WHEN run THEN the default names the line, exit 2', () => {
    const run = runEntry('docker-build.ts', ['--project=../etc'], {});

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^hello-world:docker-build: --project: invalid service name "\.\.\/etc": /,
    );
  });

  it('GIVEN --project=hello-world WHEN run THEN the very tag of the default', () => {
    const named = runEntry(
      'docker-build.ts',
      ['--print-tag', '--allow-dirty', '--project=hello-world'],
      {},
    );
    const byDefault = runEntry('docker-build.ts', ['--print-tag', '--allow-dirty'], {});

    expect(named.status).toBe(0);
    expect(named.stdout).toBe(byDefault.stdout);
  });
});

describe('docker-push naming the AWS profile (child process)', () => {
  jest.setTimeout(120_000);

  // No AWS settings of the caller's machine: no keys, no config files, no instance metadata, so
  // the SDK's credential chain ends with "Could not load credentials from any providers".
  const noCredentials = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [TSX_CLI, join(__dirname, 'docker-push.ts'), ...args], {
      cwd: workspaceRoot,
      env: {
        ...Object.fromEntries(
          Object.entries(callerEnv).filter(
            ([name]) => !name.startsWith('AWS_') && name !== 'IMAGE_REGISTRY',
          ),
        ),
        NX_DAEMON: 'false',
        AWS_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: '/nonexistent/aws/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws/credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...env,
      },
      encoding: 'utf8',
    });
  const notFound =
    'hello-world:docker-push: AWS profile "nosuch" not found or has no credentials: run `aws configure --profile nosuch` (or `aws sso login --profile nosuch`)\n';

  it('GIVEN --profile=nosuch, a profile that does not exist WHEN docker-push asks AWS for the registry THEN one line names that profile, exit 2', () => {
    const run = noCredentials(['--allow-dirty', '--profile=nosuch']);

    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 2, stderr: notFound });
  });

  it('GIVEN AWS_PROFILE=nosuch, a profile that does not exist WHEN docker-push asks AWS for the registry THEN one line names that profile, exit 2', () => {
    const run = noCredentials(['--allow-dirty'], { AWS_PROFILE: 'nosuch' });

    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 2, stderr: notFound });
  });
});
