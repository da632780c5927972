import type { EnvironmentDetails, EnvironmentService } from '@hello-world/aws-ops';
import { PRICES } from '../cost/prices';
import { environmentCostAssumptions, estimateEnvironmentCost } from './environment-cost';

const eu = PRICES.regions['eu-west-1'];
const HOURS = PRICES.hoursPerMonth;

function details(
  service: Partial<EnvironmentService> | undefined,
  logGroup: EnvironmentDetails['logGroup'] = {
    name: '/ecs/hello-world-ecr-ecs-fargate-pr-7',
    retentionDays: 7,
    encrypted: false,
  },
): EnvironmentDetails {
  return {
    environment: 'pr-7',
    stackName: 'hello-world-ecr-ecs-fargate-pr-7',
    stackId:
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-world-ecr-ecs-fargate-pr-7/x',
    status: 'CREATE_COMPLETE',
    lastDeployed: new Date('2026-11-25T18:00:00Z'),
    outputs: {},
    ...(service
      ? {
          service: {
            cluster: 'hello-world-ecr-ecs-fargate-pr-7',
            service: 'hello-world-ecr-ecs-fargate-pr-7',
            status: 'ACTIVE',
            desiredCount: 1,
            runningCount: 1,
            cpu: 256,
            memoryMiB: 512,
            architecture: 'X86_64',
            launchType: 'FARGATE',
            capacityProviderStrategy: [],
            assignPublicIp: true,
            containerInsights: 'disabled',
            ...service,
          },
        }
      : {}),
    ...(logGroup ? { logGroup } : {}),
  };
}

/** One GB of logs a month, kept `days`: ingestion plus the storage it builds up to. */
const logs = (days: number) => eu.logsIngestionGb + ((days * 24) / HOURS) * eu.logsStorageGbMonth;

describe('estimateEnvironmentCost', () => {
  it('GIVEN one on-demand X86_64 task of 0.25 vCPU and 0.5 GB with a public IP THEN prices its compute, its IPv4 address and its logs', () => {
    // WHEN
    const cost = estimateEnvironmentCost(details({}), 'eu-west-1');
    // THEN
    const expected =
      HOURS * (0.25 * eu.fargate.X86_64.vcpuHour + 0.5 * eu.fargate.X86_64.gbHour) +
      HOURS * eu.publicIpv4Hour +
      logs(7);
    expect(cost).toEqual({ monthly: Number(expected.toFixed(2)), currency: 'USD' });
  });

  it('GIVEN two tasks all on FARGATE_SPOT THEN their compute is at the Spot fraction, their IPs in full', () => {
    // WHEN
    const cost = estimateEnvironmentCost(
      details({
        desiredCount: 2,
        launchType: undefined,
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }],
      }),
      'eu-west-1',
    );
    // THEN
    const compute =
      2 * HOURS * (0.25 * eu.fargate.X86_64.vcpuHour + 0.5 * eu.fargate.X86_64.gbHour);
    const expected =
      compute * PRICES.spotFractionOfOnDemand + 2 * HOURS * eu.publicIpv4Hour + logs(7);
    expect(cost.monthly).toBe(Number(expected.toFixed(2)));
  });

  it('GIVEN an encrypted log group THEN its KMS key is priced too', () => {
    // GIVEN
    const plain = estimateEnvironmentCost(details({}), 'eu-west-1').monthly ?? 0;
    // WHEN
    const encrypted = estimateEnvironmentCost(
      details({}, { name: '/ecs/x', retentionDays: 7, encrypted: true }),
      'eu-west-1',
    );
    // THEN: the key-month and its assumed 10,000 requests
    expect(encrypted.monthly).toBeCloseTo(plain + eu.kmsKeyMonth + eu.kmsRequests10k, 1);
  });

  it('GIVEN no ECS service THEN there is no number, and the reason says why', () => {
    expect(estimateEnvironmentCost(details(undefined), 'eu-west-1')).toEqual({
      monthly: null,
      reason: 'no ECS service runs in this environment',
    });
  });

  it('GIVEN ARM64 tasks on Fargate Spot THEN there is no number: the estimator cannot price it', () => {
    // WHEN
    const cost = estimateEnvironmentCost(
      details({
        architecture: 'ARM64',
        launchType: undefined,
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }],
      }),
      'eu-west-1',
    );
    // THEN
    expect(cost).toEqual({ monthly: null, reason: expect.stringContaining('Spot') });
  });

  it('GIVEN a region without prices THEN there is no number, naming the region', () => {
    expect(estimateEnvironmentCost(details({}), 'ap-south-2')).toEqual({
      monthly: null,
      reason: expect.stringContaining('ap-south-2'),
    });
  });

  it('GIVEN the assumptions THEN they name the price date and that the shared registry is left out', () => {
    const text = environmentCostAssumptions().join('\n');
    expect(text).toContain(PRICES.asOf);
    expect(text).toContain('shared registry');
  });
});
