// Real-engine tests of the hello-world image (amd64, and arm64 for an ARM64 task) and the local deploy (`nx run hello-world:container-test`). Kept out of the
// unit `test` targets: their testMatch (*.spec.ts) never matches *.container-spec.ts.
const { join } = require('node:path');

module.exports = {
  displayName: 'hello-world-container',
  // libs/image/, so the preset's <rootDir>/tsconfig.spec.json is the image library's.
  rootDir: join(__dirname, '..'),
  preset: '../../jest.preset.js',
  // The image's own specs here, and libs/fargate's local-target spec (it runs the same image).
  roots: ['<rootDir>', '<rootDir>/../fargate'],
  testMatch: [
    '<rootDir>/src/**/*.container-spec.ts',
    '<rootDir>/../fargate/src/**/*.container-spec.ts',
  ],
  // Builds and pushes run inside the tests; the waits inside have their own, shorter limits.
  testTimeout: 300_000,
  // One spec at a time: they build the same images through Nx, share one engine, and the push
  // specs each write dist/apps/hello-world/image-push.json.
  maxWorkers: 1,
  reporters: [
    'default',
    // A path, not require(): the workspace's reporter is not a dependency of this library.
    [
      join(__dirname, '..', '..', '..', 'tools', 'jest', 'result-file-reporter.cjs'),
      { name: 'hello-world-container' },
    ],
  ],
};
