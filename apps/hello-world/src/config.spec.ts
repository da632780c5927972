import { ConfigError, parseCommandLine } from './config';

const serve = (argv: string[], env: Record<string, string> = {}) => {
  const command = parseCommandLine(argv, env, '1.2.3');
  if (command.kind !== 'serve') throw new Error(`expected serve, got ${command.kind}`);
  return command.config;
};

describe('parseCommandLine', () => {
  it('defaults to 0.0.0.0:49000, info logs, a 5 s drain and the package version', () => {
    expect(serve([])).toEqual({
      host: '0.0.0.0',
      port: 49000,
      logLevel: 'info',
      drainTimeoutMs: 5000,
      keepAliveTimeoutMs: 5000,
      version: '1.2.3',
      greeting: 'hello-world',
    });
  });

  it('GIVEN KEEP_ALIVE_TIMEOUT_MS (behind a load balancer) THEN idle connections stay that long', () => {
    expect(serve([], { KEEP_ALIVE_TIMEOUT_MS: '65000' }).keepAliveTimeoutMs).toBe(65_000);
  });

  it.each(['500', '65s', '600001'])(
    'GIVEN KEEP_ALIVE_TIMEOUT_MS=%s THEN one line with the accepted range',
    (value) => {
      expect(() => serve([], { KEEP_ALIVE_TIMEOUT_MS: value })).toThrow(
        new ConfigError(
          `invalid KEEP_ALIVE_TIMEOUT_MS ${JSON.stringify(value)}: use milliseconds from 1000 to 600000`,
        ),
      );
    },
  );

  it('GIVEN GREETING THEN GET / answers it, as set', () => {
    expect(serve([], { GREETING: '  Hello from staging!  ' }).greeting).toBe(
      '  Hello from staging!  ',
    );
  });

  it('GIVEN a GREETING of exactly 200 characters (not bytes) THEN it is accepted', () => {
    const greeting = 'ü'.repeat(200);
    expect(serve([], { GREETING: greeting }).greeting).toBe(greeting);
  });

  it.each([
    ['empty', '', 'it is empty'],
    ['201 characters', 'a'.repeat(201), 'it is 201 characters long'],
    ['two lines', 'hello\nworld', 'it holds a line break or another control character'],
    ['a carriage return', 'hello\r', 'it holds a line break or another control character'],
    ['an escape', 'hi\u001b[31m', 'it holds a line break or another control character'],
  ])('GIVEN a GREETING that is %s THEN one line naming why, without the value', (_, value, why) => {
    expect(() => serve([], { GREETING: value })).toThrow(
      new ConfigError(
        `invalid GREETING (${why}): set one line of 1 to 200 characters, or unset it for "hello-world"`,
      ),
    );
  });

  it('reads -b and -p', () => {
    expect(serve(['-b', '127.0.0.1', '-p', '8080'])).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
    });
  });

  it('reads --bind and --port, including the --port=N form', () => {
    expect(serve(['--bind', '::1', '--port=9000'])).toMatchObject({ host: '::1', port: 9000 });
  });

  it('reads HOST and PORT from the environment', () => {
    expect(serve([], { HOST: '127.0.0.2', PORT: '3000' })).toMatchObject({
      host: '127.0.0.2',
      port: 3000,
    });
  });

  it('prefers flags over the environment', () => {
    expect(serve(['-p', '4000'], { PORT: '3000' }).port).toBe(4000);
  });

  it('takes the version from APP_VERSION when the image build set it', () => {
    expect(serve([], { APP_VERSION: '2.0.0-rc.1' }).version).toBe('2.0.0-rc.1');
  });

  it.each([['abc'], ['0'], ['65536'], ['-1'], ['80.5'], ['']])(
    'rejects port %p with a one-line hint',
    (port) => {
      expect(() => serve([`--port=${port}`])).toThrow(ConfigError);
      expect(() => serve([`--port=${port}`])).toThrow(
        /^invalid port .* from --port: use a whole number from 1 to 65535$/,
      );
    },
  );

  it.each([[['-p', '-1']], [['--port', '-1']]])(
    'GIVEN %j WHEN parsed THEN the port range error, not parseArgs\' "ambiguous"',
    (argv) => {
      expect(() => serve(argv)).toThrow(
        /^invalid port "-1" from --port: use a whole number from 1 to 65535$/,
      );
    },
  );

  it('GIVEN APP_VERSION WHEN asked for --version THEN answers the version /health reports', () => {
    const env = { APP_VERSION: '2.0.0-rc.1' };
    expect(parseCommandLine(['--version'], env, '1.2.3')).toEqual({
      kind: 'version',
      version: serve([], env).version,
    });
  });

  it('names PORT as the source when the environment is wrong', () => {
    expect(() => serve([], { PORT: 'http' })).toThrow('invalid port "http" from PORT');
  });

  it('rejects a bind address with spaces or shell characters', () => {
    expect(() => serve(['-b', 'local host; rm'])).toThrow(/^invalid bind address/);
  });

  it('rejects an unknown LOG_LEVEL and lists the valid ones', () => {
    expect(() => serve([], { LOG_LEVEL: 'loud' })).toThrow(
      /invalid LOG_LEVEL "loud": use one of fatal, error/,
    );
  });

  it('rejects a drain timeout that is not whole milliseconds within 2 minutes', () => {
    expect(() => serve([], { DRAIN_TIMEOUT_MS: '5s' })).toThrow(/DRAIN_TIMEOUT_MS/);
    expect(() => serve([], { DRAIN_TIMEOUT_MS: '999999' })).toThrow(/0 to 120000/);
  });

  it('turns an unknown flag into a ConfigError pointing at --help', () => {
    expect(() => parseCommandLine(['--verbose'], {}, '1')).toThrow(/see --help$/);
  });

  it('returns help and version commands', () => {
    expect(parseCommandLine(['-h'], {}, '1').kind).toBe('help');
    expect(parseCommandLine(['--version'], {}, '1').kind).toBe('version');
  });
});
