#!/usr/bin/env node
// CDK app entry (run by the CDK CLI through tsx, see cdk.json): reads the configuration once,
// validates it, and wires the stacks. A bad value ends synth with one line, not a stack trace.
import { App } from 'aws-cdk-lib';
import { createStacks } from '../src/app';
import { loadCiConfig } from '../src/ci-config';
import { createCiStack } from '../src/ci-stack';
import { ConfigError, loadConfig } from '../src/config';

const app = new App();
try {
  const config = loadConfig((key) => app.node.tryGetContext(key), process.env);
  createStacks(app, config);
  // The GitHub OIDC stack only when a repository is named (`nx run infra:deploy-ci`).
  const ci = loadCiConfig((key) => app.node.tryGetContext(key), process.env);
  if (ci) createCiStack(app, config, ci);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`infra: ${error.message}`);
  // 2: bad configuration, per the product's exit codes (1 is an operation that failed).
  process.exit(2);
}
app.synth();
