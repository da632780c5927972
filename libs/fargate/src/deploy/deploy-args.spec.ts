import { ConfigError } from '../config';
import { parseDeployArgs } from './deploy-args';

describe('parseDeployArgs', () => {
  it('defaults to deploying the current build with a 20 minute budget, rolled back past it', () => {
    expect(parseDeployArgs([], {})).toEqual({
      help: false,
      timeoutMs: 20 * 60_000,
      json: false,
      registryOnly: false,
      serviceOnly: false,
      allowDirty: false,
      leftToService: [],
      printTag: false,
      abort: false,
      noRollback: false,
      maxSeverity: 'CRITICAL',
      allowVulnerable: false,
    });
  });

  it('GIVEN --max-severity=high --allow-vulnerable THEN the scan gate refuses HIGH and above, then is overridden', () => {
    expect(parseDeployArgs(['--max-severity=high', '--allow-vulnerable'], {})).toMatchObject({
      maxSeverity: 'HIGH',
      allowVulnerable: true,
    });
  });

  it('GIVEN a severity that is not one THEN one line listing them', () => {
    expect(() => parseDeployArgs(['--max-severity=severe'], {})).toThrow(
      /^--max-severity "severe" is not one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED \(any case\), e\.g\. --max-severity HIGH$/,
    );
  });

  it('GIVEN --no-rollback THEN the deploy leaves a late update going', () => {
    expect(parseDeployArgs(['--no-rollback', '--timeout=5m'], {})).toMatchObject({
      noRollback: true,
      timeoutMs: 5 * 60_000,
    });
  });

  it('GIVEN --abort handed to deploy-registry by the chain THEN it skips itself, saying why', () => {
    expect(parseDeployArgs(['--registry-only', '--abort'], {})).toMatchObject({
      abort: true,
      registrySkip: '--abort stops a deploy in progress and deploys nothing',
    });
  });

  it('GIVEN --abort --service-only (CI) THEN no --image-tag is needed: nothing is deployed', () => {
    expect(parseDeployArgs(['--abort', '--service-only'], {})).toMatchObject({ abort: true });
  });

  it.each([['--image-tag=v1.2.3-ecr-ecs-fargate'], ['--no-rollback'], ['--allow-dirty']])(
    'GIVEN --abort with %s, which only a deploy reads THEN a ConfigError',
    (flag) => {
      expect(() => parseDeployArgs(['--abort', flag], {})).toThrow(
        /^--abort stops the deploy in progress and deploys nothing, so --[a-z-]+ means nothing with it: drop one of them$/,
      );
    },
  );

  it('GIVEN --allow-dirty THEN the push may build uncommitted changes', () => {
    expect(parseDeployArgs(['--allow-dirty'], {})).toMatchObject({ allowDirty: true });
  });

  it('GIVEN --allow-dirty with --image-tag, where nothing is built THEN a ConfigError, not a silently ignored flag', () => {
    expect(() =>
      parseDeployArgs(['--allow-dirty', '--image-tag=v1.2.3-ecr-ecs-fargate'], {}),
    ).toThrow(/^--allow-dirty builds and pushes the work tree, but .*: drop one of them$/);
  });

  it('GIVEN --allow-dirty handed to deploy-registry by the chain THEN accepted (docker-push reads it)', () => {
    expect(parseDeployArgs(['--registry-only', '--allow-dirty'], {})).toMatchObject({
      registryOnly: true,
    });
  });

  it('takes the tag and CIDR from flags before IMAGE_TAG / ALLOWED_IP', () => {
    const env = { IMAGE_TAG: 'sha-1111111-ecr-ecs-fargate', ALLOWED_IP: '10.0.0.0/8' };
    expect(parseDeployArgs(['--allowed-ip=203.0.113.7/32'], env)).toMatchObject({
      imageTag: 'sha-1111111-ecr-ecs-fargate',
      allowedIp: '203.0.113.7/32',
    });
  });

  it('reads --json, --timeout, --profile and --registry-only', () => {
    expect(
      parseDeployArgs(['--json', '--timeout=5m', '--profile=dev', '--registry-only'], {}),
    ).toMatchObject({
      json: true,
      timeoutMs: 300_000,
      profile: 'dev',
      registryOnly: true,
    });
  });

  it('GIVEN --alert-email=ADDRESS THEN alertEmail; --alert-email= THEN "" (remove); none THEN left out', () => {
    expect(parseDeployArgs(['--alert-email=ops@example.com'], {}).alertEmail).toBe(
      'ops@example.com',
    );
    expect(parseDeployArgs(['--alert-email='], {}).alertEmail).toBe('');
    expect(parseDeployArgs([], { ALERT_EMAIL: 'ops@example.com' })).not.toHaveProperty(
      'alertEmail',
    );
  });

  it('GIVEN --alert-email with --abort THEN refused: abort deploys nothing', () => {
    expect(() => parseDeployArgs(['--abort', '--alert-email=ops@example.com'], {})).toThrow(
      /--alert-email means nothing with it/,
    );
  });

  it.each([
    ['--allowed-ip=1.2.3.4'],
    ['--image-tag=-bad'],
    ['--timeout=soon'],
    ['--force'],
    ['--alert-email=not an address'],
  ])('rejects %s with a one-line ConfigError', (flag) => {
    expect(() => parseDeployArgs([flag], {})).toThrow(ConfigError);
  });
});

