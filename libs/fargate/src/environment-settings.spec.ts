import { Match } from 'aws-cdk-lib/assertions';
import { exemptionsFor, readValidationReport, unusedExemptions } from './control-tower';
import { EXEC_AGENT_PATHS } from './fargate-app';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  decide,
  inlinePoliciesOfRole,
  type IamRequest,
  type PolicyDocument,
} from './iam-simulation-for-test';
import { synthesizeApp, type SynthesizedApp } from './synth-for-test';

// Synthesis runs cdk-nag and the Control Tower controls: an unacknowledged finding throws here.

const BASE = 'hello-world-ecr-ecs-fargate';
const DB_SECRET = `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:db-AbCdEf`;
const PARTIAL_SECRET = `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:legacy/token`;
const KMS_KEY = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const at = (service: string, resource: string) =>
  `arn:aws:${service}:${TEST_REGION}:${TEST_ACCOUNT}:${resource}`;
const parameter = (environment: string, name: string) =>
  at('ssm', `parameter/${BASE}/${environment}/${name}`);

/** cdk.json context with every new setting used: the default environment and staging differ. */
const CONTEXT = {
  environments: {
    default: { secrets: ['API_KEY'] },
    staging: {
      variables: { GREETING: 'Hello from staging', LOG_LEVEL: 'debug' },
      secrets: {
        API_KEY: 'ssm',
        DB_PASSWORD: DB_SECRET,
        DB_USER: `${DB_SECRET}:username::`,
        LEGACY_TOKEN: PARTIAL_SECRET,
      },
      secretsKmsKey: KMS_KEY,
      exec: true,
      containerInsights: true,
    },
    previews: { secrets: ['API_KEY'], exec: true },
  },
};

let byDefault: SynthesizedApp;
let configuredDefault: SynthesizedApp;
let staging: SynthesizedApp;
let strictPreview: SynthesizedApp;

beforeAll(() => {
  byDefault = synthesizeApp();
  configuredDefault = synthesizeApp(CONTEXT);
  staging = synthesizeApp({ ...CONTEXT, environment: 'staging' });
  strictPreview = synthesizeApp({ ...CONTEXT, environment: 'pr-12', controlTower: 'strict' });
});

type TemplateJson = Parameters<typeof inlinePoliciesOfRole>[0];

function taskDefinitionOf(app: SynthesizedApp) {
  const definitions = app.service.findResources('AWS::ECS::TaskDefinition');
  expect(Object.keys(definitions)).toHaveLength(1);
  return Object.entries(definitions)[0] as [
    string,
    { Properties: Record<string, unknown> & { ContainerDefinitions: Record<string, unknown>[] } },
  ];
}

const containerOf = (app: SynthesizedApp) =>
  taskDefinitionOf(app)[1].Properties.ContainerDefinitions[0];

const policiesOf = (app: SynthesizedApp, roleName: string) => {
  const template = app.roles ?? app.registry;
  return inlinePoliciesOfRole(template.toJSON() as TemplateJson, roleName);
};

/** A key policy that leaves its use to IAM, as the default key policy does. */
const KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

describe('default config: nothing new in the task definition', () => {
  it('GIVEN no setting THEN no Environment, Secrets, volumes or mount points', () => {
    const container = containerOf(byDefault);
    for (const key of ['Environment', 'Secrets', 'MountPoints']) {
      expect(container).not.toHaveProperty(key);
    }
    expect(taskDefinitionOf(byDefault)[1].Properties).not.toHaveProperty('Volumes');
    expect(container.ReadonlyRootFilesystem).toBe(true);
  });

  it('GIVEN no setting THEN no ECS Exec on the service and no exec configuration on the cluster', () => {
    const [service] = Object.values(byDefault.service.findResources('AWS::ECS::Service'));
    expect(service.Properties).not.toHaveProperty('EnableExecuteCommand');
    const [cluster] = Object.values(byDefault.service.findResources('AWS::ECS::Cluster'));
    expect(cluster.Properties).not.toHaveProperty('Configuration');
    expect(cluster.Properties.ClusterSettings).toEqual([
      { Name: 'containerInsights', Value: 'disabled' },
    ]);
  });

  it('GIVEN no setting THEN the execution role has only its pull policy and the task role none', () => {
    const registry = byDefault.registry.toJSON() as TemplateJson;
    expect(inlinePoliciesOfRole(registry, `${BASE}-execution`).map((p) => p.name)).toEqual([
      'pull',
    ]);
    expect(inlinePoliciesOfRole(registry, `${BASE}-task`)).toEqual([]);
  });
});

