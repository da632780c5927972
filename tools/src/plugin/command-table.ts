// The command tables the CLIs already have, read as data. The plugin runs inside Nx under Node's
// own type stripping, which cannot load the CLIs' modules (their imports are extensionless, and
// the ops CLI pulls in the AWS SDK: seconds on every graph computation). So the table is read
// from the CLI's source text: a plain `export const NAME = ['a', 'b'] as const` literal.
// command-table.spec.ts checks the result against the real modules, so the two cannot drift.

/** Where each table lives, relative to the workspace root. */
export const OPS_COMMANDS_FILE = 'libs/fargate/src/ops/args.ts';
export const LOCAL_COMMANDS_FILE = 'libs/fargate/src/local/local-args.ts';

/** The commands the ops CLI runs (`COMMANDS`) and those its local twin runs (`LOCAL_COMMANDS`). */
export interface CommandTables {
  ops: readonly string[];
  local: readonly string[];
}

/**
 * The string literals of `export const <name> = [ ... ] as const` in `source`. Throws one line
 * naming the file and the constant when the table is missing or holds anything but strings.
 */
export function readStringTable(source: string, name: string, file: string): string[] {
  const match = new RegExp(`export const ${name}\\s*=\\s*\\[([^\\]]*)\\]\\s*as const`).exec(source);
  const body = match?.[1];
  const items = body
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const strings = items?.map((item) => /^'([a-z][a-z0-9-]*)'$/.exec(item)?.[1]);
  if (!strings || strings.length === 0 || strings.some((item) => item === undefined)) {
    throw new Error(
      `${file} has no \`export const ${name} = ['command', …] as const\` of plain command names: the Nx plugin tools/src/plugin infers its targets from that table`,
    );
  }
  return strings as string[];
}

/** Both tables, from the two CLIs' sources. */
export function readCommandTables(opsSource: string, localSource: string): CommandTables {
  return {
    ops: readStringTable(opsSource, 'COMMANDS', OPS_COMMANDS_FILE),
    local: readStringTable(localSource, 'LOCAL_COMMANDS', LOCAL_COMMANDS_FILE),
  };
}
