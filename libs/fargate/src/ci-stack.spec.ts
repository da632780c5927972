import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASE_TAG_GLOB } from '@hello-world/shared';
import { parse } from 'yaml';
import { createStacks } from './app';
import { DEFAULT_GITHUB_ENVIRONMENT, PREVIEW_GITHUB_ENVIRONMENT, type CiConfig } from './ci-config';
import {
  CI_DEPLOY_ROLE_NAME,
  CI_PUBLISH_ROLE_NAME,
  CI_ROLE_VARIABLES,
  CI_STACK_OUTPUTS,
  createCiStack,
} from './ci-stack';
import { stringify } from 'yaml';
import { loadConfig } from './config';
import { readCdkJsonContext } from './synth-for-test';

const workspaceRoot = join(__dirname, '..', '..', '..');
const CI_STACK = 'hello-world-ecr-ecs-fargate-ci';
/** Each CI environment's deploy role stack and role, as ci-config's defaults make them. */
const ENVIRONMENT_ROLES = [
  {
    github: 'staging',
    stack: `${CI_STACK}-staging`,
    role: 'github-actions-hello-world-ecr-ecs-fargate-staging-deploy',
  },
  {
    github: 'production',
    stack: `${CI_STACK}-production`,
    role: 'github-actions-hello-world-ecr-ecs-fargate-production-deploy',
  },
  {
    github: 'preview',
    stack: `${CI_STACK}-pr`,
    role: 'github-actions-hello-world-ecr-ecs-fargate-pr-deploy',
  },
];

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * Synthesizes the CI stack as bin/infra.ts does with a repository named: with the other two
 * stacks and the cdk-nag checks, unless `alone` (a faster synth for trust-only checks).
 */
function synthesize(ci: CiConfig, alone = false): { assembly: CloudAssembly; template: Template } {
  const app = new App({ context: readCdkJsonContext() });
  const config = loadConfig(() => undefined, {});
  if (!alone) createStacks(app, config);
  createCiStack(app, config, ci);
  const assembly = app.synth();
  return { assembly, template: Template.fromJSON(assembly.getStackByName(CI_STACK).template) };
}

const ci: CiConfig = {
  repository: 'octo-org/hello-world',
  environment: DEFAULT_GITHUB_ENVIRONMENT,
};
let synthesized: ReturnType<typeof synthesize>;

interface RoleResource {
  Properties: {
    RoleName: string;
    AssumeRolePolicyDocument: {
      Statement: { Condition: Record<string, Record<string, unknown>> }[];
    };
    Policies: { PolicyDocument: { Statement: Statement[] } }[];
  };
}
/** Every CI role: the CI stack's and each CI environment's stack's. */
const roles = (): RoleResource[] =>
  [CI_STACK, ...ENVIRONMENT_ROLES.map((e) => e.stack)].flatMap(
    (name) =>
      Object.values(
        Template.fromJSON(synthesized.assembly.getStackByName(name).template).findResources(
          'AWS::IAM::Role',
        ),
      ) as RoleResource[],
  );
const roleNamed = (name: string): RoleResource => {
  const found = roles().find((r) => r.Properties.RoleName === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
};
const statementsOf = (role: RoleResource): Statement[] =>
  role.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);
const subjectsOf = (role: RoleResource): string[] =>
  role.Properties.AssumeRolePolicyDocument.Statement.flatMap(
    (s) => s.Condition['StringLike']['token.actions.githubusercontent.com:sub'] as string[],
  );

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
/** A resource as text, with CloudFormation's Fn::Join / Ref spelled out. */
const resourceText = (resource: unknown): string[] => {
  const one = (r: unknown): string => {
    if (typeof r === 'string') return r;
    const sub = (r as { 'Fn::Sub'?: string })['Fn::Sub'];
    if (typeof sub === 'string') return sub.replace(/\$\{([^}]+)\}/g, '<$1>');
    const join = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(one).join(join[0]);
    const ref = (r as { Ref?: string }).Ref;
    return ref ? `<${ref}>` : JSON.stringify(r);
  };
  return (Array.isArray(resource) ? resource : [resource]).map(one);
};

beforeAll(() => {
  synthesized = synthesize(ci);
});

