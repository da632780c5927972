// Conventional commits (https://www.conventionalcommits.org): nx release derives the next version
// and the changelog from them. Checked by the commit-msg hook and by CI on PR titles and commits.

// The scopes a message may name (or none): the Nx projects, then ci and docs, then the ones tools
// write: Dependabot (`deps`, `deps-dev`, with include: scope) and nx release (`release`).
// CONTRIBUTING.md lists the same; tools/src/docs/docs-consistency.spec.ts keeps them equal.
const scopes = [
  'hello-world',
  'infra',
  'aws-ops',
  'cli',
  'fargate',
  'image',
  'shared',
  'tools',
  'ci',
  'docs',
  'deps',
  'deps-dev',
  'release',
];

module.exports = {
  extends: ['@commitlint/config-conventional'],
  rules: {
    // This project's subjects name the whole change; 100 (the preset's limit) cuts them short.
    'header-max-length': [2, 'always', 150],
    'scope-enum': [2, 'always', scopes],
  },
};
