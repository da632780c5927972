#!/usr/bin/env node
// `nx run <project>:deploy-ci [--repo=owner/name] [--environment=production]
//  [--environments=staging,production,preview] [--oidc-provider-arn=ARN] [--profile=NAME]`:
// deploys with your own credentials the registry stack, the GitHub OIDC stack, and per CI
// environment its task roles stack (for previews, the previews' stack: their own repository and
// task roles) and its deploy role's stack; prints the variables to set and the GitHub settings. Wiring only: parsing, validation, the plan, the commands and the message
// come from src/ci-deploy-command.ts.
import { createAwsClients, readAwsTarget } from '@hello-world/aws-ops';
import { RELEASE_TAG_GLOB } from '@hello-world/shared';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CI_ENVIRONMENTS } from '../src/ci-config';
import {
  buildCiDeployCommand,
  ciDeployUsage,
  formatNextSteps,
  parseCiDeployArgs,
  planCiDeploy,
  type CiDeployArgs,
} from '../src/ci-deploy-command';
import { MAIN_BRANCH } from '../src/ci-stack';
import { ConfigError } from '../src/config';
import { findCredentialsProblem, resolveClientCredentials } from '../src/deploy/preflight';
import { readDeploymentOrExit } from '../src/deployment';

// The deployment is the working directory's (the target runs in its project directory).
const deployment = readDeploymentOrExit('deploy-ci');
const { names } = deployment;
const NAME = `${deployment.project}:deploy-ci`;
const cdkCli = require.resolve('aws-cdk/bin/cdk');

function readOrigin(): string | undefined {
  const git = spawnSync('git', ['config', '--get', 'remote.origin.url'], { encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : undefined;
}

async function main(): Promise<number> {
  let args: CiDeployArgs;
  try {
    args = parseCiDeployArgs(process.argv.slice(2), readOrigin);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${NAME}: ${error.message}`);
    return 2;
  }
  if (args.help) {
    console.log(ciDeployUsage(deployment.project, names));
    return 0;
  }

  // Credentials first, as <project>:deploy does: otherwise CDK's "Unable to resolve AWS account"
  // comes with our OIDC-provider hint, which has nothing to do with it.
  let target;
  try {
    target = readAwsTarget(args.profile ? { profile: args.profile } : {}, process.env);
  } catch (error) {
    console.error(`${NAME}: ${(error as Error).message}`);
    return 2;
  }
  const clients = createAwsClients(target);
  const problem = await findCredentialsProblem(() => resolveClientCredentials(clients), {
    ...target,
    project: deployment.project,
  });
  if (problem) {
    console.error(`${NAME}: ${problem.message}`);
    return 2;
  }

  const ciEnvironments = args.ci.environments ?? DEFAULT_CI_ENVIRONMENTS;
  const steps = planCiDeploy(names.service, ciEnvironments);
  const outputs: Record<string, Record<string, string>> = {};
  for (const step of steps) {
    // One synth per environment: its roles stack (the previews' stack) is only in its own assembly.
    const suffix = step.ciEnvironment ? `-${step.ciEnvironment}` : '';
    const outputsFile = join(deployment.outputsDir, `${names.ciStack}${suffix}.outputs.json`);
    const request = {
      stackNames: step.stackNames,
      repository: args.ci.repository,
      environment: args.ci.environment,
      environments: ciEnvironments,
      deployEnvironment: step.deployEnvironment,
      oidcProviderArn: args.ci.oidcProviderArn,
      profile: args.profile,
      assemblyDir: join(deployment.outputsDir, `cdk-ci${suffix}.out`),
      outputsFile,
      interactive: Boolean(process.stdin.isTTY),
    };
    const run = spawnSync(process.execPath, [cdkCli, ...buildCiDeployCommand(request)], {
      stdio: 'inherit',
      cwd: deployment.dir,
    });
    if (run.status !== 0) {
      const hint = step.ciEnvironment
        ? `deploying ${step.stackNames.join(' and ')} (CI environment ${step.ciEnvironment}) failed; see the CDK output above, fix it and run deploy-ci again (the stacks already deployed stay)`
        : `cdk deploy failed; see the CDK output above. If the account already has a ` +
          `GitHub OIDC provider, pass --oidc-provider-arn=arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`;
      console.error(`${NAME}: ${hint}`);
      return run.status ?? 1;
    }
    if (existsSync(outputsFile))
      Object.assign(outputs, JSON.parse(readFileSync(outputsFile, 'utf8')));
  }
  console.log(
    formatNextSteps(outputs, steps, {
      repository: args.ci.repository,
      environment: args.ci.environment,
      ciEnvironments,
      mainBranch: MAIN_BRANCH,
      releaseTagGlob: RELEASE_TAG_GLOB,
      project: deployment.project,
    }),
  );
  return 0;
}

void main().then((code) => {
  process.exitCode = code;
});
