// Malformed and abusive HTTP/1.1 requests, generated from a seed so every run sends the same bytes.
// Each case is one connection; the slow kinds (slowloris, idle) are driven by fuzz.ts itself.

export const FUZZ_CATEGORIES = [
  'invalid-method',
  'bad-version',
  'control-bytes',
  'long-url',
  'header-flood',
  'oversized-header',
  'truncated',
  'pipelining-flood',
  'random-bytes',
  'framing',
  'bad-target',
  'odd-headers',
] as const;
export type FuzzCategory = (typeof FUZZ_CATEGORIES)[number];

export interface FuzzCase {
  category: FuzzCategory;
  /** Bytes to write, in order. */
  payload: Buffer;
  /** Half-close after writing (else the client abandons the connection after its deadline). */
  end: boolean;
  /** Requests the payload holds (pipelining floods hold many). */
  requests: number;
}

/** A small seeded PRNG (mulberry32): deterministic, good enough to pick shapes. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (random: Random, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, 0, items.length - 1)];
const bytes = (text: string) => Buffer.from(text, 'latin1');

function request(
  method = 'GET',
  target = '/',
  version = 'HTTP/1.1',
  headers = 'Host: localhost\r\n',
): string {
  return `${method} ${target} ${version}\r\n${headers}\r\n`;
}

function randomBytes(random: Random, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  for (let i = 0; i < length; i++) buffer[i] = int(random, 0, 255);
  return buffer;
}

const BAD_METHODS = ['G ET', 'get', 'GETT', 'FOO', 'G\0T', '\0', '\u00c4\u00d6', '-', 'GET\t', ''];
const BAD_VERSIONS = [
  'HTTP/9.9',
  'HTTP/1.',
  'HTTP/1.1x',
  'HTTQ/1.1',
  'HTTP/0.9',
  '',
  'HTTP/1.1 extra',
  'http/1.1',
  'HTTP/11',
  'HTTP/1.10',
  'HTTP/-1.1',
  'HTTP/2',
  'HTTP/1.1\0',
];
const BAD_TARGETS = [
  'http://[::1/',
  'http://a:xyz/',
  'http://[',
  '*',
  '%',
  '/%zz',
  '/%00',
  '/../../etc/passwd',
  '//evil.example/',
  '?',
  'javascript:alert(1)',
  'http://user:pass@x/',
  '/\u00ff\u00fe',
  '/#frag',
  'HTTP://X/health',
  'ftp://x/',
  '/health/../',
  '/__proto__',
  '/constructor',
];
const FRAMING = [
  'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n',
  'Content-Length: -1\r\n',
  'Content-Length: 99999999999999999999\r\n',
  'Content-Length: 1\r\nContent-Length: 2\r\n',
  'Transfer-Encoding: chunked\r\n',
  'Transfer-Encoding: gzip, chunked\r\n',
  'Transfer-Encoding: chunked, gzip\r\n',
  'Transfer-Encoding: xchunked\r\n',
  'X-Fold: a\r\n folded\r\n',
  'Host : spaced\r\n',
  'NoColonHere\r\n',
  ': empty-name\r\n',
];
const CHUNK_BODIES = [
  'zz\r\n',
  'ffffffffffffffffff\r\n',
  '5;ext=' + 'e'.repeat(5000) + '\r\n',
  '0\r\n',
];
const ODD_HEADERS = [
  'Expect: 100-continue\r\n',
  'Expect: teapot\r\n',
  'Upgrade: websocket\r\nConnection: Upgrade\r\n',
  'Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n',
  'X-Request-Id: ' + 'r'.repeat(5000) + '\r\n',
  'X-Request-Id: "quoted"\r\n',
  'X-Request-Id: \u00ff\u00fe\r\n',
  'Host: a\r\nHost: b\r\n',
  'Accept-Encoding: ' + 'gzip, '.repeat(500) + '\r\n',
  'Connection: keep-alive, close, upgrade, te\r\n',
  'Range: bytes=0-0,1-1,2-2,3-3\r\n',
  'Content-Type: multipart/form-data; boundary=' + 'b'.repeat(1000) + '\r\n',
];

const GENERATORS: Record<FuzzCategory, (random: Random) => Omit<FuzzCase, 'category'>> = {
  'invalid-method': (r) => {
    const method =
      r() < 0.3 ? 'X'.repeat(int(r, 100, 5000)) : r() < 0.5 ? pick(r, BAD_METHODS) : randomToken(r);
    return { payload: bytes(request(method)), end: true, requests: 1 };
  },
  'bad-version': (r) => ({
    payload: bytes(request('GET', '/', pick(r, BAD_VERSIONS))),
    end: true,
    requests: 1,
  }),
  'control-bytes': (r) => {
    const valid = request('GET', '/', 'HTTP/1.1', 'Host: localhost\r\nX-Probe: value\r\n');
    const at = int(r, 0, valid.length - 3);
    const control = String.fromCharCode(
      r() < 0.5 ? 0 : pick(r, [1, 7, 8, 11, 12, 13, 10, 27, 127]),
    );
    return {
      payload: bytes(valid.slice(0, at) + control + valid.slice(at)),
      end: true,
      requests: 1,
    };
  },
  'long-url': (r) => {
    const length = pick(r, [1_024, 8_000, 16_000, 16_500, 20_000, 65_536, 131_072]);
    const target = r() < 0.5 ? '/' + 'a'.repeat(length) : '/?q=' + '%41'.repeat(length / 3);
    return { payload: bytes(request('GET', target)), end: true, requests: 1 };
  },
  'header-flood': (r) => {
    const count = pick(r, [100, 500, 1_000, 2_000, 3_000, 5_000]);
    let headers = 'Host: localhost\r\n';
    for (let i = 0; i < count; i++) headers += `X-F${i}: ${i}\r\n`;
    return { payload: bytes(request('GET', '/', 'HTTP/1.1', headers)), end: true, requests: 1 };
  },
  'oversized-header': (r) => {
    const length = pick(r, [16_000, 16_385, 32_768, 65_536, 262_144]);
    const headers =
      r() < 0.7
        ? `Host: localhost\r\nX-Big: ${'b'.repeat(length)}\r\n`
        : `Host: localhost\r\n${'N'.repeat(length)}: v\r\n`;
    return { payload: bytes(request('GET', '/', 'HTTP/1.1', headers)), end: true, requests: 1 };
  },
  truncated: (r) => {
    const valid =
      r() < 0.5
        ? request('GET', '/health', 'HTTP/1.1', 'Host: localhost\r\nAccept: */*\r\n')
        : 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n' + 'x'.repeat(50);
    // Mostly half-closed at once; some are left hanging for the client to abandon.
    return {
      payload: bytes(valid.slice(0, int(r, 1, valid.length - 1))),
      end: r() < 0.9,
      requests: 1,
    };
  },
  'pipelining-flood': (r) => {
    const count = int(r, 5, 64);
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(request('GET', pick(r, ['/', '/health', '/nope'])));
    // Some floods carry garbage in the middle: the server must answer up to it, then stop.
    if (r() < 0.3) parts.splice(int(r, 0, count), 0, 'GARBAGE \0\r\n\r\n');
    return { payload: bytes(parts.join('')), end: true, requests: count };
  },
  'random-bytes': (r) => ({ payload: randomBytes(r, int(r, 1, 4096)), end: true, requests: 1 }),
  framing: (r) => {
    const headers = 'Host: localhost\r\n' + pick(r, FRAMING);
    const body = headers.includes('chunked') ? pick(r, CHUNK_BODIES) : 'hello';
    return {
      payload: bytes(request(pick(r, ['GET', 'POST']), '/', 'HTTP/1.1', headers) + body),
      end: true,
      requests: 1,
    };
  },
  'bad-target': (r) => ({
    payload: bytes(request(pick(r, ['GET', 'HEAD', 'OPTIONS']), pick(r, BAD_TARGETS))),
    end: true,
    requests: 1,
  }),
  'odd-headers': (r) => ({
    payload: bytes(request('GET', '/', 'HTTP/1.1', 'Host: localhost\r\n' + pick(r, ODD_HEADERS))),
    end: true,
    requests: 1,
  }),
};

function randomToken(random: Random): string {
  let token = '';
  for (let i = int(random, 1, 20); i > 0; i--) token += String.fromCharCode(int(random, 1, 255));
  return token;
}

/** `count` cases, the categories in turn, the same bytes for the same seed; made one at a time. */
export function* generateFuzzCases(count: number, seed: number): Generator<FuzzCase> {
  const random = createRandom(seed);
  for (let i = 0; i < count; i++) {
    const category = FUZZ_CATEGORIES[i % FUZZ_CATEGORIES.length];
    yield { category, ...GENERATORS[category](random) };
  }
}
