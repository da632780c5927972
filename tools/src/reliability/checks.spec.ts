import {
  findStackTraces,
  formatTally,
  parseNodeFlags,
  percentChange,
  percentile,
  renderChecks,
  responseStatuses,
  tally,
  withinFraction,
} from './checks';

describe('withinFraction', () => {
  it('accepts a value 10 % above the reference at a 10 % tolerance', () => {
    expect(withinFraction(110, 100, 0.1)).toBe(true);
  });

  it('rejects a value just over the tolerance', () => {
    expect(withinFraction(110.5, 100, 0.1)).toBe(false);
  });

  it('rejects a zero reference rather than dividing by it', () => {
    expect(withinFraction(0, 0, 0.1)).toBe(false);
  });
});

describe('percentChange', () => {
  it('signs the change', () => {
    expect([percentChange(103.2, 100), percentChange(95, 100)]).toEqual(['+3.2 %', '-5.0 %']);
  });
});

describe('findStackTraces', () => {
  it('finds V8 stack frame lines in plain output', () => {
    const log = [
      '{"level":"info","msg":"listening"}',
      'TypeError: boom',
      '    at parse (node:url:423:17)',
      '    at /app/main.js:1:2000',
    ].join('\n');
    expect(findStackTraces(log)).toEqual([
      '    at parse (node:url:423:17)',
      '    at /app/main.js:1:2000',
    ]);
  });

  it('finds a stack logged inside a JSON line', () => {
    const line =
      '{"level":"error","err":{"type":"Error","stack":"Error: x\\n    at f (/a.js:1:1)"}}';
    expect(findStackTraces(line)).toEqual([line]);
  });

  it('ignores ordinary request lines, even ones whose path contains "at"', () => {
    expect(findStackTraces('{"msg":"request","path":"/    at home"}\n')).toEqual([]);
  });
});

describe('responseStatuses', () => {
  it('reads every status of pipelined responses sent back to back', () => {
    const raw =
      'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello-world' +
      'HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}';
    expect(responseStatuses(raw)).toEqual([200, 404]);
  });

  it('reads nothing from a connection closed without an answer', () => {
    expect(responseStatuses('')).toEqual([]);
  });
});

describe('tally and formatTally', () => {
  it('counts values and prints them in key order', () => {
    expect(formatTally(tally([404, 200, 200]))).toBe('200 × 2, 404 × 1');
  });

  it('prints none for nothing', () => {
    expect(formatTally({})).toBe('none');
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
  });
});

describe('renderChecks', () => {
  it('marks a missed check in bold', () => {
    const table = renderChecks([{ name: 'n', measured: '1', target: '0', met: false }]);
    expect(table.split('\n')[2]).toBe('| n | 1 | 0 | **missed** |');
  });
});

describe('parseNodeFlags', () => {
  it('splits flags on whitespace', () => {
    expect(parseNodeFlags(' --max-semi-space-size=16  --jitless ')).toEqual([
      '--max-semi-space-size=16',
      '--jitless',
    ]);
  });

  it('gives no flags when none were passed', () => {
    expect(parseNodeFlags(undefined)).toEqual([]);
  });

  it('rejects anything that is not a flag, such as a script to preload', () => {
    expect(() => parseNodeFlags('--require=/tmp/x.js;rm')).toThrow(/is not a node flag/);
  });
});
