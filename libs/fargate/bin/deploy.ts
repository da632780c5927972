#!/usr/bin/env node
// `nx run infra:deploy [-- --image-tag=TAG --allowed-ip=CIDR --profile=NAME --json]`: the whole
// path from commit to a serving URL (src/deploy/deploy-cli.ts → orchestrate.ts); with
// `--service-only --image-tag=TAG`, only the service stack (CI's deploy role). This file only
// wires the real CDK CLI, hello-world:docker-push, git and the AWS SDK clients to it.
import { createAwsClients, fetchCallerIp, probeUrl, systemClock } from '@hello-world/aws-ops';
import { DEPLOYMENT_NAME, REGISTRY_STACK_NAME } from '@hello-world/shared';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildDeployCommands } from '../src/deploy-command';
import { readAssemblyRegion } from '../src/deploy/assembly';
import { runDeployCli, type DeployTarget } from '../src/deploy/deploy-cli';
import { resolveClientCredentials } from '../src/deploy/preflight';
import { parsePushReport, type PushReport } from '../src/deploy/push-report';

const workspaceRoot = join(__dirname, '..', '..', '..');
const assemblyDir = join(workspaceRoot, 'dist', 'apps', 'infra', 'cdk.out');
const cdkCli = require.resolve('aws-cdk/bin/cdk');

/** Runs a child with its output on stderr (stdout is the receipt's) and returns what it printed. */
function runToStderr(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: workspaceRoot,
      env,
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    let output = '';
    const forward = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function awsEnv({ region, profile }: DeployTarget): NodeJS.ProcessEnv {
  return { ...process.env, AWS_REGION: region, ...(profile ? { AWS_PROFILE: profile } : {}) };
}

async function deployStack(
  target: DeployTarget,
  stack: 'registry' | 'service',
  parameters: { imageTag?: string; allowedIp?: string },
): Promise<void> {
  const [registryArgs, serviceArgs] = buildDeployCommands({
    assemblyDir,
    outputsDir: join(workspaceRoot, 'dist', 'apps', 'infra'),
    registryStackName: REGISTRY_STACK_NAME,
    serviceStackName: DEPLOYMENT_NAME,
    ...parameters,
    ...(target.profile ? { profile: target.profile } : {}),
    interactive: Boolean(process.stdin.isTTY),
  });
  const args = stack === 'registry' ? registryArgs : serviceArgs;
  const { code } = await runToStderr(process.execPath, [cdkCli, ...(args ?? [])], awsEnv(target));
  if (code !== 0) {
    throw new Error(`cdk deploy ${args?.[1]} failed (exit ${code}); the CDK output above says why`);
  }
}

/**
 * hello-world:docker-push's own script, run here rather than as a dependsOn task so the registry
 * stack and the push each happen once, in order. Not through a nested Nx run: `nx run
 * infra:deploy` has already run the one dependency the script needs, hello-world:build.
 */
async function pushImage(
  target: DeployTarget,
  { allowDirty }: { allowDirty: boolean },
): Promise<PushReport> {
  const script = join(workspaceRoot, 'libs', 'image', 'src', 'docker-push.ts');
  const { code, output } = await runToStderr(
    process.execPath,
    [require.resolve('tsx/cli'), script, ...(allowDirty ? ['--allow-dirty'] : [])],
    awsEnv(target),
  );
  const report = parsePushReport(output);
  if (code !== 0 || !report) {
    throw new Error(`hello-world:docker-push failed (exit ${code}); its output is above`);
  }
  return report;
}

async function gitSha(): Promise<string> {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: workspaceRoot, encoding: 'utf8' }).stdout?.trim() ?? '';
  const sha = git('rev-parse', 'HEAD') || 'unknown';
  return git('status', '--porcelain') ? `${sha}-dirty` : sha;
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
void runDeployCli(process.argv.slice(2), {
  env: process.env,
  readAssemblyRegion: () => readAssemblyRegion(assemblyDir),
  createClients: (target) => createAwsClients(target),
  resolveCredentials: resolveClientCredentials,
  deployStack,
  pushImage,
  gitSha,
  callerIp: () => fetchCallerIp(),
  probe: (url) => probeUrl(url),
  clock: systemClock,
  signal: controller.signal,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then((code) => {
  process.exitCode = code;
});
