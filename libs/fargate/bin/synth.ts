// The synth target: `cdk synth --quiet --no-notices`, silent when it succeeds (see
// src/synth-output.ts), the CLI's whole output and exit code when it fails.
//   npx nx run <project>:synth   (infra:synth for hello-world; extra arguments go to cdk synth)
import { spawn } from 'node:child_process';
import { readDeploymentOrExit } from '../src/deployment';
import { synthOutputToShow } from '../src/synth-output';

// The CDK CLI reads the working directory's cdk.json: check it names a deployment first.
const { project } = readDeploymentOrExit('synth');

const cdk = require.resolve('aws-cdk/bin/cdk');
const child = spawn(
  process.execPath,
  [cdk, 'synth', '--quiet', '--no-notices', ...process.argv.slice(2)],
  {
    stdio: ['inherit', 'pipe', 'pipe'],
  },
);
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