describe('CI stack: GitHub OIDC trust', () => {
  it('creates the GitHub OIDC provider natively (no Lambda, no asset, no bootstrap)', () => {
    synthesized.template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    synthesized.template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(synthesized.assembly.getStackByName(CI_STACK).assets).toEqual([]);
    expect(synthesized.template.toJSON().Parameters?.BootstrapVersion).toBeUndefined();
  });

  it.each([CI_STACK, ...ENVIRONMENT_ROLES.map((e) => e.stack)])(
    '%s fits the 50 KiB CloudFormation takes inline, as the YAML cdk deploy sends: no bootstrap bucket',
    (name) => {
      // The CDK CLI sends the template as YAML (toolkit-lib's serialize: yaml-1.1, no line width).
      const yaml = stringify(synthesized.assembly.getStackByName(name).template, {
        schema: 'yaml-1.1',
        lineWidth: 0,
      });
      expect(Buffer.byteLength(yaml)).toBeLessThanOrEqual(50 * 1024);
    },
  );

  it.each(ENVIRONMENT_ROLES)(
    'trusts the $role role to jobs in the GitHub environment $github only',
    ({ stack, role, github }) => {
      Template.fromJSON(synthesized.assembly.getStackByName(stack).template).hasResourceProperties(
        'AWS::IAM::Role',
        {
          RoleName: role,
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Statement: [
              {
                Action: 'sts:AssumeRoleWithWebIdentity',
                Effect: 'Allow',
                Principal: {
                  Federated: {
                    'Fn::Sub':
                      'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com',
                  },
                },
                Condition: {
                  StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
                  StringLike: {
                    'token.actions.githubusercontent.com:sub': [
                      `repo:octo-org/hello-world:environment:${github}`,
                    ],
                  },
                },
              },
            ],
          },
        },
      );
    },
  );

  it.each(ENVIRONMENT_ROLES)('outputs the $role ARN for its environment variable', ({ stack }) => {
    Template.fromJSON(synthesized.assembly.getStackByName(stack).template).hasOutput(
      CI_STACK_OUTPUTS.deployRoleArn,
      {
        Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeployRole'), 'Arn'] },
        Description: Match.stringLikeRegexp(CI_ROLE_VARIABLES.deployRoleArn),
      },
    );
  });

  it("trusts the publish role to this repository's main branch only (a release builds nothing)", () => {
    synthesized.template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: CI_PUBLISH_ROLE_NAME,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: { Ref: Match.stringLikeRegexp('^GitHubOidc') } },
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: {
                'token.actions.githubusercontent.com:sub': [
                  'repo:octo-org/hello-world:ref:refs/heads/main',
                ],
              },
            },
          },
        ],
      },
    });
  });

  it('trusts the deploy role to jobs in the protected environment only', () => {
    synthesized.template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: CI_DEPLOY_ROLE_NAME,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: { Ref: Match.stringLikeRegexp('^GitHubOidc') } },
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: {
                'token.actions.githubusercontent.com:sub': [
                  'repo:octo-org/hello-world:environment:production',
                ],
              },
            },
          },
        ],
      },
    });
  });

  it('gives no role trusted by a branch or tag any CloudFormation or IAM write', () => {
    const write = /^(cloudformation|iam):(?!Describe|Get|List)/;
    const refTrusted = roles().filter((r) => subjectsOf(r).some((s) => s.includes(':ref:')));
    expect(refTrusted.map((r) => r.Properties.RoleName)).toEqual([CI_PUBLISH_ROLE_NAME]);
    for (const role of refTrusted) {
      expect(
        statementsOf(role)
          .flatMap(actionsOf)
          .filter((a) => write.test(a)),
      ).toEqual([]);
    }
  });

  it('reuses an existing provider by ARN instead of creating a second one', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const { template } = synthesize({ ...ci, oidcProviderArn: arn }, true);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Federated: arn } })],
      },
    });
  });

  it('keeps sessions to one hour and outputs both role ARNs, naming their variables', () => {
    for (const name of [CI_PUBLISH_ROLE_NAME, CI_DEPLOY_ROLE_NAME]) {
      synthesized.template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: name,
        MaxSessionDuration: 3600,
      });
    }
    synthesized.template.hasOutput(CI_STACK_OUTPUTS.publishRoleArn, {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PublishRole'), 'Arn'] },
      Description: Match.stringLikeRegexp(CI_ROLE_VARIABLES.publishRoleArn),
    });
    synthesized.template.hasOutput(CI_STACK_OUTPUTS.deployRoleArn, {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeployRole'), 'Arn'] },
      Description: Match.stringLikeRegexp(CI_ROLE_VARIABLES.deployRoleArn),
    });
  });
});

