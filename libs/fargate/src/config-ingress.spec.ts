import { ConfigError, loadConfig, type Env } from './config';

const context = (values: Record<string, unknown>) => (key: string) => values[key];
const staging = { DEPLOY_ENV: 'staging' } satisfies Env;
const ZONE = { HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ', HOSTED_ZONE_NAME: 'example.com' };
const record = { ...ZONE, DOMAIN_NAME: 'hello.example.com' };

function errorFrom(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ingress: public-ip by default', () => {
  it('GIVEN nothing set THEN the reference public task IP, and no dns record for the roles', () => {
    const config = loadConfig(context({}), {});
    expect(config.ingress).toEqual({ mode: 'public-ip' });
    expect(config.defaultEnvironmentRoles.dnsRecord).toBeUndefined();
  });

  it('GIVEN a domain without a mode THEN one line: the domain needs INGRESS too', () => {
    expect(errorFrom(() => loadConfig(context({}), { ...staging, ...record }))).toMatch(
      /^Invalid domainName "hello\.example\.com" \(from env DOMAIN_NAME\): it applies to ingress dns or alb only; set ingress \(INGRESS\) too\./,
    );
  });

  it('GIVEN an unknown mode THEN one line listing the three', () => {
    expect(errorFrom(() => loadConfig(context({}), { ...staging, INGRESS: 'nlb' }))).toMatch(
      /^Invalid ingress "nlb" \(from env INGRESS\): expected public-ip, dns, alb\./,
    );
  });
});

describe('ingress: dns', () => {
  it('GIVEN INGRESS=dns with a domain and zone for staging THEN the record, normalized, also for its roles', () => {
    const config = loadConfig(context({}), {
      ...staging,
      INGRESS: 'dns',
      DOMAIN_NAME: 'Hello.Example.com.',
      HOSTED_ZONE_ID: '/hostedzone/Z0123456789ABCDEFGHIJ',
      HOSTED_ZONE_NAME: 'example.com.',
    });
    const expected = {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'example.com',
      domainName: 'hello.example.com',
    };
    expect(config.ingress).toEqual({ mode: 'dns', ...expected });
    // The default environment's roles (the registry's) are untouched by staging's settings.
    expect(config.defaultEnvironmentRoles.dnsRecord).toBeUndefined();
  });

  it("GIVEN staging's cdk.json block sets dns THEN the same settings from the block", () => {
    const config = loadConfig(
      context({
        environments: {
          staging: {
            ingress: 'dns',
            domainName: 'staging.example.com',
            hostedZoneId: 'Z0123456789ABCDEFGHIJ',
            hostedZoneName: 'example.com',
          },
        },
      }),
      staging,
    );
    expect(config.ingress).toMatchObject({ mode: 'dns', domainName: 'staging.example.com' });
  });

  it('GIVEN dns without a zone THEN one line naming the variables to set, with an example', () => {
    expect(
      errorFrom(() =>
        loadConfig(context({}), { ...staging, INGRESS: 'dns', DOMAIN_NAME: 'hello.example.com' }),
      ),
    ).toMatch(
      /^ingress dns needs a domain in a Route 53 hosted zone: set HOSTED_ZONE_ID, HOSTED_ZONE_NAME /,
    );
  });

  it('GIVEN a domain outside the zone THEN one line before any stack is built', () => {
    expect(
      errorFrom(() =>
        loadConfig(context({}), {
          ...staging,
          ...ZONE,
          INGRESS: 'dns',
          DOMAIN_NAME: 'hello.example.org',
        }),
      ),
    ).toMatch(/it is not in the hosted zone example\.com; use a name ending in \.example\.com/);
  });

  it('GIVEN a lookalike suffix (badexample.com) THEN not in the zone either', () => {
    expect(
      errorFrom(() =>
        loadConfig(context({}), {
          ...staging,
          ...ZONE,
          INGRESS: 'dns',
          DOMAIN_NAME: 'hello.badexample.com',
        }),
      ),
    ).toMatch(/not in the hosted zone example\.com/);
  });

  it('GIVEN a zone name instead of an id THEN one line saying where the id is', () => {
    expect(
      errorFrom(() =>
        loadConfig(context({}), {
          ...staging,
          ...record,
          INGRESS: 'dns',
          HOSTED_ZONE_ID: 'example.com',
        }),
      ),
    ).toMatch(/^Invalid hostedZoneId "example\.com" .*Hosted zone ID/);
  });

  it('GIVEN the default environment with dns in cdk.json THEN its roles (the registry) get the record too', () => {
    const config = loadConfig(
      context({
        ingress: 'dns',
        domainName: 'hello.example.com',
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        hostedZoneName: 'example.com',
      }),
      {},
    );
    expect(config.ingress.mode).toBe('dns');
    expect(config.defaultEnvironmentRoles.dnsRecord).toEqual({
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'example.com',
      domainName: 'hello.example.com',
    });
  });

  it('GIVEN the default environment with dns from the environment only THEN one line: put it in cdk.json', () => {
    expect(errorFrom(() => loadConfig(context({}), { ...record, INGRESS: 'dns' }))).toMatch(
      /^The default environment's ingress dns settings differ .* Put "ingress", "domainName", "hostedZoneId" and "hostedZoneName" in apps\/infra\/cdk\.json/,
    );
  });

  it('GIVEN scaling settings with dns THEN one line: autoscaling needs a load balancer', () => {
    expect(
      errorFrom(() =>
        loadConfig(context({}), { ...staging, ...record, INGRESS: 'dns', MAX_TASKS: '3' }),
      ),
    ).toMatch(
      /^Invalid maxTasks "3" \(from env MAX_TASKS\): autoscaling needs a load balancer in front/,
    );
  });

  it('GIVEN a preview with dns THEN one line: previews run public-ip only', () => {
    expect(
      errorFrom(() => loadConfig(context({}), { DEPLOY_ENV: 'pr-7', ...record, INGRESS: 'dns' })),
    ).toMatch(/previews run public-ip only/);
  });
});

