import { checkEndpointUrls, readAwsProfile, type FindingSeverity } from '@hello-world/aws-ops';
import { UsageError, parseCli, type OptionSpecs } from '@hello-world/cli';
import {
  DEFAULT_REGION,
  environmentNameProblem,
  FLAVOUR_SUFFIX,
  isPreviewEnvironment,
  isAwsRegion,
  isImageTag,
  type DeploymentNames,
} from '@hello-world/shared';
import { SCAN_GATE_OPTIONS } from '../deploy/scan-gate';

/** The usage of a deployment project's promote target (`infra`). */
export function promoteUsage(project: string): string {
  return `Usage: npx nx run ${project}:promote -- --from=SOURCE --to=TARGET [options]
  Deploys to TARGET the exact image SOURCE runs: the digest its running tasks pulled, by the tag
  its task definition names when that tag cannot move (sha-… builds, v*.*.* releases), else by
  such a tag of the same image (a floating or moved tag is never trusted). Nothing is built or
  pushed: the image comes from the shared registry. Synthesizes TARGET's templates (its own settings), deploys only its service stack
  (checking the image's CPU and scan first), waits for the rollout, moves deployed-<stack> onto the
  image, then checks TARGET's tasks run that digest. The receipt names both environments, the tag,
  the digest and "not rebuilt". TARGET's ingress is the deploy's: dns or alb checks the hosted
  zone and name first, dns runs its record updater and waits for the record, and the URL is the
  name; a switch of TARGET's mode is asked first (--switch-ingress without a terminal).
  e.g. npx nx run ${project}:promote -- --from=staging --to=production
Options:
  --from=ENV         the environment whose running image is promoted (required)
  --to=ENV           the environment it is deployed to (required, not --from)
  --profile=NAME     AWS profile, default AWS_PROFILE
  --region=R         must be the region the templates are synthesized for (synth reads AWS_REGION:
                     set AWS_REGION=R instead)
  --timeout=20m      how long TARGET's service stack update and rollout may take; past it the deploy
                     is aborted and rolled back (exit 1)
  --no-rollback      past --timeout, leave the stack update or rollout going (exit 1)
  --max-severity=L   refuse an image whose scan finds anything at or above L (default CRITICAL)
  --allow-vulnerable promote anyway (the receipt records it)
  --switch-ingress   confirm a switch of TARGET's ingress mode (public-ip, dns, alb: its synthesized
                     one differs from its live stack's) without a terminal, e.g. in CI; in a
                     terminal the changes are listed and asked first
  --release-tag=TAG  after the check, also tag the image TAG, a release (v1.2.3${FLAVOUR_SUFFIX}): the
                     registry keeps release images for ever, so a rollback can always return to it
                     (the release workflow passes its git tag)
  --json             print the receipt as JSON on stdout (progress stays on stderr)
Exit codes: 0 promoted (or TARGET ran that image already), 1 the deploy, rollout or digest check
failed, 2 bad options, credentials, or a SOURCE that runs nothing promotable (nothing changed).`;
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

export const PROMOTE_OPTIONS = {
  from: { type: 'string', example: 'staging' },
  to: { type: 'string', example: 'production' },
  // Accepted only to say that promote names two environments, not one.
  env: { type: 'string', example: 'staging' },
  profile: { type: 'string', example: 'dev' },
  region: { type: 'string', example: DEFAULT_REGION },
  timeout: { type: 'duration', default: DEFAULT_TIMEOUT_MS, example: '20m' },
  'no-rollback': { type: 'boolean' },
  json: { type: 'boolean' },
  'switch-ingress': { type: 'boolean' },
  'release-tag': { type: 'string', example: `v1.2.3${FLAVOUR_SUFFIX}` },
  ...SCAN_GATE_OPTIONS,
} as const satisfies OptionSpecs;

/** A release's image tag: v<major>.<minor>.<patch>[pre-release]<flavour>, what ECR keeps for ever. */
const RELEASE_IMAGE_TAG = new RegExp(`^v\\d+\\.\\d+\\.\\d+[0-9A-Za-z.-]*${FLAVOUR_SUFFIX}$`);

export function isReleaseImageTag(tag: string): boolean {
  return isImageTag(tag) && RELEASE_IMAGE_TAG.test(tag);
}

export interface PromoteOptions {
  help: boolean;
  from: string;
  to: string;
  profile?: string;
  region?: string;
  timeoutMs: number;
  noRollback: boolean;
  json: boolean;
  maxSeverity: FindingSeverity;
  allowVulnerable: boolean;
  /** A release tag to put on the promoted image once the target runs it. */
  releaseTag?: string;
  /** --switch-ingress: a switch of the target's ingress mode is confirmed (CI). */
  switchIngress: boolean;
}

/**
 * --from and --to must both be given, differ, and each name an environment the service can have
 * (the names' shape and AWS's limits, as deploymentNames checks them); every problem is one
 * UsageError line.
 */
export function parsePromoteArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  service: DeploymentNames['service'],
): PromoteOptions | { help: true } {
  const parsed = parseCli(argv, { options: PROMOTE_OPTIONS });
  if (parsed.help) return { help: true };
  const values = parsed.values;
  if (values.env !== undefined) {
    throw new UsageError(
      `--env names one environment, but promote takes two: --from=SOURCE --to=TARGET, e.g. --from=${values.env} --to=production`,
    );
  }
  const from = values.from?.trim();
  const to = values.to?.trim();
  if (!from || !to) {
    throw new UsageError(
      `missing --${from ? 'to' : 'from'}: promote takes both environments, e.g. --from=staging --to=production`,
    );
  }
  for (const [flag, name] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    const problem = environmentNameProblem(service, name);
    if (problem) {
      throw new UsageError(`${flag} ${JSON.stringify(name)} is not an environment: ${problem}`);
    }
  }
  // A preview's image is in the previews' repository, built from code under review: never
  // promoted anywhere, and nothing is promoted into a throwaway environment.
  for (const [flag, name] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (isPreviewEnvironment(name)) {
      throw new UsageError(
        `${flag} ${name} is a pull-request preview: previews build their own images into their own repository and are never promoted from or to; deploy it with \`npx nx run infra:deploy -- --env=${name}\``,
      );
    }
  }
  if (from === to) {
    throw new UsageError(
      `--from and --to both name ${from}: promote deploys one environment's image to another, e.g. --from=staging --to=production`,
    );
  }
  if (values.region !== undefined && !isAwsRegion(values.region)) {
    throw new UsageError(
      `--region ${JSON.stringify(values.region)} is not an AWS region, e.g. --region ${DEFAULT_REGION}`,
    );
  }
  const releaseTag = values['release-tag']?.trim();
  if (releaseTag !== undefined && !isReleaseImageTag(releaseTag)) {
    throw new UsageError(
      `--release-tag ${JSON.stringify(releaseTag)} is not a release's image tag: use v<major>.<minor>.<patch>${FLAVOUR_SUFFIX}, e.g. v1.2.3${FLAVOUR_SUFFIX}`,
    );
  }
  const profile = readAwsProfile(values.profile, env);
  checkEndpointUrls(env);
  return {
    help: false,
    from,
    to,
    ...(profile ? { profile } : {}),
    ...(values.region ? { region: values.region } : {}),
    timeoutMs: values.timeout,
    noRollback: values['no-rollback'],
    json: values.json,
    maxSeverity: values['max-severity'],
    allowVulnerable: values['allow-vulnerable'],
    ...(releaseTag ? { releaseTag } : {}),
    switchIngress: values['switch-ingress'],
  };
}
