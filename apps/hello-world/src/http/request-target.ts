/**
 * The request target in origin form (`/path?query`), or undefined when it cannot name a resource.
 *
 * Koa reads `ctx.path` through `parseurl`, which hands anything but a plain `/path` to the legacy
 * `url.parse()`: that throws on targets such as `http://[::1/` (the service then answered 500) and
 * prints a deprecation warning to stderr on first use. Found by tools/src/reliability/fuzz.ts.
 * Absolute-form targets (RFC 9112 §3.2.2) are reduced to their path, so routing never sees a host.
 */
export function originForm(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  // The common case, which parseurl parses on its fast path without url.parse().
  if (PLAIN_ORIGIN_FORM.test(target)) return target;
  let url: URL;
  try {
    url = new URL(target, 'http://origin.invalid');
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.pathname + url.search;
}

// parseurl's fast path stops at these characters (whitespace, `#`, NBSP, BOM) and falls back.
const PLAIN_ORIGIN_FORM = /^\/[^\s#\u00a0\ufeff]*$/;
