import { isAwsProfileName, isAwsRegion, isImageTag, isIpv4Cidr } from './patterns';

describe('isImageTag', () => {
  it.each([
    'latest',
    'v4.4.0-ecr-ecs-fargate',
    'sha-1a2b3c4-ecr-ecs-fargate',
    '_x',
    'a'.repeat(128),
  ])('accepts %s', (tag) => {
    expect(isImageTag(tag)).toBe(true);
  });

  it.each([
    '',
    '-leading-dash',
    '.leading-dot',
    'has space',
    'colon:tag',
    'slash/tag',
    'a'.repeat(129),
  ])('rejects %j', (tag) => {
    expect(isImageTag(tag)).toBe(false);
  });
});

describe('isIpv4Cidr', () => {
  it.each(['0.0.0.0/0', '203.0.113.7/32', '10.0.0.0/16', '255.255.255.255/32'])(
    'accepts %s',
    (cidr) => {
      expect(isIpv4Cidr(cidr)).toBe(true);
    },
  );

  it.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '256.0.0.0/8',
    '10.0.0/24',
    '01.2.3.4/32',
    '::/0',
    ' 10.0.0.0/8',
  ])('rejects %j', (cidr) => {
    expect(isIpv4Cidr(cidr)).toBe(false);
  });
});

describe('isAwsRegion', () => {
  it.each(['eu-west-1', 'us-gov-west-1', 'ap-southeast-5', 'eusc-de-east-1'])('accepts %s', (r) => {
    expect(isAwsRegion(r)).toBe(true);
  });

  it.each(['', 'EU-WEST-1', 'mars-1', 'eu-west', 'eu west 1', 'eu-west-100'])('rejects %j', (r) => {
    expect(isAwsRegion(r)).toBe(false);
  });
});

describe('isAwsProfileName', () => {
  it.each(['default', 'prod-admin', 'me@corp', 'team.dev_1'])('accepts %s', (p) => {
    expect(isAwsProfileName(p)).toBe(true);
  });

  it.each(['', 'a b', '"prod"', 'x/y'])('rejects %j', (p) => {
    expect(isAwsProfileName(p)).toBe(false);
  });
});
