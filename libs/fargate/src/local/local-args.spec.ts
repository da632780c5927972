import { UsageError } from '@hello-world/cli';
import { DEFAULT_LOCAL_CONTAINER, LOCAL_COMMANDS, LOCAL_USAGE, parseLocalArgs } from './local-args';
import { LocalError } from './task-spec';

/** A fixed clock for relative --since values: 2026-11-25T20:00:00Z. */
const NOW = Date.parse('2026-11-25T20:00:00Z');

/** The one-line UsageError (or LocalError) parseLocalArgs throws for argv, as its message. */
function refusal(argv: string[]): string {
  try {
    parseLocalArgs(argv, {}, NOW);
  } catch (error) {
    if (error instanceof UsageError || error instanceof LocalError) return error.message;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseLocalArgs', () => {
  it('defaults to port 49000 and the standard container name', () => {
    // GIVEN no options WHEN parsed THEN
    expect(parseLocalArgs(['deploy'], {})).toMatchObject({
      command: 'deploy',
      hostPort: 49000,
      containerName: DEFAULT_LOCAL_CONTAINER,
      timeoutMs: 90_000,
    });
  });

  it('takes the port from --port before LOCAL_PORT', () => {
    expect(parseLocalArgs(['deploy'], { LOCAL_PORT: '49100' }).hostPort).toBe(49100);
    expect(parseLocalArgs(['deploy', '--port=49200'], { LOCAL_PORT: '49100' }).hostPort).toBe(
      49200,
    );
  });

  it.each([
    ['deploy', '--port=0'],
    ['deploy', '--port=65536'],
    ['deploy', '--port=80a'],
    ['deploy', '--timeout=soon'],
    ['logs', '--tail=some'],
    ['deploy', '--name=bad name'],
    ['deploy', '--bogus'],
  ])('rejects %s %s in one line', (command, flag) => {
    expect(refusal([command, flag])).not.toContain('\n');
  });

  it('rejects an unknown command, listing the known ones', () => {
    expect(() => parseLocalArgs(['launch'], {})).toThrow(
      /use one of deploy, status, logs, destroy/,
    );
  });

  it('reads the logs options, resolving --since against the clock', () => {
    // GIVEN 10 minutes ago WHEN parsed at NOW THEN docker gets that instant in epoch seconds
    expect(parseLocalArgs(['logs', '-f', '--since=10m', '--tail=50'], {}, NOW)).toMatchObject({
      follow: true,
      since: String(NOW / 1000 - 600),
      tail: '50',
    });
  });
});

describe('parseLocalArgs refuses bad options in one plain line', () => {
  it('names an unknown option and the options the command takes, without Node’s "--" advice', () => {
    // GIVEN a flag status does not know WHEN parsed THEN one line listing status's options
    expect(refusal(['status', '--bogus'])).toBe(
      'unknown option --bogus: options are --json, --name, --env, --help',
    );
  });

  it('refuses an option named like an Object.prototype member', () => {
    expect(refusal(['status', '--constructor'])).toMatch(/^unknown option --constructor:/);
  });

  it('refuses an empty --image instead of quietly building one', () => {
    expect(refusal(['deploy', '--image='])).toBe(
      '--image needs a value, e.g. --image hello-world:latest',
    );
  });

  it('refuses an --image that docker would read as an option', () => {
    expect(refusal(['deploy', '--image=-v'])).toMatch(/^--image "-v" is not an image reference/);
  });

  it('refuses a value option followed by another option instead of a value', () => {
    expect(refusal(['deploy', '--port', '--json'])).toBe('--port needs a value, e.g. --port 49001');
  });

  it('refuses a value on a switch', () => {
    expect(refusal(['status', '--json=yes'])).toBe('--json takes no value: write just --json');
  });

  it('refuses a stray word after the command', () => {
    expect(refusal(['status', 'now'])).toBe(
      'unexpected argument "now" after status: options start with --, see --help',
    );
  });

  it.each([
    ['logs', '--json', 'deploy, status'],
    ['destroy', '--json', 'deploy, status'],
    ['status', '--port=49001', 'deploy'],
    ['deploy', '--since=10m', 'logs'],
  ])('refuses %s %s, which it would ignore', (command, flag, commands) => {
    // GIVEN an option the command has no use for WHEN parsed THEN it is named, not ignored
    expect(refusal([command, flag])).toBe(
      `${flag.split('=')[0]} does not apply to ${command} (only ${commands}): leave it out`,
    );
  });
});

