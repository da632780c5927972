import { FUZZ_CATEGORIES, createRandom, generateFuzzCases } from './fuzz-cases';

describe('generateFuzzCases', () => {
  it('makes the requested number of cases', () => {
    expect([...generateFuzzCases(10_000, 9)]).toHaveLength(10_000);
  });

  it('covers every category evenly', () => {
    const counts = new Map<string, number>();
    for (const c of generateFuzzCases(1_200, 9))
      counts.set(c.category, (counts.get(c.category) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...FUZZ_CATEGORIES].sort());
    expect(new Set(counts.values())).toEqual(new Set([1_200 / FUZZ_CATEGORIES.length]));
  });

  it('sends the same bytes for the same seed', () => {
    const first = [...generateFuzzCases(50, 7)].map((c) => c.payload.toString('hex'));
    const second = [...generateFuzzCases(50, 7)].map((c) => c.payload.toString('hex'));
    expect(second).toEqual(first);
  });

  it('sends other bytes for another seed', () => {
    const a = [...generateFuzzCases(50, 7)].map((c) => c.payload.toString('hex'));
    const b = [...generateFuzzCases(50, 8)].map((c) => c.payload.toString('hex'));
    expect(b).not.toEqual(a);
  });

  it('counts every request of a pipelining flood', () => {
    const flood = [...generateFuzzCases(12, 9)].find((c) => c.category === 'pipelining-flood');
    const requestLines = flood?.payload.toString('latin1').match(/ HTTP\/1\.1\r\n/g) ?? [];
    expect(requestLines).toHaveLength(flood?.requests ?? -1);
  });

  it('puts a control byte into every control-bytes case', () => {
    const cases = [...generateFuzzCases(240, 9)].filter((c) => c.category === 'control-bytes');
    for (const c of cases) {
      const withoutLineEnds = c.payload.toString('latin1').replace(/\r\n/g, '');
      const isControl = (code: number) => code < 0x20 || code === 0x7f;
      expect([...withoutLineEnds].some((char) => isControl(char.charCodeAt(0)))).toBe(true);
    }
  });
});

describe('createRandom', () => {
  it('stays within [0, 1)', () => {
    const random = createRandom(1);
    const values = Array.from({ length: 1_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});
