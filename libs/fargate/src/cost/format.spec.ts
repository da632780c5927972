import { readSynthesizedAssembly } from '../diagram/test-assembly';
import { estimateControlTowerOption } from './control-tower';
import { estimateMonthlyCost } from './estimate';
import { formatDollars, formatEstimate, formatMarkdown } from './format';

describe('formatEstimate', () => {
  const text = formatEstimate(estimateMonthlyCost(readSynthesizedAssembly()));

  it('GIVEN an amount WHEN formatted THEN it has a dollar sign and cents', () => {
    expect(formatDollars(3.65)).toBe('$3.65');
    expect(formatDollars(0.004)).toBe('$0.00');
  });

  it('GIVEN the estimate WHEN printed THEN the table ends with the total', () => {
    expect(text).toMatch(/\ntotal per month \(USD\) +\$17\.10\n/);
  });

  it('GIVEN the estimate WHEN printed THEN each line shows quantity, unit price and monthly amount', () => {
    expect(text).toMatch(
      /Public IPv4 address: 1 \(one per task\) +730 IP-hour +\$0\.005\/IP-hour +\$3\.65/,
    );
  });

  it('GIVEN the estimate WHEN printed THEN it is compared with the reference, naming the IPv4 charge it leaves out', () => {
    expect(text).toContain('~$11.00/month');
    expect(text).toContain(
      'This estimate: $17.10 (+$6.10), of which $3.65 is the public IPv4 charge the reference leaves out, and $3.80 the alarms, their metrics and the dashboard it did not have.',
    );
  });

  it('GIVEN the estimate WHEN printed THEN assumptions, free resources and price sources follow', () => {
    expect(text).toContain('1 GB of logs a month');
    expect(text).toContain('AWS::EC2::VPC ×1: VPCs are free');
    expect(text).toContain('https://aws.amazon.com/fargate/pricing/');
  });

  it('GIVEN the default templates WHEN printed THEN what the AWS Control Tower option would add follows, line by line', () => {
    const assembly = readSynthesizedAssembly();
    const withOption = formatEstimate(
      estimateMonthlyCost(assembly),
      estimateControlTowerOption(assembly),
    );
    expect(withOption).toMatch(
      /AWS Control Tower option \(controlTower=strict.*\): \+\$\d+\.\d\d\/month/,
    );
    expect(withOption).toMatch(/Container Insights metrics: hello-world-ecr-ecs-fargate +\$11\.40/);
    expect(withOption).toContain('instead of: CloudWatch Logs storage: 7 days kept');
  });
});

describe('formatMarkdown', () => {
  it('GIVEN the option’s cost WHEN written for the docs THEN a table of its lines links to the Control Tower section', () => {
    const assembly = readSynthesizedAssembly();
    const markdown = formatMarkdown(
      estimateMonthlyCost(assembly),
      estimateControlTowerOption(assembly),
    );
    expect(markdown).toContain('(#aws-control-tower-proactive-controls) (`controlTower=strict`)');
    expect(markdown).toMatch(
      /\| KMS key for \/ecs\/hello-world-ecr-ecs-fargate \| 1 key-month \| \$1\/key-month \| \$1\.00 \|/,
    );
  });
});
