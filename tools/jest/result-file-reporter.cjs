// Writes each Jest run's pass/fail counts to tmp/test-results/<name>.json so the root test
// command can end with one "N passed, N failed" line across every project, cached runs included
// (the file is a declared output of the test target, so Nx restores it from cache).
const { mkdirSync, writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');

const workspaceRoot = join(__dirname, '..', '..');

class ResultFileReporter {
  /** options.name: the results file's name, default the project folder's name. */
  constructor(globalConfig, options = {}) {
    this.project = options.name ?? basename(globalConfig.rootDir);
  }

  onRunComplete(_contexts, results) {
    const dir = join(workspaceRoot, 'tmp', 'test-results');
    mkdirSync(dir, { recursive: true });
    const summary = {
      project: this.project,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    writeFileSync(join(dir, `${this.project}.json`), `${JSON.stringify(summary)}\n`);
  }
}

module.exports = ResultFileReporter;
