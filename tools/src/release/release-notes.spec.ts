import { extractReleaseNotes } from './release-notes';

const changelog = `## 0.2.0 (2026-11-25)

### 🚀 Features

- **app:** answer HEAD / as well

## 0.1.1 (2026-11-20)

### 🩹 Fixes

- **infra:** keep the URL
`;

describe('extractReleaseNotes', () => {
  it('returns the section nx release wrote for the version, without its heading', () => {
    expect(extractReleaseNotes(changelog, '0.2.0')).toBe(
      '### 🚀 Features\n\n- **app:** answer HEAD / as well',
    );
  });

  it('stops at the next version and reads the last section to the end', () => {
    expect(extractReleaseNotes(changelog, '0.1.1')).toBe(
      '### 🩹 Fixes\n\n- **infra:** keep the URL',
    );
  });

  it('does not take 0.1.1 for 0.1.10', () => {
    expect(() => extractReleaseNotes(changelog, '0.1.10')).toThrow(/no "## 0.1.10" section/);
  });

  it('says how to get a changelog entry when the version has none', () => {
    expect(() => extractReleaseNotes(changelog, '9.9.9')).toThrow(
      'CHANGELOG.md has no "## 9.9.9" section: release with `npm run release`, which writes it',
    );
  });
});
