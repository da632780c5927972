import { deploymentNames } from '@hello-world/shared';
import { ConfigError, loadConfig, type Env } from './config';

const noContext = () => undefined;
const context = (values: Record<string, unknown>) => (key: string) => values[key];

function errorFrom(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults', () => {
  it('gives the reference deployment when nothing is set', () => {
    // GIVEN no context and no environment  WHEN the config is read  THEN it is the reference's
    expect(loadConfig(noContext, {})).toEqual({
      names: deploymentNames('hello-world'),
      appName: 'hello-world',
      deploymentName: 'hello-world-ecr-ecs-fargate',
      registryStackName: 'hello-world-ecr-ecs-fargate-registry',
      region: 'eu-west-1',
      port: 49000,
      cpu: 256,
      memoryMiB: 512,
      desiredCount: 1,
      architecture: 'X86_64',
      allowedIp: '0.0.0.0/0',
      imageTag: 'latest',
      spot: false,
      controlTower: 'reference',
      environment: 'default',
      logRetentionDays: 7,
      variables: {},
      secrets: [],
      exec: false,
      containerInsights: false,
      alertEmail: '',
      ingress: { mode: 'public-ip' },
      defaultEnvironmentRoles: { secrets: [], exec: false },
    });
  });
});

describe('loadConfig environments', () => {
  const environments = {
    staging: { desiredCount: 2, logRetentionDays: 30 },
    production: { cpu: 512, memoryMiB: 1024, allowedIp: '203.0.113.0/24' },
    previews: { spot: true },
  };

  it('GIVEN DEPLOY_ENV=staging THEN its names and its settings, the rest defaults', () => {
    const config = loadConfig(context({ environments }), { DEPLOY_ENV: 'staging' });
    expect({
      environment: config.environment,
      deployment: config.deploymentName,
      registry: config.registryStackName,
      desiredCount: config.desiredCount,
      logRetentionDays: config.logRetentionDays,
      cpu: config.cpu,
    }).toEqual({
      environment: 'staging',
      deployment: 'hello-world-ecr-ecs-fargate-staging',
      registry: 'hello-world-ecr-ecs-fargate-registry',
      desiredCount: 2,
      logRetentionDays: 30,
      cpu: 256,
    });
  });

  it('GIVEN context environment=production THEN it wins over DEPLOY_ENV', () => {
    const config = loadConfig(context({ environments, environment: 'production' }), {
      DEPLOY_ENV: 'staging',
    });
    expect([config.environment, config.cpu, config.memoryMiB, config.allowedIp]).toEqual([
      'production',
      512,
      1024,
      '203.0.113.0/24',
    ]);
  });

  it('GIVEN a preview THEN it reads the previews block', () => {
    const config = loadConfig(context({ environments }), { DEPLOY_ENV: 'pr-12' });
    expect([config.deploymentName, config.spot]).toEqual([
      'hello-world-ecr-ecs-fargate-pr-12',
      true,
    ]);
  });

  it('GIVEN an environment variable THEN it overrides the environment block', () => {
    const config = loadConfig(context({ environments }), {
      DEPLOY_ENV: 'staging',
      DESIRED_COUNT: '3',
    });
    expect(config.desiredCount).toBe(3);
  });

  it('GIVEN an environment with no block THEN the defaults', () => {
    const config = loadConfig(context({ environments }), { DEPLOY_ENV: 'qa' });
    expect([config.deploymentName, config.desiredCount, config.spot]).toEqual([
      'hello-world-ecr-ecs-fargate-qa',
      1,
      false,
    ]);
  });

  it('GIVEN an invalid value in a block THEN one line naming the block and key', () => {
    const error = errorFrom(() =>
      loadConfig(context({ environments: { staging: { cpu: 300 } } }), { DEPLOY_ENV: 'staging' }),
    );
    expect(error.message).toMatch(
      /^Invalid cpu 300 \(from cdk\.json environments\.staging\.cpu\): Fargate offers /,
    );
  });

  it('GIVEN a block with an unknown setting THEN refused in any environment, listing what is allowed', () => {
    const error = errorFrom(() =>
      loadConfig(context({ environments: { staging: { replicas: 2 } } }), {}),
    );
    expect(error.message).toBe(
      'cdk.json context "environments": staging has no setting "replicas"; an environment may set cpu, memoryMiB, desiredCount, architecture, spot, allowedIp, logRetentionDays, variables, secrets, secretsKmsKey, exec, containerInsights, alertEmail, ingress, domainName, hostedZoneId, hostedZoneName, minTasks, maxTasks, scaleCpuPercent, scaleRequestsPerTarget.',
    );
  });

  it('GIVEN a block named like no environment can be THEN refused', () => {
    const error = errorFrom(() => loadConfig(context({ environments: { Prod: {} } }), {}));
    expect(error.message).toMatch(
      /^cdk\.json context "environments" names environment "Prod": use lowercase/,
    );
  });

  it('GIVEN an environment name AWS would refuse THEN one line before any construct', () => {
    const error = errorFrom(() => loadConfig(noContext, { DEPLOY_ENV: 'registry' }));
    expect(error.message).toBe(
      'Invalid environment "registry" (from env DEPLOY_ENV): registry names a resource every environment shares; choose another name. Set --env, DEPLOY_ENV or context "environment", or unset it for the default environment.',
    );
  });

  it('GIVEN a log retention CloudWatch does not offer THEN refused with the periods', () => {
    const error = errorFrom(() => loadConfig(noContext, { LOG_RETENTION_DAYS: '10' }));
    expect(error.message).toMatch(
      /^Invalid logRetentionDays "10" \(from env LOG_RETENTION_DAYS\): CloudWatch Logs keeps events for 1, 3, 5, 7, 14,/,
    );
  });

  it('GIVEN strict mode THEN a year of logs by default, and less is refused', () => {
    expect(loadConfig(noContext, { CONTROL_TOWER: 'strict' }).logRetentionDays).toBe(365);
    expect(
      errorFrom(() => loadConfig(noContext, { CONTROL_TOWER: 'strict', LOG_RETENTION_DAYS: '30' }))
        .message,
    ).toMatch(/controlTower strict keeps logs at least 365 days/);
  });
});

