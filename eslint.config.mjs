import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  prettier,
  {
    ignores: ['**/dist', '**/out-tsc', '**/cdk.out', '**/coverage', 'tmp'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          // Libraries are consumed from source (bundled by esbuild, run by tsx), never built on their own.
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              // The web service runs anywhere: no AWS SDK, no CDK, nothing from the ops or infra side.
              sourceTag: 'scope:web',
              onlyDependOnLibsWithTags: ['scope:shared'],
              bannedExternalImports: [
                'aws-cdk-lib',
                'aws-cdk-lib/*',
                'constructs',
                'cdk-nag',
                '@aws-sdk/*',
              ],
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:aws', onlyDependOnLibsWithTags: ['scope:aws', 'scope:shared'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