describe("staging's variables and secrets in the task definition", () => {
  it('GIVEN variables THEN the Environment holds exactly them', () => {
    expect(containerOf(staging).Environment).toEqual([
      { Name: 'GREETING', Value: 'Hello from staging' },
      { Name: 'LOG_LEVEL', Value: 'debug' },
    ]);
  });

  it("GIVEN secrets THEN Secrets name the parameter's ARN, or the secret's ARN (with its JSON key)", () => {
    expect(containerOf(staging).Secrets).toEqual([
      {
        Name: 'API_KEY',
        ValueFrom: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              `:ssm:${TEST_REGION}:`,
              { Ref: 'AWS::AccountId' },
              `:parameter/${BASE}/staging/API_KEY`,
            ],
          ],
        },
      },
      { Name: 'DB_PASSWORD', ValueFrom: DB_SECRET },
      { Name: 'DB_USER', ValueFrom: `${DB_SECRET}:username::` },
      { Name: 'LEGACY_TOKEN', ValueFrom: PARTIAL_SECRET },
    ]);
  });

  it('GIVEN secrets, variables and exec THEN the task definition keeps its logical ID', () => {
    expect(taskDefinitionOf(staging)[0]).toBe(taskDefinitionOf(byDefault)[0]);
  });

  it('GIVEN secrets THEN no secret value or parameter content is in any template', () => {
    const templates = JSON.stringify([staging.service.toJSON(), staging.roles?.toJSON()]);
    expect(templates).not.toMatch(/SecureString|SecretString/);
  });
});

describe("staging's execution role reads exactly its secrets", () => {
  const executionPolicies = () => policiesOf(staging, `${BASE}-staging-execution`);

  it('GIVEN secrets and a key THEN one secrets policy with exactly these resources', () => {
    const secrets = executionPolicies().find((p) => p.name === 'secrets');
    expect(secrets?.policy.Statement).toEqual([
      {
        Sid: 'ReadTheseParameters',
        Effect: 'Allow',
        Action: 'ssm:GetParameters',
        Resource: parameter('staging', 'API_KEY'),
      },
      {
        Sid: 'ReadTheseSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [DB_SECRET, `${PARTIAL_SECRET}-??????`],
      },
      {
        Sid: 'DecryptTheseSecrets',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: KMS_KEY,
        Condition: {
          StringEquals: {
            'kms:ViaService': [
              `ssm.${TEST_REGION}.amazonaws.com`,
              `secretsmanager.${TEST_REGION}.amazonaws.com`,
            ],
          },
        },
      },
    ]);
  });

  const viaSsm = { 'kms:ViaService': `ssm.${TEST_REGION}.amazonaws.com` };
  const allowed: [string, IamRequest][] = [
    [
      'reads its parameter',
      { action: 'ssm:GetParameters', resource: parameter('staging', 'API_KEY') },
    ],
    [
      'reads its Secrets Manager secret',
      { action: 'secretsmanager:GetSecretValue', resource: DB_SECRET },
    ],
    [
      'reads the secret named by a partial ARN, under its real ARN',
      { action: 'secretsmanager:GetSecretValue', resource: `${PARTIAL_SECRET}-XyZ123` },
    ],
    [
      'decrypts with its key through SSM',
      { action: 'kms:Decrypt', resource: KMS_KEY, context: viaSsm, resourcePolicy: KEY_POLICY },
    ],
  ];
  const denied: [string, IamRequest][] = [
    [
      'cannot read another parameter of its own folder',
      { action: 'ssm:GetParameters', resource: parameter('staging', 'OTHER_KEY') },
    ],
    [
      "cannot read production's parameter of the same name",
      { action: 'ssm:GetParameters', resource: parameter('production', 'API_KEY') },
    ],
    [
      'cannot list the folder',
      { action: 'ssm:GetParametersByPath', resource: at('ssm', `parameter/${BASE}/staging`) },
    ],
    [
      'cannot read another secret',
      {
        action: 'secretsmanager:GetSecretValue',
        resource: at('secretsmanager', 'secret:payments-AbCdEf'),
      },
    ],
    [
      'cannot read a secret whose name merely starts like the partial ARN',
      { action: 'secretsmanager:GetSecretValue', resource: `${PARTIAL_SECRET}-admin-XyZ123` },
    ],
    ['cannot change its secret', { action: 'secretsmanager:PutSecretValue', resource: DB_SECRET }],
    [
      'cannot decrypt with its key directly',
      { action: 'kms:Decrypt', resource: KMS_KEY, resourcePolicy: KEY_POLICY },
    ],
    [
      'cannot decrypt with another key',
      {
        action: 'kms:Decrypt',
        resource: at('kms', 'key/99999999-12ab-34cd-56ef-1234567890ab'),
        context: viaSsm,
        resourcePolicy: KEY_POLICY,
      },
    ],
  ];

  it.each(allowed)('%s', async (_, request) => {
    expect(await decide(executionPolicies(), request)).toBe('Allowed');
  });

  it.each(denied)('%s', async (_, request) => {
    expect(await decide(executionPolicies(), request)).not.toBe('Allowed');
  });
});

