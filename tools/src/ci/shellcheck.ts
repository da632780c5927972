// nx run tools:shellcheck: shellcheck over every `run:` block of .github/workflows and every git
// hook in .githooks. Needs shellcheck on PATH (GitHub's Ubuntu runners have it; Debian:
// `apt-get install shellcheck`, macOS: `brew install shellcheck`); not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace';
import { extractRunScripts, listWorkflowFiles, readWorkflow } from './workflows';

const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  console.error(
    'shellcheck: not found on PATH; install it (apt-get install shellcheck, brew install shellcheck) and re-run',
  );
  process.exit(2);
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
  console.log(`shellcheck: ${checks.length - failed} of ${checks.length} scripts clean`);
  process.exitCode = failed === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
