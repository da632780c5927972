import {
  buildCiDeployCommand,
  chooseRepository,
  formatNextSteps,
  parseCiDeployArgs,
  parseGitHubRepository,
  planCiDeploy,
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
  const OPTIONS =
    'options are --repo, --environment, --environments, --oidc-provider-arn, --profile, --env, --help';

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
      ci: {
        repository: 'octo-org/hello-world',
        environment: 'production',
        environments: ['staging', 'production', 'preview'],
      },
    });
  });

  it('reads every flag', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    expect(
      parseCiDeployArgs(
        [
          '--repo=a/b',
          '--environment',
          'prod',
          '--environments=qa,live',
          `--oidc-provider-arn=${arn}`,
          '--profile=admin',
        ],
        noOrigin,
      ),
    ).toEqual({
      help: false,
      ci: {
        repository: 'a/b',
        environment: 'prod',
        environments: ['qa', 'live'],
        oidcProviderArn: arn,
      },
      profile: 'admin',
    });
  });

  it("accepts --env as every target does (the CI stacks are every environment's)", () => {
    expect(parseCiDeployArgs(['--env=staging'], origin)).toMatchObject({ help: false });
  });

  it('names --environments when a name in it is bad', () => {
    expect(refusal(['--environments=staging,pr-3'])).toMatch(
      /^Invalid CI environments "staging,pr-3" \(from --environments\): "pr-3" is one preview/,
    );
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
      '--context',
      'environment=default',
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
    expect(args).not.toContain('ciEnvironments');
    // A person at a terminal approves the new IAM role before it is created.
    expect(args).toContain('--require-approval broadening');
  });
});

describe('buildCiDeployCommand for one CI environment', () => {
  it('synthesizes that environment (its roles stack is only there) with the CI environments in context', () => {
    const args = buildCiDeployCommand({
      ...request,
      stackNames: [
        'hello-world-ecr-ecs-fargate-staging-roles',
        'hello-world-ecr-ecs-fargate-ci-staging',
      ],
      environments: ['staging', 'production', 'preview'],
      deployEnvironment: 'staging',
    }).join(' ');
    expect(args).toMatch(
      /^deploy hello-world-ecr-ecs-fargate-staging-roles hello-world-ecr-ecs-fargate-ci-staging --exclusively /,
    );
    expect(args).toContain('--context ciEnvironments=staging,production,preview');
    expect(args).toContain('--context environment=staging');
  });
});

describe('planCiDeploy', () => {
  it('deploys the registry and CI stack first, then per CI environment its roles stack and its deploy role stack', () => {
    // GIVEN the default CI environments  WHEN planned  THEN one cdk deploy per synthesized environment
    expect(
      planCiDeploy('hello-world', ['staging', 'production', 'preview']).map((step) => ({
        synth: step.deployEnvironment,
        stacks: step.stackNames,
      })),
    ).toEqual([
      {
        synth: 'default',
        stacks: ['hello-world-ecr-ecs-fargate-registry', 'hello-world-ecr-ecs-fargate-ci'],
      },
      {
        synth: 'staging',
        stacks: [
          'hello-world-ecr-ecs-fargate-staging-roles',
          'hello-world-ecr-ecs-fargate-ci-staging',
        ],
      },
      {
        synth: 'production',
        stacks: [
          'hello-world-ecr-ecs-fargate-production-roles',
          'hello-world-ecr-ecs-fargate-ci-production',
        ],
      },
      {
        // Any preview's synth holds the previews' stack: their repository and shared roles.
        synth: 'pr-1',
        stacks: ['hello-world-ecr-ecs-fargate-previews', 'hello-world-ecr-ecs-fargate-ci-pr'],
      },
    ]);
  });
});

