import { DEFAULT_IMAGE_APP, imageApp } from './build-context';
import {
  checkBuiltPlatform,
  dockerBuildArgs,
  explainMultiPlatformFailure,
  multiPlatformBuildArgs,
  requireBuildx,
  localImageRef,
  explainBaseImageFailure,
  explainDockerFailure,
  runDockerCapture,
} from './docker';
import { CommandError } from './exec';
import { ImageError } from './image-error';

const source = {
  tags: [],
  revision: 'abc123',
  version: '1.2.3',
  app: DEFAULT_IMAGE_APP,
  platforms: ['linux/amd64' as const],
};

describe('dockerBuildArgs', () => {
  it('builds with plain docker build when no layer cache is asked for', () => {
    const args = dockerBuildArgs('hello-world-ecr-ecs-fargate:t', source, 'local/node:24');
    expect(args.slice(0, 5)).toEqual([
      'build',
      '-f',
      'apps/hello-world/Dockerfile',
      '-t',
      'hello-world-ecr-ecs-fargate:t',
    ]);
    expect(args).toContain('BASE_IMAGE=local/node:24');
    expect(args.at(-1)).toBe('.');
  });

  it('builds another app from its own Dockerfile under its root, named after its service', () => {
    // GIVEN an app whose Nx root is services/billing
    const app = imageApp('billing', 'services/billing');
    // WHEN its build arguments and local name are made
    const args = dockerBuildArgs(
      localImageRef('sha-1a2b3c4-ecr-ecs-fargate', app),
      { ...source, app },
      undefined,
    );
    // THEN its Dockerfile builds it, named as libs/shared names the service's deployment
    expect(args.slice(0, 5)).toEqual([
      'build',
      '-f',
      'services/billing/Dockerfile',
      '-t',
      'billing-ecr-ecs-fargate:sha-1a2b3c4-ecr-ecs-fargate',
    ]);
    expect(app.contextFiles).toEqual([
      'services/billing/Dockerfile',
      '.dockerignore',
      'dist/services/billing/main.js',
      'dist/services/billing/healthcheck.js',
    ]);
    expect(app.pushReport).toBe('dist/services/billing/image-push.json');
  });

  it("names hello-world's build exactly as before", () => {
    expect(localImageRef('sha-1a2b3c4-ecr-ecs-fargate')).toBe(
      'hello-world-ecr-ecs-fargate:sha-1a2b3c4-ecr-ecs-fargate',
    );
    expect(DEFAULT_IMAGE_APP.contextFiles).toEqual([
      'apps/hello-world/Dockerfile',
      '.dockerignore',
      'dist/apps/hello-world/main.js',
      'dist/apps/hello-world/healthcheck.js',
    ]);
  });

  it("always names the platform: linux/amd64 by default, the task's when it is ARM64", () => {
    // WHEN the default build's and an arm64 build's arguments are made
    const amd64 = dockerBuildArgs('r:t', source, undefined).join(' ');
    const arm64 = dockerBuildArgs('r:t', { ...source, platforms: ['linux/arm64'] }, undefined);
    // THEN each passes its platform to docker build, never the engine's own by omission
    expect(amd64).toContain('-t r:t --platform linux/amd64 ');
    expect(arm64.join(' ')).toContain('-t r:t --platform linux/arm64 ');
    // AND the layer-cache build through buildx names it too
    expect(dockerBuildArgs('r:t', source, undefined, { from: 'type=gha' })).toContain('--platform');
  });

  it('goes through buildx, loads the image and passes the cache when one is given', () => {
    // GIVEN GitHub Actions' cache  WHEN the build arguments are made  THEN buildx imports and exports it
    const args = dockerBuildArgs('r:t', source, undefined, {
      from: 'type=gha',
      to: 'type=gha,mode=max',
    });
    expect(args.slice(0, 3)).toEqual(['buildx', 'build', '--load']);
    expect(args.join(' ')).toContain('--cache-from type=gha --cache-to type=gha,mode=max');
    expect(args.join(' ')).not.toContain('BASE_IMAGE');
  });
});

