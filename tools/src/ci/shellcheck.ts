// nx run tools:shellcheck: shellcheck over every `run:` block of .github/workflows and every git
// hook in .githooks. Needs shellcheck on PATH (GitHub's Ubuntu runners have it; Debian:
// `apt-get install shellcheck`, macOS: `brew install shellcheck`); not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_FAILED, EXIT_OK, readCli, runCli, UsageError } from '@hello-world/cli';
import { workspaceRoot } from '../workspace';
import { extractRunScripts, listWorkflowFiles, readWorkflow } from './workflows';

const NAME = 'tools:shellcheck';
readCli({
  name: NAME,
  usage: `usage: nx run tools:shellcheck
Runs shellcheck over every run: block of .github/workflows and every git hook in .githooks; needs shellcheck on PATH.
Exit codes: 0 every script clean, 1 shellcheck found problems, 2 shellcheck missing (or bad usage).`,
  options: {},
});

async function main(): Promise<number> {
  const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new UsageError(
      'shellcheck not found on PATH: install it (apt-get install shellcheck, brew install shellcheck) and re-run',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
  const checks: { location: string; path: string; shell: string }[] = [];
  try {
    for (const file of listWorkflowFiles(workspaceRoot)) {
      for (const [i, run] of extractRunScripts(file, readWorkflow(workspaceRoot, file)).entries()) {
        const path = join(dir, `${file}-${i}.sh`);
        writeFileSync(path, run.script);
        checks.push({ location: run.location, path, shell: run.shell });
      }
    }
    const hooksDir = join(workspaceRoot, '.githooks');
    for (const hook of readdirSync(hooksDir)) {
      checks.push({ location: `.githooks/${hook}`, path: join(hooksDir, hook), shell: 'sh' });
    }

    let failed = 0;
    for (const check of checks) {
      const run = spawnSync('shellcheck', ['--shell', check.shell, '--format', 'gcc', check.path], {
        encoding: 'utf8',
      });
      if (run.status !== 0) {
        failed += 1;
        console.error(`✗ ${check.location}\n${run.stdout.replaceAll(check.path, '  line')}`);
      }
    }
    console.log(`${NAME}: ${checks.length - failed} of ${checks.length} scripts clean`);
    return failed === 0 ? EXIT_OK : EXIT_FAILED;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runCli(NAME, main);
