#!/usr/bin/env node
// `nx run infra:cost [-- --json]`: the monthly estimate of the synthesized stacks; `--write-docs`
// puts it into docs/ARCHITECTURE.md, `--check-docs` fails when the copy there is stale. The docs
// are hello-world's: another deployment (`nx run greeter-infra:cost`) prints its estimate only.
import { join, resolve } from 'node:path';
import {
  AssemblyError,
  checkAssemblyEnvironment,
  readCloudAssembly,
} from '../diagram/cloud-assembly';
import { readDeploymentOrExit } from '../deployment';
import { estimateControlTowerOption } from './control-tower';
import { describePricedStacks, pricedStacksOf } from './environment-stacks';
import { estimateMonthlyCost } from './estimate';
import {
  asUsageError,
  EXIT_FAILED,
  EXIT_OK,
  readCli,
  renderDocSection,
  runCli,
  writeDocSection,
} from '@hello-world/cli';
import { DOCS_SECTION, formatEstimate, formatMarkdown } from './format';
import { checkDocsAreTheDeployments, costCli, toCostOptions } from './options';
import {
  checkSynthSettings,
  describePricedConfiguration,
  readSynthSettings,
} from './synth-settings';

// The deployment priced is the working directory's (the target runs in its project directory), in
// the environment --env names, else DEPLOY_ENV, else the default.
const deployment = readDeploymentOrExit('cost');
const { names } = deployment;
const COST_CLI = costCli(deployment.project);
const NAME = COST_CLI.name;
const workspaceRoot = join(__dirname, '..', '..', '..', '..');
const ARCHITECTURE_DOC = join('docs', 'ARCHITECTURE.md');

/** Rewrites (or checks) the estimate's section of docs/ARCHITECTURE.md, formatted as `format:check` expects. */
async function updateDocs(section: string, check: boolean): Promise<number> {
  const doc = join(workspaceRoot, ARCHITECTURE_DOC);
  if (check) {
    const { current, updated } = await renderDocSection(doc, DOCS_SECTION, section);
    if (updated === current) {
      console.log(`${NAME}: the estimate in ${ARCHITECTURE_DOC} matches the synthesized templates`);
      return EXIT_OK;
    }
    console.error(
      `${NAME}: the estimate in ${ARCHITECTURE_DOC} no longer matches the synthesized templates: run \`npx nx run ${deployment.project}:cost -- --write-docs\` and commit it.`,
    );
    return EXIT_FAILED;
  }
  await writeDocSection(doc, DOCS_SECTION, section);
  console.log(`${NAME}: wrote the estimate into ${ARCHITECTURE_DOC}`);
  return EXIT_OK;
}

// An unpriced resource is a failed estimate (exit 1), as is anything unexpected.
async function main(): Promise<number> {
  const options = toCostOptions(readCli(COST_CLI));
  // Only hello-world's estimate is in the docs: refused before anything is read.
  checkDocsAreTheDeployments(options, names);
  const assemblyDir =
    options.assemblyDir === undefined
      ? deployment.assemblyDir
      : resolve(workspaceRoot, options.assemblyDir);
  // No, broken or stale templates (another environment's, or synthesized with other TASK_CPU,
  // CONTROL_TOWER, …) are the caller's setup: refused with the next step, exit 2, not priced.
  const { assembly, recorded } = await asUsageError(() => {
    const assembly = readCloudAssembly(assemblyDir, deployment.project, names.environment);
    checkAssemblyEnvironment(
      assembly.stacks.map((stack) => stack.name),
      names,
      deployment.project,
    );
    const recorded = readSynthSettings(assemblyDir);
    if (recorded) checkSynthSettings(recorded, process.env, deployment.project, names.environment);
    return { assembly, recorded };
  }, [AssemblyError]);
  const priced = pricedStacksOf(assembly, names);
  const estimate = estimateMonthlyCost(priced.assembly, options.assumptions);
  // What the AWS Control Tower option would add; undefined when these templates have it on.
  const option = estimateControlTowerOption(priced.assembly, options.assumptions);
  if (options.writeDocs || options.checkDocs)
    return updateDocs(formatMarkdown(estimate, option), options.checkDocs);
  if (options.json) {
    // environment and monthlyTotal first: what a pull-request comment or a script reads.
    const json = {
      environment: names.environment,
      monthlyTotal: estimate.total,
      stacks: priced.stacks,
      sharedStacks: priced.shared,
      ...estimate,
      controlTowerOption: option ?? null,
      configuration: recorded?.settings ?? null,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT_OK;
  }
  const stacksLine = describePricedStacks(priced, names.environment);
  process.stdout.write(
    `${describePricedConfiguration(recorded)}\n${stacksLine ? `${stacksLine}\n` : ''}${formatEstimate(estimate, option)}`,
  );
  return EXIT_OK;
}

runCli(NAME, main);
