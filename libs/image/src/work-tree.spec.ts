import { hashDirtyFiles, parsePorcelainPaths } from './work-tree';

describe('parsePorcelainPaths', () => {
  it('lists modified, untracked and both sides of a renamed path', () => {
    // GIVEN git status -z output with a modification, a rename and an untracked file
    const output =
      ' M apps/hello-world/src/app.ts\0R  libs/shared/src/b.ts\0libs/shared/src/a.ts\0?? apps/hello-world/src/new.ts\0';
    // WHEN parsed THEN every touched path is listed
    expect(parsePorcelainPaths(output)).toEqual([
      'apps/hello-world/src/app.ts',
      'libs/shared/src/b.ts',
      'libs/shared/src/a.ts',
      'apps/hello-world/src/new.ts',
    ]);
  });

  it('lists nothing for a clean tree', () => {
    expect(parsePorcelainPaths('')).toEqual([]);
  });
});

describe('hashDirtyFiles', () => {
  const app = { path: 'apps/hello-world/src/app.ts', content: Buffer.from('a') };

  it('gives the same hash for the same content in any order', () => {
    const gone = { path: 'libs/shared/src/a.ts', content: null };
    expect(hashDirtyFiles([app, gone])).toBe(hashDirtyFiles([gone, app]));
  });

  it('gives another hash when the content changes', () => {
    expect(hashDirtyFiles([app])).not.toBe(hashDirtyFiles([{ ...app, content: Buffer.from('b') }]));
  });

  it('tells a deleted file from an empty one', () => {
    expect(hashDirtyFiles([{ ...app, content: null }])).not.toBe(
      hashDirtyFiles([{ ...app, content: Buffer.alloc(0) }]),
    );
  });
});