describe('multiPlatformBuildArgs', () => {
  const both = { ...source, platforms: ['linux/amd64' as const, 'linux/arm64' as const] };

  it('pushes every tag of a multi-platform image at once through buildx, writing its digest to a metadata file', () => {
    const args = multiPlatformBuildArgs(['reg/r:a', 'reg/r:b'], both, 'node:24', undefined, {
      metadataFile: '/tmp/m.json',
    });
    expect(args.join(' ')).toMatch(
      /^buildx build --platform linux\/amd64,linux\/arm64 -f apps\/hello-world\/Dockerfile -t reg\/r:a -t reg\/r:b --push --metadata-file \/tmp\/m\.json .*--build-arg BASE_IMAGE=node:24 .* \.$/,
    );
  });

  it('without a push, neither loads nor pushes: the build stays in buildx cache', () => {
    const args = multiPlatformBuildArgs(['r:t'], both, undefined);
    expect(args).not.toContain('--push');
    expect(args).not.toContain('--load');
  });
});

describe('requireBuildx', () => {
  it('GIVEN a docker CLI with buildx THEN nothing is refused', () => {
    expect(() => requireBuildx(['linux/amd64', 'linux/arm64'], () => 'v0.20.0')).not.toThrow();
  });

  it('GIVEN a docker CLI without buildx THEN one line saying so and what to do, exit 2', () => {
    // GIVEN `docker buildx version` fails as Debian's docker 20.10 does
    const noBuildx = () => {
      throw new CommandError(
        'docker buildx version failed',
        'docker',
        ['buildx', 'version'],
        'docker: unknown command: docker buildx',
      );
    };
    // WHEN a multi-platform build is checked THEN refused with the plugin to install
    let error: unknown;
    try {
      requireBuildx(['linux/amd64', 'linux/arm64'], noBuildx);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ImageError);
    expect((error as ImageError).kind).toBe('environment');
    expect((error as Error).message).toBe(
      '--platform=linux/amd64,linux/arm64 builds a multi-platform image, which needs docker buildx, and this docker CLI has none: install the buildx plugin (docker-buildx-plugin), or build one platform at a time (--platform=linux/arm64)',
    );
  });
});

describe('explainMultiPlatformFailure', () => {
  it("GIVEN buildx's docker driver refusing several platforms THEN one line naming the builder to create", () => {
    const error = new CommandError(
      'docker buildx build failed',
      'docker',
      ['buildx', 'build'],
      'ERROR: Multi-platform build is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.',
    );
    expect((explainMultiPlatformFailure(error) as Error).message).toBe(
      'the buildx builder cannot build several platforms at once (Multi-platform build is not supported for the docker driver.): create one that can (docker buildx create --use), or build one platform at a time',
    );
  });

  it('GIVEN another build failure THEN it passes as is', () => {
    const error = new CommandError(
      'failed',
      'docker',
      ['buildx', 'build'],
      'COPY failed: no such file',
    );
    expect(explainMultiPlatformFailure(error)).toBe(error);
  });
});

describe('checkBuiltPlatform', () => {
  it('GIVEN the image came out of the platform asked for THEN nothing is refused', () => {
    expect(() => checkBuiltPlatform('r:t', 'linux/arm64', 'linux/arm64', 'b')).not.toThrow();
  });

  it('GIVEN an amd64 image from an arm64 build THEN one line naming the base image, exit 2', () => {
    // GIVEN an engine that built FROM an amd64-only base and only warned
    expect(() => checkBuiltPlatform('r:t', 'linux/arm64', 'linux/amd64', 'local/node:24')).toThrow(
      new ImageError(
        'r:t was built for linux/amd64, not linux/arm64: BASE_IMAGE local/node:24 is not a linux/arm64 image; use one that is (or has a linux/arm64 variant)',
        'environment',
      ),
    );
  });
});

// What each Docker CLI here prints when it has no engine (captured from `docker info` with
// DOCKER_HOST=unix:///nonexistent/docker.sock): the user's line must not depend on the version.
describe('explainDockerFailure', () => {
  const unreachable = 'unix:///nonexistent/docker.sock';
  const failedInfo = (output: string) =>
    new CommandError('docker info failed (exit 1)', 'docker', ['info'], output);

  it.each([
    [
      '28.2.2',
      `Server:\nCannot connect to the Docker daemon at ${unreachable}. Is the docker daemon running?\n`,
    ],
    [
      '20.10.24',
      `Server:\nERROR: Cannot connect to the Docker daemon at ${unreachable}. Is the docker daemon running?\nerrors pretty printing info\n`,
    ],
  ])(
    "GIVEN Docker %s cannot reach its engine WHEN the failure is explained THEN the same setup line, without the CLI's severity prefix",
    (_version, output) => {
      expect(explainDockerFailure(failedInfo(output))).toMatchObject({
        kind: 'environment',
        message: `docker info cannot reach a container engine (Cannot connect to the Docker daemon at ${unreachable}. Is the docker daemon running?): start Docker, or point DOCKER_HOST at a running engine`,
      });
    },
  );

  it.each([
    [
      '28.2.2',
      'Failed to initialize: unable to resolve docker endpoint: invalid bind address format: bogus://engine\n',
    ],
    [
      '20.10.24',
      'unable to resolve docker endpoint: Invalid bind address format: bogus://engine\n',
    ],
  ])(
    'GIVEN Docker %s cannot parse DOCKER_HOST WHEN the failure is explained THEN it is a setup line saying to start Docker',
    (_version, output) => {
      expect(explainDockerFailure(failedInfo(output))).toMatchObject({
        kind: 'environment',
        message: expect.stringMatching(
          /^docker info cannot reach a container engine \(.*bogus:\/\/engine\): start Docker, or point DOCKER_HOST at a running engine$/,
        ),
      });
    },
  );
});

