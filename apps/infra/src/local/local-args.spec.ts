import { DEFAULT_LOCAL_CONTAINER, parseLocalArgs } from './local-args';
import { LocalError } from './task-spec';

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
    ['--port=0'],
    ['--port=65536'],
    ['--port=80a'],
    ['--timeout=soon'],
    ['--tail=some'],
    ['--name=bad name'],
    ['--bogus'],
  ])('rejects %s in one line', (flag) => {
    expect(() => parseLocalArgs(['deploy', flag], {})).toThrow(LocalError);
  });

  it('rejects an unknown command, listing the known ones', () => {
    expect(() => parseLocalArgs(['launch'], {})).toThrow(/use deploy, status, logs, destroy/);
  });

  it('reads the logs options', () => {
    expect(parseLocalArgs(['logs', '-f', '--since=10m', '--tail=50'], {})).toMatchObject({
      follow: true,
      since: '10m',
      tail: '50',
    });
  });
});