describe('ingress: alb', () => {
  it('GIVEN INGRESS=alb with a record and the environment variables (default environment too) THEN default scaling', () => {
    const config = loadConfig(context({}), { ...record, INGRESS: 'alb' });
    expect(config.ingress).toEqual({
      mode: 'alb',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'example.com',
      domainName: 'hello.example.com',
      scaling: { minTasks: 1, maxTasks: 4, cpuPercent: 60, requestsPerTarget: 500 },
    });
    // No role changes: alb needs none, so the registry stays the reference's.
    expect(config.defaultEnvironmentRoles.dnsRecord).toBeUndefined();
  });

  it('GIVEN alb without a domain THEN one line saying what to pass', () => {
    expect(errorFrom(() => loadConfig(context({}), { ...staging, INGRESS: 'alb' }))).toBe(
      'ingress alb needs a domain in a Route 53 hosted zone: set DOMAIN_NAME, HOSTED_ZONE_ID, HOSTED_ZONE_NAME (or context "domainName", "hostedZoneId", "hostedZoneName"), e.g. DOMAIN_NAME=hello.example.com HOSTED_ZONE_ID=Z0123456789ABCDEFGHIJ HOSTED_ZONE_NAME=example.com.',
    );
  });

  it('GIVEN a desired count of 3 THEN min defaults to 3 and max to 4', () => {
    const config = loadConfig(context({}), {
      ...staging,
      ...record,
      INGRESS: 'alb',
      DESIRED_COUNT: '3',
    });
    expect(config.ingress.mode === 'alb' && config.ingress.scaling).toMatchObject({
      minTasks: 3,
      maxTasks: 4,
    });
  });

  it('GIVEN max below min THEN one line naming min', () => {
    expect(
      errorFrom(() =>
        loadConfig(context({}), {
          ...staging,
          ...record,
          INGRESS: 'alb',
          MIN_TASKS: '3',
          MAX_TASKS: '2',
        }),
      ),
    ).toMatch(/^Invalid maxTasks "2" \(from env MAX_TASKS\): it is below minTasks \(3\)\./);
  });

  it('GIVEN min 0 THEN one line: a load-balanced service keeps a task', () => {
    expect(
      errorFrom(() =>
        loadConfig(context({}), { ...staging, ...record, INGRESS: 'alb', MIN_TASKS: '0' }),
      ),
    ).toMatch(/keeps at least 1 task/);
  });

  it('GIVEN a CPU target of 95 THEN one line with the range', () => {
    expect(
      errorFrom(() =>
        loadConfig(context({}), { ...staging, ...record, INGRESS: 'alb', SCALE_CPU_PERCENT: '95' }),
      ),
    ).toMatch(/expected a CPU target of 10–90 percent/);
  });
});
