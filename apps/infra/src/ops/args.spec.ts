import { UsageError, parseDuration, parseOpsArgs, parseSince } from './args';

const NOW = Date.parse('2026-11-25T18:00:00Z');

describe('parseOpsArgs', () => {
  it('GIVEN status with no options THEN uses the shared names and defaults', () => {
    expect(parseOpsArgs(['status'], NOW)).toEqual({
      name: 'status',
      common: {
        region: undefined,
        profile: undefined,
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
      ),
    ).toMatchObject({
      logs: { startTime: NOW - 3_600_000, follow: true, filter: 'ERROR', taskId: 'abc123' },
    });
  });

  it('reads destroy --yes and --delete-images, both off by default', () => {
    expect(parseOpsArgs(['destroy'], NOW)).toMatchObject({ yes: false, deleteImages: false });
    expect(parseOpsArgs(['destroy', '--yes', '--delete-images'], NOW)).toMatchObject({
      yes: true,
      deleteImages: true,
    });
  });

  it.each([
    [['deploy'], /unknown command "deploy": use one of status, url/],
    [['status', '--follow'], /Unknown option '--follow'.*see --help/],
    [['url', '--region', 'Ireland'], /invalid --region "Ireland"/],
    [['logs', '--follow', '--json'], /cannot be combined/],
    [['redeploy', '--timeout', 'soon'], /invalid --timeout "soon": use a duration like 90s/],
    [['status', 'extra'], /Unexpected argument 'extra'/],
  ])('GIVEN %j THEN a one-line UsageError', (argv, message) => {
    expect(() => parseOpsArgs(argv, NOW)).toThrow(UsageError);
    expect(() => parseOpsArgs(argv, NOW)).toThrow(message);
  });

  it('GIVEN no command or --help THEN help', () => {
    expect(parseOpsArgs([], NOW).name).toBe('help');
    expect(parseOpsArgs(['doctor', '--help'], NOW).name).toBe('help');
  });
});

describe('parseDuration / parseSince', () => {
  it('treats a bare number as seconds', () =>
    expect(parseDuration('90', '--timeout')).toBe(90_000));
  it('accepts an ISO time for --since', () =>
    expect(parseSince('2026-11-25T17:00:00Z', NOW)).toBe(Date.parse('2026-11-25T17:00:00Z')));
  it('rejects words', () =>
    expect(() => parseSince('yesterday', NOW)).toThrow(/invalid --since "yesterday"/));
});
