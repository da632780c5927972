import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { replaceSection } from './replace-section';

/**
 * A Markdown document with one marked section replaced, formatted as the repository's Prettier
 * formats it (so `format:check` stays green): the text it has now and the text it would have.
 */
export async function renderDocSection(
  file: string,
  section: string,
  content: string,
  fallback = '',
): Promise<{ readonly current: string; readonly updated: string }> {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : fallback;
  // Loaded when a doc is written, not by every CLI that imports this library (nor by Jest).
  const { format, resolveConfig } = await import('prettier');
  const updated = await format(replaceSection(current, section, content), {
    ...(await resolveConfig(file)),
    filepath: file,
  });
  return { current, updated };
}

/**
 * Records one section of a doc. Call it only when the user passed `--write` (infra:cost:
 * `--write-docs`): a run prints its results, and writes docs only when asked. Returns whether the
 * file changed.
 */
export async function writeDocSection(
  file: string,
  section: string,
  content: string,
  fallback = '',
): Promise<boolean> {
  const { current, updated } = await renderDocSection(file, section, content, fallback);
  if (updated !== current) writeFileSync(file, updated);
  return updated !== current;
}
