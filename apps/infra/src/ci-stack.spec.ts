import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASE_TAG_GLOB } from '@hello-world/shared';
import { parse } from 'yaml';
import { createStacks } from './app';
import { DEFAULT_GITHUB_ENVIRONMENT, type CiConfig } from './ci-config';
import { CI_ROLE_NAME, CI_STACK_OUTPUTS, createCiStack, managedRolePattern } from './ci-stack';
import { loadConfig } from './config';
import { readCdkJsonContext } from './synth-for-test';

const workspaceRoot = join(__dirname, '..', '..', '..');
const CI_STACK = 'hello-world-ecr-ecs-fargate-ci';

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
let statements: Statement[];

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
/** A resource as text, with CloudFormation's Fn::Join / Ref spelled out. */
const resourceText = (resource: unknown): string[] => {
  const one = (r: unknown): string => {
    if (typeof r === 'string') return r;
    const join = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(one).join(join[0]);
    const ref = (r as { Ref?: string }).Ref;
    return ref ? `<${ref}>` : JSON.stringify(r);
  };
  return (Array.isArray(resource) ? resource : [resource]).map(one);
};
const calledViaCloudFormation = (s: Statement) =>
  JSON.stringify(s.Condition?.['ForAnyValue:StringEquals']?.['aws:CalledVia']) ===
  JSON.stringify(['cloudformation.amazonaws.com']);

beforeAll(() => {
  synthesized = synthesize(ci);
  const [role] = Object.values(synthesized.template.findResources('AWS::IAM::Role'));
  statements = role.Properties.Policies.flatMap(
    (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
  );
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
    // Under the inline TemplateBody limit: `cdk deploy` needs no bootstrap bucket.
    const size = Buffer.byteLength(JSON.stringify(synthesized.template.toJSON()));
    expect(size).toBeLessThan(51_200);
  });

  it("trusts only this repository's main branch, release tags and protected environment", () => {
    synthesized.template.hasResourceProperties('AWS::IAM::Role', {
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
                  'repo:octo-org/hello-world:ref:refs/tags/v*-ecr-ecs-fargate',
                  'repo:octo-org/hello-world:environment:production',
                ],
              },
            },
          },
        ],
      },
    });
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

  it('keeps sessions to one hour and outputs the role ARN to set as AWS_ROLE_ARN', () => {
    synthesized.template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: CI_ROLE_NAME,
      MaxSessionDuration: 3600,
    });
    synthesized.template.hasOutput(CI_STACK_OUTPUTS.roleArn, {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GitHubActionsRole'), 'Arn'] },
    });
  });
});

describe('CI stack: the workflows and the trust agree', () => {
  const workflow = (file: string) =>
    parse(readFileSync(join(workspaceRoot, '.github', 'workflows', file), 'utf8'));

  it('trusts exactly the tags the release workflow runs on', () => {
    expect(workflow('release.yml').on.push.tags).toEqual([RELEASE_TAG_GLOB]);
  });

  it('trusts the environment both deploy jobs run in', () => {
    for (const file of ['release.yml', 'deploy.yml']) {
      expect(workflow(file).jobs.deploy.environment.name).toBe(DEFAULT_GITHUB_ENVIRONMENT);
    }
  });
});

