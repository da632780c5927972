#!/usr/bin/env node
// `nx run <project>:diff [-- --profile=NAME]` (`infra:diff` for hello-world): what
// `<project>:deploy` would change (src/deploy/diff-cli.ts).
// This file only wires the assembly, the SDK's credential chain and the CDK CLI to it.
import { createAwsClients } from '@hello-world/aws-ops';
import { spawn } from 'node:child_process';
import { readAssemblyRegion } from '../src/deploy/assembly';
import { runDiffCli } from '../src/deploy/diff-cli';
import { resolveClientCredentials } from '../src/deploy/preflight';
import { readDeploymentOrExit } from '../src/deployment';

// The deployment is the working directory's (the target runs in its project directory).
const deployment = readDeploymentOrExit('diff');
const { assemblyDir } = deployment;

void runDiffCli(process.argv.slice(2), {
  project: deployment.project,
  env: process.env,
  readAssemblyRegion: () =>
    readAssemblyRegion(assemblyDir, {
      serviceStackName: deployment.names.deployment,
      project: deployment.project,
      environment: deployment.names.environment,
    }),
  resolveCredentials: (target) => resolveClientCredentials(createAwsClients(target)),
  runCdkDiff: (target) =>
    new Promise((resolve, reject) => {
      const args = [require.resolve('aws-cdk/bin/cdk'), 'diff', '--app', assemblyDir];
      if (target.profile) args.push('--profile', target.profile);
      spawn(process.execPath, [...args, '--no-notices'], {
        cwd: deployment.dir,
        stdio: 'inherit',
        env: { ...process.env, AWS_REGION: target.region },
      })
        .on('error', reject)
        .on('close', (code) => resolve(code ?? 1));
    }),
  out: (text) => console.log(text),
  err: (text) => console.error(text),
}).then((code) => {
  process.exitCode = code;
});
