import { bundleDnsUpdater, DNS_UPDATER_NODE_TARGET } from '@hello-world/dns-updater/bundle';
import { deploymentNames, INGRESS_OUTPUTS } from '@hello-world/shared';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stringify } from 'yaml';
import { PUBLIC_SUBNET_CIDR, VPC_CIDR } from '../app';
import type { ControlTowerMode, DnsRecordSettings } from '../config';
import {
  acknowledgeControlTowerExemptions,
  CONTROL_TOWER_PLUGIN,
  ControlTowerValidator,
  readValidationReport,
  STRICT_LOG_RETENTION_DAYS,
} from '../control-tower';
import { acknowledgeNagFindings } from '../nag-suppressions';
import { ServiceStack } from '../service-stack';
import { synthesizeApp } from '../synth-for-test';
import {
  DnsIngress,
  DNS_INGRESS_EXEMPTIONS,
  DNS_UPDATER_RUNTIME,
  dnsDeadLetterQueueName,
} from './dns-ingress';

const NAMES = deploymentNames('hello-world', 'staging');
const RECORD: DnsRecordSettings = {
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.com',
  domainName: 'api.example.com',
};

interface Synthesized {
  readonly template: Template;
  readonly stack: ServiceStack;
  readonly dns: DnsIngress;
  readonly report: PluginReport[];
  /** The stack's file and image assets: none, so it deploys without a bootstrap bucket. */
  readonly assets: unknown[];
}

interface PluginReport {
  pluginName: string;
  conclusion: string;
  violations: unknown[];
  suppressedViolations: { acknowledgedId: string; acknowledgedAt: string; reason: string }[];
}

/**
 * A staging service stack as app.ts builds it, with the dns ingress added, synthesized with the
 * cdk-nag AwsSolutions checks and the Control Tower rules: an unacknowledged finding throws.
 */
function synthesizeDnsService(controlTower: ControlTowerMode = 'reference'): Synthesized {
  const app = new App();
  const logRetentionDays = controlTower === 'strict' ? STRICT_LOG_RETENTION_DAYS : 7;
  // A variable, not a literal: the ingress props ServiceStack gains with the alb mode are extra
  // (and ignored) where it has none yet. The dns ingress is added below, by this spec.
  const props = {
    env: { region: 'eu-west-1' },
    name: NAMES.deployment,
    repositoryName: NAMES.repository,
    taskRoleNames: NAMES.taskRoles,
    containerName: NAMES.service,
    logGroupName: NAMES.logGroup,
    vpcCidr: VPC_CIDR,
    publicSubnetCidr: PUBLIC_SUBNET_CIDR,
    port: 3000,
    cpu: 256,
    memoryMiB: 512,
    desiredCount: 1,
    architecture: 'ARM64' as const,
    spot: false,
    controlTower,
    logRetentionDays,
    defaultImageTag: 'latest',
    defaultAllowedIp: '0.0.0.0/0',
    defaultAlertEmail: '',
    containerInsights: false,
    secondPublicSubnetCidr: '10.0.2.0/24',
    ingress: { mode: 'public-ip' } as const,
  };
  const stack = new ServiceStack(app, NAMES.deployment, props);
  const dns = new DnsIngress(stack, 'DnsIngress', {
    names: NAMES.dnsUpdater,
    record: RECORD,
    owner: NAMES.deployment,
    cluster: stack.app.cluster,
    service: stack.app.service,
    logRetentionDays,
    logKey: stack.app.logKey?.key,
  });
  acknowledgeNagFindings(stack, controlTower);
  acknowledgeControlTowerExemptions({ service: stack }, controlTower, logRetentionDays);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ControlTowerValidator());
  const assembly = app.synth();
  const report = (readValidationReport(assembly.directory) as { pluginReports: PluginReport[] })
    .pluginReports;
  const assets = assembly.getStackByName(stack.stackName).assets;
  return { template: Template.fromStack(stack), stack, dns, report, assets };
}

const reference = synthesizeDnsService();
const { template } = reference;
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  reference.stack.getLogicalId(construct.node.defaultChild as never);

