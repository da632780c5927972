import { parseCli, UsageError } from '@hello-world/cli';
import { IMAGE_BUILD_CLI, IMAGE_PUSH_CLI, registryStackOf, toImageOptions } from './image-options';

/** What docker-build (docker-push with `chain`) reads from this command line and environment. */
function parseImageOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  { chain = false }: { chain?: boolean } = {},
) {
  const parsed = parseCli(argv, chain ? IMAGE_PUSH_CLI : IMAGE_BUILD_CLI);
  if (parsed.help) throw new Error('--help: the usage, no options');
  return toImageOptions(parsed.values, env);
}

describe('parseImageOptions', () => {
  it('pushes to ECR from a clean tree by default', () => {
    // GIVEN no flags and no overrides WHEN parsed THEN nothing is overridden
    expect(parseImageOptions([], {})).toEqual({
      allowDirty: false,
      printTag: false,
      project: 'hello-world',
      environment: 'default',
      platforms: ['linux/amd64'],
    });
  });

  it("builds for the task's architecture: CPU_ARCHITECTURE=ARM64 is linux/arm64, X86_64 linux/amd64", () => {
    // GIVEN the variable synth reads the task's architecture from, in any case
    // WHEN parsed THEN the platform the task runs
    expect(parseImageOptions([], { CPU_ARCHITECTURE: 'arm64' }).platforms).toEqual(['linux/arm64']);
    expect(parseImageOptions([], { CPU_ARCHITECTURE: 'X86_64' }).platforms).toEqual([
      'linux/amd64',
    ]);
    // AND an empty one is the default, as synth reads it
    expect(parseImageOptions([], { CPU_ARCHITECTURE: '' }).platforms).toEqual(['linux/amd64']);
  });

  it('takes --platform over CPU_ARCHITECTURE, and a list of both as one multi-platform image', () => {
    expect(
      parseImageOptions(['--platform=linux/arm64'], { CPU_ARCHITECTURE: 'X86_64' }).platforms,
    ).toEqual(['linux/arm64']);
    // GIVEN both, in any order, one twice THEN each once, sorted
    expect(
      parseImageOptions(['--platform', 'linux/arm64, linux/amd64,linux/arm64'], {}).platforms,
    ).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('refuses a CPU_ARCHITECTURE synth would refuse, in one line with the values it takes', () => {
    expect(() => parseImageOptions([], { CPU_ARCHITECTURE: 'aarch64' })).toThrow(
      new UsageError(
        'CPU_ARCHITECTURE="aarch64" is not X86_64 or ARM64 (the task\'s CPU architecture, as synth reads it), e.g. CPU_ARCHITECTURE=ARM64',
      ),
    );
  });

  it('refuses a --platform Fargate does not run, or an empty one', () => {
    for (const value of ['linux/arm/v7', 'arm64', ',']) {
      expect(() => parseImageOptions([`--platform=${value}`], {})).toThrow(
        new UsageError(
          `--platform ${JSON.stringify(value)} is not linux/amd64, linux/arm64 or both comma-separated (the platforms Fargate runs), e.g. --platform=linux/arm64`,
        ),
      );
    }
  });

  it('reads --print-tag, with --allow-dirty too (the dirty tag is the one printed)', () => {
    // GIVEN the flag CI uses to learn the tag before pushing WHEN parsed THEN it is set
    expect(parseImageOptions(['--print-tag'], {}).printTag).toBe(true);
    expect(parseImageOptions(['--print-tag', '--allow-dirty'], {})).toMatchObject({
      printTag: true,
      allowDirty: true,
    });
  });

  it('turns IMAGE_REGISTRY into the repository under that registry', () => {
    // GIVEN a registry override with a namespace and a trailing slash
    const options = parseImageOptions([], { IMAGE_REGISTRY: '127.0.0.1:5050/ci/' });
    // THEN the repository keeps the deployment's name below it
    expect(options.repositoryOverride).toBe('127.0.0.1:5050/ci/hello-world-ecr-ecs-fargate');
  });

  it('passes BASE_IMAGE and --allow-dirty through', () => {
    expect(parseImageOptions(['--allow-dirty'], { BASE_IMAGE: 'local/node:24' })).toMatchObject({
      allowDirty: true,
      baseImage: 'local/node:24',
    });
  });

  it('reads the layer cache from IMAGE_CACHE_FROM and IMAGE_CACHE_TO', () => {
    const options = parseImageOptions([], {
      IMAGE_CACHE_FROM: 'type=gha,scope=hello-world',
      IMAGE_CACHE_TO: 'type=gha,scope=hello-world,mode=max',
    });
    expect(options.buildCache).toEqual({
      from: 'type=gha,scope=hello-world',
      to: 'type=gha,scope=hello-world,mode=max',
    });
    expect(parseImageOptions([], {}).buildCache).toBeUndefined();
  });

  it('refuses an IMAGE_REGISTRY that is a URL', () => {
    // GIVEN a scheme in the override WHEN parsed THEN the error shows the expected shape
    expect(() => parseImageOptions([], { IMAGE_REGISTRY: 'http://127.0.0.1:5050' })).toThrow(
      'is not host[:port][/namespace]',
    );
  });

  it('refuses an unknown option in one line listing the options, --help among them', () => {
    expect(() => parseImageOptions(['--force'], {})).toThrow(
      /^unknown option --force: options are --allow-dirty, .*, --help$/,
    );
  });

  it('GIVEN --help WHEN parsed THEN it is the usage, whatever else is given', () => {
    expect(parseCli(['--print-tag', '--help'], IMAGE_BUILD_CLI)).toEqual({ help: true });
    expect(parseCli(['-h', '--force'], IMAGE_PUSH_CLI)).toEqual({ help: true });
  });
});

describe('parseImageOptions --region and --profile', () => {
  it('GIVEN a region and profile as AWS names them WHEN parsed THEN they pass through', () => {
    expect(
      parseImageOptions(['--region', 'us-gov-west-1', '--profile=ci.deploy@acme'], {}),
    ).toMatchObject({
      region: 'us-gov-west-1',
      profile: 'ci.deploy@acme',
    });
  });

  it('GIVEN a region that is not a region name WHEN parsed THEN one line names the flag and an example', () => {
    expect(() => parseImageOptions(['--region', 'Ireland'], {})).toThrow(
      /^--region "Ireland" is not an AWS region, e.g. --region eu-west-1$/,
    );
  });

  it('GIVEN an empty --region WHEN parsed THEN it is refused rather than ignored', () => {
    expect(() => parseImageOptions(['--region='], {})).toThrow('--region "" is not an AWS region');
  });

  it('GIVEN a profile with a space WHEN parsed THEN one line names the flag and an example', () => {
    expect(() => parseImageOptions(['--profile', 'my profile'], {})).toThrow(
      /^--profile "my profile" is not a profile name of .*, e.g. --profile default$/,
    );
  });

  it.each([[['--force']], [['--region', 'Ireland']], [['--project=../etc']]])(
    'GIVEN %j WHEN parsed THEN it is a usage problem (exit 2)',
    (argv) => {
      expect(() => parseImageOptions(argv, {})).toThrow(UsageError);
    },
  );

  it('GIVEN IMAGE_REGISTRY that is no registry WHEN parsed THEN it is a usage problem (exit 2)', () => {
    expect(() => parseImageOptions([], { IMAGE_REGISTRY: 'http://x' })).toThrow(UsageError);
  });

  it('GIVEN --region with no value WHEN parsed THEN one line with an example', () => {
    expect(() => parseImageOptions(['--region'], {})).toThrow(
      /^--region needs a value, e.g. --region eu-west-1$/,
    );
  });
});

describe('parseImageOptions --project', () => {
  it('GIVEN another app WHEN parsed THEN its name is the project, and IMAGE_REGISTRY holds its repository', () => {
    expect(
      parseImageOptions(['--project=billing'], { IMAGE_REGISTRY: '127.0.0.1:5050' }),
    ).toMatchObject({
      project: 'billing',
      repositoryOverride: '127.0.0.1:5050/billing-ecr-ecs-fargate',
    });
  });

  it('GIVEN a project name no deployment can carry WHEN parsed THEN one line, exit 2', () => {
    expect(() => parseImageOptions(['--project=../etc'], {})).toThrow(
      /^--project: invalid service name "\.\.\/etc": /,
    );
  });
});

describe('parseImageOptions in the deploy chain (docker-push)', () => {
  it('GIVEN what infra:deploy forwards WHEN docker-push parses it THEN it is accepted and the push still runs', () => {
    // GIVEN `nx run infra:deploy -- --allowed-ip=… --timeout=5m --json --profile=p --allow-dirty`
    // and the scan gate's `--max-severity=HIGH --allow-vulnerable`
    const argv = [
      '--allowed-ip=203.0.113.7/32',
      '--timeout=5m',
      '--json',
      '--profile=p',
      '--allow-dirty',
      '--max-severity=HIGH',
      '--allow-vulnerable',
    ];
    // WHEN docker-push reads it
    const options = parseImageOptions(argv, {}, { chain: true });
    // THEN it reads its own options and pushes
    expect(options).toMatchObject({ profile: 'p', allowDirty: true });
    expect(options.skipPush).toBeUndefined();
  });

  it('GIVEN the confirmation of an ingress mode switch forwarded THEN docker-push accepts it and pushes', () => {
    const options = parseImageOptions(['--switch-ingress'], {}, { chain: true });
    expect(options.skipPush).toBeUndefined();
  });

  it.each([
    [
      ['--service-only', '--image-tag=sha-1a2b3c4-ecr-ecs-fargate'],
      '--service-only deploys an image already in the registry',
    ],
    [
      ['--image-tag=v1.2.3-ecr-ecs-fargate'],
      '--image-tag=v1.2.3-ecr-ecs-fargate deploys an image already in the registry',
    ],
    [['--registry-only'], '--registry-only deploys only the registry stack'],
    [['--abort'], '--abort stops a deploy in progress and deploys nothing'],
  ])('GIVEN %j THEN docker-push pushes nothing, saying why', (argv, why) => {
    expect(parseImageOptions(argv, {}, { chain: true }).skipPush).toBe(why);
  });

  it('GIVEN an option no step of the chain knows THEN it is still refused', () => {
    expect(() => parseImageOptions(['--force'], {}, { chain: true })).toThrow(
      /^unknown option --force: options are .*--image-tag, .*--service-only, --help$/,
    );
  });

  it("GIVEN deploy's options outside the chain (docker-build) THEN they are refused", () => {
    expect(() => parseImageOptions(['--image-tag=x'], {})).toThrow(
      /^unknown option --image-tag: options are --allow-dirty, --print-tag, --platform, --project, --region, --profile, --help$/,
    );
  });

  it("GIVEN deploy's flags with a value WHEN docker-push parses them THEN refused as before", () => {
    expect(() => parseImageOptions(['--json=yes'], {}, { chain: true })).toThrow(
      /^--json takes no value/,
    );
  });
});

describe('parseImageOptions --env (docker-push: where the image goes)', () => {
  it("GIVEN --env=pr-12, forwarded along the deploy chain THEN a preview, pushed to the previews' stack's repository", () => {
    // GIVEN `nx run infra:deploy -- --env=pr-12` forwarded to docker-push
    const options = parseImageOptions(['--env=pr-12'], {}, { chain: true });
    // THEN its environment is the preview, whose registry stack is the previews' own
    expect(options.environment).toBe('pr-12');
    expect(registryStackOf(options)).toBe('hello-world-ecr-ecs-fargate-previews');
  });

  it("GIVEN DEPLOY_ENV=pr-12 and no flag THEN the same: the previews' stack", () => {
    const options = parseImageOptions([], { DEPLOY_ENV: 'pr-12' }, { chain: true });
    expect([options.environment, registryStackOf(options)]).toEqual([
      'pr-12',
      'hello-world-ecr-ecs-fargate-previews',
    ]);
  });

  it('GIVEN --env and DEPLOY_ENV THEN the flag wins', () => {
    const options = parseImageOptions(
      ['--env', 'staging'],
      { DEPLOY_ENV: 'pr-12' },
      { chain: true },
    );
    expect(options.environment).toBe('staging');
  });

  it.each([['default'], ['staging'], ['production']])(
    'GIVEN environment %s THEN the shared registry stack, as before environments',
    (environment) => {
      const options = parseImageOptions([`--env=${environment}`], {}, { chain: true });
      expect(registryStackOf(options)).toBe('hello-world-ecr-ecs-fargate-registry');
    },
  );

  it("GIVEN a preview and IMAGE_REGISTRY THEN the repository under it is the previews' one, as in ECR", () => {
    const options = parseImageOptions(
      ['--env=pr-12'],
      { IMAGE_REGISTRY: '127.0.0.1:5050' },
      {
        chain: true,
      },
    );
    expect(options.repositoryOverride).toBe('127.0.0.1:5050/hello-world-ecr-ecs-fargate-previews');
    // AND another environment's keeps the shared repository's name
    expect(
      parseImageOptions(['--env=staging'], { IMAGE_REGISTRY: '127.0.0.1:5050' }, { chain: true })
        .repositoryOverride,
    ).toBe('127.0.0.1:5050/hello-world-ecr-ecs-fargate');
  });

  it('GIVEN an environment name that cannot be one THEN one line naming where it came from (exit 2)', () => {
    expect(() => parseImageOptions([], { DEPLOY_ENV: 'Staging!' }, { chain: true })).toThrow(
      new UsageError(
        'invalid environment "Staging!" (from DEPLOY_ENV): use lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, e.g. staging',
      ),
    );
  });
});
