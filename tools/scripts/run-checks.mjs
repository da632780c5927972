#!/usr/bin/env node
// The README's test command: lint, typecheck, unit tests, build and synth of every project, then
// one closing line "N passed, N failed" summed over every Jest run. Other targets may be named
// (`run-checks.mjs container-test`); the same summary follows.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(root, 'tmp', 'test-results');
// --append keeps the counts of an earlier run (CI sums unit and container tests in one line).
const append = process.argv.includes('--append');
const named = process.argv.slice(2).filter((arg) => arg !== '--append');
const targets = named.length > 0 ? named : ['lint', 'typecheck', 'test', 'build', 'synth'];

if (!append) rmSync(resultsDir, { recursive: true, force: true });
const nx = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'),
    'run-many',
    '-t',
    ...targets,
    '--output-style=stream',
  ],
  { cwd: root, stdio: 'inherit' },
);

const results = existsSync(resultsDir)
  ? readdirSync(resultsDir).map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')))
  : [];
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
for (const r of results) console.log(`  ${r.project}: ${r.passed} passed, ${r.failed} failed`);
const nxFailed = nx.status !== 0;
if (nxFailed)
  console.log(`nx run-many -t ${targets.join(' ')} failed (exit ${nx.status ?? nx.signal})`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(nxFailed || failed > 0 || passed === 0 ? 1 : 0);
