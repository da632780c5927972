import {
  dnsOwnerRecordName,
  dnsOwnerRecordValue,
  isDomainInZone,
  isDomainName,
  isHostedZoneId,
  isIngressMode,
  normalizeDomainName,
} from './ingress';

describe('ingress modes', () => {
  it('GIVEN the three modes THEN each is one, and anything else is not', () => {
    expect(['public-ip', 'dns', 'alb'].every(isIngressMode)).toBe(true);
    expect(isIngressMode('nlb')).toBe(false);
    expect(isIngressMode('ALB')).toBe(false);
  });
});

describe('domain names', () => {
  it('GIVEN Route 53 spelling (trailing dot, capitals) THEN normalizes to the user form', () => {
    expect(normalizeDomainName('Api.Example.COM.')).toBe('api.example.com');
  });

  it('GIVEN a name in or at the apex of a zone THEN it is in the zone; a suffix lookalike is not', () => {
    expect(isDomainInZone('api.example.com', 'example.com.')).toBe(true);
    expect(isDomainInZone('example.com', 'example.com')).toBe(true);
    expect(isDomainInZone('api.badexample.com', 'example.com')).toBe(false);
    expect(isDomainInZone('example.org', 'example.com')).toBe(false);
  });

  it('GIVEN names THEN accepts hostnames and refuses wildcards, single labels and bad hyphens', () => {
    expect(isDomainName('hello.example.com')).toBe(true);
    expect(isDomainName('hello.example.com.')).toBe(true);
    expect(isDomainName('*.example.com')).toBe(false);
    expect(isDomainName('localhost')).toBe(false);
    expect(isDomainName('-bad.example.com')).toBe(false);
    expect(isDomainName('https://hello.example.com')).toBe(false);
  });

  it('GIVEN hosted zone ids THEN accepts the console form only', () => {
    expect(isHostedZoneId('Z0123456789ABCDEFGHIJ')).toBe(true);
    expect(isHostedZoneId('/hostedzone/Z0123456789ABCDEFGHIJ')).toBe(false);
    expect(isHostedZoneId('example.com')).toBe(false);
  });
});

describe('the dns record owner marker', () => {
  it('GIVEN a domain and a deployment THEN names a separate TXT record with the deployment quoted', () => {
    expect(dnsOwnerRecordName('Hello.Example.com.')).toBe('_ecs-owner.hello.example.com');
    expect(dnsOwnerRecordValue('hello-world-ecr-ecs-fargate')).toBe(
      '"ecs-owner=hello-world-ecr-ecs-fargate"',
    );
  });
});
