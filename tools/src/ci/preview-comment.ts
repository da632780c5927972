// The one pull-request comment a preview keeps up to date: what it says (deployed, failed,
// removed) and how it is found again (a hidden marker, in a comment of the workflow's bot) so each
// push edits it in place instead of adding another.
import type { FailureJson, ReceiptJson } from '../release/deploy-summary';

/** The author of the comments the workflow's GITHUB_TOKEN writes. */
export const WORKFLOW_BOT = 'github-actions[bot]';

/** The hidden first line that names the preview's comment. */
export function previewMarker(environment: string): string {
  return `<!-- preview:${environment} -->`;
}

/** The parts of infra:cost --json the comment shows. */
export interface CostJson {
  total: number;
  currency: string;
  region?: string;
}

export interface DeployedComment {
  environment: string;
  /** infra:deploy --json's receipt or failure; undefined when it printed none. */
  deploy: ReceiptJson | FailureJson | undefined;
  cost: CostJson | undefined;
  /** The pull request's head commit the image was built from. */
  commit: string | undefined;
  runUrl: string | undefined;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const runLine = (runUrl: string | undefined) =>
  runUrl ? `[Workflow run](${runUrl})` : 'The workflow run';

const isFailure = (json: ReceiptJson | FailureJson): json is FailureJson =>
  (json as FailureJson).ok === false;

/** The comment after a deploy: the URL, image and cost, or why the deploy failed. */
export function formatDeployedComment(comment: DeployedComment): string {
  const { environment, deploy, cost, commit, runUrl } = comment;
  const head = [previewMarker(environment)];
  if (deploy === undefined || isFailure(deploy)) {
    const why =
      deploy === undefined
        ? 'stopped before infra:deploy printed a receipt (the build, the push or the deploy failed)'
        : `failed in the ${deploy.phase} phase: ${deploy.problem.kind}: ${deploy.problem.message}`;
    return [
      ...head,
      `### Preview \`${environment}\`: deploy failed`,
      '',
      `The deploy of ${commit ? `\`${commit}\`` : 'this pull request'} ${cell(why)}.`,
      `${runLine(runUrl)} has the log; push again to retry. An earlier deploy, if any, still serves.`,
      '',
    ].join('\n');
  }
  const price = cost
    ? `about ${cost.total.toFixed(2)} ${cost.currency} a month${cost.region ? ` (${cost.region})` : ''}, an estimate from the synthesized templates`
    : 'unavailable (infra:cost printed no estimate)';
  const rows: [string, string][] = [
    ['URL', deploy.url || '-'],
    ['Image tag', `\`${deploy.image.tag}\``],
    ['Digest', `\`${deploy.image.digest}\``],
    ['Monthly cost', price],
    ...(commit ? ([['Commit', `\`${commit}\``]] as [string, string][]) : []),
    ['Stack', `\`${deploy.stackName}\` (${deploy.region})`],
  ];
  return [
    ...head,
    `### Preview \`${environment}\` deployed`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([key, value]) => `| ${key} | ${cell(value)} |`),
    '',
    `${runLine(runUrl)}. Each push redeploys it; removing the \`preview\` label or closing the pull request removes it.`,
    '',
  ].join('\n');
}

/** The comment once the preview is gone. */
export function formatRemovedComment(environment: string, reason: string, runUrl?: string): string {
  return [
    previewMarker(environment),
    `### Preview \`${environment}\` removed`,
    '',
    `Removed: ${cell(reason)}. ${runLine(runUrl)}.`,
    'Add the `preview` label again (or push, while it is on) to deploy a new one.',
    '',
  ].join('\n');
}

/** One issue comment, as the GitHub REST API returns it (the fields read here). */
export interface IssueComment {
  id: number;
  body?: string | null;
  user?: { login: string } | null;
}

/** What the comment needs of GitHub's API: list, create and edit issue comments. */
export interface CommentApi {
  listComments(pullRequest: number): Promise<IssueComment[]>;
  createComment(pullRequest: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<IssueComment>;
}

/** The workflow's comment for this marker, the oldest if several. */
export function findMarkedComment(
  comments: readonly IssueComment[],
  marker: string,
): IssueComment | undefined {
  return comments.find((c) => c.user?.login === WORKFLOW_BOT && c.body?.startsWith(marker));
}

/** Edits the preview's comment in place, or writes it the first time. */
export async function upsertComment(
  api: CommentApi,
  pullRequest: number,
  marker: string,
  body: string,
): Promise<{ action: 'created' | 'updated'; id: number }> {
  const found = findMarkedComment(await api.listComments(pullRequest), marker);
  if (found) {
    await api.updateComment(found.id, body);
    return { action: 'updated', id: found.id };
  }
  const created = await api.createComment(pullRequest, body);
  return { action: 'created', id: created.id };
}

export interface GitHubApiSettings {
  /** GITHUB_API_URL, e.g. https://api.github.com */
  apiUrl: string;
  /** owner/name */
  repository: string;
  token: string;
  fetch?: typeof fetch;
}

/** The REST calls (issues comments), with pagination by the Link header. */
export function createGitHubCommentApi(settings: GitHubApiSettings): CommentApi {
  const { apiUrl, repository, token } = settings;
  const doFetch = settings.fetch ?? fetch;
  const base = `${apiUrl.replace(/\/+$/, '')}/repos/${repository}/issues`;
  const call = async (url: string, init: { method?: string; body?: string } = {}) => {
    const response = await doFetch(url, {
      ...init,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
    if (!response.ok) {
      const detail = ((await response.json().catch(() => ({}))) as { message?: string }).message;
      throw new Error(
        `GitHub answered ${response.status} to ${init.method ?? 'GET'} ${new URL(url).pathname}${detail ? `: ${detail}` : ''}`,
      );
    }
    return response;
  };
  return {
    async listComments(pullRequest) {
      const comments: IssueComment[] = [];
      let url: string | undefined = `${base}/${pullRequest}/comments?per_page=100`;
      while (url) {
        const response = await call(url);
        comments.push(...((await response.json()) as IssueComment[]));
        url = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      }
      return comments;
    },
    async createComment(pullRequest, body) {
      const response = await call(`${base}/${pullRequest}/comments`, {
        method: 'POST',
        body: JSON.stringify({ body }),
      });
      return (await response.json()) as IssueComment;
    },
    async updateComment(id, body) {
      const response = await call(`${base}/comments/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ body }),
      });
      return (await response.json()) as IssueComment;
    },
  };
}
