#!/usr/bin/env node
// `nx run infra:diagram`: draws docs/architecture.{svg,png,drawio} from the synthesized
// templates. `--check` writes nothing and exits 1 when the committed files are stale. Another
// deployment's (`nx run greeter-infra:diagram`) goes to dist/<its root>/diagram unless --out says
// otherwise: docs/ is hello-world's.
import { join, relative, resolve } from 'node:path';
import { asUsageError, EXIT_FAILED, EXIT_OK, readCli, runCli, UsageError } from '@hello-world/cli';
import { readDeploymentOrExit } from '../deployment';
import { AssemblyError, checkAssemblyEnvironment, readCloudAssembly } from './cloud-assembly';
import { findStaleFiles, generateDiagram, writeFiles } from './generate';
import { layOut } from './layout';
import { DOCS_OUT_DIR, defaultDiagramOut, diagramCli, toDiagramOptions } from './options';
import { nxRunStep } from '../local/next-step';
import { FontMissingError } from './png';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');
// The deployment drawn is the working directory's (the target runs in its project directory), in
// the environment --env names, else DEPLOY_ENV, else the default.
const deployment = readDeploymentOrExit('diagram');
const { names } = deployment;
const defaultOut = defaultDiagramOut(deployment, workspaceRoot);
const DIAGRAM_CLI = diagramCli(deployment.project, defaultOut);
const NAME = DIAGRAM_CLI.name;

async function main(): Promise<number> {
  const options = toDiagramOptions(readCli(DIAGRAM_CLI));
  const assemblyDir =
    options.assemblyDir === undefined
      ? deployment.assemblyDir
      : resolve(workspaceRoot, options.assemblyDir);
  const outDir = resolve(workspaceRoot, options.outDir ?? defaultOut);
  const shown = (name: string) => relative(workspaceRoot, join(outDir, name));

  // No or broken templates, a missing font: the caller's setup (exit 2), fixed by the next step
  // in the message. Anything else is a bug: exit 1, one line.
  const files = await asUsageError(() => {
    const assembly = readCloudAssembly(assemblyDir, deployment.project, names.environment);
    // Synth leaves other environments' templates behind; its manifest says whose these are.
    checkAssemblyEnvironment(
      assembly.stacks.map((stack) => stack.name),
      names,
      deployment.project,
    );
    return generateDiagram(assembly, layOut);
  }, [AssemblyError, FontMissingError]);
  if (options.check) {
    const stale = findStaleFiles(files, outDir);
    if (stale.length === 0) {
      console.log(`${NAME}: ${files.map((f) => shown(f.name)).join(', ')} match the templates.`);
      return EXIT_OK;
    }
    console.error(
      `${NAME}: ${stale.map(shown).join(', ')} no longer match the synthesized templates: run \`${nxRunStep(deployment.project, 'diagram', names.environment)}\`${outDir === resolve(workspaceRoot, DOCS_OUT_DIR) ? ' and commit the result' : ' to draw them again'}.`,
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
