#!/usr/bin/env node
// `nx run infra:deploy-ci [--repo=owner/name] [--environment=production]
//  [--oidc-provider-arn=ARN] [--profile=NAME]`: deploys the optional GitHub OIDC stack with your
// own credentials, once, and prints the repository variable to add. Thin on purpose: the
// command and the message come from src/ci-deploy-command.ts.
import { CI_STACK_NAME } from '@hello-world/shared';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCiDeployCommand, chooseRepository, formatNextSteps } from '../src/ci-deploy-command';
import { loadCiConfig } from '../src/ci-config';
import { ConfigError } from '../src/config';

const workspaceRoot = join(__dirname, '..', '..', '..');
const cdkCli = require.resolve('aws-cdk/bin/cdk');
const outputsFile = join(workspaceRoot, 'dist', 'apps', 'infra', `${CI_STACK_NAME}.outputs.json`);

function readOrigin(): string | undefined {
  const git = spawnSync('git', ['config', '--get', 'remote.origin.url'], { encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : undefined;
}

function main(): number {
  let request;
  try {
    const { values } = parseArgs({
      options: {
        repo: { type: 'string' },
        environment: { type: 'string' },
        'oidc-provider-arn': { type: 'string' },
        profile: { type: 'string' },
      },
    });
    const repository = chooseRepository(values.repo, readOrigin());
    // Validate here with the same rules as synth, so a typo costs no CloudFormation round trip.
    const settings = {
      githubRepository: repository,
      githubEnvironment: values.environment,
      githubOidcProviderArn: values['oidc-provider-arn'],
    } as Record<string, string | undefined>;
    const ci = loadCiConfig((key) => settings[key], {});
    request = {
      stackName: CI_STACK_NAME,
      repository: ci?.repository ?? repository,
      environment: ci?.environment,
      oidcProviderArn: ci?.oidcProviderArn,
      profile: values.profile,
      assemblyDir: join(workspaceRoot, 'dist', 'apps', 'infra', 'cdk-ci.out'),
      outputsFile,
      interactive: Boolean(process.stdin.isTTY),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`infra:deploy-ci: ${message}`);
    if (!(error instanceof ConfigError)) {
      console.error(
        'infra:deploy-ci: options are --repo=owner/name --environment=NAME --oidc-provider-arn=ARN --profile=NAME',
      );
    }
    return 2;
  }

  const args = buildCiDeployCommand(request);
  const run = spawnSync(process.execPath, [cdkCli, ...args], {
    stdio: 'inherit',
    cwd: join(workspaceRoot, 'apps', 'infra'),
  });
  if (run.status !== 0) {
    console.error(
      'infra:deploy-ci: cdk deploy failed; see the CDK output above. If the account already has a ' +
        'GitHub OIDC provider, pass --oidc-provider-arn=arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
    );
    return run.status ?? 1;
  }
  const outputs = existsSync(outputsFile) ? JSON.parse(readFileSync(outputsFile, 'utf8')) : {};
  console.log(formatNextSteps(outputs, CI_STACK_NAME, request.repository));
  return 0;
}

process.exitCode = main();
