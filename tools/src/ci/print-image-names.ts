// npx tsx tools/src/ci/print-image-names.ts <environment>: the ECR repository of hello-world's
// images and the marker tag that names the image an environment's service stack runs
// (`deployed-<stack>`), as JSON, so a workflow can ask ECR which tags that image carries with
// read-only rights (release.yml: does staging run the release's image?).
import { APP_NAME, deployedImageTag, deploymentNames } from '@hello-world/shared';
import { readCliCommand, runCli, UsageError } from '@hello-world/cli';

const NAME = 'print-image-names';
const { args } = readCliCommand({
  name: NAME,
  usage: `usage: npx tsx tools/src/ci/print-image-names.ts <environment>
Prints {"repository": ..., "markerTag": ...}: hello-world's ECR repository and the tag on the image the environment's service stack runs.
Exit codes: 0 printed, 2 bad usage or an environment name AWS would refuse.`,
  options: {},
  args: ['<environment>'],
});

runCli(NAME, async () => {
  const [environment = ''] = args;
  let names;
  try {
    names = deploymentNames(APP_NAME, environment);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  console.log(
    JSON.stringify({ repository: names.repository, markerTag: deployedImageTag(names.deployment) }),
  );
});
