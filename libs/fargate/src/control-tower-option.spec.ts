import { LOG_GROUP_NAME, LOG_RETENTION_DAYS } from '@hello-world/shared';
import { Match } from 'aws-cdk-lib/assertions';
import { STRICT_LOG_RETENTION_DAYS } from './control-tower';
import { synthesizeApp } from './synth-for-test';

// Two syntheses for the file: the reference's defaults and controlTower=strict.
const reference = synthesizeApp();
const strict = synthesizeApp({ controlTower: 'strict' });

const containerOf = (template: typeof reference.service) =>
  Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties
    .ContainerDefinitions[0];

describe('task definition hardening, whatever the option', () => {
  it('GIVEN the default config WHEN synthesized THEN the container’s hard memory limit is the task’s memory', () => {
    const task = Object.values(reference.service.findResources('AWS::ECS::TaskDefinition'))[0];
    expect(containerOf(reference.service).Memory).toBe(512);
    expect(task.Properties.Memory).toBe('512');
  });

  it('GIVEN a bigger task WHEN synthesized THEN the container’s limit follows the task’s memory', () => {
    const bigger = synthesizeApp({ cpu: 1024, memoryMiB: 2048 });
    expect(containerOf(bigger.service).Memory).toBe(2048);
  });

  it('GIVEN the default config WHEN synthesized THEN the container drops every Linux capability and adds none', () => {
    expect(containerOf(reference.service).LinuxParameters).toEqual({
      Capabilities: { Drop: ['ALL'] },
      InitProcessEnabled: true,
    });
  });
});

describe('controlTower=reference (the default)', () => {
  it('GIVEN the default WHEN synthesized THEN the reference’s choices stay: 7-day logs, no KMS key, no Container Insights, floating tags movable', () => {
    reference.service.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: LOG_RETENTION_DAYS,
      KmsKeyId: Match.absent(),
    });
    reference.service.resourceCountIs('AWS::KMS::Key', 0);
    reference.service.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
    });
    reference.registry.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'MUTABLE_WITH_EXCLUSION',
    });
  });
});

describe('controlTower=strict', () => {
  it('GIVEN strict WHEN synthesized THEN every image tag is immutable, with no exclusion', () => {
    strict.registry.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE',
      ImageTagMutabilityExclusionFilters: Match.absent(),
    });
  });

  it('GIVEN strict WHEN synthesized THEN the logs are kept a year', () => {
    strict.service.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: LOG_GROUP_NAME,
      RetentionInDays: STRICT_LOG_RETENTION_DAYS,
    });
    expect(STRICT_LOG_RETENTION_DAYS).toBeGreaterThanOrEqual(365);
  });

  /** The KMS key the log group names (strict has a second one, for the monitoring topics). */
  function logKeyId(): string {
    const logGroup = Object.values(strict.service.findResources('AWS::Logs::LogGroup'))[0];
    return logGroup.Properties.KmsKeyId['Fn::GetAtt'][0];
  }
  const logKey = () => strict.service.findResources('AWS::KMS::Key')[logKeyId()];

  it('GIVEN strict WHEN synthesized THEN the log group is encrypted with the stack’s own rotated key', () => {
    const keys = strict.service.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toContain(logKeyId());
    expect(keys[logKeyId()].Properties.EnableKeyRotation).toBe(true);
    // The other key is the monitoring topics' (monitoring/topic-key.ts), used by no log group.
    expect(Object.keys(keys)).toHaveLength(2);
  });

  it('GIVEN strict WHEN synthesized THEN only CloudWatch Logs of this region may use the key, for this log group only', () => {
    const key = logKey();
    const statements = key.Properties.KeyPolicy.Statement as {
      Sid?: string;
      Principal: unknown;
      Condition?: unknown;
      Action: unknown;
    }[];
    const logs = statements.find((s) => s.Sid === 'CloudWatchLogsForThisLogGroupOnly');
    expect(logs?.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    // The ARN ends with the log group's name: no wildcard, no other group.
    expect(JSON.stringify(logs?.Condition)).toContain(`:log-group:${LOG_GROUP_NAME}"`);
    expect(Object.keys((logs?.Condition as { ArnEquals: object }).ArnEquals)).toEqual([
      'kms:EncryptionContext:aws:logs:arn',
    ]);
    // No other service principal, and no other principal but the account's own administration.
    const principals = statements.map((s) => JSON.stringify(s.Principal));
    expect(principals.filter((p) => p.includes('Service'))).toHaveLength(1);
  });

  it('GIVEN strict WHEN synthesized THEN the key allows no grant except for an AWS service', () => {
    const key = logKey();
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'GrantsOnlyForAwsServices',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        BoolIfExists: {
          'kms:GrantIsForAWSResource': 'false',
          'aws:PrincipalIsAWSService': 'false',
        },
      },
    });
  });

  it('GIVEN strict WHEN synthesized THEN the key is deleted with the stack after a 7-day wait', () => {
    const key = logKey();
    expect(key.DeletionPolicy).toBe('Delete');
    expect(key.Properties.PendingWindowInDays).toBe(7);
  });

  it('GIVEN strict WHEN synthesized THEN Container Insights is on', () => {
    strict.service.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });
});