describe('CI stack: exactly what push and deploy need', () => {
  it('grants no service-wide wildcard action (no ecr:*, iam:*, cloudformation:*)', () => {
    for (const action of statements.flatMap(actionsOf)) expect(action).not.toContain('*');
  });

  it('pushes and pulls images of this one repository only', () => {
    const push = statements.find((s) => s.Sid === 'PushAndPullThisRepository');
    expect(resourceText(push?.Resource)).toEqual([
      'arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/hello-world-ecr-ecs-fargate',
    ]);
    expect(actionsOf(push as Statement)).toEqual(
      expect.arrayContaining(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:BatchGetImage']),
    );
  });

  it('runs change sets on the registry and service stacks only, never the CI stack', () => {
    const stacks = statements
      .filter((s) => actionsOf(s).some((a) => a.startsWith('cloudformation:')))
      .flatMap((s) => resourceText(s.Resource));
    expect([...new Set(stacks)].sort()).toEqual([
      'arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/hello-world-ecr-ecs-fargate-registry/*',
      'arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/hello-world-ecr-ecs-fargate/*',
    ]);
    const cfnActions = statements.flatMap(actionsOf).filter((a) => a.startsWith('cloudformation:'));
    expect(cfnActions).not.toContain('cloudformation:DeleteStack');
  });

  it('changes resources only through CloudFormation (aws:CalledVia), apart from image pushes and change sets', () => {
    const mutating =
      /:(Create|Delete|Put|Update|Modify|Attach|Detach|Associate|Disassociate|Authorize|Revoke|Replace|Register|Deregister|Tag|Untag|Set)/;
    const direct = statements
      .filter((s) => !calledViaCloudFormation(s))
      .flatMap(actionsOf)
      .filter((a) => mutating.test(a));
    expect(direct.sort()).toEqual([
      'cloudformation:CreateChangeSet',
      'cloudformation:DeleteChangeSet',
      'ecr:PutImage',
      'iam:CreateServiceLinkedRole',
    ]);
  });

  it('touches IAM only for the service stack roles, which cannot include the CI role itself', () => {
    const iamResources = statements
      .filter((s) => actionsOf(s).some((a) => a.startsWith('iam:')))
      .flatMap((s) => resourceText(s.Resource));
    expect([...new Set(iamResources)].sort()).toEqual([
      'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS',
      'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/hello-world-ecr-ecs-fargate-*',
    ]);
    const pattern = new RegExp(
      `^${managedRolePattern('hello-world-ecr-ecs-fargate').replace('*', '.*')}$`,
    );
    expect(pattern.test(CI_ROLE_NAME)).toBe(false);
  });

  it('passes roles to ECS tasks only', () => {
    const pass = statements.find((s) => actionsOf(s).includes('iam:PassRole'));
    expect(pass?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
  });

  it('uses Resource "*" only for actions AWS offers no resource-level permission for', () => {
    const onStar = statements
      .filter((s) => resourceText(s.Resource).includes('*'))
      .flatMap(actionsOf)
      .sort();
    for (const action of onStar) {
      expect(action).toMatch(
        /^(ecr:GetAuthorizationToken|ec2:Describe\w+|ecs:(Register|Deregister|Describe)TaskDefinition|ecs:(ListTasks|DescribeTasks))$/,
      );
    }
    const tasks = statements.find((s) => actionsOf(s).includes('ecs:ListTasks'));
    expect(tasks?.Condition?.['ArnEquals']).toEqual({
      'ecs:cluster': expect.anything(),
    });
  });
});

describe('CI stack: cdk-nag AwsSolutions', () => {
  const report = () =>
    JSON.parse(readFileSync(join(synthesized.assembly.directory, 'validation-report.json'), 'utf8'))
      .pluginReports[0] as {
      conclusion: string;
      violations: unknown[];
      suppressedViolations: { acknowledgedId: string; acknowledgedAt: string; reason: string }[];
    };
  const onCiRole = () =>
    report().suppressedViolations.filter((v) => v.acknowledgedAt.startsWith(`${CI_STACK}/`));

  it('passes with the CI stack in the app', () => {
    expect(report().violations).toEqual([]);
    expect(report().conclusion).toBe('success');
  });

  it('acknowledges only IAM5 wildcard findings, on the role, each with its own reason', () => {
    const findings = onCiRole();
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding.acknowledgedId).toMatch(/^AwsSolutions::AwsSolutions-IAM5\[Resource::/);
      expect(finding.acknowledgedAt).toBe(`${CI_STACK}/GitHubActionsRole`);
    }
    expect(new Set(findings.map((f) => f.reason)).size).toBe(findings.length);
  });
});
