import { DEFAULT_DRAIN_TIMEOUT_MS, STOP_TIMEOUT_SECONDS } from './runtime';

describe('STOP_TIMEOUT_SECONDS', () => {
  it('gives the drain budget room before ECS sends SIGKILL, within the ECS maximum of 120 s', () => {
    // GIVEN the service's drain budget  WHEN ECS's stop timeout is derived from it
    // THEN it is longer than the budget and no more than ECS allows
    expect(STOP_TIMEOUT_SECONDS * 1000).toBeGreaterThan(DEFAULT_DRAIN_TIMEOUT_MS);
    expect(STOP_TIMEOUT_SECONDS).toBeLessThanOrEqual(120);
  });
});