describe('formatNextSteps', () => {
  const scope = {
    repository: 'octo-org/hello-world',
    environment: 'production',
    ciEnvironments: ['staging', 'production', 'preview'],
    mainBranch: 'main',
    releaseTagGlob: 'v*-ecr-ecs-fargate',
  };
  const steps = planCiDeploy('hello-world', scope.ciEnvironments);
  const arn = (name: string) =>
    `arn:aws:iam::123456789012:role/github-actions-hello-world-ecr-ecs-fargate-${name}`;
  const outputs = {
    'hello-world-ecr-ecs-fargate-ci': {
      PublishRoleArn: arn('publish'),
      DeployRoleArn: arn('deploy'),
    },
    'hello-world-ecr-ecs-fargate-ci-staging': { DeployRoleArn: arn('staging-deploy') },
    'hello-world-ecr-ecs-fargate-ci-production': { DeployRoleArn: arn('production-deploy') },
    'hello-world-ecr-ecs-fargate-ci-pr': { DeployRoleArn: arn('pr-deploy') },
  };

  it("names the repository variables and each GitHub environment's deploy role variable, with the gh commands", () => {
    const lines = formatNextSteps(outputs, steps, scope).split('\n');
    expect(lines.filter((line) => line.startsWith('  gh variable set'))).toEqual([
      `  gh variable set AWS_PUBLISH_ROLE_ARN --repo octo-org/hello-world --body ${arn('publish')}`,
      `  gh variable set AWS_DEPLOY_ROLE_ARN --repo octo-org/hello-world --body ${arn('deploy')}`,
      `  gh variable set AWS_DEPLOY_ROLE_ARN --repo octo-org/hello-world --env staging --body ${arn('staging-deploy')}`,
      `  gh variable set AWS_DEPLOY_ROLE_ARN --repo octo-org/hello-world --env production --body ${arn('production-deploy')}`,
      `  gh variable set AWS_DEPLOY_ROLE_ARN --repo octo-org/hello-world --env preview --body ${arn('pr-deploy')}`,
    ]);
  });

  it('ends with the GitHub settings checklist: reviewers, branch and tag policies, previews, rulesets', () => {
    const text = formatNextSteps(outputs, steps, scope);
    const items = text.split('\n').filter((line) => /^ {2}\d+\. \[ \] /.test(line));
    expect(items).toEqual([
      '  1. [ ] Environment "production": required reviewers, self-review prevented',
      '  2. [ ] Environment "production": deployment branches and tags',
      '  3. [ ] Environment "staging": deployment branches and tags',
      '  4. [ ] Environment "preview": same-repository pull requests only',
      '  5. [ ] Tag ruleset for release tags "v*-ecr-ecs-fargate"',
      '  6. [ ] Branch ruleset for "main"',
      '  7. [ ] The ECS service-linked role, once per AWS account',
    ]);
    expect(text).toContain('"Prevent self-review"');
    expect(text).toContain('add the branch "main" and the tag pattern "v*-ecr-ecs-fargate"');
    expect(text).toContain(
      'staging > Deployment branches and tags > "Selected branches and tags": add the branch "main", nothing else',
    );
  });

  it("says the previews' stack is an administrator's, deployed once for every preview", () => {
    // GIVEN the preview CI environment  WHEN the next steps are printed
    const text = formatNextSteps(outputs, steps, scope);
    // THEN the previews' item names their own repository and stack, and who deploys it
    const item = text.split('\n').findIndex((line) => line.includes('Environment "preview"'));
    expect(text.split('\n')[item + 1]).toMatch(
      /only into the previews' own repository, .*-previews stack, which an administrator deploys once for every preview with `npx nx run infra:deploy-ci`/,
    );
  });

  it('without CI environments, keeps the checklist of the default environment alone', () => {
    const text = formatNextSteps(outputs, planCiDeploy('hello-world', []), {
      ...scope,
      ciEnvironments: [],
    });
    expect(text).not.toContain('--env ');
    expect(text).not.toContain('Environment "staging"');
  });

  it('says which output is missing and where to look', () => {
    expect(
      formatNextSteps({ ...outputs, 'hello-world-ecr-ecs-fargate-ci-pr': {} }, steps, scope),
    ).toBe(
      'infra:deploy-ci: hello-world-ecr-ecs-fargate-ci-pr has no output for AWS_DEPLOY_ROLE_ARN; check the stack in the CloudFormation console.',
    );
  });
});
