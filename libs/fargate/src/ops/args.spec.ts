import { USAGE, UsageError, parseDuration, parseOpsArgs, parseSince } from './args';

const NOW = Date.parse('2026-11-25T18:00:00Z');

describe('parseOpsArgs', () => {
  it('GIVEN status with no options THEN uses the shared names and defaults', () => {
    expect(parseOpsArgs(['status'], NOW, {})).toEqual({
      name: 'status',
      common: {
        region: 'eu-west-1',
        stackName: 'hello-world-ecr-ecs-fargate',
        registryStackName: 'hello-world-ecr-ecs-fargate-registry',
        timeoutMs: 60_000,
        json: false,
      },
    });
  });

  it('reads region, profile, stack, timeout and json', () => {
    const command = parseOpsArgs(
      [
        'redeploy',
        '--region',
        'us-east-1',
        '--profile',
        'dev',
        '--stack',
        'other',
        '--timeout',
        '5m',
        '--json',
      ],
      NOW,
      // The flags win over the variables.
      { AWS_REGION: 'eu-central-1', AWS_PROFILE: 'other' },
    );
    expect(command).toMatchObject({
      name: 'redeploy',
      common: {
        region: 'us-east-1',
        profile: 'dev',
        stackName: 'other',
        timeoutMs: 300_000,
        json: true,
      },
    });
  });

  it('reads the logs options, taking a task id from a full ARN', () => {
    expect(
      parseOpsArgs(
        [
          'logs',
          '--since',
          '1h',
          '--follow',
          '--filter',
          'ERROR',
          '--task',
          'arn:aws:ecs:eu-west-1:123456789012:task/c/abc123',
        ],
        NOW,
        {},
      ),
    ).toMatchObject({
      logs: { startTime: NOW - 3_600_000, follow: true, filter: 'ERROR', taskId: 'abc123' },
    });
  });

  it('reads destroy --yes and --delete-images, both off by default', () => {
    expect(parseOpsArgs(['destroy'], NOW, {})).toMatchObject({ yes: false, deleteImages: false });
    expect(parseOpsArgs(['destroy', '--yes', '--delete-images'], NOW, {})).toMatchObject({
      yes: true,
      deleteImages: true,
    });
  });

  it.each([
    ['status'],
    ['url'],
    ['outputs'],
    ['logs'],
    ['redeploy'],
    ['rollback'],
    ['abort'],
    ['doctor'],
    ['destroy'],
    ['scan'],
    ['envs'],
  ])(
    'GIVEN %s --env=staging THEN the flag is accepted (the deployment already read it)',
    (name) => {
      expect(parseOpsArgs([name, '--env=staging'], NOW, {})).toMatchObject({ name });
      expect(parseOpsArgs([name, '--env', 'staging'], NOW, {})).toMatchObject({ name });
    },
  );

  it("GIVEN an environment's names THEN the stack defaults are its service stack and the shared registry", () => {
    const names = {
      deployment: 'hello-world-ecr-ecs-fargate-staging',
      registryStack: 'hello-world-ecr-ecs-fargate-registry',
    };
    expect(parseOpsArgs(['status', '--env=staging'], NOW, {}, names)).toMatchObject({
      common: {
        stackName: 'hello-world-ecr-ecs-fargate-staging',
        registryStackName: 'hello-world-ecr-ecs-fargate-registry',
      },
    });
  });

  it('reads envs --previews and --older-than, off by default', () => {
    expect(parseOpsArgs(['envs'], NOW, {})).toMatchObject({
      name: 'envs',
      envs: { previews: false },
    });
    expect(parseOpsArgs(['envs', '--previews', '--older-than=7d', '--json'], NOW, {})).toEqual(
      expect.objectContaining({
        envs: { previews: true, olderThanMs: 7 * 86_400_000 },
        common: expect.objectContaining({ json: true }),
      }),
    );
  });

  it('reads destroy --confirm-env', () => {
    expect(parseOpsArgs(['destroy', '--yes', '--confirm-env=production'], NOW, {})).toMatchObject({
      yes: true,
      confirmEnvironment: 'production',
    });
  });

  it('GIVEN --help THEN the usage documents --env, envs and --confirm-env', () => {
    expect(USAGE).toMatch(/--env NAME +the environment \(default DEPLOY_ENV, else default\)/);
    expect(USAGE).toMatch(/^ {2}envs +the deployed environments/m);
    expect(USAGE).toContain('--confirm-env NAME');
    expect(USAGE).toContain('--older-than DURATION');
  });

  it.each([
    [['deploy'], /unknown command "deploy": use one of status, url/],
    [['status', '--previews'], /^--previews does not apply to status \(only envs\): leave it out$/],
    [['envs', '--older-than', 'old'], /^--older-than "old" is not a duration like 90s, 15m or 2h/],
    [['status', '--confirm-env=x'], /^--confirm-env does not apply to status \(only destroy\)/],
    [['status', '--follow'], /^--follow does not apply to status \(only logs\): leave it out$/],
    [['status', '--stak', 'x'], /^unknown option --stak: options are --region, .*, --help$/],
    [['logs', '--follow', '--json'], /cannot be combined/],
    [
      ['redeploy', '--timeout', 'soon'],
      /^--timeout "soon" is not a duration like 90s, 15m or 2h, e.g. --timeout 15m$/,
    ],
    [['status', 'extra'], /^unexpected argument "extra" after status: /],
  ])('GIVEN %j THEN a one-line UsageError', (argv, message) => {
    expect(() => parseOpsArgs(argv, NOW, {})).toThrow(UsageError);
    expect(() => parseOpsArgs(argv, NOW, {})).toThrow(message);
  });

  it.each([
    [['status', '--region=mars-1'], 'invalid --region "mars-1": use a region code like eu-west-1'],
    [
      ['status', '--profile='],
      'invalid --profile "": use a profile name from `aws configure list-profiles` (letters, digits and . _ @ + = , -)',
    ],
    [
      ['status', '--stack='],
      'invalid --stack "": use a stack name: letters, digits and hyphens, starting with a letter',
    ],
    [
      ['status', '--stack=-x'],
      'invalid --stack "-x": use a stack name: letters, digits and hyphens, starting with a letter',
    ],
    [
      ['outputs', '--registry-stack='],
      'invalid --registry-stack "": use a stack name: letters, digits and hyphens, starting with a letter',
    ],
    [['logs', '--task='], 'invalid --task "": use a task id from `npx nx run infra:status`'],
    [
      ['status', '--timeout='],
      '--timeout "" is not a duration like 90s, 15m or 2h, e.g. --timeout 15m',
    ],
  ])('GIVEN %j THEN the one-line error shows a valid value', (argv, message) => {
    expect(() => parseOpsArgs(argv, NOW, {})).toThrow(new UsageError(message));
  });

  it('GIVEN AWS_REGION that is no region THEN a UsageError naming the variable', () => {
    expect(() => parseOpsArgs(['status'], NOW, { AWS_REGION: 'nowhere' })).toThrow(
      new UsageError(
        'invalid AWS_REGION "nowhere": set it to a region code like eu-west-1, or unset it',
      ),
    );
  });

  it('GIVEN AWS_ENDPOINT_URL that is not a URL THEN a UsageError before any client exists', () => {
    expect(() => parseOpsArgs(['status'], NOW, { AWS_ENDPOINT_URL: 'not-a-url' })).toThrow(
      new UsageError(
        'AWS_ENDPOINT_URL "not-a-url" is not a URL: set it like http://localhost:4566, or unset it',
      ),
    );
  });

  it('GIVEN AWS_REGION and AWS_PROFILE but no flags THEN uses them', () => {
    expect(
      parseOpsArgs(['status'], NOW, { AWS_REGION: 'us-west-2', AWS_PROFILE: 'dev' }),
    ).toMatchObject({ common: { region: 'us-west-2', profile: 'dev' } });
  });

  it('GIVEN --help THEN help, asked for', () => {
    expect(parseOpsArgs(['--help'], NOW, {})).toEqual({ name: 'help', text: USAGE });
    expect(parseOpsArgs(['doctor', '--help'], NOW, {})).toEqual({ name: 'help', text: USAGE });
  });

  it('GIVEN no command THEN help, marked as a missing command', () => {
    expect(parseOpsArgs([], NOW, {})).toEqual({ name: 'help', text: USAGE, missing: true });
  });
});

