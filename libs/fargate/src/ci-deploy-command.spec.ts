import {
  buildCiDeployCommand,
  chooseRepository,
  formatNextSteps,
  parseCiDeployArgs,
  parseGitHubRepository,
  type CiDeployRequest,
} from './ci-deploy-command';
import { ConfigError } from './config';

const request: CiDeployRequest = {
  stackNames: ['hello-world-ecr-ecs-fargate-registry', 'hello-world-ecr-ecs-fargate-ci'],
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
    expect(chooseRepository('a/b', () => 'git@github.com:c/d.git')).toEqual({
      value: 'a/b',
      source: '--repo',
    });
  });

  it('asks for --repo when origin is not on GitHub', () => {
    expect(() => chooseRepository(undefined, () => '/work/main')).toThrow(
      new ConfigError(
        'No GitHub repository: the origin remote is not on github.com; pass --repo=owner/name.',
      ),
    );
  });
});

describe('parseCiDeployArgs', () => {
  const origin = () => 'git@github.com:octo-org/hello-world.git';
  const noOrigin = () => undefined;
  const OPTIONS = 'options are --repo, --environment, --oidc-provider-arn, --profile, --help';

  /** The one-line ConfigError parseCiDeployArgs throws for argv, as its message. */
  function refusal(argv: string[], readOrigin: () => string | undefined = origin): string {
    try {
      parseCiDeployArgs(argv, readOrigin);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error(`expected ${argv.join(' ')} to be refused`);
  }

  it('trusts the origin remote when no --repo is given, defaulting the environment', () => {
    // GIVEN no flags and a GitHub origin  WHEN parsed  THEN that repository, production
    expect(parseCiDeployArgs([], origin)).toEqual({
      help: false,
      ci: { repository: 'octo-org/hello-world', environment: 'production' },
    });
  });

  it('reads every flag', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    expect(
      parseCiDeployArgs(
        ['--repo=a/b', '--environment', 'prod', `--oidc-provider-arn=${arn}`, '--profile=admin'],
        noOrigin,
      ),
    ).toEqual({
      help: false,
      ci: { repository: 'a/b', environment: 'prod', oidcProviderArn: arn },
      profile: 'admin',
    });
  });

  it.each([['--help'], ['-h']])('asks for the usage with %s', (flag) => {
    expect(parseCiDeployArgs([flag], noOrigin)).toEqual({ help: true });
  });

  it('names an unknown option and the known ones in one line', () => {
    expect(refusal(['--bogus'])).toBe(`unknown option --bogus: ${OPTIONS}`);
  });

  it('refuses an option named like an Object.prototype member', () => {
    expect(refusal(['--toString'])).toBe(`unknown option --toString: ${OPTIONS}`);
  });

  it('refuses a stray word in one line', () => {
    expect(refusal(['octo-org/hello-world'])).toBe(
      'unexpected argument "octo-org/hello-world": options start with --, see --help',
    );
  });

  it.each([[['--repo']], [['--repo', '--profile=admin']]])(
    'says --repo needs a value when %j gives none',
    (argv) => {
      expect(refusal(argv)).toBe('--repo needs a value, e.g. --repo octo-org/hello-world');
    },
  );

  it('says --repo= is empty rather than blaming the origin remote', () => {
    // GIVEN an empty --repo and no GitHub origin  WHEN parsed  THEN the flag is named
    expect(refusal(['--repo='], noOrigin)).toBe(
      '--repo is empty: give a value, as in --repo=octo-org/hello-world, or leave it out to use the origin remote',
    );
  });

  it('names --repo, not a CDK context key, when its value is bad', () => {
    expect(refusal(['--repo=bad'])).toBe(
      'Invalid GitHub repository "bad" (from --repo): expected owner/name, e.g. --repo=octo-org/hello-world.',
    );
  });

  it('names --environment when its value is bad', () => {
    expect(refusal(['--environment=prod:*'])).toMatch(
      /^Invalid GitHub environment "prod:\*" \(from --environment\)/,
    );
  });

  it('answers --help even with a value, as every script does', () => {
    expect(parseCiDeployArgs(['--help=yes'], noOrigin)).toEqual({ help: true });
  });
});

describe('buildCiDeployCommand', () => {
  it('deploys the registry and CI stacks only, synthesized with the repository in context into its own directory', () => {
    expect(buildCiDeployCommand(request)).toEqual([
      'deploy',
      'hello-world-ecr-ecs-fargate-registry',
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
  const scope = {
    repository: 'octo-org/hello-world',
    environment: 'production',
    mainBranch: 'main',
    releaseTagGlob: 'v*-ecr-ecs-fargate',
  };
  const publish =
    'arn:aws:iam::123456789012:role/github-actions-hello-world-ecr-ecs-fargate-publish';
  const deploy = 'arn:aws:iam::123456789012:role/github-actions-hello-world-ecr-ecs-fargate-deploy';
  const outputs = {
    'hello-world-ecr-ecs-fargate-ci': { PublishRoleArn: publish, DeployRoleArn: deploy },
  };

  it('names both repository variables to set, with the gh commands', () => {
    const text = formatNextSteps(outputs, 'hello-world-ecr-ecs-fargate-ci', scope);
    expect(text).toContain(
      `gh variable set AWS_PUBLISH_ROLE_ARN --repo octo-org/hello-world --body ${publish}`,
    );
    expect(text).toContain(
      `gh variable set AWS_DEPLOY_ROLE_ARN --repo octo-org/hello-world --body ${deploy}`,
    );
  });

  it('ends with the GitHub settings checklist: reviewers, branch and tag policy, rulesets', () => {
    const text = formatNextSteps(outputs, 'hello-world-ecr-ecs-fargate-ci', scope);
    const items = text.split('\n').filter((line) => /^ {2}\d+\. \[ \] /.test(line));
    expect(items).toEqual([
      '  1. [ ] Environment "production": required reviewers, self-review prevented',
      '  2. [ ] Environment "production": deployment branches and tags',
      '  3. [ ] Tag ruleset for release tags "v*-ecr-ecs-fargate"',
      '  4. [ ] Branch ruleset for "main"',
      '  5. [ ] The ECS service-linked role, once per AWS account',
    ]);
    expect(text).toContain('"Prevent self-review"');
    expect(text).toContain('add the branch "main" and the tag pattern "v*-ecr-ecs-fargate"');
  });

  it('says which output is missing and where to look', () => {
    expect(
      formatNextSteps(
        { 'hello-world-ecr-ecs-fargate-ci': { PublishRoleArn: publish } },
        'hello-world-ecr-ecs-fargate-ci',
        scope,
      ),
    ).toBe(
      'infra:deploy-ci: hello-world-ecr-ecs-fargate-ci has no output for AWS_DEPLOY_ROLE_ARN; check the stack in the CloudFormation console.',
    );
  });
});
