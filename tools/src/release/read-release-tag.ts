// npx tsx tools/src/release/read-release-tag.ts <tag>: prints `version=<semver>` (for
// $GITHUB_OUTPUT) or one line saying why the tag is not a release tag.
import { readCliCommand, runCli } from '@hello-world/cli';
import { readReleaseVersion } from './release-tag';

const NAME = 'read-release-tag';
const { args } = readCliCommand({
  name: NAME,
  usage: `usage: npx tsx tools/src/release/read-release-tag.ts <tag>
Prints version=<semver> for a release tag like v1.2.3-ecr-ecs-fargate (for $GITHUB_OUTPUT).
Exit codes: 0 a release tag, 2 not one (or bad usage).`,
  options: {},
  args: ['<tag>'],
});

runCli(NAME, async () => {
  console.log(`version=${readReleaseVersion(args[0] ?? '')}`);
});
