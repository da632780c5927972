import { join } from 'node:path';

/** The workspace root, for the contributor tooling that reads or runs the repository. */
export const workspaceRoot = join(__dirname, '..', '..');
