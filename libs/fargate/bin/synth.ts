// The synth target: `cdk synth --quiet --no-notices`, silent when it succeeds (see
// src/synth-output.ts), the CLI's whole output and exit code when it fails.
//   npx nx run <project>:synth [-- --env=NAME]   (infra:synth for hello-world; extra arguments
//   go to cdk synth)
import { spawn } from 'node:child_process';
import { readDeploymentOrExit } from '../src/deployment';
import { synthOutputToShow } from '../src/synth-output';

// The CDK CLI reads the working directory's cdk.json: check it names a deployment first.
const deployment = readDeploymentOrExit('synth');
const { project } = deployment;

// The environment: --env (forwarded along the deploy chain too), else DEPLOY_ENV; the CDK app
// reads it from DEPLOY_ENV. The rest of the command line goes to cdk synth.
const { names } = deployment;
const args = process.argv.slice(2).filter((arg, i, all) => {
  if (arg.startsWith('--env=') || arg === '--env') return false;
  return !(all[i - 1] === '--env');
});

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
  process.stderr.write(synthOutputToShow(output, exitCode));
  process.exitCode = exitCode;
});
