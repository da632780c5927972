import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace';

// .ci/run is what CI on these machines executes: its unit tests must meet the same tools as its
// container tests, and answer from this clone, not from a result an earlier clone left behind.
const lines = readFileSync(join(workspaceRoot, '.ci', 'run'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const lineOf = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line));
const testCommand = /^npm ci && npm test$/;

describe('.ci/run', () => {
  it("GIVEN .ci/run WHEN read THEN it runs the README's test command, npm ci && npm test", () => {
    expect(lineOf(testCommand)).toBeGreaterThanOrEqual(0);
  });

  it('GIVEN .ci/run WHEN read THEN the container engine (and its Docker CLI) is up before the unit tests run', () => {
    const containers = lineOf(/^\. \.\.\/shared\/ci\/containers\.sh\b/);

    expect(containers).toBeGreaterThanOrEqual(0);
    expect(containers).toBeLessThan(lineOf(testCommand));
  });

  it("GIVEN .ci/run WHEN read THEN Nx's machine-wide cache is off before the unit tests run", () => {
    const skipCache = lineOf(/^export NX_SKIP_NX_CACHE=true$/);

    expect(skipCache).toBeGreaterThanOrEqual(0);
    expect(skipCache).toBeLessThan(lineOf(testCommand));
  });
});
