import { findOnPath } from './exec-plugin';

describe('findOnPath', () => {
  const there = (paths: string[]) => (path: string) => paths.includes(path);

  it('GIVEN the plugin in the second PATH directory THEN its path', () => {
    expect(
      findOnPath(
        'session-manager-plugin',
        { PATH: '/usr/bin:/usr/local/bin' },
        'linux',
        there(['/usr/local/bin/session-manager-plugin']),
      ),
    ).toBe('/usr/local/bin/session-manager-plugin');
  });

  it('GIVEN it on no PATH directory THEN undefined', () => {
    expect(
      findOnPath('session-manager-plugin', { PATH: '/usr/bin::/bin' }, 'linux', there([])),
    ).toBe(undefined);
  });

  it('GIVEN no PATH at all THEN undefined', () => {
    expect(findOnPath('session-manager-plugin', {}, 'linux', () => true)).toBeUndefined();
  });
});
