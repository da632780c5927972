import {
  ALERT_EMAIL_PATTERN,
  isEmailAddress,
  isSecretName,
  checkIpv4Cidr,
  isAwsProfileName,
  isAwsRegion,
  isImageTag,
  isIpv4Cidr,
  isWholeInternet,
} from './patterns';

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

describe('checkIpv4Cidr', () => {
  it.each(['0.0.0.0/0', '203.0.113.7/32', '10.0.0.0/24', '10.0.0.0/8', '192.168.16.0/20'])(
    'GIVEN the network address %s THEN accepts it as it is',
    (cidr) => {
      expect(checkIpv4Cidr(cidr)).toEqual({ ok: true, network: cidr });
    },
  );

  it.each([
    ['10.0.0.1/24', '10.0.0.0/24'],
    ['192.168.17.5/20', '192.168.16.0/20'],
    ['203.0.113.255/31', '203.0.113.254/31'],
    ['255.255.255.255/1', '128.0.0.0/1'],
  ])('GIVEN %s with host bits set THEN names the network %s it means', (cidr, network) => {
    const check = checkIpv4Cidr(cidr);
    expect(check).toMatchObject({ ok: false, network });
    expect(!check.ok && check.problem).toContain(`did you mean ${network}, or `);
  });

  it('GIVEN 8.8.8.8/0 (meant as one address) THEN says it means the whole internet and offers the /32', () => {
    expect(checkIpv4Cidr('8.8.8.8/0')).toEqual({
      ok: false,
      network: '0.0.0.0/0',
      problem:
        'host bits are set (a /0 keeps only its first 0 bits, so it means 0.0.0.0/0, the whole internet): did you mean 0.0.0.0/0, or 8.8.8.8/32 for that one address?',
    });
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '::/0', ''])(
    'GIVEN %j, no IPv4 CIDR THEN says so, with no network to suggest',
    (value) => {
      expect(checkIpv4Cidr(value)).toEqual({
        ok: false,
        problem: 'not an IPv4 CIDR like 203.0.113.7/32 (or 0.0.0.0/0 for anyone)',
      });
    },
  );
});

describe('isWholeInternet', () => {
  it.each(['0.0.0.0/0', '8.8.8.8/0'])('GIVEN %s THEN it admits every address', (cidr) => {
    expect(isWholeInternet(cidr)).toBe(true);
  });

  it.each(['0.0.0.0/1', '203.0.113.7/32', 'not a cidr'])(
    'GIVEN %s THEN it does not admit every address',
    (cidr) => {
      expect(isWholeInternet(cidr)).toBe(false);
    },
  );
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

describe('isEmailAddress', () => {
  it('GIVEN ordinary addresses THEN they are accepted', () => {
    expect(['ops@example.com', 'first.last+alerts@mail.example.co.uk'].map(isEmailAddress)).toEqual(
      [true, true],
    );
  });

  it('GIVEN no @, a space, a bare domain or an empty string THEN each is refused', () => {
    expect(
      ['ops.example.com', 'ops @example.com', 'ops@localhost', '', 'ops@example.com '].map(
        isEmailAddress,
      ),
    ).toEqual([false, false, false, false, false]);
  });

  it('GIVEN the template pattern THEN it accepts the empty string too (no one to email)', () => {
    expect(new RegExp(ALERT_EMAIL_PATTERN).test('')).toBe(true);
    expect(new RegExp(ALERT_EMAIL_PATTERN).test('not-an-address')).toBe(false);
  });
});

describe('isSecretName', () => {
  it('GIVEN environment-variable style names THEN they are accepted, others refused', () => {
    expect(['API_KEY', 'DB_PASSWORD2', 'api_key', '1KEY', 'KEY-1', ''].map(isSecretName)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
