import { spawnSync } from 'node:child_process';
import type { DeployTarget } from './deploy-cli';

/** The CDK CLI's environment for a target: its region, and its profile when one is named. */
export function awsEnv({ region, profile }: DeployTarget): NodeJS.ProcessEnv {
  return { ...process.env, AWS_REGION: region, ...(profile ? { AWS_PROFILE: profile } : {}) };
}

/** The checkout's commit, `-dirty` when the work tree has changes: what a receipt names. */
export async function readGitSha(workspaceRoot: string): Promise<string> {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: workspaceRoot, encoding: 'utf8' }).stdout?.trim() ?? '';
  const sha = git('rev-parse', 'HEAD') || 'unknown';
  return git('status', '--porcelain') ? `${sha}-dirty` : sha;
}
