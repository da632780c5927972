// Conventional commits (https://www.conventionalcommits.org): nx release derives the next version
// and the changelog from them. Checked by the commit-msg hook and by CI on PR titles and commits.
module.exports = {
  extends: ['@commitlint/config-conventional'],
  rules: {
    // This project's subjects name the whole change; 100 (the preset's limit) cuts them short.
    'header-max-length': [2, 'always', 150],
  },
};
