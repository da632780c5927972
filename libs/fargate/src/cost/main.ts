#!/usr/bin/env node
// `nx run infra:cost [-- --json]`: the monthly estimate of the synthesized stacks; `--write-docs`
// puts it into docs/ARCHITECTURE.md, `--check-docs` fails when the copy there is stale.
import { join, resolve } from 'node:path';
import { AssemblyError, readCloudAssembly } from '../diagram/cloud-assembly';
import { estimateControlTowerOption } from './control-tower';
import { estimateMonthlyCost, UnpricedResourceError } from './estimate';
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { replaceSection } from '@hello-world/cli';
import { DOCS_SECTION, formatEstimate, formatMarkdown } from './format';
import { EXIT_FAILED, EXIT_USAGE } from '../diagram/options';
import { OptionsError, parseCostOptions, USAGE } from './options';
import {
  checkSynthSettings,
  describePricedConfiguration,
  readSynthSettings,
} from './synth-settings';

const NAME = 'infra:cost';
const workspaceRoot = join(__dirname, '..', '..', '..', '..');
const ARCHITECTURE_DOC = join('docs', 'ARCHITECTURE.md');

/** Rewrites (or checks) the estimate's section of docs/ARCHITECTURE.md, formatted as `format:check` expects. */
async function updateDocs(section: string, check: boolean): Promise<number> {
  const doc = join(workspaceRoot, ARCHITECTURE_DOC);
  const current = readFileSync(doc, 'utf8');
  const updated = await format(replaceSection(current, DOCS_SECTION, section), {
    ...(await resolveConfig(doc)),
    filepath: doc,
  });
  if (check) {
    if (updated === current) {
      console.log(`${NAME}: the estimate in ${ARCHITECTURE_DOC} matches the synthesized templates`);
      return 0;
    }
    console.error(
      `${NAME}: the estimate in ${ARCHITECTURE_DOC} no longer matches the synthesized templates: run \`npx nx run infra:cost -- --write-docs\` and commit it.`,
    );
    return EXIT_FAILED;
  }
  writeFileSync(doc, updated);
  console.log(`${NAME}: wrote the estimate into ${ARCHITECTURE_DOC}`);
  return 0;
}

async function main(): Promise<number> {
  try {
    const options = parseCostOptions(process.argv.slice(2));
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    const assemblyDir = resolve(workspaceRoot, options.assemblyDir);
    const assembly = readCloudAssembly(assemblyDir);
    // Stale templates (synthesized with other TASK_CPU, CONTROL_TOWER, …) are refused, not priced.
    const recorded = readSynthSettings(assemblyDir);
    if (recorded) checkSynthSettings(recorded, process.env);
    const estimate = estimateMonthlyCost(assembly, options.assumptions);
    // What the AWS Control Tower option would add; undefined when these templates have it on.
    const option = estimateControlTowerOption(assembly, options.assumptions);
    if (options.writeDocs || options.checkDocs)
      return await updateDocs(formatMarkdown(estimate, option), options.checkDocs);
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ ...estimate, controlTowerOption: option ?? null, configuration: recorded?.settings ?? null }, null, 2)}\n`
        : `${describePricedConfiguration(recorded)}\n${formatEstimate(estimate, option)}`,
    );
    return 0;
  } catch (error) {
    // Bad options and no (or broken) templates are the caller's setup: exit 2 with the next
    // step. An unpriced resource is a failed estimate: exit 1, as is anything unexpected.
    if (error instanceof OptionsError || error instanceof AssemblyError) {
      console.error(`${NAME}: ${error.message}`);
      return EXIT_USAGE;
    }
    const known = error instanceof UnpricedResourceError;
    console.error(`${NAME}: ${known ? error.message : String(error).split('\n')[0]}`);
    return EXIT_FAILED;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
