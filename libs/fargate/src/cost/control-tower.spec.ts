import { listResources } from '../diagram/cloud-assembly';
import { copySynthesizedAssembly, readSynthesizedAssembly } from '../diagram/test-assembly';
import { withDnsIngress } from '../diagram/ingress-test-templates';
import { estimateControlTowerOption, withControlTowerStrict } from './control-tower';
import { estimateMonthlyCost } from './estimate';

describe('withControlTowerStrict', () => {
  const strict = withControlTowerStrict(readSynthesizedAssembly());
  const ofType = (type: string) =>
    listResources(strict)
      .filter((r) => r.resource.Type === type)
      .map((r) => r.resource.Properties ?? {});

  it('GIVEN the default templates WHEN the option is applied THEN the log group is kept a year and encrypted by a rotated key', () => {
    const [logGroup] = ofType('AWS::Logs::LogGroup');
    expect(logGroup['RetentionInDays']).toBe(365);
    expect(logGroup['KmsKeyId']).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(ofType('AWS::KMS::Key')).toEqual([
      { EnableKeyRotation: true },
      { EnableKeyRotation: true },
    ]);
  });

  it('GIVEN the default templates WHEN the option is applied THEN Container Insights is on', () => {
    expect(ofType('AWS::ECS::Cluster')[0]['ClusterSettings']).toEqual([
      { Name: 'containerInsights', Value: 'enabled' },
    ]);
  });

  it('GIVEN the alarm and task-stops topics WHEN the option is applied THEN one rotated key of the stack encrypts both', () => {
    expect(ofType('AWS::SNS::Topic').map((t) => t['KmsMasterKeyId'])).toEqual([
      { 'Fn::GetAtt': ['StrictTopicKey', 'Arn'] },
      { 'Fn::GetAtt': ['StrictTopicKey', 'Arn'] },
    ]);
    expect(estimateMonthlyCost(strict).lines.map((l) => l.item)).toContain(
      'KMS key for the SNS topics (2)',
    );
  });

  it('GIVEN the default templates WHEN the option is applied THEN the original is left as it was', () => {
    const before = JSON.stringify(readSynthesizedAssembly());
    withControlTowerStrict(readSynthesizedAssembly());
    expect(JSON.stringify(readSynthesizedAssembly())).toBe(before);
  });
});

describe('estimateControlTowerOption', () => {
  const option = estimateControlTowerOption(readSynthesizedAssembly());

  it('GIVEN the default templates WHEN priced THEN the extra is the difference of the two totals', () => {
    const today = estimateMonthlyCost(readSynthesizedAssembly()).total;
    expect(option?.totalMonthly).toBe(
      estimateMonthlyCost(withControlTowerStrict(readSynthesizedAssembly())).total,
    );
    expect(option?.extraMonthly).toBeCloseTo((option?.totalMonthly ?? 0) - today, 2);
  });

  it('GIVEN the default templates WHEN priced THEN the keys, their requests, Container Insights and a year of logs are the added lines', () => {
    expect(option?.lines.map((l) => l.item.split(':')[0].replace(/ for .*|, key .*/, ''))).toEqual([
      'CloudWatch Logs storage',
      'KMS key',
      'KMS requests',
      'KMS key',
      'KMS requests',
      'Container Insights metrics',
      'Container Insights performance events',
    ]);
    expect(option?.replaced.map((l) => l.item)).toEqual(['CloudWatch Logs storage: 7 days kept']);
  });

  it('GIVEN the default templates WHEN priced THEN the option states what its lines assume', () => {
    expect(option?.assumptions.join('\n')).toMatch(
      /38 metrics \(13 for the cluster, 15 per service, 10 per task family\)/,
    );
    expect(option?.assumptions.join('\n')).toContain('rotation adds $1 a month');
  });

  it('GIVEN templates that already have the option WHEN priced THEN nothing is added', () => {
    expect(
      estimateControlTowerOption(withControlTowerStrict(copySynthesizedAssembly())),
    ).toBeUndefined();
  });
});

describe('the option on dns templates', () => {
  it("GIVEN the service's and the updater's log groups WHEN the option is applied THEN one key of the stack encrypts both", () => {
    const option = estimateControlTowerOption(withDnsIngress());

    expect(option?.lines.filter((l) => l.unit === 'key-month').map((l) => l.item)).toEqual([
      'KMS key for /ecs/hello-world-ecr-ecs-fargate',
      'KMS key for the SNS topics (2)',
    ]);
  });
});
