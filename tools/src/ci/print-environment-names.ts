// npx tsx tools/src/ci/print-environment-names.ts <environment>: an environment's service stack,
// hello-world's ECR repository and the marker tag on the image that stack runs
// (`deployed-<stack>`), as JSON, from libs/shared's names, so a workflow can ask AWS about them
// with the few reads its role has: release.yml, does staging run the release's image? preview.yml,
// is the pull request's stack there to destroy?
import { APP_NAME, deployedImageTag, deploymentNames } from '@hello-world/shared';
import { readCliCommand, runCli, UsageError } from '@hello-world/cli';

const NAME = 'print-environment-names';
const { args } = readCliCommand({
  name: NAME,
  usage: `usage: npx tsx tools/src/ci/print-environment-names.ts <environment>
Prints {"stackName": ..., "repository": ..., "markerTag": ...}: the environment's service stack, hello-world's ECR repository and the tag on the image that stack runs.
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
    JSON.stringify({
      stackName: names.deployment,
      repository: names.repository,
      markerTag: deployedImageTag(names.deployment),
    }),
  );
});
