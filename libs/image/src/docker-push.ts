// nx run <app>:docker-push: builds and pushes the image of an app (--project, default hello-world)
// unless its sha tag is already in the registry. Registry: $IMAGE_REGISTRY if set (no AWS), else
// the ECR repository of that service's registry stack for the environment (--env, else
// DEPLOY_ENV): the previews' stack for a pull-request preview (pr-<number>), else the shared one. --print-tag prints only the sha tag it
// would push first, and stops there. What it did goes to dist/<app root>/image-push.json, which
// infra:deploy, the next task of the chain, reads. A step of that chain, it accepts the options
// infra:deploy forwards, and pushes nothing when they deploy an image already in the registry.
// Built for the task's platform (--platform, else env CPU_ARCHITECTURE, else linux/amd64); any
// other platform than linux/amd64 is named in the tags, so an image of one platform never stands
// for another's; several platforms are built and pushed as one index by buildx.
import { ECRClient } from '@aws-sdk/client-ecr';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  clientConfig,
  findImageDigest,
  getEcrLogin,
  parseRepositoryUri,
  readAwsTarget,
  readImagePlatforms,
  readRegistryRepositoryUri,
  readTagMutability,
  tagCanMove,
  type ProblemContext,
  type TagMutability,
} from '@hello-world/aws-ops';
import { runImageCli } from './cli';
import {
  buildImage,
  isMultiPlatform,
  localImageRef,
  loginRegistry,
  pullImage,
  pushImage,
  pushMultiPlatformImage,
  tagMultiPlatformImage,
} from './docker';
import { registryStackOf, type ImageOptions } from './image-options';
import { readWorkspaceImageSource } from './image-source';
import type { ImageSource } from './image-source';
import { checkExistingPlatforms, planPush, type PushPlan } from './push-plan';
import { makePushReport, removePushReport, writePushReport } from './push-report-file';
import { findRegistryDigest, readRegistryPlatforms } from './registry-http';
import { workspaceRoot } from './workspace';

/** Where to push and how to ask it what it holds. */
interface PushTarget {
  repository: string;
  findDigest: (tag: string) => Promise<string | undefined>;
  /** The platform(s) of the image under a tag, or undefined when they cannot be read. */
  readPlatforms: (tag: string) => Promise<string[] | undefined>;
  login: () => Promise<void>;
  /** How the registry treats a tag pushed again; unknown (any tag moves) outside ECR. */
  mutability?: TagMutability;
}

// Where the AWS calls point once read (--region/--profile, else AWS_REGION/AWS_PROFILE): every
// error then names that region and profile, as infra:deploy's and infra:diff's do.
let awsContext: ProblemContext | undefined;

runImageCli(
  'docker-push',
  async (options) => {
    const started = Date.now();
    const source = readWorkspaceImageSource(workspaceRoot, options);
    if (options.printTag) {
      // For CI: the tag a later deploy names (--image-tag), before any engine or AWS call.
      console.log(source.tags[0]?.name ?? '');
      return;
    }
    // Whatever happens next, an earlier report must not stand for this run.
    removePushReport(workspaceRoot, source.app.pushReport);
    if (options.skipPush) {
      console.log(`skipped build and push: ${options.skipPush}`);
      return;
    }
    const target = options.repositoryOverride
      ? overrideTarget(options.repositoryOverride)
      : await ecrTarget(options);
    const states = await Promise.all(
      source.tags.map(async (tag) => ({ tag, digest: await target.findDigest(tag.name) })),
    );
    const { mutability } = target;
    const plan = planPush(states, (tag) => !mutability || tagCanMove(mutability, tag));
    for (const { name, digest } of plan.skip) {
      console.log(`skipped: ${target.repository}:${name} is already in the registry (${digest})`);
    }
    for (const name of plan.immovable) {
      console.log(
        `skipped: ${target.repository}:${name} is a floating tag, but the repository (${mutability?.mode}, as controlTower=strict sets it) would never let it move to a later release, so it is left out: deploy the version or sha tag`,
      );
    }
    const primary = source.tags[0]?.name ?? '';
    if (!plan.build) {
      // The tag names this build's platform, but an older push may have put another under it.
      const existing = await target.readPlatforms(primary);
      if (existing) {
        checkExistingPlatforms(`${target.repository}:${primary}`, source.platforms, existing);
      }
    }
    const report = (digest: string | undefined, pushed: boolean) =>
      writePushReport(
        workspaceRoot,
        source.app.pushReport,
        makePushReport(
          {
            repository: target.repository,
            tag: primary,
            pushed,
            platforms: source.platforms,
            ...(digest ? { digest } : {}),
          },
          started,
          Date.now(),
        ),
      );
    if (plan.push.length === 0) {
      console.log('skipped build and push: nothing new to push');
      report(states[0]?.digest, false);
      return;
    }
    console.log(`platform: ${source.platforms.join(',')}`);
    await target.login();
    if (isMultiPlatform(source)) {
      report(...(await pushMultiPlatform(target.repository, source, plan, options)));
      return;
    }
    let from = localImageRef(primary, source.app);
    if (plan.build)
      await buildImage(workspaceRoot, from, source, options.baseImage, options.buildCache);
    if (plan.pull) {
      from = `${target.repository}:${primary}`;
      await pullImage(workspaceRoot, from, source.platforms[0]);
    }
    let primaryDigest = states[0]?.digest;
    for (const tag of plan.push) {
      const digest = await pushImage(workspaceRoot, from, `${target.repository}:${tag}`);
      console.log(`pushed: ${target.repository}:${tag}${digest ? ` (${digest})` : ''}`);
      if (tag === primary) primaryDigest = digest;
    }
    report(primaryDigest, plan.push.includes(primary));
  },
  (options) => awsContext ?? { region: clientConfig(options).region },
);

