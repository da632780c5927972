/**
 * Headers for a JSON/text API that no browser should frame, sniff or cache. Computed once: setting
 * a fixed list is measurably cheaper than a per-request middleware stack such as helmet.
 * No Strict-Transport-Security: the service is plain HTTP on a public IP.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Cache-Control', 'no-store'],
];
