import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { nxBin } from '@hello-world/image';

/**
 * A throwaway git repository holding this workspace's files (tracked and new, as `git ls-files`
 * sees them: no node_modules, dist or caches) with node_modules linked in, so Nx can be asked
 * what a commit affects without touching the real repository.
 */
export interface TempWorkspace {
  root: string;
  git: (...args: string[]) => string;
  nx: (...args: string[]) => string;
  /** Runs Nx without throwing: its exit status and everything it printed, stdout then stderr. */
  nxResult: (...args: string[]) => { status: number | null; output: string };
  /** Appends a line to each file (creating it if new) and commits on a new branch from `base`. */
  commitChange: (branch: string, files: Record<string, string>) => void;
  /**
   * What `npm install` does for a new workspace package: links node_modules/<name> to `dir` (a
   * directory of the copy, e.g. apps/greeter). The copy's node_modules becomes a directory of its
   * own, linking every entry of the real one, so the real workspace's node_modules is never written.
   */
  linkPackage: (name: string, dir: string) => void;
  remove: () => void;
}

// Nx hands its tasks NX_* variables naming the outer workspace; the inner Nx must not see them.
export function withoutNxEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('NX_')));
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${result.stderr || result.stdout || String(result.error)}`,
    );
  }
  return result.stdout;
}

export function createTempWorkspace(source: string): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'affected-'));
  const files = run(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    source,
    process.env,
  )
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    // A file listed but deleted in the work tree is simply not there.
    try {
      cpSync(join(source, file), join(root, file), { dereference: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(join(source, 'node_modules'), join(root, 'node_modules'), 'dir');

  const env = {
    ...withoutNxEnv(process.env),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
  };
  const gitEnv = {
    ...env,
    GIT_AUTHOR_NAME: 'affected-spec',
    GIT_AUTHOR_EMAIL: 'affected-spec@example.invalid',
    GIT_COMMITTER_NAME: 'affected-spec',
    GIT_COMMITTER_EMAIL: 'affected-spec@example.invalid',
  };
  const git = (...args: string[]) =>
    run('git', ['-c', 'commit.gpgsign=false', ...args], root, gitEnv);
  git('init', '--quiet', '--initial-branch=base');
  // The node_modules link is a file to git, so `node_modules/` in .gitignore does not cover it.
  writeFileSync(join(root, '.git', 'info', 'exclude'), 'node_modules\n');
  git('add', '--all');
  git('commit', '--quiet', '--message', 'base');

  return {
    root,
    git,
    nx: (...args) => run(process.execPath, [nxBin(), ...args], root, env),
    nxResult: (...args) => {
      const result = spawnSync(process.execPath, [nxBin(), ...args], {
        cwd: root,
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    },
    commitChange: (branch, changes) => {
      git('checkout', '--quiet', '-B', branch, 'base');
      for (const [file, line] of Object.entries(changes)) {
        const path = join(root, file);
        mkdirSync(dirname(path), { recursive: true });
        const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
        writeFileSync(path, `${before}${line}\n`);
      }
      git('add', '--all');
      git('commit', '--quiet', '--message', `change ${branch}`);
    },
    linkPackage: (name, dir) => linkPackage(root, join(source, 'node_modules'), name, dir),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * node_modules/<name> in the copy, pointing at `dir` of the copy. The first call turns the copy's
 * node_modules link into a directory of links to the real entries (a scope, such as @hello-world,
 * into a directory of links to its packages), so only links inside the copy are ever added.
 */
function linkPackage(root: string, realModules: string, name: string, dir: string): void {
  const modules = join(root, 'node_modules');
  if (lstatSync(modules).isSymbolicLink()) {
    unlinkSync(modules);
    mirrorLinks(realModules, modules);
  }
  const scope = name.startsWith('@') ? name.split('/')[0] : undefined;
  if (
    scope !== undefined &&
    lstatSync(join(modules, scope), { throwIfNoEntry: false })?.isSymbolicLink()
  ) {
    unlinkSync(join(modules, scope));
    mirrorLinks(join(realModules, scope), join(modules, scope));
  }
  const link = join(modules, name);
  mkdirSync(dirname(link), { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(relative(dirname(link), join(root, dir)), link, 'dir');
}

/** A new directory `to` holding, for each entry of `from`, a link to it. */
function mirrorLinks(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from)) symlinkSync(join(from, entry), join(to, entry));
}
