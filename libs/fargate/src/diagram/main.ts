#!/usr/bin/env node
// `nx run infra:diagram`: draws docs/architecture.{svg,png,drawio} from the synthesized
// templates. `--check` writes nothing and exits 1 when the committed files are stale.
import { join, relative, resolve } from 'node:path';
import { AssemblyError, readCloudAssembly } from './cloud-assembly';
import { findStaleFiles, generateDiagram, writeFiles } from './generate';
import { layOut } from './layout';
import {
  DIAGRAM_USAGE,
  EXIT_FAILED,
  EXIT_USAGE,
  OptionsError,
  parseDiagramOptions,
} from './options';
import { FontMissingError } from './png';

const NAME = 'infra:diagram';
const workspaceRoot = join(__dirname, '..', '..', '..', '..');

async function main(): Promise<number> {
  const options = parseDiagramOptions(process.argv.slice(2));
  if (options.help) {
    console.log(DIAGRAM_USAGE);
    return 0;
  }
  const assemblyDir = resolve(workspaceRoot, options.assemblyDir);
  const outDir = resolve(workspaceRoot, options.outDir);
  const shown = (name: string) => relative(workspaceRoot, join(outDir, name));

  const files = await generateDiagram(readCloudAssembly(assemblyDir), layOut);
  if (options.check) {
    const stale = findStaleFiles(files, outDir);
    if (stale.length === 0) {
      console.log(`${NAME}: ${files.map((f) => shown(f.name)).join(', ')} match the templates.`);
      return 0;
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
    throw new OptionsError(`cannot write to ${outDir} (${code}): pass --out=<a directory>`);
  }
  console.log(`${NAME}: wrote ${files.map((f) => shown(f.name)).join(', ')}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Bad options, no or broken templates, a missing font: the caller's setup, fixed by the
    // next step in the message. Anything else is a bug: its first line, never a stack trace.
    const setup =
      error instanceof OptionsError ||
      error instanceof AssemblyError ||
      error instanceof FontMissingError;
    const message = setup ? (error as Error).message : String(error).split('\n')[0];
    console.error(`${NAME}: ${message}`);
    process.exitCode = setup ? EXIT_USAGE : EXIT_FAILED;
  },
);
