import { originForm } from './request-target';

describe('originForm', () => {
  it('keeps a plain origin-form target as it is', () => {
    expect(originForm('/health?x=1')).toBe('/health?x=1');
  });

  it('reduces an absolute-form target to its path and query', () => {
    expect(originForm('http://example.com:8080/health?x=1')).toBe('/health?x=1');
  });

  it('rejects an absolute-form target with an unparseable host (it made url.parse throw)', () => {
    expect(originForm('http://[::1/')).toBeUndefined();
  });

  it('rejects a target with a scheme other than http(s)', () => {
    expect(originForm('javascript:alert(1)')).toBeUndefined();
  });

  it('drops a fragment, which a client must not send', () => {
    expect(originForm('/#frag')).toBe('/');
  });

  it('maps the asterisk form to a path that simply is not found', () => {
    expect(originForm('*')).toBe('/*');
  });
});