describe('loadConfig precedence', () => {
  it('takes CDK context over the environment', () => {
    // GIVEN cpu in both context and env  WHEN read  THEN context wins
    const config = loadConfig(context({ cpu: '512', memoryMiB: 1024 }), {
      TASK_CPU: '1024',
      TASK_MEMORY_MIB: '2048',
    });
    expect(config).toMatchObject({ cpu: 512, memoryMiB: 1024 });
  });

  it('takes the environment over the default', () => {
    const env: Env = {
      AWS_REGION: 'us-east-2',
      IMAGE_TAG: 'sha-1a2b3c4-ecr-ecs-fargate',
      ALLOWED_IP: '203.0.113.7/32',
      DESIRED_COUNT: '0',
      CPU_ARCHITECTURE: 'arm64',
    };
    expect(loadConfig(noContext, env)).toMatchObject({
      region: 'us-east-2',
      imageTag: 'sha-1a2b3c4-ecr-ecs-fargate',
      allowedIp: '203.0.113.7/32',
      desiredCount: 0,
      architecture: 'ARM64',
    });
  });

  it('prefers AWS_REGION to AWS_DEFAULT_REGION and ignores the CLI-filled CDK_DEFAULT_REGION', () => {
    const env = { AWS_DEFAULT_REGION: 'eu-central-1', CDK_DEFAULT_REGION: 'us-east-1' };
    expect(loadConfig(noContext, env).region).toBe('eu-central-1');
    expect(loadConfig(noContext, { ...env, AWS_REGION: 'ap-southeast-2' }).region).toBe(
      'ap-southeast-2',
    );
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig(context({ imageTag: '' }), { IMAGE_TAG: '' }).imageTag).toBe('latest');
  });

  it('reads spot from a context boolean or an env string', () => {
    expect(loadConfig(context({ spot: true }), {}).spot).toBe(true);
    expect(loadConfig(noContext, { FARGATE_SPOT: 'true' }).spot).toBe(true);
  });

  it('reads the Control Tower mode from context or CONTROL_TOWER, in any case', () => {
    // GIVEN strict in context, or STRICT in the environment  WHEN read  THEN strict
    expect(loadConfig(context({ controlTower: 'strict' }), {}).controlTower).toBe('strict');
    expect(loadConfig(noContext, { CONTROL_TOWER: 'STRICT' }).controlTower).toBe('strict');
  });
});

