// npx tsx tools/src/release/write-release-notes.ts <version> [CHANGELOG.md]: prints the notes of
// that version for `gh release create --notes-file`.
import { readFileSync } from 'node:fs';
import { extractReleaseNotes } from './release-notes';
import { ReleaseError } from './release-error';
import { runEntry } from './run-entry';

runEntry('write-release-notes', () => {
  const [version, file = 'CHANGELOG.md'] = process.argv.slice(2);
  if (!version) throw new ReleaseError('usage: write-release-notes.ts <version> [CHANGELOG.md]');
  let changelog: string;
  try {
    changelog = readFileSync(file, 'utf8');
  } catch {
    throw new ReleaseError(
      `cannot read ${file}: run from the workspace root after \`npm run release\``,
    );
  }
  process.stdout.write(`${extractReleaseNotes(changelog, version)}\n`);
});
