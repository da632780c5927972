// npx tsx tools/src/release/write-deploy-summary.ts <label> <file with infra:deploy --json output>:
// appends the deploy receipt (or why it failed) to $GITHUB_STEP_SUMMARY and `url=<url>` to
// $GITHUB_OUTPUT, for the environment's link; prints the summary outside GitHub Actions.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { extractDeployJson, formatDeploySummary } from './deploy-summary';
import { ReleaseError } from './release-error';
import { runEntry } from './run-entry';

runEntry('write-deploy-summary', () => {
  const [label, file] = process.argv.slice(2);
  if (!label || !file)
    throw new ReleaseError('usage: write-deploy-summary.ts <label> <deploy output file>');
  const output = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const { markdown, url } = formatDeploySummary(label, extractDeployJson(output));
  const summaryFile = process.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile) appendFileSync(summaryFile, markdown);
  else process.stdout.write(markdown);
  const outputFile = process.env['GITHUB_OUTPUT'];
  if (outputFile) appendFileSync(outputFile, `url=${url}\n`);
});