describe('CI stack: the workflows and the trust agree', () => {
  interface Job {
    environment?: { name: string } | string;
    steps?: { uses?: string; with?: Record<string, string> }[];
  }
  const workflow = (file: string) =>
    parse(readFileSync(join(workspaceRoot, '.github', 'workflows', file), 'utf8')) as {
      on: { push?: { tags?: string[] } };
      jobs: Record<string, Job>;
    };
  /** Every workflow, so a new one is held to the same trust as the others. */
  const workflowFiles = () =>
    readdirSync(join(workspaceRoot, '.github', 'workflows'))
      .filter((file) => file.endsWith('.yml'))
      .sort();
  const jobsAssuming = (variable: string) =>
    workflowFiles().flatMap((file) =>
      Object.entries(workflow(file).jobs)
        .filter(([, job]) =>
          (job.steps ?? []).some((step) =>
            String(step.with?.['role-to-assume'] ?? '').includes(`vars.${variable}`),
          ),
        )
        .map(([name, job]) => ({ file, name, job })),
    );
  const environmentOf = (job: Job) =>
    typeof job.environment === 'string' ? job.environment : job.environment?.name;

  it('trusts exactly the tags the release workflow runs on', () => {
    expect(workflow('release.yml').on.push?.tags).toEqual([RELEASE_TAG_GLOB]);
  });

  it('assumes a deploy role only in jobs of an environment some deploy role trusts', () => {
    const trusted = [
      DEFAULT_GITHUB_ENVIRONMENT,
      ...ENVIRONMENT_ROLES.map((e) => e.github),
      PREVIEW_GITHUB_ENVIRONMENT,
    ];
    const jobs = jobsAssuming(CI_ROLE_VARIABLES.deployRoleArn);
    expect(jobs.length).toBeGreaterThan(0);
    for (const { job } of jobs) expect(trusted).toContain(environmentOf(job));
  });

  it('assumes the publish role only in jobs without an environment (their subject is the ref)', () => {
    const jobs = jobsAssuming(CI_ROLE_VARIABLES.publishRoleArn);
    expect(jobs.length).toBeGreaterThan(0);
    for (const { job } of jobs) expect(environmentOf(job)).toBeUndefined();
  });

  it('no workflow assumes a role by any other variable', () => {
    const known = new Set(Object.values(CI_ROLE_VARIABLES));
    for (const file of workflowFiles()) {
      for (const job of Object.values(workflow(file).jobs)) {
        for (const step of job.steps ?? []) {
          const assumed = step.with?.['role-to-assume'];
          if (assumed === undefined) continue;
          const variable = /vars\.(\w+)/.exec(String(assumed))?.[1];
          expect(known.has(variable as never)).toBe(true);
        }
      }
    }
  });
});

describe('CI stack: no wildcards beyond what AWS requires', () => {
  /** Every statement of every CI role: inline, and in the CI stacks' managed policies. */
  const allStatements = (): Statement[] => [
    ...roles().flatMap(statementsOf),
    ...[CI_STACK, ...ENVIRONMENT_ROLES.map((e) => e.stack)].flatMap((name) =>
      Object.values(
        Template.fromJSON(synthesized.assembly.getStackByName(name).template).findResources(
          'AWS::IAM::ManagedPolicy',
        ),
      ).flatMap(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
            .PolicyDocument.Statement,
      ),
    ),
  ];

  it('sees the managed policies too (a check of inline policies alone would miss them)', () => {
    expect(allStatements().some((s) => actionsOf(s).includes('ec2:DescribeVpcs'))).toBe(true);
    expect(roles().flatMap(statementsOf).length).toBeLessThan(allStatements().length);
  });

  it('grants no service-wide wildcard action (no ecr:*, iam:*, cloudformation:*)', () => {
    const allows = allStatements().filter((s) => (s as { Effect?: string }).Effect !== 'Deny');
    for (const action of allows.flatMap(actionsOf)) expect(action).not.toContain('*');
  });

  it('uses Resource "*" only for actions AWS offers no resource-level permission for, or to deny', () => {
    const onStar = allStatements()
      .filter((s) => resourceText(s.Resource).includes('*'))
      .filter((s) => (s as { Effect?: string }).Effect !== 'Deny')
      .flatMap(actionsOf)
      .sort();
    for (const action of onStar) {
      expect(action).toMatch(
        /^(ecr:GetAuthorizationToken|ec2:Describe\w+|kms:CreateKey|ecs:(Register|Deregister|Describe)TaskDefinition|ecs:(ListTasks|DescribeTasks)|cloudformation:ListStacks|ssm:DescribeParameters)$/,
      );
    }
    const tasks = allStatements().filter((s) => actionsOf(s).includes('ecs:ListTasks'));
    expect(tasks.length).toBeGreaterThan(0);
    for (const statement of tasks) {
      expect(statement.Condition?.['ArnEquals'] ?? statement.Condition?.['ArnLike']).toEqual({
        'ecs:cluster': expect.anything(),
      });
    }
  });

  const passers: [string, string][] = [
    [CI_DEPLOY_ROLE_NAME, 'hello-world-ecr-ecs-fargate'],
    ...ENVIRONMENT_ROLES.map((e): [string, string] => [
      e.role,
      e.role.replace(/^github-actions-(.*)-deploy$/, '$1'),
    ]),
  ];
  it.each(passers)(
    '%s passes roles to ECS tasks only, and only its two task roles (%s-*)',
    (name, owner) => {
      const pass = statementsOf(roleNamed(name)).filter((s) =>
        (actionsOf(s) as (string | undefined)[]).includes('iam:PassRole'),
      );
      expect(pass).toHaveLength(1);
      expect(pass[0].Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      });
      expect(resourceText(pass[0].Resource)).toEqual([
        `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${owner}-execution`,
        `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${owner}-task`,
      ]);
    },
  );
});