describe('ECS Exec in staging', () => {
  it('GIVEN containerInsights in the reference mode THEN the cluster has it on', () => {
    staging.service.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it('GIVEN exec THEN the service enables execute command', () => {
    staging.service.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
  });

  it("GIVEN exec THEN the cluster logs sessions to the service's own log group (no KMS flag in reference)", () => {
    const [logGroupId] = Object.keys(staging.service.findResources('AWS::Logs::LogGroup'));
    staging.service.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: {
        ExecuteCommandConfiguration: {
          Logging: 'OVERRIDE',
          LogConfiguration: {
            CloudWatchLogGroupName: { Ref: logGroupId },
            CloudWatchEncryptionEnabled: false,
          },
        },
      },
    });
  });

  it("GIVEN exec THEN the root filesystem stays read-only, with writable task volumes for the agent's paths only", () => {
    const [, definition] = taskDefinitionOf(staging);
    const container = definition.Properties.ContainerDefinitions[0];
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.MountPoints).toEqual([
      { ContainerPath: '/managed-agents', ReadOnly: false, SourceVolume: 'exec-managed-agents' },
      { ContainerPath: '/var/lib/amazon/ssm', ReadOnly: false, SourceVolume: 'exec-ssm-state' },
      { ContainerPath: '/var/log/amazon/ssm', ReadOnly: false, SourceVolume: 'exec-ssm-logs' },
    ]);
    // Task volumes without a host path or EFS: Fargate's own task storage.
    expect(definition.Properties.Volumes).toEqual(
      EXEC_AGENT_PATHS.map(({ volume }) => ({ Name: volume })),
    );
  });

  const taskPolicies = () => policiesOf(staging, `${BASE}-staging-task`);
  const stream = at(
    'logs',
    `log-group:/ecs/${BASE}-staging:log-stream:ecs-execute-command-0a1b2c3d`,
  );

  it.each([
    ['ssmmessages:CreateControlChannel', '*'],
    ['ssmmessages:CreateDataChannel', '*'],
    ['ssmmessages:OpenControlChannel', '*'],
    ['ssmmessages:OpenDataChannel', '*'],
    ['logs:DescribeLogGroups', '*'],
    ['logs:CreateLogStream', stream],
    ['logs:PutLogEvents', stream],
  ])('GIVEN exec THEN the task role allows %s', async (action, resource) => {
    expect(await decide(taskPolicies(), { action, resource })).toBe('Allowed');
  });

  it.each([
    ['logs:PutLogEvents', at('logs', `log-group:/ecs/${BASE}-production:log-stream:x`)],
    ['ssm:StartSession', at('ecs', `task/${BASE}-staging/0123456789abcdef`)],
    ['ssm:GetParameters', parameter('staging', 'API_KEY')],
    ['s3:GetObject', 'arn:aws:s3:::any-bucket/any-key'],
  ])('GIVEN exec THEN the task role still cannot %s', async (action, resource) => {
    expect(await decide(taskPolicies(), { action, resource })).not.toBe('Allowed');
  });

  it('GIVEN exec THEN the task role describes what it grants', () => {
    staging.roles?.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `${BASE}-staging-task`,
      Description: Match.stringLikeRegexp("grants only ECS Exec's agent its channels"),
    });
    byDefault.registry.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `${BASE}-task`,
      Description: Match.stringLikeRegexp('this role grants nothing$'),
    });
  });
});