/**
 * A multi-platform image: buildx builds and pushes every new tag at once (the engine's image store
 * cannot hold it); tags added to an image already pushed are copied in the registry. Returns the
 * primary tag's digest and whether it was pushed, for the report.
 */
async function pushMultiPlatform(
  repository: string,
  source: ImageSource,
  plan: PushPlan,
  options: ImageOptions,
): Promise<[string | undefined, boolean]> {
  const primary = source.tags[0]?.name ?? '';
  const refs = plan.push.map((tag) => `${repository}:${tag}`);
  if (plan.build) {
    const digest = await pushMultiPlatformImage(
      workspaceRoot,
      refs,
      source,
      options.baseImage,
      options.buildCache,
    );
    for (const ref of refs) console.log(`pushed: ${ref}${digest ? ` (${digest})` : ''}`);
    return [digest, true];
  }
  for (const ref of refs) {
    await tagMultiPlatformImage(workspaceRoot, `${repository}:${primary}`, ref);
    console.log(`pushed: ${ref}`);
  }
  return [plan.skip.find((skipped) => skipped.name === primary)?.digest, false];
}

function overrideTarget(repository: string): PushTarget {
  return {
    repository,
    findDigest: (tag) => findRegistryDigest(repository, tag),
    readPlatforms: (tag) => readRegistryPlatforms(repository, tag),
    // Credentials for another registry are the user's own `docker login`.
    login: async () => undefined,
  };
}

async function ecrTarget(opts: ImageOptions): Promise<PushTarget> {
  // The ops commands' checks: AWS_REGION, AWS_PROFILE and AWS_ENDPOINT_URL* fail here in one
  // line rather than as an SDK TypeError on the first call.
  const target = readAwsTarget(
    {
      ...(opts.region ? { region: opts.region } : {}),
      ...(opts.profile ? { profile: opts.profile } : {}),
    },
    process.env,
  );
  awsContext = target;
  const config = clientConfig(target);
  const ecr = new ECRClient(config);
  const uri = await readRegistryRepositoryUri(
    new CloudFormationClient(config),
    config.region,
    registryStackOf(opts),
  );
  const { repositoryName } = parseRepositoryUri(uri);
  return {
    repository: uri,
    findDigest: (tag) => findImageDigest(ecr, repositoryName, tag),
    readPlatforms: (tag) => readPlatformsIfAllowed(ecr, repositoryName, tag),
    login: async () => loginRegistry(workspaceRoot, await getEcrLogin(ecr)),
    mutability: await readMutabilityIfAllowed(ecr, repositoryName),
  };
}

/**
 * The repository's tag mutability, or undefined when the credentials may not describe it (a
 * role without ecr:DescribeRepositories): then every floating tag is pushed, as before.
 */
async function readMutabilityIfAllowed(
  ecr: ECRClient,
  repositoryName: string,
): Promise<TagMutability | undefined> {
  try {
    return await readTagMutability(ecr, repositoryName);
  } catch (error) {
    if ((error as Error).name !== 'AccessDeniedException') throw error;
    console.log(
      `note: cannot read ${repositoryName}'s tag mutability (ecr:DescribeRepositories denied): floating tags are pushed, and an all-immutable repository will refuse them once they exist`,
    );
    return undefined;
  }
}

/**
 * The platforms of the image under a tag in ECR, or undefined when the credentials may not read
 * it (ecr:BatchGetImage or ecr:GetDownloadUrlForLayer denied): then the skip stands unchecked.
 */
async function readPlatformsIfAllowed(
  ecr: ECRClient,
  repositoryName: string,
  tag: string,
): Promise<string[] | undefined> {
  try {
    return (await readImagePlatforms(ecr, repositoryName, tag))?.platforms;
  } catch (error) {
    if ((error as Error).name !== 'AccessDeniedException') throw error;
    console.log(
      `note: cannot read the platform of ${repositoryName}:${tag} (ecr:BatchGetImage or ecr:GetDownloadUrlForLayer denied): the image already there is taken as this build's`,
    );
    return undefined;
  }
}