describe('CI stack: cdk-nag AwsSolutions', () => {
  const report = () =>
    JSON.parse(readFileSync(join(synthesized.assembly.directory, 'validation-report.json'), 'utf8'))
      .pluginReports[0] as {
      conclusion: string;
      violations: unknown[];
      suppressedViolations: { acknowledgedId: string; acknowledgedAt: string; reason: string }[];
    };

  it('passes with the CI stack in the app', () => {
    expect(report().violations).toEqual([]);
    expect(report().conclusion).toBe('success');
  });

  it('acknowledges only IAM5 wildcard findings, on the CI roles and their shared policies, each with its own reason', () => {
    const rolePaths = [
      `${CI_STACK}/PublishRole`,
      `${CI_STACK}/DeployRole`,
      `${CI_STACK}/DeployMonitoringPolicy`,
      ...ENVIRONMENT_ROLES.flatMap((e) => [
        `${e.stack}/DeployRole`,
        `${e.stack}/DeploySharedPolicy`,
        `${e.stack}/DeployMonitoringPolicy`,
      ]),
    ];
    const findings = report().suppressedViolations.filter((v) =>
      rolePaths.some((path) => v.acknowledgedAt === path),
    );
    const onAnyCiStack = report().suppressedViolations.filter((v) =>
      v.acknowledgedAt.startsWith(`${CI_STACK}`),
    );
    expect(onAnyCiStack).toEqual(findings);
    for (const finding of findings) {
      expect(finding.acknowledgedId).toMatch(/^AwsSolutions::AwsSolutions-IAM5\[Resource::/);
    }
    const perRole = (at: string) => findings.filter((f) => f.acknowledgedAt === at);
    for (const at of rolePaths) {
      expect(perRole(at).length).toBeGreaterThan(0);
      expect(new Set(perRole(at).map((f) => f.reason)).size).toBe(perRole(at).length);
    }
  });

  it("names the previews' wildcards as every preview's, and no single-stack reason on them", () => {
    const preview = report().suppressedViolations.filter(
      (v) =>
        v.acknowledgedAt === `${CI_STACK}-pr/DeployRole` ||
        v.acknowledgedAt === `${CI_STACK}-pr/DeployMonitoringPolicy`,
    );
    const onPattern = preview.filter((v) => v.acknowledgedId.includes('-pr-*'));
    expect(onPattern.length).toBeGreaterThan(0);
    for (const finding of onPattern) expect(finding.reason).not.toMatch(/this one (stack|service)/);
  });
});

describe('CI stacks of dns and alb environments: cdk-nag AwsSolutions', () => {
  const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };
  let report: {
    conclusion: string;
    violations: unknown[];
    suppressedViolations: { acknowledgedId: string; acknowledgedAt: string; reason: string }[];
  };

  beforeAll(() => {
    // GIVEN the default environment in dns mode and staging in alb mode
    const { assembly } = synthesize({
      ...ci,
      ingress: {
        default: { mode: 'dns', ...ZONE, domainName: 'hello.example.com' },
        staging: { mode: 'alb', ...ZONE, domainName: 'staging.example.com' },
      },
    });
    report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'))
      .pluginReports[0] as typeof report;
  });

  it('passes, every wildcard of the ingress policies acknowledged', () => {
    expect(report.violations).toEqual([]);
    expect(report.conclusion).toBe('success');
  });

  it.each([
    [`${CI_STACK}/DeployIngressPolicy`],
    [`${CI_STACK}-staging/DeployIngressPolicy`],
    [`${CI_STACK}-staging/DeployIngressScalingPolicy`],
  ])('acknowledges only IAM5 wildcard findings on %s, each with its own reason', (path) => {
    const findings = report.suppressedViolations.filter((v) => v.acknowledgedAt === path);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding.acknowledgedId).toMatch(/^AwsSolutions::AwsSolutions-IAM5\[Resource::/);
    }
    expect(new Set(findings.map((f) => f.reason)).size).toBe(findings.length);
  });
});
