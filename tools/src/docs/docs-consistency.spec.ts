import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace';

const commitlint = require(join(workspaceRoot, 'commitlint.config.cjs'));

const read = (path: string) => readFileSync(join(workspaceRoot, path), 'utf8');
/** Every Markdown page a reader opens: docs/ and the contributing guide. */
const pages = [
  ...readdirSync(join(workspaceRoot, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
  'CONTRIBUTING.md',
];
/** `path:line: text` of each line of the pages that matches. */
const linesMatching = (pattern: RegExp) =>
  pages.flatMap((page) =>
    read(page)
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${page}:${i + 1}: ${line.trim()}`] : [])),
  );

describe('docs consistency', () => {
  it('CONTRIBUTING lists exactly the commit scopes commitlint enforces', () => {
    // GIVEN the guide's "Scopes" paragraph and commitlint's scope-enum rule
    const paragraph = /^Scopes are [\s\S]*?(?=\n\n)/m.exec(read('CONTRIBUTING.md'))?.[0] ?? '';
    const listed = [...paragraph.split('For example')[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    // WHEN both lists are read  THEN they are the same, in the same order
    expect(listed).toEqual(commitlint.rules['scope-enum'][2]);
  });

  it('no page points at an issue the reader cannot see', () => {
    // GIVEN the pages  WHEN searched for "issue 9" or "this issue"  THEN there is none
    expect(linesMatching(/\bissue \d+\b|\bthis issue\b/i)).toEqual([]);
  });

  it('no code span shows an escaped quote', () => {
    // GIVEN the pages  WHEN their code spans are read  THEN none carries a literal \"
    expect(linesMatching(/`[^`]*\\"[^`]*`/)).toEqual([]);
  });

  it("names the host's memory in GiB, as the benchmarks do", () => {
    // GIVEN the pages  WHEN they size a host  THEN in GiB (GB stays for AWS's billing units)
    expect(linesMatching(/\d+ GB (host|machine)\b/)).toEqual([]);
  });
});
