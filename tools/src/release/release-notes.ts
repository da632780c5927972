import { ReleaseError } from './release-error';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The changelog section nx release wrote for one version (`## 1.2.3 (date)` up to the next
 * `## ` heading), without its heading: the GitHub release's notes.
 */
export function extractReleaseNotes(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/);
  const heading = new RegExp(`^## \\[?v?${escape(version)}\\]?(?:\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1) {
    throw new ReleaseError(
      `CHANGELOG.md has no "## ${version}" section: release with \`npm run release\`, which writes it`,
    );
  }
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^## /.test(line));
  const body = (end === -1 ? rest : rest.slice(0, end)).join('\n').trim();
  return body === '' ? 'No user-facing changes.' : body;
}
