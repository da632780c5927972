import { readAwsTarget, type AwsTarget } from '@hello-world/aws-ops';
import { firstLine, parseCli, type OptionSpecs } from '@hello-world/cli';
import { findCredentialsProblem } from './preflight';

/** The usage of a deployment project's diff target (`infra`, `greeter-infra`). */
export function diffUsage(project: string): string {
  return `Usage: npx nx run ${project}:diff [-- --profile=NAME] [--env=NAME]
  Compares the synthesized templates with the deployed stacks (needs AWS credentials).
  --env=NAME compares that environment's (default: DEPLOY_ENV, else the default environment).`;
}

/** diff's options (the shared CLI's spec, libs/cli). */
export const DIFF_OPTIONS = {
  profile: { type: 'string', example: 'dev' },
  // Read by the entry point (src/deployment.ts), which names the environment's stacks.
  env: { type: 'string', example: 'staging' },
} as const satisfies OptionSpecs;

/** hello-world's (apps/infra). */
export const DIFF_USAGE = diffUsage('infra');

export interface DiffCliDeps {
  /** The deployment project (`infra`, `greeter-infra`): errors start with `<project>:diff:`. */
  project: string;
  env: Record<string, string | undefined>;
  /** The region the stacks were synthesized for; throws a one-line error (src/deploy/assembly.ts). */
  readAssemblyRegion: () => string;
  /** Resolves credentials the way CDK will, for that region and profile (src/deploy/preflight.ts). */
  resolveCredentials: (target: AwsTarget & { region: string }) => Promise<unknown>;
  /** `cdk diff` of the assembly; resolves with its exit code. */
  runCdkDiff: (target: AwsTarget & { region: string }) => Promise<number>;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * `infra:diff`: CDK's diff against the deployed stacks needs credentials, so they are checked
 * first, as for deploy: without them CDK prints "Unable to resolve AWS account" twice and no way
 * out. Bad usage and setup are one line and exit 2; otherwise CDK's own exit code.
 */
export async function runDiffCli(argv: string[], deps: DiffCliDeps): Promise<number> {
  const label = `${deps.project}:diff`;
  let profile: string | undefined;
  try {
    const parsed = parseCli(argv, { options: DIFF_OPTIONS });
    if (parsed.help) {
      deps.out(diffUsage(deps.project));
      return 0;
    }
    profile = parsed.values.profile;
  } catch (error) {
    deps.err(`${label}: ${firstLine(error)}`);
    return 2;
  }
  let target: AwsTarget & { region: string };
  try {
    const region = deps.readAssemblyRegion();
    target = readAwsTarget({ region, ...(profile !== undefined ? { profile } : {}) }, deps.env);
  } catch (error) {
    deps.err(`${label}: ${(error as Error).message}`);
    return 2;
  }
  const problem = await findCredentialsProblem(() => deps.resolveCredentials(target), {
    ...target,
    project: deps.project,
  });
  if (problem) {
    deps.err(`${label}: ${problem.message}`);
    return 2;
  }
  return deps.runCdkDiff(target);
}
