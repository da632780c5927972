import {
  DEPLOYMENT_NAME,
  MAX_SERVICE_NAME_LENGTH,
  ServiceNameError,
  DEPLOYED_IMAGE_TAG_PREFIX,
  deployedImageTag,
  dashboardUrl,
  deploymentNames,
  previousDeployedImageTag,
} from './names';
import { isImageTag } from './patterns';

describe('deployedImageTag', () => {
  it('GIVEN the default service stack THEN names its marker deployed-<stack>, a valid image tag', () => {
    const tag = deployedImageTag(DEPLOYMENT_NAME);
    expect(tag).toBe('deployed-hello-world-ecr-ecs-fargate');
    expect(isImageTag(tag)).toBe(true);
  });
});

describe('previousDeployedImageTag', () => {
  it('GIVEN the default service stack THEN a valid tag the lifecycle keeps (the deployed- prefix)', () => {
    const tag = previousDeployedImageTag(DEPLOYMENT_NAME);
    expect(tag).toBe('deployed-hello-world-ecr-ecs-fargate-previous');
    expect(tag.startsWith(DEPLOYED_IMAGE_TAG_PREFIX)).toBe(true);
    expect(isImageTag(tag)).toBe(true);
  });
});

describe('deploymentNames', () => {
  it("GIVEN hello-world THEN gives exactly the reference deployment's names", () => {
    expect(deploymentNames('hello-world')).toEqual({
      service: 'hello-world',
      environment: 'default',
      deployment: 'hello-world-ecr-ecs-fargate',
      repository: 'hello-world-ecr-ecs-fargate',
      registryStack: 'hello-world-ecr-ecs-fargate-registry',
      rolesStack: 'hello-world-ecr-ecs-fargate-registry',
      ciStack: 'hello-world-ecr-ecs-fargate-ci',
      logGroup: '/ecs/hello-world-ecr-ecs-fargate',
      taskRoles: {
        execution: 'hello-world-ecr-ecs-fargate-execution',
        task: 'hello-world-ecr-ecs-fargate-task',
      },
      ciRoles: {
        publish: 'github-actions-hello-world-ecr-ecs-fargate-publish',
        deploy: 'github-actions-hello-world-ecr-ecs-fargate-deploy',
      },
      localImage: 'hello-world-ecr-ecs-fargate',
      localContainer: 'hello-world-ecr-ecs-fargate-local',
      secretsPath: '/hello-world-ecr-ecs-fargate/default/',
      monitoring: {
        alarmPrefix: 'hello-world-ecr-ecs-fargate-',
        alarms: {
          tasksBelowDesired: 'hello-world-ecr-ecs-fargate-tasks-below-desired',
          taskStops: 'hello-world-ecr-ecs-fargate-task-stops',
          errorLogs: 'hello-world-ecr-ecs-fargate-error-logs',
          cpuHigh: 'hello-world-ecr-ecs-fargate-cpu-high',
          memoryHigh: 'hello-world-ecr-ecs-fargate-memory-high',
        },
        alarmTopic: 'hello-world-ecr-ecs-fargate-alarms',
        taskStopsTopic: 'hello-world-ecr-ecs-fargate-task-stops',
        taskStopsRule: 'hello-world-ecr-ecs-fargate-task-stops',
        dashboard: 'hello-world-ecr-ecs-fargate',
        metricNamespace: 'ECR-ECS-Fargate/hello-world-ecr-ecs-fargate',
      },
      dnsUpdater: {
        function: 'hello-world-ecr-ecs-fargate-dns',
        role: 'hello-world-ecr-ecs-fargate-dns',
        rule: 'hello-world-ecr-ecs-fargate-dns',
        logGroup: '/aws/lambda/hello-world-ecr-ecs-fargate-dns',
      },
    });
  });

  it('GIVEN a second service THEN every one of its names is its own, none shared', () => {
    const leaves = (value: object): string[] =>
      Object.values(value).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v as object)));
    const greeter = leaves(deploymentNames('greeter'));
    expect(greeter.filter((name) => !name.includes('greeter') && name !== 'default')).toEqual([]);
    expect(greeter).toContain('greeter-ecr-ecs-fargate-registry');
  });

  it('GIVEN the longest name allowed THEN every IAM role name fits in 64 characters', () => {
    const names = deploymentNames('s'.repeat(MAX_SERVICE_NAME_LENGTH));
    const roles = [...Object.values(names.taskRoles), ...Object.values(names.ciRoles)];
    expect({
      max: MAX_SERVICE_NAME_LENGTH,
      longest: Math.max(...roles.map((r) => r.length)),
    }).toEqual({ max: 25, longest: 64 });
  });

  it('GIVEN one character more than the longest THEN refuses it with one line naming the limit', () => {
    expect(() => deploymentNames('s'.repeat(MAX_SERVICE_NAME_LENGTH + 1))).toThrow(
      /^invalid service name "s{26}": it is 26 characters, and the IAM role name github-actions-s{26}-ecr-ecs-fargate-publish would exceed AWS's 64; use at most 25$/,
    );
  });

  it.each(['Greeter', '9lives', 'my_service', 'trailing-', 'double--hyphen', ''])(
    'GIVEN %j THEN refuses it with one line saying what a name may hold',
    (service) => {
      expect(() => deploymentNames(service)).toThrow(
        new ServiceNameError(
          `invalid service name ${JSON.stringify(service)}: use lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, e.g. greeter`,
        ),
      );
    },
  );
});

describe('secrets and monitoring names', () => {
  it('GIVEN the default, a named and a preview environment THEN each keeps secrets in its own folder, previews in one shared', () => {
    expect(
      [undefined, 'staging', 'pr-7'].map((env) => deploymentNames('hello-world', env).secretsPath),
    ).toEqual([
      '/hello-world-ecr-ecs-fargate/default/',
      '/hello-world-ecr-ecs-fargate/staging/',
      '/hello-world-ecr-ecs-fargate/previews/',
    ]);
  });

  it("GIVEN an environment THEN every alarm name starts with its alarm prefix, the deployment's", () => {
    const { monitoring, deployment } = deploymentNames('hello-world', 'staging');
    expect(monitoring.alarmPrefix).toBe(`${deployment}-`);
    for (const alarm of Object.values(monitoring.alarms)) {
      expect(alarm.startsWith(monitoring.alarmPrefix)).toBe(true);
    }
    expect(new Set(Object.values(monitoring.alarms)).size).toBe(5);
  });

  it('GIVEN a region and a dashboard THEN the console link names both', () => {
    expect(dashboardUrl('eu-west-1', 'hello-world-ecr-ecs-fargate')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/hello-world-ecr-ecs-fargate',
    );
  });
});
