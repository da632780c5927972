#!/usr/bin/env node
// `nx run <project>:deploy [-- --image-tag=TAG --allowed-ip=CIDR --alert-email=ADDR --profile=NAME --timeout=20m --json]`
// (`infra:deploy` for hello-world): the last task of the chain <project>:deploy-registry →
// <service>:docker-push → <project>:deploy, from their reports to a serving URL
// (src/deploy/deploy-cli.ts → orchestrate.ts); with `--registry-only`, the
// <project>:deploy-registry task; with `--service-only --image-tag=TAG`, only the service stack
// (CI's deploy role). This file only wires the working directory's deployment, the real CDK CLI,
// the reports files, git and the AWS SDK clients to it.
import { createAwsClients, fetchCallerIp, probeUrl, systemClock } from '@hello-world/aws-ops';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildDeployCommands } from '../src/deploy-command';
import {
  readAssemblyRegion,
  readServiceTemplate,
  readTaskArchitecture,
  readTaskSecrets,
} from '../src/deploy/assembly';
import { runDeployCli, type DeployTarget, type StackToDeploy } from '../src/deploy/deploy-cli';
import { resolveClientCredentials } from '../src/deploy/preflight';
import {
  parsePushReportFile,
  parseRegistryReportFile,
  type RegistryReport,
} from '../src/deploy/push-report';
import type { StackParameters } from '../src/deploy/orchestrate';
import { readDeploymentOrExit } from '../src/deployment';
import { awsEnv, readGitSha } from '../src/deploy/cdk-process';
import { runToStderr } from '../src/deploy/run-to-stderr';
import { confirmOnTerminal } from '../src/deploy/terminal-confirm';

const workspaceRoot = join(__dirname, '..', '..', '..');
// The deployment is the working directory's (the target runs in its project directory).
const deployment = readDeploymentOrExit('deploy');
const { assemblyDir, names } = deployment;
const cdkCli = require.resolve('aws-cdk/bin/cdk');
/** <service>:docker-push's report (libs/image/src/push-report-file.ts writes it). */
const pushReportPath = join('dist', 'apps', names.service, 'image-push.json');
/** <project>:deploy-registry's report, the target's declared output. */
const registryReportPath = join(deployment.outputsDir, 'registry-deploy.json');

async function deployStack(
  target: DeployTarget,
  stack: StackToDeploy,
  parameters: StackParameters,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const [registryArgs, serviceArgs] = buildDeployCommands({
    assemblyDir,
    outputsDir: deployment.outputsDir,
    // The stack runDeployCli names, one of this deployment's two.
    registryStackName: stack.role === 'registry' ? stack.name : names.registryStack,
    serviceStackName: stack.role === 'service' ? stack.name : names.deployment,
    ...parameters,
    ...(target.profile ? { profile: target.profile } : {}),
    interactive: Boolean(process.stdin.isTTY),
  });
  const args = stack.role === 'registry' ? registryArgs : serviceArgs;
  const { code } = await runToStderr(process.execPath, [cdkCli, ...(args ?? [])], {
    cwd: workspaceRoot,
    env: awsEnv(target),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (options.signal?.aborted) {
    throw new Error(`cdk deploy ${stack.name} was stopped: the deploy outlasted --timeout`);
  }
  if (code !== 0) {
    throw new Error(
      `cdk deploy ${stack.name} failed (exit ${code}); the CDK output above says why`,
    );
  }
}

/** The build's sha tag as docker-push computes it (`--print-tag`: no engine, no AWS). */
async function currentImageTag({ allowDirty }: { allowDirty: boolean }): Promise<string> {
  const script = join(workspaceRoot, 'libs', 'image', 'src', 'docker-push.ts');
  const result = spawnSync(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      script,
      '--print-tag',
      `--project=${names.service}`,
      ...(allowDirty ? ['--allow-dirty'] : []),
    ],
    { cwd: workspaceRoot, env: process.env, encoding: 'utf8' },
  );
  const tag = result.stdout?.trim() ?? '';
  if (result.status !== 0 || !tag) {
    const why = (result.stderr ?? '').trim().split('\n').at(-1) || `exit ${result.status}`;
    throw new Error(`cannot compute the current image tag (${why})`);
  }
  return tag;
}

function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
void runDeployCli(process.argv.slice(2), {
  deployment,
  env: process.env,
  readAssemblyRegion: () =>
    readAssemblyRegion(assemblyDir, {
      serviceStackName: names.deployment,
      project: deployment.project,
      environment: deployment.names.environment,
    }),
  readTaskArchitecture: () =>
    readTaskArchitecture(assemblyDir, {
      serviceStackName: names.deployment,
      project: deployment.project,
      environment: deployment.names.environment,
    }),
  readTaskSecrets: () =>
    readTaskSecrets(assemblyDir, {
      serviceStackName: names.deployment,
      project: deployment.project,
      environment: deployment.names.environment,
    }),
  readServiceTemplate: () =>
    readServiceTemplate(assemblyDir, {
      serviceStackName: names.deployment,
      project: deployment.project,
      environment: deployment.names.environment,
    }),
  interactive: Boolean(process.stdin.isTTY),
  confirm: confirmOnTerminal,
  fetchText: (url) => fetch(url),
  createClients: (target) => createAwsClients(target),
  resolveCredentials: resolveClientCredentials,
  deployStack,
  pushReportFile: {
    path: pushReportPath,
    read: () => {
      const text = readIfPresent(join(workspaceRoot, pushReportPath));
      return text === undefined ? undefined : parsePushReportFile(text, pushReportPath, deployment);
    },
  },
  currentImageTag,
  takeRegistryReport: () => {
    const text = readIfPresent(registryReportPath);
    // Consumed: a later deploy without its own registry step never reports this one's time.
    rmSync(registryReportPath, { force: true });
    return text === undefined ? undefined : parseRegistryReportFile(text);
  },
  writeRegistryReport: (report: RegistryReport) => {
    mkdirSync(dirname(registryReportPath), { recursive: true });
    writeFileSync(registryReportPath, `${JSON.stringify(report, null, 2)}\n`);
  },
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