describe('loadConfig rejects values that cannot work, in one line', () => {
  it.each([
    [
      'a CIDR that is not a CIDR',
      { allowedIp: '10.0.0.0/33' },
      /allowedIp "10.0.0.0\/33".*not an IPv4 CIDR/,
    ],
    [
      'a bare IP without a prefix',
      { allowedIp: '203.0.113.7' },
      /not an IPv4 CIDR like 203.0.113.7\/32/,
    ],
    [
      'an image tag with illegal characters',
      { imageTag: 'v1:latest' },
      /imageTag "v1:latest".*A-Z a-z 0-9/,
    ],
    ['an image tag starting with a dash', { imageTag: '-x' }, /imageTag "-x"/],
    ['a CPU Fargate does not offer', { cpu: 300 }, /cpu 300.*256, 512, 1024/],
    [
      'a CPU/memory pair Fargate does not offer',
      { cpu: 256, memoryMiB: 4096 },
      /no 256 CPU \/ 4096 MiB task; with 256 CPU use 512, 1024, 2048 MiB/,
    ],
    [
      'memory off the step for its CPU',
      { cpu: 2048, memoryMiB: 5000 },
      /with 2048 CPU use 4096–16384 MiB in steps of 1024/,
    ],
    ['a desired count below zero', { desiredCount: -1 }, /desiredCount -1.*cannot be negative/],
    [
      'a desired count above the ECS tasks-per-service quota',
      { desiredCount: 5001 },
      /desiredCount 5001.*at most 5000 tasks per service/,
    ],
    [
      'a desired count too large to be a number',
      { desiredCount: '99999999999999999999' },
      /desiredCount "99999999999999999999".*at most 5000 tasks per service/,
    ],
    ['a fractional desired count', { desiredCount: '1.5' }, /desiredCount "1.5".*whole number/],
    ['an unknown architecture', { architecture: 'x86' }, /architecture "x86".*X86_64 or ARM64/],
    ['a spot flag that is not a boolean', { spot: 'maybe' }, /spot "maybe".*true or false/],
    [
      'Fargate Spot on ARM64',
      { spot: true, architecture: 'ARM64' },
      /Fargate Spot runs X86_64 tasks only/,
    ],
    ['a region that is not a region', { region: 'Ireland' }, /region "Ireland".*like eu-west-1/],
    [
      'a Control Tower mode that does not exist',
      { controlTower: 'on' },
      /controlTower "on".*expected reference or strict/,
    ],
  ])('rejects %s', (_case, values, message) => {
    // GIVEN an invalid value in context  WHEN read  THEN a ConfigError with one line and the fix
    const error = errorFrom(() => loadConfig(context(values), {}));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/Set context "\w+" or env [A-Z_]+, or unset it/);
  });

  it('takes the largest desired count ECS allows', () => {
    // GIVEN exactly the quota  WHEN read  THEN accepted as is
    expect(loadConfig(noContext, { DESIRED_COUNT: '5000' }).desiredCount).toBe(5000);
  });

  it('names the environment variable a bad value came from', () => {
    const error = errorFrom(() => loadConfig(noContext, { TASK_CPU: 'lots' }));
    expect(error.message).toContain('(from env TASK_CPU)');
  });
});

describe('loadConfig: AllowedIP with host bits set', () => {
  it('GIVEN ALLOWED_IP=10.0.0.1/24 THEN one line naming the network it means', () => {
    const error = errorFrom(() => loadConfig(noContext, { ALLOWED_IP: '10.0.0.1/24' }));
    expect(error.message).toBe(
      'Invalid allowedIp "10.0.0.1/24" (from env ALLOWED_IP): host bits are set (a /24 keeps only its first 24 bits, so it means 10.0.0.0/24): did you mean 10.0.0.0/24, or 10.0.0.1/32 for that one address? Set context "allowedIp" or env ALLOWED_IP, or unset it for "0.0.0.0/0".',
    );
  });

  it('GIVEN allowedIp 8.8.8.8/0 in context THEN refuses it as the whole internet in disguise', () => {
    const error = errorFrom(() => loadConfig(context({ allowedIp: '8.8.8.8/0' }), {}));
    expect(error.message).toMatch(/means 0\.0\.0\.0\/0, the whole internet.*8\.8\.8\.8\/32/);
  });
});

describe('loadConfig service and port', () => {
  it('GIVEN context service=greeter and port=49010 THEN every name and the port are its own', () => {
    const config = loadConfig(context({ service: 'greeter', port: 49010 }), {});
    expect(config).toMatchObject({
      names: deploymentNames('greeter'),
      appName: 'greeter',
      deploymentName: 'greeter-ecr-ecs-fargate',
      registryStackName: 'greeter-ecr-ecs-fargate-registry',
      port: 49010,
    });
  });

  it('GIVEN a PORT-like variable in the environment THEN the port still comes only from context', () => {
    expect(loadConfig(noContext, { PORT: '8080', APP_PORT: '8080' }).port).toBe(49000);
  });

  it('GIVEN a port that is not a whole number THEN one line says so and where to set it', () => {
    expect(errorFrom(() => loadConfig(context({ port: '49k' }), {})).message).toBe(
      `Invalid port "49k" (from context "port"): expected a whole number. Set context "port" in the deployment's cdk.json, or unset it for 49000.`,
    );
  });

  it('GIVEN a service name longer than AWS allows THEN one line names the limit it breaks', () => {
    expect(errorFrom(() => loadConfig(context({ service: 'a'.repeat(26) }), {})).message).toMatch(
      /^Invalid service "a{26}" \(from context "service"\): it is 26 characters, .* use at most 25\. /,
    );
  });
});
