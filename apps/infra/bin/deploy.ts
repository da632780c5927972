#!/usr/bin/env node
// `nx run infra:deploy [-- --image-tag=TAG --allowed-ip=CIDR --profile=NAME --json]`: the whole
// path from commit to a serving URL (src/deploy/orchestrate.ts). This file only wires the real
// CDK CLI, hello-world:docker-push, git and the AWS SDK clients to it.
import { createAwsClients, fetchCallerIp, probeUrl, systemClock } from '@hello-world/aws-ops';
import { DEPLOYMENT_NAME, REGISTRY_STACK_NAME } from '@hello-world/shared';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../src/config';
import { buildDeployCommands } from '../src/deploy-command';
import { DEPLOY_USAGE, parseDeployArgs, type DeployOptions } from '../src/deploy/deploy-args';
import { deployAndReport } from '../src/deploy/deploy-cli';
import { parsePushReport, type PushReport } from '../src/deploy/push-report';

const workspaceRoot = join(__dirname, '..', '..', '..');
const assemblyDir = join(workspaceRoot, 'dist', 'apps', 'infra', 'cdk.out');
const cdkCli = require.resolve('aws-cdk/bin/cdk');

/** The region the stacks were synthesized for, from the cloud assembly (the CLI deploys there). */
function readAssemblyRegion(): string {
  const manifestPath = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new ConfigError(`no cloud assembly at ${assemblyDir}: run \`npx nx run infra:synth\``);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    artifacts?: Record<string, { environment?: string }>;
  };
  const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(
    manifest.artifacts?.[DEPLOYMENT_NAME]?.environment ?? '',
  )?.[1];
  if (!region || region.startsWith('unknown')) {
    throw new ConfigError(
      `the cloud assembly names no region: set AWS_REGION and run \`npx nx run infra:synth\``,
    );
  }
  return region;
}

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

function awsEnv(region: string, profile: string | undefined): NodeJS.ProcessEnv {
  return { ...process.env, AWS_REGION: region, ...(profile ? { AWS_PROFILE: profile } : {}) };
}

async function deployStack(
  options: DeployOptions,
  region: string,
  stack: 'registry' | 'service',
  parameters: { imageTag?: string; allowedIp?: string },
): Promise<void> {
  const [registryArgs, serviceArgs] = buildDeployCommands({
    assemblyDir,
    outputsDir: join(workspaceRoot, 'dist', 'apps', 'infra'),
    registryStackName: REGISTRY_STACK_NAME,
    serviceStackName: DEPLOYMENT_NAME,
    ...parameters,
    ...(options.profile ? { profile: options.profile } : {}),
    interactive: Boolean(process.stdin.isTTY),
  });
  const args = stack === 'registry' ? registryArgs : serviceArgs;
  const { code } = await runToStderr(
    process.execPath,
    [cdkCli, ...(args ?? [])],
    awsEnv(region, options.profile),
  );
  if (code !== 0) {
    throw new Error(`cdk deploy ${args?.[1]} failed (exit ${code}); the CDK output above says why`);
  }
}

/**
 * hello-world:docker-push's own script, run here rather than as a dependsOn task so the registry
 * stack and the push each happen once, in order. Not through a nested Nx run: `nx run
 * infra:deploy` has already run the one dependency the script needs, hello-world:build.
 */
async function pushImage(options: DeployOptions, region: string): Promise<PushReport> {
  if (process.env['IMAGE_REGISTRY']) {
    throw new ConfigError(
      "IMAGE_REGISTRY is set, but the service pulls from the registry stack's ECR repository: unset it for infra:deploy",
    );
  }
  const { code, output } = await runToStderr(
    process.execPath,
    [require.resolve('tsx/cli'), join(workspaceRoot, 'tools', 'src', 'image', 'docker-push.ts')],
    awsEnv(region, options.profile),
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

async function main(): Promise<number> {
  let options: DeployOptions;
  let region: string;
  try {
    options = parseDeployArgs(process.argv.slice(2), process.env);
    if (options.help) {
      console.log(DEPLOY_USAGE);
      return 0;
    }
    region = readAssemblyRegion();
  } catch (error) {
    console.error(`infra:deploy: ${(error as Error).message.split('\n')[0]}`);
    return 2;
  }
  if (options.registryOnly) {
    // The registry stack exists for docker-push to push to; pushing elsewhere needs none.
    if (process.env['IMAGE_REGISTRY']) {
      console.error(
        `infra:deploy-registry: skipped, images go to IMAGE_REGISTRY=${process.env['IMAGE_REGISTRY']}`,
      );
      return 0;
    }
    try {
      await deployStack(options, region, 'registry', {});
      return 0;
    } catch (error) {
      console.error(`infra:deploy-registry: ${(error as Error).message}`);
      return 1;
    }
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return deployAndReport(
    {
      region,
      registryStackName: REGISTRY_STACK_NAME,
      serviceStackName: DEPLOYMENT_NAME,
      ...(options.imageTag ? { imageTag: options.imageTag } : {}),
      ...(options.allowedIp ? { allowedIp: options.allowedIp } : {}),
      timeoutMs: options.timeoutMs,
    },
    {
      clients: createAwsClients({
        region,
        ...(options.profile ? { profile: options.profile } : {}),
      }),
      deployStack: (stack, parameters) => deployStack(options, region, stack, parameters),
      pushImage: () => pushImage(options, region),
      gitSha,
      callerIp: () => fetchCallerIp(),
      probe: (url) => probeUrl(url),
      clock: systemClock,
      progress: (line) => process.stderr.write(`${line}\n`),
      signal: controller.signal,
    },
    {
      json: options.json,
      out: (text) => process.stdout.write(`${text}\n`),
      err: (text) => process.stderr.write(`${text}\n`),
    },
  );
}

void main().then((code) => {
  process.exitCode = code;
});
