#!/usr/bin/env node
// `nx run infra:diagram`: draws docs/architecture.{svg,png,drawio} from the synthesized
// templates. `--check` writes nothing and exits 1 when the committed files are stale.
import { join, relative, resolve } from 'node:path';
import { EXIT_FAILED, EXIT_OK, readCli, runCli, UsageError } from '@hello-world/cli';
import { AssemblyError, readCloudAssembly } from './cloud-assembly';
import { findStaleFiles, generateDiagram, writeFiles } from './generate';
import { layOut } from './layout';
import { DIAGRAM_CLI, toDiagramOptions } from './options';
import { FontMissingError } from './png';

const NAME = DIAGRAM_CLI.name;
const workspaceRoot = join(__dirname, '..', '..', '..', '..');

/**
 * No or broken templates, a missing font, an --out that cannot be written: the caller's setup
 * (exit 2), fixed by the next step in the message. Anything else is a bug: exit 1, one line.
 */
async function asSetup<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AssemblyError || error instanceof FontMissingError)
      throw new UsageError(error.message);
    throw error;
  }
}

async function main(): Promise<number> {
  const options = toDiagramOptions(readCli(DIAGRAM_CLI));
  const assemblyDir = resolve(workspaceRoot, options.assemblyDir);
  const outDir = resolve(workspaceRoot, options.outDir);
  const shown = (name: string) => relative(workspaceRoot, join(outDir, name));

  const files = await asSetup(() => generateDiagram(readCloudAssembly(assemblyDir), layOut));
  if (options.check) {
    const stale = findStaleFiles(files, outDir);
    if (stale.length === 0) {
      console.log(`${NAME}: ${files.map((f) => shown(f.name)).join(', ')} match the templates.`);
      return EXIT_OK;
    }
    console.error(
      `${NAME}: ${stale.map(shown).join(', ')} no longer match the synthesized templates: run \`npx nx run infra:diagram\` and commit the result.`,
    );
    return EXIT_FAILED;
  }
  try {
    writeFiles(files, outDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    // --out is the caller's choice: not a directory, read-only or not theirs (ENOTDIR, EROFS, EACCES).
    throw new UsageError(`cannot write to ${outDir} (${code}): pass --out=<a directory>`);
  }
  console.log(`${NAME}: wrote ${files.map((f) => shown(f.name)).join(', ')}`);
  return EXIT_OK;
}

runCli(NAME, main);
