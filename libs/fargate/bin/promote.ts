#!/usr/bin/env node
// `nx run <project>:promote -- --from=staging --to=production` (`infra:promote` for hello-world):
// deploys to the target environment the image the source environment runs, never building one
// (src/promote/promote-cli.ts → promote.ts). This file only wires the working directory's
// deployment, the synth target's script, the real CDK CLI, git and the AWS SDK clients to it.
import { createAwsClients, fetchCallerIp, probeUrl, systemClock } from '@hello-world/aws-ops';
import { ENVIRONMENT_VARIABLE } from '@hello-world/shared';
import { join } from 'node:path';
import { buildDeployCommands } from '../src/deploy-command';
import {
  readAssemblyRegion,
  readServiceTemplate,
  readTaskArchitecture,
  readTaskSecrets,
} from '../src/deploy/assembly';
import { resolveClientCredentials } from '../src/deploy/preflight';
import { readDeploymentOrExit } from '../src/deployment';
import { awsEnv, readGitSha } from '../src/deploy/cdk-process';
import { runPromoteCli } from '../src/promote/promote-cli';
import { runToStderr } from '../src/deploy/run-to-stderr';
import { confirmOnTerminal } from '../src/deploy/terminal-confirm';

const workspaceRoot = join(__dirname, '..', '..', '..');
// The project, service and port are every environment's; --from and --to name the two used, so
// neither --env nor DEPLOY_ENV chooses one here.
const deployment = readDeploymentOrExit('promote', { argv: [], env: {} });
const { project, names } = deployment;
const cdkCli = require.resolve('aws-cdk/bin/cdk');
const tsxCli = require.resolve('tsx/cli');

/** The target's own assembly, beside the synth target's (which stays the default environment's). */
function assemblyDirOf(environment: string): string {
  return join(deployment.outputsDir, `promote-${environment}.cdk.out`);
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
void runPromoteCli(process.argv.slice(2), {
  deployment,
  env: process.env,
  synthesize: async (environment, serviceStackName, signal) => {
    const assemblyDir = assemblyDirOf(environment);
    // The synth target's own script, in the environment DEPLOY_ENV names: its settings, its names.
    const { code } = await runToStderr(
      process.execPath,
      [tsxCli, join(workspaceRoot, 'libs', 'fargate', 'bin', 'synth.ts'), '--output', assemblyDir],
      {
        cwd: deployment.dir,
        env: { ...process.env, [ENVIRONMENT_VARIABLE]: environment },
        ...(signal ? { signal } : {}),
      },
    );
    if (code !== 0)
      throw new Error(`${project}:synth failed (exit ${code}); its output above says why`);
    const of = { serviceStackName, project };
    return {
      assemblyDir,
      region: readAssemblyRegion(assemblyDir, of),
      taskArchitecture: readTaskArchitecture(assemblyDir, of),
      secrets: readTaskSecrets(assemblyDir, of),
      serviceTemplate: readServiceTemplate(assemblyDir, of),
    };
  },
  interactive: Boolean(process.stdin.isTTY),
  confirm: confirmOnTerminal,
  createClients: (target) => createAwsClients(target),
  resolveCredentials: resolveClientCredentials,
  deployStack: async (target, stack, options = {}) => {
    const [, serviceArgs = []] = buildDeployCommands({
      assemblyDir: stack.assemblyDir,
      outputsDir: deployment.outputsDir,
      registryStackName: names.registryStack,
      serviceStackName: stack.serviceStackName,
      ...(stack.imageTag ? { imageTag: stack.imageTag } : {}),
      ...(stack.allowedIp ? { allowedIp: stack.allowedIp } : {}),
      ...(target.profile ? { profile: target.profile } : {}),
      interactive: Boolean(process.stdin.isTTY),
    });
    const { code } = await runToStderr(process.execPath, [cdkCli, ...serviceArgs], {
      cwd: workspaceRoot,
      env: awsEnv(target),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (options.signal?.aborted) {
      throw new Error(
        `cdk deploy ${stack.serviceStackName} was stopped: the promote outlasted --timeout`,
      );
    }
    if (code !== 0) {
      throw new Error(
        `cdk deploy ${stack.serviceStackName} failed (exit ${code}); the CDK output above says why`,
      );
    }
  },
  fetchText: (url) => fetch(url),
  gitSha: () => readGitSha(workspaceRoot),
  callerIp: () => fetchCallerIp(),
  probe: (url) => probeUrl(url),
  clock: systemClock,
  signal: controller.signal,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then((code) => {
  process.exitCode = code;
});
