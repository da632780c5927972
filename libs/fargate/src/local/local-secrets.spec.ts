import { parseSecretsFile, selectLocalSecrets } from './local-secrets';
import { LocalError } from './task-spec';

const PATH = 'apps/infra/.secrets/staging.env';

describe('parseSecretsFile', () => {
  it('GIVEN NAME=VALUE lines, comments and blank lines THEN the pairs, values as written', () => {
    const text = [
      '# staging, local only',
      '',
      'API_KEY=abc=def',
      '  DB_PASSWORD = p#ss word ',
      'GREETING=Hello $USER',
    ].join('\n');
    expect(Object.fromEntries(parseSecretsFile(text, PATH))).toEqual({
      API_KEY: 'abc=def',
      DB_PASSWORD: ' p#ss word ',
      GREETING: 'Hello $USER',
    });
  });

  it('GIVEN a value in matching quotes THEN the quotes are removed, nothing else', () => {
    const text = `A="  spaced  "\nB='it"s'\nC="unmatched'\nD=""`;
    expect(Object.fromEntries(parseSecretsFile(text, PATH))).toEqual({
      A: '  spaced  ',
      B: 'it"s',
      C: `"unmatched'`,
      D: '',
    });
  });

  it('GIVEN CRLF line ends and a byte order mark THEN read as plain lines', () => {
    expect(Object.fromEntries(parseSecretsFile('\uFEFFA=1\r\nB=2\r\n', PATH))).toEqual({
      A: '1',
      B: '2',
    });
  });

  it('GIVEN a line that is not NAME=VALUE THEN one line naming the file and line, without its text', () => {
    const parse = () => parseSecretsFile('A=1\nsecret-value-here\n', PATH);
    expect(parse).toThrow(
      new LocalError(
        `${PATH} line 2 is not NAME=VALUE (NAME of letters, digits and _): fix or remove it`,
      ),
    );
    expect(parse).not.toThrow(/secret-value-here/);
  });

  it('GIVEN a NAME twice THEN one line naming both lines', () => {
    expect(() => parseSecretsFile('A=1\n\nA=2', PATH)).toThrow(
      new LocalError(`${PATH} sets A twice (lines 1 and 3): keep one`),
    );
  });
});

describe('selectLocalSecrets', () => {
  it('GIVEN no secrets in the task definition THEN nothing read, nothing needed', () => {
    expect(selectLocalSecrets([], undefined, PATH)).toEqual({ values: {}, unused: [] });
  });

  it('GIVEN every secret in the file THEN their values, and the names the task does not use', () => {
    expect(selectLocalSecrets(['API_KEY'], 'API_KEY=k1\nOLD_KEY=k0\n', PATH)).toEqual({
      values: { API_KEY: 'k1' },
      unused: ['OLD_KEY'],
    });
  });

  it('GIVEN a secret missing from the file THEN exit 2, naming the file and the line to add', () => {
    const select = () => selectLocalSecrets(['API_KEY', 'TOKEN', 'DB'], 'API_KEY=k1\n', PATH);
    expect(select).toThrow(
      new LocalError(`secret TOKEN has no value in ${PATH}: add a line TOKEN=VALUE (and for DB)`),
    );
    try {
      select();
    } catch (error) {
      expect((error as LocalError).exitCode).toBe(2);
      expect((error as Error).message).not.toContain('k1');
    }
  });

  it('GIVEN no file at all THEN exit 2, saying to create it with a line per secret', () => {
    expect(() => selectLocalSecrets(['API_KEY'], undefined, PATH)).toThrow(
      new LocalError(
        `the task definition has secrets (API_KEY) and deploy:local takes their values from ${PATH}, which does not exist: create it with a line API_KEY=VALUE for each (it is git-ignored)`,
      ),
    );
  });
});