describe('the registry stack holds the default environment’s roles, the same for every environment', () => {
  it('GIVEN default and staging synthesized with the same cdk.json THEN the registry template is byte for byte the same', () => {
    expect(staging.registry.toJSON()).toEqual(configuredDefault.registry.toJSON());
  });

  it("GIVEN environments.default's secrets THEN the registry's execution role reads the default folder's parameter only", () => {
    const policies = policiesOf(configuredDefault, `${BASE}-execution`);
    expect(policies.find((p) => p.name === 'secrets')?.policy.Statement).toEqual([
      {
        Sid: 'ReadTheseParameters',
        Effect: 'Allow',
        Action: 'ssm:GetParameters',
        Resource: parameter('default', 'API_KEY'),
      },
    ]);
  });
});

describe('a strict preview with exec and secrets', () => {
  it('GIVEN strict THEN Container Insights on and exec sessions logged with encryption (the log group has a key)', () => {
    strictPreview.service.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      Configuration: {
        ExecuteCommandConfiguration: Match.objectLike({
          LogConfiguration: Match.objectLike({ CloudWatchEncryptionEnabled: true }),
        }),
      },
    });
    strictPreview.service.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: Match.anyValue(),
    });
  });

  it("GIVEN the previews block THEN the previews' shared execution role reads the previews' folder", async () => {
    const policies = policiesOf(strictPreview, `${BASE}-pr-execution`);
    expect(
      await decide(policies, {
        action: 'ssm:GetParameters',
        resource: parameter('previews', 'API_KEY'),
      }),
    ).toBe('Allowed');
    expect(
      await decide(policies, {
        action: 'ssm:GetParameters',
        resource: parameter('staging', 'API_KEY'),
      }),
    ).not.toBe('Allowed');
  });

  it("GIVEN exec THEN the previews' task role logs sessions to previews' log groups only", async () => {
    const policies = policiesOf(strictPreview, `${BASE}-pr-task`);
    const streamOf = (logGroup: string) => at('logs', `log-group:${logGroup}:log-stream:s`);
    expect(
      await decide(policies, {
        action: 'logs:PutLogEvents',
        resource: streamOf(`/ecs/${BASE}-pr-12`),
      }),
    ).toBe('Allowed');
    expect(
      await decide(policies, { action: 'logs:PutLogEvents', resource: streamOf(`/ecs/${BASE}`) }),
    ).not.toBe('Allowed');
  });
});

describe('cdk-nag and the Control Tower controls with every setting on', () => {
  interface Report {
    pluginReports: {
      pluginName: string;
      violations: unknown[];
      suppressedViolations: { acknowledgedId: string; reason: string }[];
    }[];
  }
  const reportOf = (app: SynthesizedApp) => readValidationReport(app.assembly.directory) as Report;

  it.each([
    ['staging', () => staging],
    ['a strict preview', () => strictPreview],
  ])('GIVEN %s THEN no unacknowledged finding in either plugin', (_, app) => {
    for (const plugin of reportOf(app()).pluginReports) {
      expect([plugin.pluginName, plugin.violations]).toEqual([plugin.pluginName, []]);
    }
  });

  it('GIVEN containerInsights in the reference mode THEN the Container Insights control needs no exemption', () => {
    const controls = (insights: boolean) =>
      exemptionsFor('reference', 7, insights).map((e) => e.control);
    expect(controls(false)).toContain('CT.ECS.PR.2');
    expect(controls(true)).not.toContain('CT.ECS.PR.2');
  });

  it('GIVEN containerInsights in the reference mode THEN no Control Tower exemption goes unused (synth would fail)', () => {
    expect(
      unusedExemptions(
        reportOf(staging),
        'reference',
        staging.config.logRetentionDays,
        staging.config.containerInsights,
      ),
    ).toEqual([]);
  });

  it("GIVEN exec THEN the task role's Resource * is acknowledged for the actions that have no resource type", () => {
    const nag = reportOf(staging).pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    const reasons = nag?.suppressedViolations
      .filter((v) => v.acknowledgedId === 'AwsSolutions::AwsSolutions-IAM5[Resource::*]')
      .map((v) => v.reason);
    expect(reasons).toContainEqual(
      expect.stringMatching(
        /^ssmmessages:CreateControlChannel.*logs:DescribeLogGroups support no resource-level permission/,
      ),
    );
  });

  it('GIVEN variables THEN ECS2 is acknowledged as plain settings, secrets going through Secrets', () => {
    const nag = reportOf(staging).pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(
      nag?.suppressedViolations.find((v) => v.acknowledgedId === 'AwsSolutions::AwsSolutions-ECS2')
        ?.reason,
    ).toMatch(/plain `variables`.*every secret reaches the container through Secrets/);
  });
});
