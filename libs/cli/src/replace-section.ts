/**
 * Replaces what stands between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a Markdown
 * document, appending the marked section when it is missing, so several generators can each own
 * one part of the same file.
 */
export function replaceSection(document: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${content.trim()}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from === -1 || to === -1 || to < from) {
    return `${document.trimEnd()}${document.trim() ? '\n\n' : ''}${block}\n`;
  }
  return document.slice(0, from) + block + document.slice(to + end.length);
}