describe('parseLocalArgs --since', () => {
  it.each(['yesterday', '10 minutes', '-5m', '2026-13-45T00:00:00Z'])(
    'refuses %j with the forms it accepts',
    (since) => {
      expect(refusal(['logs', `--since=${since}`])).toMatch(
        /^invalid --since ".*": use a duration like 10m or 2h, or an ISO time like 2026-01-31T12:00:00Z$/,
      );
    },
  );

  it('takes days, which docker itself does not', () => {
    expect(parseLocalArgs(['logs', '--since=2d'], {}, NOW).since).toBe(
      String(NOW / 1000 - 2 * 86_400),
    );
  });

  it('takes an ISO time as that instant', () => {
    expect(parseLocalArgs(['logs', '--since=2026-11-25T18:30:00Z'], {}, NOW).since).toBe(
      String(Date.parse('2026-11-25T18:30:00Z') / 1000),
    );
  });
});

describe('parseLocalArgs for another deployment', () => {
  it("GIVEN greeter's port and container THEN deploy:local defaults to them", () => {
    const options = parseLocalArgs(['deploy'], {}, NOW, {
      port: 49010,
      localContainer: 'greeter-ecr-ecs-fargate-local',
    });
    expect(options).toMatchObject({
      hostPort: 49010,
      containerName: 'greeter-ecr-ecs-fargate-local',
    });
  });
});

describe('parseLocalArgs and --env', () => {
  it.each(LOCAL_COMMANDS)(
    'GIVEN %s --env=staging WHEN parsed THEN accepted (the deployment read it already)',
    (command) => {
      expect(() => parseLocalArgs([command, '--env=staging'], {}, NOW)).not.toThrow();
    },
  );

  it("GIVEN the environment's container name WHEN parsed without --name THEN it is the one managed", () => {
    // GIVEN staging's deployment (its names chosen from --env before parsing)
    const staging = { port: 49000, localContainer: 'hello-world-ecr-ecs-fargate-staging-local' };
    // WHEN parsed THEN every command acts on staging's container
    expect(parseLocalArgs(['destroy', '--env=staging'], {}, NOW, staging).containerName).toBe(
      'hello-world-ecr-ecs-fargate-staging-local',
    );
  });

  it('GIVEN --help THEN the usage explains --env', () => {
    expect(LOCAL_USAGE).toMatch(
      /^ {2}--env=NAME {5}any command: the environment whose task settings run/m,
    );
  });
});

describe('parseLocalArgs --replicas and --replica', () => {
  it('GIVEN no --replicas THEN deploys one container, as without replicas', () => {
    expect(parseLocalArgs(['deploy'], {}).replicas).toBe(1);
  });

  it('GIVEN --replicas=3 THEN deploys three', () => {
    expect(parseLocalArgs(['deploy', '--replicas=3'], {}).replicas).toBe(3);
  });

  it.each([['0'], ['11'], ['two'], ['2.5']])(
    'GIVEN --replicas=%s THEN refuses it in one line naming the range',
    (value) => {
      const message = refusal(['deploy', `--replicas=${value}`]);
      expect(message).toMatch(/--replicas .* from 1 to 10/);
      expect(message).not.toContain('\n');
    },
  );

  it('GIVEN logs --replica=2 THEN reads replica 2 only', () => {
    expect(parseLocalArgs(['logs', '--replica=2'], {}).replica).toBe(2);
  });

  it('GIVEN --replicas on status THEN refuses it (it means nothing there)', () => {
    expect(refusal(['status', '--replicas=2'])).toMatch(/--replicas/);
  });
});
