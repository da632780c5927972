const nxPreset = require('@nx/jest/preset').default;

/** Shared by every project's jest.config.ts. */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    // tsconfig.base.json sets isolatedModules, so ts-jest only strips types; typecheck checks them.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', require.resolve('./tools/jest/result-file-reporter.cjs')],
};
