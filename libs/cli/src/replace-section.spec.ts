import { replaceSection } from './replace-section';

describe('replaceSection', () => {
  it('replaces only the marked section and keeps the text around it', () => {
    const doc = '# Title\n\n<!-- a:start -->\nold\n<!-- a:end -->\n\nafter\n';
    expect(replaceSection(doc, 'a', 'new')).toBe(
      '# Title\n\n<!-- a:start -->\nnew\n<!-- a:end -->\n\nafter\n',
    );
  });

  it('leaves a section with another name alone', () => {
    const doc = '<!-- b:start -->\nkeep\n<!-- b:end -->\n';
    expect(replaceSection(doc, 'a', 'x')).toBe(
      '<!-- b:start -->\nkeep\n<!-- b:end -->\n\n<!-- a:start -->\nx\n<!-- a:end -->\n',
    );
  });

  it('creates the section in an empty document', () => {
    expect(replaceSection('', 'a', 'x')).toBe('<!-- a:start -->\nx\n<!-- a:end -->\n');
  });
});
