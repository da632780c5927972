// npx tsx tools/src/release/write-deploy-summary.ts <label> <file with infra:deploy --json output>:
// appends the deploy receipt (or why it failed) to $GITHUB_STEP_SUMMARY and `url=<url>` to
// $GITHUB_OUTPUT, for the environment's link; prints the summary outside GitHub Actions.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { readCliCommand, runCli } from '@hello-world/cli';
import { extractDeployJson, formatDeploySummary } from './deploy-summary';
import { ReleaseError } from './release-error';

const NAME = 'write-deploy-summary';
const { args } = readCliCommand({
  name: NAME,
  usage: `usage: npx tsx tools/src/release/write-deploy-summary.ts <label> <deploy output file>
Appends the deploy receipt (or why the deploy failed) to $GITHUB_STEP_SUMMARY, printed when unset, and url=<url> to $GITHUB_OUTPUT.
Exit codes: 0 written, 1 writing failed, 2 bad usage.`,
  options: {},
  args: ['<label>', '<file>'],
});

runCli(NAME, async () => {
  const [label = '', file = ''] = args;
  if (label.trim() === '') {
    throw new ReleaseError('the label is empty: pass one, e.g. main@<sha> or the release tag');
  }
  // No file means the deploy stopped before writing one: the summary says so.
  const output = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const { markdown, url } = formatDeploySummary(label, extractDeployJson(output));
  const summaryFile = process.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile) appendFileSync(summaryFile, markdown);
  else process.stdout.write(markdown);
  const outputFile = process.env['GITHUB_OUTPUT'];
  if (outputFile) appendFileSync(outputFile, `url=${url}\n`);
});
