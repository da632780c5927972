import type { Clock } from '../clock';

interface Sleeper {
  wake: number;
  resolve: () => void;
}

/**
 * A clock whose sleeps take no real time, recording each requested delay. Time is virtual: a
 * sleep wakes once every other pending one that ends sooner has, so concurrent waits (a deadline
 * racing a step that takes 150 s) see the time each would really see. A single sleep is simply
 * `now += ms`. An aborted sleep rejects at once and moves no time.
 */
export function fakeClock(
  start = Date.parse('2026-11-25T18:00:00Z'),
): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  const pending: Sleeper[] = [];
  let scheduled = false;

  // One sleeper wakes per macrotask, so whatever it resumes (an SDK call, another sleep) is
  // registered before the next earliest one is picked; concurrent work is never starved.
  const tick = () => {
    scheduled = false;
    pending.sort((a, b) => a.wake - b.wake);
    const next = pending.shift();
    if (!next) return;
    now = Math.max(now, next.wake);
    next.resolve();
    schedule();
  };
  const schedule = () => {
    if (scheduled || pending.length === 0) return;
    scheduled = true;
    setImmediate(tick);
  };

  return {
    sleeps,
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const aborted = () => Object.assign(new Error('aborted'), { name: 'AbortError' });
        if (signal?.aborted) return reject(aborted());
        sleeps.push(ms);
        const sleeper: Sleeper = {
          wake: now + ms,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const index = pending.indexOf(sleeper);
          if (index >= 0) pending.splice(index, 1);
          reject(aborted());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.push(sleeper);
        schedule();
      }),
  };
}
