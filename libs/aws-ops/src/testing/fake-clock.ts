import type { Clock } from '../clock';

/** A clock whose sleep advances time instantly, recording each requested delay. */
export function fakeClock(
  start = Date.parse('2026-11-25T18:00:00Z'),
): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      sleeps.push(ms);
      now += ms;
      // Yield a macrotask so concurrent work (e.g. an SDK waiter) is never starved.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
