import { createHash } from 'node:crypto';

/**
 * Paths in `git status --porcelain=v1 -z` output. A rename lists the new path, then the old one
 * as a separate NUL-terminated field; both count as changed.
 */
export function parsePorcelainPaths(output: string): string[] {
  const fields = output.split('\0').filter((f) => f !== '');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    paths.push(field.slice(3));
    if (field[0] === 'R' || field[0] === 'C') paths.push(fields[++i] as string);
  }
  return paths;
}

/** One file a dirty build's tag names: its content, or null when missing. */
export interface DirtyFile {
  path: string;
  content: Buffer | null;
}

/**
 * Seven hex digits naming a dirty build's content, so two dirty builds of different content
 * never share a tag and a repeated dirty build of the same content reuses it.
 */
export function hashDirtyFiles(files: readonly DirtyFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(`${file.path}\0${file.content === null ? 'deleted' : 'file'}\0`);
    if (file.content) hash.update(file.content);
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 7);
}