describe('parseDuration / parseSince', () => {
  it('treats a bare number as seconds', () =>
    expect(parseDuration('90', '--timeout')).toBe(90_000));
  it('accepts an ISO time for --since', () =>
    expect(parseSince('2026-11-25T17:00:00Z', NOW)).toBe(Date.parse('2026-11-25T17:00:00Z')));
  it('rejects words', () =>
    expect(() => parseSince('yesterday', NOW)).toThrow(/invalid --since "yesterday"/));
  it('rejects a date that is not in the calendar rather than rolling it over', () =>
    expect(() => parseSince('2026-02-30T00:00:00Z', NOW)).toThrow(
      /invalid --since "2026-02-30T00:00:00Z": use .* an ISO time like/,
    ));
  it('accepts 29 February in a leap year', () =>
    expect(parseSince('2028-02-29T00:00:00Z', NOW)).toBe(Date.UTC(2028, 1, 29)));
});

describe('the usage on exit codes and task ids', () => {
  it("GIVEN --help THEN says what status's exit codes mean", () => {
    expect(USAGE).toContain(
      'exits 0 when the desired count runs and the URL answers from here, 1 when it\n             prints an ERROR',
    );
    expect(USAGE).toMatch(/Exit codes: 0 ok, 1 the operation failed .*\n.*a stack not deployed/);
  });

  it('GIVEN --task with the 8 characters logs prints THEN keeps them as the id', () => {
    const command = parseOpsArgs(['logs', '--task', 'a1b2c3d4'], NOW, {});
    expect(command).toMatchObject({ name: 'logs', logs: { taskId: 'a1b2c3d4' } });
  });
});

