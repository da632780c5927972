import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './workspace';

// The real docker-build entry point in its own process: exit codes and stderr as a user sees them.
const TSX_CLI = join(workspaceRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function runDockerBuild(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, [TSX_CLI, join(__dirname, 'docker-build.ts'), ...args], {
    cwd: workspaceRoot,
    env: { ...process.env, NX_DAEMON: 'false', ...env },
    encoding: 'utf8',
  });
  return { status: run.status, stderr: run.stderr };
}

describe('docker-build (child process)', () => {
  jest.setTimeout(60_000);

  it('GIVEN a bad --region WHEN run THEN it exits 2 with one line naming the flag', () => {
    const run = runDockerBuild(['--region', 'EU']);

    expect(run).toEqual({
      status: 2,
      stderr: 'docker-build: --region "EU" is not an AWS region, e.g. --region eu-west-1\n',
    });
  });

  it('GIVEN no container engine at DOCKER_HOST WHEN the build runs THEN it exits 2, its last line saying to start Docker', () => {
    const run = runDockerBuild(['--allow-dirty'], {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });

    expect(run.status).toBe(2);
    // docker's own output streams first; ours is the last line.
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^docker-build: docker (build|buildx) cannot reach a container engine \(.*\): start Docker, or point DOCKER_HOST at a running engine$/,
    );
  });
});
