import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { createStacks } from './app';
import { loadConfig } from './config';
import { PUBLIC_IP_FIXTURE } from './public-ip-templates-for-test';
import { readCdkJsonContext } from './synth-for-test';

// Where the dns updater's role lives: the environment's roles stack, or the registry stack for the
// default environment; and that nothing else of those administrator's stacks changes with it.

type Template = {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
} & Record<string, unknown>;

const DNS = {
  ingress: 'dns',
  domainName: 'hello.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.com',
};

/** Staging in dns through its cdk.json block: top-level context would set the default environment too. */
const cdkJsonEnvironments = readCdkJsonContext()['environments'] as Record<string, object>;
const STAGING_DNS = {
  environment: 'staging',
  environments: {
    ...cdkJsonEnvironments,
    staging: { ...cdkJsonEnvironments['staging'], ...DNS },
  },
};

/** Every template of the app by stack name, construct paths left out, as the fixture holds them. */
function synthesizeTemplates(context: Record<string, unknown>): Record<string, Template> {
  const app = new App({ context: { ...readCdkJsonContext(), ...context } });
  createStacks(
    app,
    loadConfig((key) => app.node.tryGetContext(key), {}),
  );
  return Object.fromEntries(
    app
      .synth()
      .stacks.map((stack) => [
        stack.stackName,
        JSON.parse(
          JSON.stringify(stack.template, (key, value) =>
            key === 'aws:cdk:path' ? undefined : value,
          ),
        ) as Template,
      ]),
  );
}

const fixture = JSON.parse(readFileSync(PUBLIC_IP_FIXTURE, 'utf8')) as Record<
  string,
  Record<string, Template>
>;

const REGISTRY = 'hello-world-ecr-ecs-fargate-registry';
const STAGING_ROLES = 'hello-world-ecr-ecs-fargate-staging-roles';

/** The template without its dns updater role, and that role's logical ID and properties. */
function splitUpdaterRole(template: Template, roleName: string) {
  const entries = Object.entries(template.Resources);
  const updater = entries.filter(
    ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties['RoleName'] === roleName,
  );
  const rest = {
    ...template,
    Resources: Object.fromEntries(entries.filter((e) => !updater.includes(e))),
  };
  return { rest, updater };
}

describe('dns updater role: where it lives', () => {
  it('GIVEN staging in public-ip WHEN synthesized THEN its roles stack and the registry are byte for byte the reviewed ones', () => {
    const templates = synthesizeTemplates({ environment: 'staging' });
    expect(JSON.stringify(templates[STAGING_ROLES])).toBe(
      JSON.stringify(fixture['staging'][STAGING_ROLES]),
    );
    expect(JSON.stringify(templates[REGISTRY])).toBe(JSON.stringify(fixture['staging'][REGISTRY]));
  });

  it('GIVEN staging in dns WHEN synthesized THEN its roles stack gains the updater role and nothing else', () => {
    const templates = synthesizeTemplates(STAGING_DNS);
    const { rest, updater } = splitUpdaterRole(
      templates[STAGING_ROLES],
      'hello-world-ecr-ecs-fargate-staging-dns',
    );
    expect(updater).toHaveLength(1);
    expect(rest).toEqual(fixture['staging'][STAGING_ROLES]);
    // Its cluster is staging's.
    expect(JSON.stringify(updater[0][1].Properties)).toContain(
      ':cluster/hello-world-ecr-ecs-fargate-staging',
    );
  });

  it("GIVEN staging in dns WHEN synthesized THEN the shared registry stack is unchanged (it holds only the default environment's roles)", () => {
    const templates = synthesizeTemplates(STAGING_DNS);
    expect(templates[REGISTRY]).toEqual(fixture['staging'][REGISTRY]);
  });

  it('GIVEN the default environment in dns (cdk.json context) WHEN synthesized THEN the registry stack gains its updater role and nothing else', () => {
    const templates = synthesizeTemplates(DNS);
    const { rest, updater } = splitUpdaterRole(
      templates[REGISTRY],
      'hello-world-ecr-ecs-fargate-dns',
    );
    expect(updater).toHaveLength(1);
    expect(rest).toEqual(fixture['default'][REGISTRY]);
    expect(JSON.stringify(updater[0][1].Properties)).toContain(
      ':cluster/hello-world-ecr-ecs-fargate"',
    );
  });
});