describe('secrets and exec arguments', () => {
  const parse = (...argv: string[]) => parseOpsArgs(argv, NOW, {});

  it('GIVEN secrets set NAME THEN reads the action and the name, no value', () => {
    expect(parse('secrets', 'set', 'API_KEY', '--env=staging')).toMatchObject({
      name: 'secrets',
      secrets: { action: 'set', secretName: 'API_KEY' },
    });
  });

  it('GIVEN secrets with no action THEN lists', () => {
    expect(parse('secrets')).toMatchObject({ secrets: { action: 'list' } });
  });

  it('GIVEN secrets rm NAME --yes THEN reads --yes', () => {
    expect(parse('secrets', 'rm', 'API_KEY', '--yes')).toMatchObject({
      secrets: { action: 'rm', secretName: 'API_KEY', yes: true },
    });
  });

  it('GIVEN a value after the name THEN refuses it in one line that does not repeat it', () => {
    const error = (() => {
      try {
        parse('secrets', 'set', 'API_KEY', 'hunter2-s3cret');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toMatch(
      /^too many arguments: a secret's value is never taken from the command line/,
    );
    expect(error?.message).not.toContain('hunter2-s3cret');
  });

  it('GIVEN a name that is not a secret name THEN refuses it without repeating it', () => {
    expect(() => parse('secrets', 'set', 'api-key')).toThrow(
      /^invalid secret NAME: use an upper-case letter, then upper-case letters, digits or _ \(at most 128 in all\), e.g\. API_KEY$/,
    );
  });

  it('GIVEN set without a name THEN names the form that works', () => {
    expect(() => parse('secrets', 'set')).toThrow(
      "set needs the secret's NAME, e.g. `npx nx run infra:secrets -- set API_KEY`",
    );
  });

  it('GIVEN an unknown action THEN lists the actions', () => {
    expect(() => parse('secrets', 'get', 'API_KEY')).toThrow(
      'unknown action "get": use secrets set NAME, secrets list or secrets rm NAME',
    );
  });

  it('GIVEN --yes on set THEN refuses it', () => {
    expect(() => parse('secrets', 'set', 'API_KEY', '--yes')).toThrow(
      '--yes applies to secrets rm only: leave it out',
    );
  });

  it('GIVEN exec with no options THEN runs a shell in the newest task', () => {
    expect(parse('exec')).toMatchObject({ name: 'exec', exec: { command: '/bin/sh' } });
  });

  it('GIVEN exec --task, --command and --container THEN reads them; a task ARN becomes its id', () => {
    expect(
      parse(
        'exec',
        '--task',
        'arn:aws:ecs:eu-west-1:123456789012:task/hello-world-ecr-ecs-fargate/a1b2c3d4',
        '--command',
        'ls -la /app',
        '--container',
        'hello-world',
      ),
    ).toMatchObject({
      exec: { taskId: 'a1b2c3d4', command: 'ls -la /app', container: 'hello-world' },
    });
  });

  it('GIVEN exec --json THEN refuses it: a session is not data', () => {
    expect(() => parse('exec', '--json')).toThrow(
      '--json does not apply to exec: it opens a session on your terminal',
    );
  });

  it('GIVEN --command on another command THEN refuses it', () => {
    expect(() => parse('status', '--command', 'ls')).toThrow(
      '--command does not apply to status (only exec): leave it out',
    );
  });
});
