// Real-engine tests of the workspace tooling (`nx run tools:container-test`): a service generated in
// a throwaway copy of the workspace, its image built by docker-build and run like the Fargate task.
// Kept out of the unit `test` target: its testMatch (*.spec.ts) never matches *.container-spec.ts.
const { join } = require('node:path');

module.exports = {
  displayName: 'tools-container',
  preset: '../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.container-spec.ts'],
  // Generating, building and running the image happen inside; the waits have their own limits.
  testTimeout: 600_000,
  reporters: [
    'default',
    [join(__dirname, 'jest', 'result-file-reporter.cjs'), { name: 'tools-container' }],
  ],
};
