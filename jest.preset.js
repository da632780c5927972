const nxPreset = require('@nx/jest/preset').default;

/** Shared by every project's jest.config.ts. */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    // Type errors are the typecheck target's job; ts-jest only strips types here.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', isolatedModules: true }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', require.resolve('./tools/jest/result-file-reporter.cjs')],
};
