// npx tsx tools/src/release/write-release-notes.ts <version> [CHANGELOG.md]: prints the notes of
// that version for `gh release create --notes-file`.
import { readFileSync } from 'node:fs';
import { readCliCommand, runCli } from '@hello-world/cli';
import { extractReleaseNotes } from './release-notes';
import { ReleaseError } from './release-error';

const NAME = 'write-release-notes';
const { args } = readCliCommand({
  name: NAME,
  usage: `usage: npx tsx tools/src/release/write-release-notes.ts <version> [changelog (default CHANGELOG.md)]
Prints the changelog section of that version, the notes of its GitHub release.
Exit codes: 0 printed, 2 no such section or file (or bad usage).`,
  options: {},
  args: ['<version>', '[changelog]'],
});

runCli(NAME, async () => {
  const [version = '', file = 'CHANGELOG.md'] = args;
  if (version.trim() === '') throw new ReleaseError('the version is empty: pass one, e.g. 1.2.3');
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
