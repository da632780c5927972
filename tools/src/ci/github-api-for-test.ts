// A local HTTP server answering the GitHub REST calls the preview comment makes (issue comments:
// list with pages and a Link header, create, edit), with GitHub's payload shapes, for the specs.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface FakeGitHub {
  url: string;
  /** owner/name → issue number → its comments. */
  comments: Map<number, StoredComment[]>;
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Make the next call answer this status (e.g. 403). */
  failNext(status: number, message: string): void;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    request.on('data', (chunk: Buffer) => (data += chunk.toString()));
    request.on('end', () => resolve(data));
  });

/** A comment as GitHub's REST API returns it (the fields GitHub always sends, abridged). */
function restComment(url: string, repository: string, issue: number, c: StoredComment) {
  return {
    url: `${url}/repos/${repository}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repository}/pull/${issue}#issuecomment-${c.id}`,
    issue_url: `${url}/repos/${repository}/issues/${issue}`,
    id: c.id,
    node_id: `IC_kwDO${c.id}`,
    user: { login: c.user.login, id: c.user.type === 'Bot' ? 41898282 : 583231, type: c.user.type },
    created_at: '2026-12-01T10:00:00Z',
    updated_at: '2026-12-01T10:00:00Z',
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    body: c.body,
    reactions: { total_count: 0 },
    performed_via_github_app: null,
  };
}

export async function startFakeGitHub(repository: string, token: string): Promise<FakeGitHub> {
  const comments = new Map<number, StoredComment[]>();
  const requests: FakeGitHub['requests'] = [];
  let nextId = 2_500_000_000;
  let failure: { status: number; message: string } | undefined;
  let baseUrl = '';
  const send = (
    response: import('node:http').ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', baseUrl);
      requests.push({
        method: request.method ?? 'GET',
        path: url.pathname + url.search,
        authorization: request.headers.authorization,
      });
      const body = await readBody(request);
      if (request.headers.authorization !== `Bearer ${token}`) {
        send(response, 401, { message: 'Bad credentials', status: '401' });
        return;
      }
      if (failure) {
        const { status, message } = failure;
        failure = undefined;
        send(response, status, { message, status: String(status) });
        return;
      }
      const prefix = `/repos/${repository}/issues/`;
      const list = new RegExp(`^${prefix}(\\d+)/comments$`).exec(url.pathname);
      const one = new RegExp(`^${prefix}comments/(\\d+)$`).exec(url.pathname);
      if (list && request.method === 'GET') {
        const issue = Number(list[1]);
        const all = comments.get(issue) ?? [];
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const link = (p: number, rel: string) =>
          `<${baseUrl}${prefix}${issue}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`;
        const headers: Record<string, string> =
          page < last ? { link: `${link(page + 1, 'next')}, ${link(last, 'last')}` } : {};
        send(
          response,
          200,
          slice.map((c) => restComment(baseUrl, repository, issue, c)),
          headers,
        );
        return;
      }
      if (list && request.method === 'POST') {
        const issue = Number(list[1]);
        const created: StoredComment = {
          id: (nextId += 1),
          body: (JSON.parse(body) as { body: string }).body,
          user: { login: 'github-actions[bot]', type: 'Bot' },
        };
        comments.set(issue, [...(comments.get(issue) ?? []), created]);
        send(response, 201, restComment(baseUrl, repository, issue, created));
        return;
      }
      if (one && request.method === 'PATCH') {
        const id = Number(one[1]);
        for (const [issue, stored] of comments) {
          const found = stored.find((c) => c.id === id);
          if (found) {
            found.body = (JSON.parse(body) as { body: string }).body;
            send(response, 200, restComment(baseUrl, repository, issue, found));
            return;
          }
        }
      }
      send(response, 404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    comments,
    requests,
    failNext(status, message) {
      failure = { status, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
