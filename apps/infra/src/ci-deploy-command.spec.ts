import {
  buildCiDeployCommand,
  chooseRepository,
  formatNextSteps,
  parseGitHubRepository,
  type CiDeployRequest,
} from './ci-deploy-command';
import { ConfigError } from './config';

const request: CiDeployRequest = {
  stackName: 'hello-world-ecr-ecs-fargate-ci',
  repository: 'octo-org/hello-world',
  assemblyDir: '/ws/dist/apps/infra/cdk-ci.out',
  outputsFile: '/ws/dist/apps/infra/hello-world-ecr-ecs-fargate-ci.outputs.json',
  interactive: false,
};

describe('parseGitHubRepository', () => {
  it.each([
    ['git@github.com:octo-org/hello-world.git', 'octo-org/hello-world'],
    ['https://github.com/octo-org/hello-world', 'octo-org/hello-world'],
    ['https://x-access-token:t@github.com/octo-org/hello-world.git', 'octo-org/hello-world'],
    ['ssh://git@github.com/octo-org/hello-world.git', 'octo-org/hello-world'],
  ])('reads %s as %s', (remote, repository) => {
    expect(parseGitHubRepository(remote)).toBe(repository);
  });

  it.each(['/work/main', 'https://gitlab.com/o/r.git', 'git@example.com:o/r.git', ''])(
    'finds no GitHub repository in %j',
    (remote) => {
      expect(parseGitHubRepository(remote)).toBeUndefined();
    },
  );
});

describe('chooseRepository', () => {
  it('prefers --repo over the origin remote', () => {
    expect(chooseRepository('a/b', 'git@github.com:c/d.git')).toBe('a/b');
  });

  it('asks for --repo when origin is not on GitHub', () => {
    expect(() => chooseRepository(undefined, '/work/main')).toThrow(
      new ConfigError(
        'No GitHub repository: the origin remote is not on github.com; pass --repo=owner/name.',
      ),
    );
  });
});

describe('buildCiDeployCommand', () => {
  it('deploys only the CI stack, synthesized with the repository in context into its own directory', () => {
    expect(buildCiDeployCommand(request)).toEqual([
      'deploy',
      'hello-world-ecr-ecs-fargate-ci',
      '--exclusively',
      '--output',
      '/ws/dist/apps/infra/cdk-ci.out',
      '--context',
      'githubRepository=octo-org/hello-world',
      '--require-approval',
      'never',
      '--outputs-file',
      '/ws/dist/apps/infra/hello-world-ecr-ecs-fargate-ci.outputs.json',
    ]);
  });

  it('passes the environment, an existing provider and the profile through', () => {
    const args = buildCiDeployCommand({
      ...request,
      environment: 'prod',
      oidcProviderArn: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com',
      profile: 'admin',
      interactive: true,
    }).join(' ');
    expect(args).toContain('--context githubEnvironment=prod');
    expect(args).toContain(
      '--context githubOidcProviderArn=arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com',
    );
    expect(args).toContain('--profile admin');
    // A person at a terminal approves the new IAM role before it is created.
    expect(args).toContain('--require-approval broadening');
  });
});

describe('formatNextSteps', () => {
  it('names the one repository variable to set, with the gh command', () => {
    const arn = 'arn:aws:iam::123456789012:role/github-actions-hello-world-ecr-ecs-fargate';
    const text = formatNextSteps(
      { 'hello-world-ecr-ecs-fargate-ci': { GitHubActionsRoleArn: arn } },
      'hello-world-ecr-ecs-fargate-ci',
      'octo-org/hello-world',
    );
    expect(text).toContain(
      `gh variable set AWS_ROLE_ARN --repo octo-org/hello-world --body ${arn}`,
    );
  });

  it('says where to look when the output is missing', () => {
    expect(formatNextSteps({}, 'hello-world-ecr-ecs-fargate-ci', 'o/r')).toContain(
      'has no GitHubActionsRoleArn output',
    );
  });
});
