#!/usr/bin/env node
// `nx run infra:diagram`: draws docs/architecture.{svg,png,drawio} from the synthesized
// templates. `--check` writes nothing and exits 1 when the committed files are stale.
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AssemblyError, DEFAULT_ASSEMBLY_DIR, readCloudAssembly } from './cloud-assembly';
import { findStaleFiles, generateDiagram, writeFiles } from './generate';
import { layOut } from './layout';
import { FontMissingError } from './png';

const NAME = 'infra:diagram';
const USAGE = `usage: ${NAME} [--check] [--assembly DIR (default ${DEFAULT_ASSEMBLY_DIR})] [--out DIR (default docs)]`;
const workspaceRoot = join(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  let values: { check?: boolean; assembly?: string; out?: string };
  try {
    ({ values } = parseArgs({
      options: {
        check: { type: 'boolean' },
        assembly: { type: 'string' },
        out: { type: 'string' },
      },
    }));
  } catch (error) {
    console.error(`${NAME}: ${(error as Error).message.split('\n')[0]}\n${USAGE}`);
    return 2;
  }
  const assemblyDir = resolve(workspaceRoot, values.assembly ?? DEFAULT_ASSEMBLY_DIR);
  const outDir = resolve(workspaceRoot, values.out ?? 'docs');
  const shown = (name: string) => relative(workspaceRoot, join(outDir, name));

  const files = await generateDiagram(readCloudAssembly(assemblyDir), layOut);
  if (values.check) {
    const stale = findStaleFiles(files, outDir);
    if (stale.length === 0) {
      console.log(`${NAME}: ${files.map((f) => shown(f.name)).join(', ')} match the templates.`);
      return 0;
    }
    console.error(
      `${NAME}: ${stale.map(shown).join(', ')} no longer match the synthesized templates: run \`npx nx run infra:diagram\` and commit the result.`,
    );
    return 1;
  }
  writeFiles(files, outDir);
  console.log(`${NAME}: wrote ${files.map((f) => shown(f.name)).join(', ')}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof AssemblyError || error instanceof FontMissingError;
    console.error(`${NAME}: ${known ? (error as Error).message : String(error)}`);
    process.exitCode = 1;
  },
);
