import {
  chooseEnvironment,
  environmentShapeProblem,
  isPreviewEnvironment,
  previewEnvironment,
} from './environments';
import { deploymentNames, environmentNameProblem } from './names';

describe('chooseEnvironment', () => {
  it('GIVEN neither --env nor DEPLOY_ENV THEN the default environment', () => {
    expect(chooseEnvironment(undefined, {})).toBe('default');
  });

  it('GIVEN both THEN the flag wins over DEPLOY_ENV', () => {
    expect(chooseEnvironment('production', { DEPLOY_ENV: 'staging' })).toBe('production');
  });

  it('GIVEN DEPLOY_ENV only THEN that environment', () => {
    expect(chooseEnvironment(undefined, { DEPLOY_ENV: 'staging' })).toBe('staging');
  });

  it('GIVEN a bad name THEN one line naming where it came from and the rule', () => {
    expect(() => chooseEnvironment(undefined, { DEPLOY_ENV: 'Staging' })).toThrow(
      /^invalid environment "Staging" \(from DEPLOY_ENV\): use lowercase letters, digits and single hyphens.*e\.g\. staging$/,
    );
  });
});

describe('environmentShapeProblem', () => {
  it.each(['registry', 'ci', 'pr', 'previews', 'previous', 'qa-previous', 'qa-roles', 'ci-pr'])(
    'GIVEN %j, which a shared name already ends with THEN refuses it',
    (name) => {
      expect(environmentShapeProblem(name)).toMatch(/choose another name$/);
    },
  );

  it('GIVEN pr- followed by anything but a number THEN says previews are pr-<number>', () => {
    expect(environmentShapeProblem('pr-feature')).toBe(
      'names starting pr- are pull-request previews, pr-<number> (e.g. pr-42)',
    );
  });

  it('GIVEN 17 characters THEN refuses with the limit', () => {
    expect(environmentShapeProblem('a'.repeat(17))).toBe('it is 17 characters; use at most 16');
  });
});

describe('previews', () => {
  it('GIVEN pull request 42 THEN its environment is pr-42, a preview', () => {
    expect(isPreviewEnvironment(previewEnvironment(42))).toBe(true);
    expect(isPreviewEnvironment('staging')).toBe(false);
  });
});

describe('deploymentNames in an environment', () => {
  it('GIVEN staging THEN every per-environment name is suffixed and the registry shared', () => {
    const names = deploymentNames('hello-world', 'staging');
    expect({
      deployment: names.deployment,
      repository: names.repository,
      registryStack: names.registryStack,
      rolesStack: names.rolesStack,
      logGroup: names.logGroup,
      execution: names.taskRoles.execution,
      deploy: names.ciRoles.deploy,
      localContainer: names.localContainer,
    }).toEqual({
      deployment: 'hello-world-ecr-ecs-fargate-staging',
      repository: 'hello-world-ecr-ecs-fargate',
      registryStack: 'hello-world-ecr-ecs-fargate-registry',
      rolesStack: 'hello-world-ecr-ecs-fargate-staging-roles',
      logGroup: '/ecs/hello-world-ecr-ecs-fargate-staging',
      execution: 'hello-world-ecr-ecs-fargate-staging-execution',
      deploy: 'github-actions-hello-world-ecr-ecs-fargate-staging-deploy',
      localContainer: 'hello-world-ecr-ecs-fargate-staging-local',
    });
  });

  it('GIVEN two previews THEN they share one set of roles and keep their own stacks', () => {
    const [a, b] = [deploymentNames('hello-world', 'pr-1'), deploymentNames('hello-world', 'pr-2')];
    expect({ roles: a.taskRoles, stack: a.rolesStack, deploy: a.ciRoles.deploy }).toEqual({
      roles: b.taskRoles,
      stack: b.rolesStack,
      deploy: b.ciRoles.deploy,
    });
    expect(a.deployment).not.toBe(b.deployment);
    expect([a.rolesStack, a.registryStack, a.repository]).toEqual([
      'hello-world-ecr-ecs-fargate-previews',
      'hello-world-ecr-ecs-fargate-previews',
      'hello-world-ecr-ecs-fargate-previews',
    ]);
  });

  it('GIVEN a name too long for the deploy role THEN names the role and the room left', () => {
    expect(environmentNameProblem('hello-world', 'abcdefghijklmno')).toBe(
      "the IAM role name github-actions-hello-world-ecr-ecs-fargate-abcdefghijklmno-deploy would exceed AWS's 64; hello-world's environments can have at most 14 characters",
    );
    expect(() => deploymentNames('hello-world', 'abcdefghijklmno')).toThrow(
      /^invalid environment "abcdefghijklmno": the IAM role name/,
    );
  });
});
