#!/usr/bin/env node
// `nx run infra:deploy [--image-tag=TAG] [--allowed-ip=CIDR] [--profile=NAME]`: deploys the
// synthesized registry stack, then the service stack, through the CDK CLI. Thin on purpose:
// the commands come from src/deploy-command.ts.
import { REGISTRY_STACK_NAME, DEPLOYMENT_NAME } from '@hello-world/shared';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/config';
import { buildDeployCommands, readParameterOverrides } from '../src/deploy-command';

const workspaceRoot = join(__dirname, '..', '..', '..');
const cdkCli = require.resolve('aws-cdk/bin/cdk');

function main(): number {
  let values: { 'image-tag'?: string; 'allowed-ip'?: string; profile?: string };
  let overrides: { imageTag?: string; allowedIp?: string };
  try {
    ({ values } = parseArgs({
      options: {
        'image-tag': { type: 'string' },
        'allowed-ip': { type: 'string' },
        profile: { type: 'string' },
      },
    }));
    overrides = readParameterOverrides(values, process.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`infra:deploy: ${message}`);
    if (!(error instanceof ConfigError)) {
      console.error('infra:deploy: options are --image-tag=TAG --allowed-ip=CIDR --profile=NAME');
    }
    return 2;
  }

  const commands = buildDeployCommands({
    assemblyDir: join(workspaceRoot, 'dist', 'apps', 'infra', 'cdk.out'),
    outputsDir: join(workspaceRoot, 'dist', 'apps', 'infra'),
    registryStackName: REGISTRY_STACK_NAME,
    serviceStackName: DEPLOYMENT_NAME,
    ...overrides,
    profile: values.profile,
    interactive: Boolean(process.stdin.isTTY),
  });
  for (const args of commands) {
    const run = spawnSync(process.execPath, [cdkCli, ...args], { stdio: 'inherit' });
    if (run.status !== 0) {
      console.error(
        `infra:deploy: cdk ${args.slice(0, 2).join(' ')} failed; see the CDK output above (credentials and region: \`nx run infra:doctor\`).`,
      );
      return run.status ?? 1;
    }
  }
  return 0;
}

process.exitCode = main();
