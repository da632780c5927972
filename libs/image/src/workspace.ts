import { join } from 'node:path';

/** The workspace root; every command runs from here, as the Dockerfile's COPY paths expect. */
export const workspaceRoot = join(__dirname, '..', '..', '..');
