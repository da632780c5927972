#!/usr/bin/env node
// CDK app entry (run by the CDK CLI through tsx, see cdk.json): reads the configuration once,
// validates it, and wires the stacks. A bad value ends synth with one line, not a stack trace.
import { SYNTH_SETTINGS_FILE } from '@hello-world/shared';
import { App } from 'aws-cdk-lib';
import { writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createStacks } from '../src/app';
import { loadCiConfig } from '../src/ci-config';
import { createCiStack } from '../src/ci-stack';
import { ConfigError, loadConfig, type InfraConfig } from '../src/config';
import { NoDeploymentError, readDeployment } from '../src/deployment';
import { recordSynthSettings } from '../src/synth-settings';
import {
  describeUnusedExemptions,
  readValidationReport,
  unusedExemptions,
} from '../src/control-tower';

/**
 * The deployment project the CDK CLI runs this app for (it starts it in the directory of the
 * cdk.json it read): errors start with its name (`infra: …`, `greeter-infra: …`). Without a
 * cdk.json the app synthesizes the defaults, hello-world's deployment: apps/infra.
 */
function deploymentProject(dir: string = process.cwd()): string {
  try {
    return readDeployment(dir).project;
  } catch (error) {
    if (error instanceof NoDeploymentError) return 'infra';
    // loadConfig below says what is wrong with it; the project is then the folder's name.
    if (error instanceof ConfigError) return basename(resolve(dir));
    throw error;
  }
}

const project = deploymentProject();
const app = new App();
let config: InfraConfig;
try {
  config = loadConfig((key) => app.node.tryGetContext(key), process.env);
  createStacks(app, config);
  // The GitHub OIDC stack only when a repository is named (`nx run <project>:deploy-ci`).
  const ci = loadCiConfig((key) => app.node.tryGetContext(key), process.env);
  if (ci) createCiStack(app, config, ci);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${project}: ${error.message}`);
  // 2: bad configuration, per the product's exit codes (1 is an operation that failed).
  process.exit(2);
}
// Synth runs cdk-nag and the AWS Control Tower controls on every stack; a finding fails it.
const assembly = app.synth();
// What these templates were made with, for <project>:cost to name and to check against.
writeFileSync(
  join(assembly.directory, SYNTH_SETTINGS_FILE),
  `${JSON.stringify(recordSynthSettings(config, process.env), null, 2)}\n`,
);
// An exemption that suppressed nothing would hide the next break of its control: say so, and fail.
const unused = unusedExemptions(
  readValidationReport(assembly.directory),
  config.controlTower,
  config.logRetentionDays,
  config.containerInsights,
);
for (const line of describeUnusedExemptions(unused)) console.error(`${project}: ${line}`);
if (unused.length > 0) process.exitCode = 1;
