// npx tsx tools/src/ci/write-preview-comment.ts <deployed|removed> --pull-request=N ...: writes
// the preview's one comment on the pull request, or edits it in place (found by its hidden
// marker), from the deploy receipt and the cost estimate the preview job saved, or says the
// preview was removed. GitHub from GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL; the run's
// link from GITHUB_SERVER_URL and GITHUB_RUN_ID.
import { existsSync, readFileSync } from 'node:fs';
import { previewEnvironment } from '@hello-world/shared';
import { readCliCommand, runCli, UsageError } from '@hello-world/cli';
import { extractDeployJson, extractJsonObject } from '../release/deploy-summary';
import {
  createGitHubCommentApi,
  formatDeployedComment,
  formatRemovedComment,
  previewMarker,
  upsertComment,
  type CostJson,
} from './preview-comment';

const NAME = 'write-preview-comment';
const { command, values } = readCliCommand({
  name: NAME,
  commandName: () => NAME,
  usage: `usage: npx tsx tools/src/ci/write-preview-comment.ts <deployed|removed> --pull-request=N [options]
  deployed --deploy-output=FILE [--cost-output=FILE] [--commit=SHA]
           the URL, image tag and monthly cost of preview pr-N (or why its deploy failed), from
           the saved output of infra:deploy --json and infra:cost --json
  removed --reason=TEXT
           says preview pr-N is gone, and why
Writes the pull request's preview comment, or edits it in place (the one starting <!-- preview:pr-N -->).
Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), GITHUB_API_URL (default https://api.github.com);
GITHUB_SERVER_URL and GITHUB_RUN_ID link the run.
Exit codes: 0 written, 1 GitHub refused or failed, 2 bad usage or environment.`,
  commands: ['deployed', 'removed'],
  options: {
    'pull-request': {
      type: 'number',
      integer: true,
      min: 1,
      example: 12,
    },
    'deploy-output': { type: 'string', example: 'deploy.out', commands: ['deployed'] },
    'cost-output': { type: 'string', example: 'cost.out', commands: ['deployed'] },
    commit: { type: 'string', example: '1a2b3c4', commands: ['deployed'] },
    reason: { type: 'string', example: '"pull request closed"', commands: ['removed'] },
  },
});

const read = (file: string | undefined) =>
  file !== undefined && existsSync(file) ? readFileSync(file, 'utf8') : '';

/** infra:cost --json: `monthlyTotal` (the environment's own stacks), with currency and region. */
function readCost(file: string | undefined): CostJson | undefined {
  const json = extractJsonObject(read(file)) as
    { monthlyTotal?: unknown; total?: unknown; currency?: unknown; region?: unknown } | undefined;
  const total = json?.monthlyTotal ?? json?.total;
  return typeof total === 'number' && typeof json?.currency === 'string'
    ? {
        total,
        currency: json.currency,
        ...(typeof json.region === 'string' ? { region: json.region } : {}),
      }
    : undefined;
}

function requireEnv(name: string, example: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new UsageError(`${name} is not set: set it (e.g. ${example}) and run again`);
  return value;
}

runCli(NAME, async () => {
  const pullRequest = values['pull-request'];
  if (pullRequest === undefined) {
    throw new UsageError('--pull-request is missing: pass the number, e.g. --pull-request=12');
  }
  const environment = previewEnvironment(pullRequest);
  const token = requireEnv('GITHUB_TOKEN', '${{ github.token }}');
  const repository = requireEnv('GITHUB_REPOSITORY', 'octo-org/hello-world');
  const { GITHUB_SERVER_URL: server, GITHUB_RUN_ID: runId } = process.env;
  const runUrl = server && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;

  let body: string;
  if (command === 'deployed') {
    if (values['deploy-output'] === undefined) {
      throw new UsageError(
        'deployed needs --deploy-output=FILE, the saved infra:deploy --json output',
      );
    }
    body = formatDeployedComment({
      environment,
      deploy: extractDeployJson(read(values['deploy-output'])),
      cost: readCost(values['cost-output']),
      commit: values.commit,
      runUrl,
    });
  } else {
    if (values.reason === undefined || values.reason.trim() === '') {
      throw new UsageError('removed needs --reason=TEXT, e.g. --reason="pull request closed"');
    }
    body = formatRemovedComment(environment, values.reason, runUrl);
  }
  const api = createGitHubCommentApi({
    apiUrl: process.env['GITHUB_API_URL']?.trim() || 'https://api.github.com',
    repository,
    token,
  });
  const { action, id } = await upsertComment(api, pullRequest, previewMarker(environment), body);
  console.log(`${NAME}: ${action} comment ${id} on pull request #${pullRequest} (${environment})`);
});