describe('dns ingress: the updater function', () => {
  it('GIVEN a dns service stack WHEN synthesized THEN the function is sized and serialized as the contract says', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'hello-world-ecr-ecs-fargate-staging-dns',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 128,
      Timeout: 30,
      Handler: 'index.handler',
    });
  });

  it('GIVEN a dns service stack WHEN synthesized THEN the function reserves no concurrency (a new account, quota 10, could not deploy a reservation)', () => {
    // Lambda keeps 10 concurrent executions unreserved; a new account's quota is 10, so any
    // reservation fails there. Overlapping runs are handled by syncServiceRecord's verify rounds.
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  it('GIVEN the runtime WHEN compared with the bundle target THEN esbuild targets the Node.js major the function runs', () => {
    expect(DNS_UPDATER_RUNTIME.name).toBe(`nodejs${DNS_UPDATER_NODE_TARGET.replace('node', '')}.x`);
  });

  it('GIVEN a dns service stack WHEN synthesized THEN the code is the updater bundle, inline (no asset)', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Code: { ZipFile: bundleDnsUpdater() },
    });
    expect(reference.assets).toEqual([]);
  });

  it('GIVEN a dns service stack WHEN synthesized THEN the function runs as the roles stack role, imported by name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            { Ref: 'AWS::AccountId' },
            ':role/hello-world-ecr-ecs-fargate-staging-dns',
          ],
        ],
      },
    });
    const types = Object.values(
      template.toJSON().Resources as Record<string, { Type: string }>,
    ).map((r) => r.Type);
    expect(types.filter((t) => t.startsWith('AWS::IAM::'))).toEqual([]);
  });

  it('GIVEN a dns service stack WHEN synthesized THEN the function gets its target in five variables', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          CLUSTER_NAME: { Ref: logicalId(reference.stack.app.cluster) },
          SERVICE_NAME: 'hello-world-ecr-ecs-fargate-staging',
          HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ',
          DOMAIN_NAME: 'api.example.com',
          OWNER: 'hello-world-ecr-ecs-fargate-staging',
        },
      },
    });
  });

  it("GIVEN a dns service stack WHEN synthesized THEN the function logs to its own group, kept as long as the environment's logs", () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/hello-world-ecr-ecs-fargate-staging-dns',
      RetentionInDays: 7,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: logicalId(reference.dns.logGroup) } },
    });
  });
});

describe('dns ingress: the rule on the service task state changes', () => {
  it('GIVEN a dns service stack WHEN synthesized THEN the rule matches RUNNING and STOPPED of this service tasks only', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'hello-world-ecr-ecs-fargate-staging-dns',
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: {
          clusterArn: [{ 'Fn::GetAtt': [logicalId(reference.stack.app.cluster), 'Arn'] }],
          group: ['service:hello-world-ecr-ecs-fargate-staging'],
          lastStatus: ['RUNNING', 'STOPPED'],
        },
      },
    });
  });

  it('GIVEN a dns service stack WHEN synthesized THEN the target retries for an hour, then dead-letters', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [logicalId(reference.dns.function), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [logicalId(reference.dns.deadLetterQueue), 'Arn'] },
          },
        },
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: dnsDeadLetterQueueName(NAMES.dnsUpdater),
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('GIVEN a dns service stack WHEN synthesized THEN only this rule may invoke the function', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(reference.dns.function), 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(reference.dns.rule), 'Arn'] },
    });
  });

  it('GIVEN a dns service stack WHEN synthesized THEN only this rule may send to the dead-letter queue, over TLS', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: {
                'aws:SourceArn': { 'Fn::GetAtt': [logicalId(reference.dns.rule), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
  });

  it("GIVEN a dns service stack WHEN synthesized THEN the service waits for the rule, the function and its permission, so the first task's event is handled", () => {
    const services = template.findResources('AWS::ECS::Service');
    const [service] = Object.values(services);
    const permission = Object.keys(template.findResources('AWS::Lambda::Permission'))[0];
    expect(service.DependsOn).toEqual(
      expect.arrayContaining([
        logicalId(reference.dns.rule),
        logicalId(reference.dns.function),
        permission,
      ]),
    );
  });
});

describe('dns ingress: outputs', () => {
  it('GIVEN a dns service stack WHEN synthesized THEN it outputs its mode, name and zone under the keys ops read', () => {
    template.hasOutput(INGRESS_OUTPUTS.ingressMode, { Value: 'dns' });
    template.hasOutput(INGRESS_OUTPUTS.domainName, { Value: 'api.example.com' });
    template.hasOutput(INGRESS_OUTPUTS.hostedZoneId, { Value: 'Z0123456789ABCDEFGHIJ' });
  });

  it('GIVEN a dns service stack WHEN synthesized THEN it outputs the configured zone name, so the deploy can check the zone id names it', () => {
    expect(INGRESS_OUTPUTS.hostedZoneName).toBe('HostedZoneName');
    template.hasOutput(INGRESS_OUTPUTS.hostedZoneName, { Value: 'example.com' });
  });
});

