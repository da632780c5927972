// npx tsx tools/src/release/read-release-tag.ts <tag>: prints `version=<semver>` (for
// $GITHUB_OUTPUT) or one line saying why the tag is not a release tag.
import { readReleaseVersion } from './release-tag';
import { runEntry } from './run-entry';

runEntry('read-release-tag', () => {
  const tag = process.argv[2] ?? '';
  console.log(`version=${readReleaseVersion(tag)}`);
});
