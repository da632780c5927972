/** What hello-world:docker-push did with the build's sha tag. */
export interface PushReport {
  repository: string;
  tag: string;
  digest?: string;
  /** False when the tag was already in the registry (nothing built or pushed). */
  pushed: boolean;
}

const LINE =
  /^(?:\S+: )?(pushed|skipped): (\S+):(sha-[A-Za-z0-9_.-]+)(?: is already in the registry)?(?: \((sha256:[0-9a-f]{64})\))?$/;

/**
 * Reads docker-push's own report lines (`pushed: REPO:TAG (DIGEST)`,
 * `skipped: REPO:TAG is already in the registry (DIGEST)`, maybe behind Nx's `project:target: `
 * prefix) for the sha tag, the one deployed.
 */
export function parsePushReport(output: string): PushReport | undefined {
  for (const raw of output.split('\n')) {
    // eslint-disable-next-line no-control-regex
    const match = LINE.exec(raw.replace(/\u001b\[[0-9;]*m/g, '').trim());
    if (!match) continue;
    const [, action, repository = '', tag = '', digest] = match;
    return { repository, tag, pushed: action === 'pushed', ...(digest ? { digest } : {}) };
  }
  return undefined;
}