describe('dns ingress: cdk-nag and Control Tower', () => {
  const plugin = (synthesized: Synthesized, name: string) => {
    const found = synthesized.report.find((r) => r.pluginName === name);
    if (!found) throw new Error(`synth ran no ${name} validation`);
    return found;
  };
  const dnsAcknowledgements = (synthesized: Synthesized, name: string) =>
    plugin(synthesized, name)
      .suppressedViolations.filter((v) => v.acknowledgedAt.includes('/DnsIngress/'))
      .map((v) => `${v.acknowledgedId} @ ${v.acknowledgedAt.replace(/^.*\/DnsIngress\//, '')}`)
      .sort();

  it('GIVEN the reference mode WHEN synthesized THEN nothing fails, and each dns exemption suppresses a real finding', () => {
    expect(plugin(reference, CONTROL_TOWER_PLUGIN).violations).toEqual([]);
    expect(plugin(reference, 'AwsSolutions').violations).toEqual([]);
    expect(dnsAcknowledgements(reference, CONTROL_TOWER_PLUGIN)).toEqual(
      [
        `${CONTROL_TOWER_PLUGIN}::${DNS_INGRESS_EXEMPTIONS.deadLetterQueue.rule} @ DeadLetterQueue`,
        `${CONTROL_TOWER_PLUGIN}::${DNS_INGRESS_EXEMPTIONS.lambdaInsideVpc.rule} @ Function`,
        `${CONTROL_TOWER_PLUGIN}::${DNS_INGRESS_EXEMPTIONS.logEncryption.rule} @ LogGroup`,
        `${CONTROL_TOWER_PLUGIN}::${DNS_INGRESS_EXEMPTIONS.logRetention.rule} @ LogGroup`,
      ].sort(),
    );
    expect(dnsAcknowledgements(reference, 'AwsSolutions')).toEqual([
      'AwsSolutions::AwsSolutions-SQS3 @ DeadLetterQueue',
    ]);
  });

  describe('controlTower=strict', () => {
    const strict = synthesizeDnsService('strict');

    it("GIVEN strict WHEN synthesized THEN the updater's logs meet the retention and key controls: no exemption for them", () => {
      expect(plugin(strict, CONTROL_TOWER_PLUGIN).violations).toEqual([]);
      expect(plugin(strict, 'AwsSolutions').violations).toEqual([]);
      expect(dnsAcknowledgements(strict, CONTROL_TOWER_PLUGIN)).toEqual(
        [
          `${CONTROL_TOWER_PLUGIN}::${DNS_INGRESS_EXEMPTIONS.deadLetterQueue.rule} @ DeadLetterQueue`,
          `${CONTROL_TOWER_PLUGIN}::${DNS_INGRESS_EXEMPTIONS.lambdaInsideVpc.rule} @ Function`,
        ].sort(),
      );
    });

    it("GIVEN strict WHEN synthesized THEN the environment's log key encrypts the updater's logs, and admits CloudWatch Logs for that log group", () => {
      const keyId = strict.stack.getLogicalId(
        strict.stack.app.logKey?.key.node.defaultChild as never,
      );
      strict.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: NAMES.dnsUpdater.logGroup,
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
      strict.template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'CloudWatchLogsForTheDnsUpdaterLogGroupOnly',
              Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
              Condition: {
                ArnEquals: {
                  'kms:EncryptionContext:aws:logs:arn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        `:logs:eu-west-1:`,
                        { Ref: 'AWS::AccountId' },
                        `:log-group:${NAMES.dnsUpdater.logGroup}`,
                      ],
                    ],
                  },
                },
              },
            }),
          ]),
        },
      });
    });
  });
});

describe('dns ingress: deployable without a bootstrap bucket', () => {
  it('GIVEN the largest dns service stack (controlTower=strict, as app.ts wires it) WHEN synthesized THEN its template, with the inline code, fits the 50 KiB CloudFormation takes inline', () => {
    // synthesizeApp runs cdk-nag and the Control Tower rules: this synth is also clean of both.
    const { service } = synthesizeApp({
      controlTower: 'strict',
      ingress: 'dns',
      ...RECORD,
    });
    service.resourceCountIs('AWS::Lambda::Function', 1);
    // The CDK CLI sends the template as YAML (toolkit-lib's serialize: yaml-1.1, no line width).
    const yaml = stringify(service.toJSON(), { schema: 'yaml-1.1', lineWidth: 0 });
    expect(Buffer.byteLength(yaml)).toBeLessThanOrEqual(50 * 1024);
  });
});
