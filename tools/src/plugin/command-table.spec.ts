import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LOCAL_COMMANDS_FILE,
  OPS_COMMANDS_FILE,
  readCommandTables,
  OPS_DESCRIPTIONS,
  readStringTable,
} from './plugin';

const WORKSPACE = join(__dirname, '..', '..', '..');

/** The CLI modules as the CLIs load them (a path, so tools does not depend on fargate's types). */
function loadCli(file: string): Record<string, unknown> {
  return require(join(WORKSPACE, file)) as Record<string, unknown>;
}

describe('readStringTable', () => {
  it('GIVEN a table on several lines THEN reads its names in order', () => {
    const source = `export const COMMANDS = [\n  'status',\n  'url',\n] as const;\n`;
    expect(readStringTable(source, 'COMMANDS', 'args.ts')).toEqual(['status', 'url']);
  });

  it('GIVEN a table built from something other than literals THEN refuses it in one line naming the file', () => {
    const source = `export const COMMANDS = [...BASE, 'url'] as const;`;
    expect(() => readStringTable(source, 'COMMANDS', 'libs/x/args.ts')).toThrow(
      /^libs\/x\/args\.ts has no `export const COMMANDS = \['command', …\] as const` of plain command names: the Nx plugin tools\/src\/plugin infers its targets from that table$/,
    );
  });

  it('GIVEN no such table THEN refuses it', () => {
    expect(() => readStringTable('export const OTHER = [] as const;', 'COMMANDS', 'a.ts')).toThrow(
      /a\.ts has no `export const COMMANDS/,
    );
  });
});

describe('readCommandTables on the real CLIs', () => {
  const tables = readCommandTables(
    readFileSync(join(WORKSPACE, OPS_COMMANDS_FILE), 'utf8'),
    readFileSync(join(WORKSPACE, LOCAL_COMMANDS_FILE), 'utf8'),
  );

  it('GIVEN the ops CLI THEN the table read from its source is the COMMANDS it runs', () => {
    expect(tables.ops).toEqual([...(loadCli(OPS_COMMANDS_FILE)['COMMANDS'] as string[])]);
  });

  it('GIVEN the local CLI THEN the table read from its source is the LOCAL_COMMANDS it runs', () => {
    expect(tables.local).toEqual([...(loadCli(LOCAL_COMMANDS_FILE)['LOCAL_COMMANDS'] as string[])]);
  });

  it('GIVEN every ops command THEN the plugin has its description, and none for a command that is gone', () => {
    expect(Object.keys(OPS_DESCRIPTIONS).sort()).toEqual([...tables.ops].sort());
  });
});