// The real docker CLI (whichever version is on PATH) pointed at engines that are not there: the messages and kinds a user gets.
describe('docker without an engine', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv): unknown => {
    try {
      runDockerCapture(args, { cwd: __dirname, env });
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('GIVEN DOCKER_HOST at a socket nothing serves WHEN docker runs THEN one setup line says to start Docker', () => {
    const error = run(['info'], { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' });

    expect(error).toMatchObject({
      kind: 'environment',
      message: expect.stringMatching(
        /^docker info cannot reach a container engine \(.*unix:\/\/\/nonexistent\/docker\.sock.*\): start Docker, or point DOCKER_HOST at a running engine$/,
      ),
    });
  });

  it('GIVEN a DOCKER_HOST docker cannot parse WHEN docker runs THEN it is the same setup problem', () => {
    const error = run(['info'], { ...process.env, DOCKER_HOST: 'bogus://engine' });

    expect(error).toMatchObject({
      kind: 'environment',
      message: expect.stringMatching(
        /unable to resolve docker endpoint.*\): start Docker, or point DOCKER_HOST at a running engine$/,
      ),
    });
  });

  it('GIVEN no docker binary on PATH WHEN docker runs THEN one setup line says to install Docker', () => {
    const error = run(['info'], { ...process.env, PATH: '/nonexistent' });

    expect(error).toMatchObject({
      kind: 'environment',
      message: 'cannot run docker info: the docker CLI is not on PATH: install Docker',
    });
  });

  it('GIVEN docker refuses its arguments WHEN it runs THEN the failure passes through unchanged', () => {
    const error = run(['--no-such-flag'], {
      ...process.env,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });

    expect(error).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/^docker --no-such-flag failed: /),
    });
  });
});

describe('explainBaseImageFailure', () => {
  // What BuildKit printed on this machine, which cannot reach Docker Hub.
  const offline = [
    ' > [internal] load metadata for docker.io/library/node:24.21.0-trixie-slim:',
    '------',
    'failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/library/node/manifests/24.21.0-trixie-slim": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
  ].join('\n');
  const buildFailed = (output: string) =>
    new CommandError('docker build failed (exit 1)', 'docker', ['build'], output);

  it('GIVEN the base image cannot be fetched THEN one setup line naming it and BASE_IMAGE', () => {
    const explained = explainBaseImageFailure(buildFailed(offline), 'node:24.21.0-trixie-slim');
    expect(explained).toBeInstanceOf(ImageError);
    expect((explained as ImageError).kind).toBe('environment');
    expect((explained as ImageError).message).toMatch(
      /^cannot fetch the base image node:24\.21\.0-trixie-slim for linux\/amd64 \(failed to solve .*no such host\): check the network and `docker login`, or set BASE_IMAGE to a linux\/amd64 Node 24 image the engine already has$/,
    );
  });

  it('GIVEN an arm64 build whose base image has no arm64 variant here THEN the line asks for a linux/arm64 base', () => {
    const explained = explainBaseImageFailure(buildFailed(offline), 'local/node:24', [
      'linux/arm64',
    ]);
    expect((explained as ImageError).message).toMatch(
      /^cannot fetch the base image local\/node:24 for linux\/arm64 \(.*\): .*set BASE_IMAGE to a linux\/arm64 Node 24 image the engine already has$/,
    );
  });

  it('GIVEN a build step of the app failed THEN the failure passes through unchanged', () => {
    const error = buildFailed(
      '#7 [2/3] COPY dist/apps/hello-world/main.js ./\nERROR: "/dist/apps/hello-world/main.js": not found',
    );
    expect(explainBaseImageFailure(error, undefined)).toBe(error);
  });
});