describe('parseDeployArgs: AWS settings share the ops rules', () => {
  it('GIVEN no --profile THEN takes AWS_PROFILE, so messages can name it', () => {
    expect(parseDeployArgs([], { AWS_PROFILE: 'dev' })).toMatchObject({ profile: 'dev' });
  });

  it.each([
    ['--profile=', 'invalid --profile "": use a profile name from `aws configure list-profiles`'],
    [
      '--profile=a b',
      'invalid --profile "a b": use a profile name from `aws configure list-profiles`',
    ],
  ])('GIVEN %s THEN the same one-line error as the ops commands', (flag, message) => {
    expect(() => parseDeployArgs([flag], {})).toThrow(ConfigError);
    expect(() => parseDeployArgs([flag], {})).toThrow(message);
  });

  it('GIVEN AWS_ENDPOINT_URL that is not a URL THEN a ConfigError before CDK runs', () => {
    expect(() => parseDeployArgs([], { AWS_ENDPOINT_URL: 'not-a-url' })).toThrow(
      new ConfigError(
        'AWS_ENDPOINT_URL "not-a-url" is not a URL: set it like http://localhost:4566, or unset it',
      ),
    );
  });
});

describe("parseDeployArgs: --registry-only, the chain's first step", () => {
  it.each([['--image-tag=v1'], ['--allowed-ip=203.0.113.7/32'], ['--alert-email=ops@example.com']])(
    'GIVEN --registry-only with %s (forwarded by infra:deploy) THEN it is left to the service stack, and said',
    (flag) => {
      const name = flag.slice(0, flag.indexOf('='));
      expect(parseDeployArgs(['--registry-only', flag], {}).leftToService).toEqual([name]);
    },
  );

  it.each([
    [['--service-only', '--image-tag=v1'], '--service-only deploys only the service stack'],
    [['--print-tag'], '--print-tag only prints the image tag'],
  ])(
    'GIVEN --registry-only with %j THEN the registry step skips itself, saying why',
    (argv, why) => {
      expect(parseDeployArgs(['--registry-only', ...argv], {}).registrySkip).toBe(why);
    },
  );

  it("GIVEN docker-push's --project and --region THEN accepted, the region checked as a region", () => {
    expect(
      parseDeployArgs(['--registry-only', '--project=hello-world', '--region=eu-west-1'], {}),
    ).toMatchObject({ region: 'eu-west-1' });
    expect(() => parseDeployArgs(['--region=Ireland'], {})).toThrow(
      new ConfigError('--region "Ireland" is not an AWS region, e.g. --region eu-west-1'),
    );
  });

  it('GIVEN an option no step of the chain knows THEN still refused in one line', () => {
    expect(() => parseDeployArgs(['--registry-only', '--force'], {})).toThrow(
      /^unknown option --force: options are --env, --image-tag, .*--project, --platform, --help$/,
    );
  });

  it('GIVEN --registry-only with IMAGE_TAG in the environment (as CI sets it) THEN accepts it', () => {
    expect(
      parseDeployArgs(['--registry-only'], { IMAGE_TAG: 'sha-1111111-ecr-ecs-fargate' }),
    ).toMatchObject({ registryOnly: true });
  });
});

describe('parseDeployArgs: --service-only', () => {
  it('GIVEN --service-only with --image-tag THEN deploys that tag to the service stack only', () => {
    expect(
      parseDeployArgs(['--service-only', '--image-tag=v1.2.3-ecr-ecs-fargate'], {}),
    ).toMatchObject({ serviceOnly: true, imageTag: 'v1.2.3-ecr-ecs-fargate' });
  });

  it('GIVEN --service-only without a tag THEN one line saying to add --image-tag', () => {
    expect(() => parseDeployArgs(['--service-only'], {})).toThrow(
      new ConfigError(
        '--service-only deploys an image already in ECR and builds nothing: add --image-tag=TAG (e.g. --image-tag=sha-1a2b3c4-ecr-ecs-fargate), or drop --service-only to build and deploy both stacks',
      ),
    );
  });

  it('GIVEN --service-only with IMAGE_TAG in the environment THEN takes the tag from there, as --image-tag does', () => {
    expect(
      parseDeployArgs(['--service-only'], { IMAGE_TAG: 'sha-1111111-ecr-ecs-fargate' }),
    ).toMatchObject({ serviceOnly: true, imageTag: 'sha-1111111-ecr-ecs-fargate' });
  });

  it('GIVEN --service-only with --allow-dirty THEN refuses the flag it would ignore', () => {
    expect(() =>
      parseDeployArgs(['--service-only', '--allow-dirty', '--image-tag=v1'], {}),
    ).toThrow(
      new ConfigError(
        '--allow-dirty builds and pushes the work tree, but --service-only deploys an image already in ECR: drop one of them',
      ),
    );
  });
});
