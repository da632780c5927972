import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findStaleFiles, writeFiles, type GeneratedFile } from './generate';

const files: GeneratedFile[] = [
  { name: 'architecture.svg', content: Buffer.from('<svg/>') },
  { name: 'architecture.drawio', content: Buffer.from('<mxfile/>') },
];

describe('findStaleFiles', () => {
  it('GIVEN files just written WHEN checked THEN none is stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diagram-'));
    writeFiles(files, dir);

    expect(findStaleFiles(files, dir)).toEqual([]);
    expect(readFileSync(join(dir, 'architecture.svg'), 'utf8')).toBe('<svg/>');
  });

  it('GIVEN a committed file that differs by one byte WHEN checked THEN it is stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diagram-'));
    writeFiles(files, dir);
    writeFileSync(join(dir, 'architecture.svg'), '<svg />');

    expect(findStaleFiles(files, dir)).toEqual(['architecture.svg']);
  });

  it('GIVEN a missing file WHEN checked THEN it is stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diagram-'));
    writeFiles(files.slice(0, 1), dir);

    expect(findStaleFiles(files, dir)).toEqual(['architecture.drawio']);
  });
});
