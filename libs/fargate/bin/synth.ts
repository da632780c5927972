// The synth target: `cdk synth --quiet --no-notices`, silent when it succeeds (see
// src/synth-output.ts), the CLI's whole output and exit code when it fails.
//   npx nx run <project>:synth [-- --env=NAME] [-c key=value ...]   (infra:synth for hello-world)
// CDK context goes to cdk synth; every other option is dropped: deploy, deploy-registry, diff,
// diagram and cost forward their own options here so that --env reaches synth (src/synth-args.ts).
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { readDeploymentOrExit } from '../src/deployment';
import { cdkSynthArgs } from '../src/synth-args';
import { synthOutputToShow } from '../src/synth-output';

// The CDK CLI reads the working directory's cdk.json: check it names a deployment first.
const deployment = readDeploymentOrExit('synth');
const { project } = deployment;

// The environment: --env (forwarded along the deploy chain too), else DEPLOY_ENV; the CDK app
// reads it from DEPLOY_ENV. Of the rest of the command line, only CDK context goes to cdk synth.
const { names } = deployment;
const args = cdkSynthArgs(process.argv.slice(2));

const cdk = require.resolve('aws-cdk/bin/cdk');
const child = spawn(process.execPath, [cdk, 'synth', '--quiet', '--no-notices', ...args], {
  stdio: ['inherit', 'pipe', 'pipe'],
  env: { ...process.env, DEPLOY_ENV: names.environment },
});
let output = '';
child.stdout.on('data', (chunk: Buffer) => (output += chunk));
child.stderr.on('data', (chunk: Buffer) => (output += chunk));
child.on('error', (error) => {
  process.stderr.write(`${project}:synth: cannot run the CDK CLI: ${error.message}\n`);
  process.exitCode = 1;
});
child.on('close', (code, signal) => {
  const exitCode = code ?? (signal ? 1 : 0);
  // Nx runs tasks with FORCE_COLOR, so the CLI colours its success lines: compare them plain.
  const shown = exitCode === 0 ? stripVTControlCharacters(output) : output;
  process.stderr.write(synthOutputToShow(shown, exitCode));
  process.exitCode = exitCode;
});
