import { isAbortError, systemClock } from './clock';

describe('systemClock.sleep', () => {
  it('GIVEN the signal aborts mid-sleep THEN rejects with an AbortError at once', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    const error = await sleeping.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
  });

  it('GIVEN an already aborted signal THEN rejects without waiting', async () => {
    await expect(systemClock.sleep(60_000, AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('GIVEN no signal THEN resolves after the delay', async () => {
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
  });
});
