import {
  findImageDigest,
  findStack,
  parseRepositoryUri,
  registryRepairStep,
} from '@hello-world/aws-ops';
import { REGISTRY_OUTPUTS } from '@hello-world/shared';
import type { DeployDeps, DeployRequest } from './orchestrate';
import { PhaseFailure } from './phase-failure';
import type { StepTiming } from './push-report';

// The deploy's first two steps: the registry stack's repository (deployed by
// <project>:deploy-registry, or only read with --service-only) and the image in it (pushed by
// <service>:docker-push, or named with --image-tag), read back from ECR.

/** The image the deploy rolls out, as the registry has it. */
export interface ImageResult {
  repository: string;
  tag: string;
  digest: string;
  pushed: boolean;
}

/** Who deploys the registry stack when `--service-only` finds none, for a deployment project. */
export function registryAdminStep(project: string): string {
  return `an administrator deploys it: npx nx run ${project}:deploy-registry (or ${project}:deploy-ci)`;
}

/**
 * `--service-only`: the registry stack must be there already, deployed by an administrator (the
 * CI deploy role cannot change it). Its absence is one line saying who deploys it.
 */
export async function readExistingRegistry(
  request: DeployRequest,
  deps: DeployDeps,
): Promise<string> {
  const name = request.registryStackName;
  const registry = await findStack(deps.clients.cfn, name);
  const uri = registry?.outputs[REGISTRY_OUTPUTS.repositoryUri];
  if (uri) return uri;
  const message = registry
    ? `stack ${name} has no ${REGISTRY_OUTPUTS.repositoryUri} output (status ${registry.status}), and --service-only does not deploy it: an administrator fixes it: ${registryRepairStep(registry.status, name, request.region, request.project)}`
    : `stack ${name} is not deployed in ${request.region}, and --service-only does not deploy it: ${registryAdminStep(request.project)}`;
  throw new PhaseFailure('registry', { kind: 'stack-not-found', message }, false);
}

/**
 * The image to deploy and its digest, read back from the registry (the digest in the receipt is
 * the registry's, not a build's). An explicit tag is never pushed: it must be there already.
 */
export async function ensureImage(
  request: DeployRequest,
  deps: DeployDeps,
  repositoryUri: string,
): Promise<{ value: ImageResult; skipped: boolean; note: string; timing?: StepTiming }> {
  const { repositoryName } = parseRepositoryUri(repositoryUri);
  if (request.imageTag) {
    const digest = await findImageDigest(
      deps.clients.ecr,
      repositoryName,
      request.imageTag,
      request.project,
    );
    if (!digest) {
      throw new PhaseFailure(
        'image',
        {
          kind: 'unknown',
          message: `image ${repositoryUri}:${request.imageTag} is not in the registry: push it with \`npx nx run ${request.service}:docker-push\`, or leave out --image-tag to deploy the current build`,
        },
        false,
      );
    }
    return {
      value: { repository: repositoryUri, tag: request.imageTag, digest, pushed: false },
      skipped: true,
      note: 'tag already in the registry',
    };
  }
  const report = await deps.pushReport();
  if (report.repository !== repositoryUri) {
    throw new PhaseFailure(
      'image',
      {
        kind: 'unknown',
        message: `docker-push went to ${report.repository}, but the service pulls from ${repositoryUri}: unset IMAGE_REGISTRY and run again`,
      },
      false,
    );
  }
  const digest = await findImageDigest(
    deps.clients.ecr,
    repositoryName,
    report.tag,
    request.project,
  );
  if (!digest) {
    throw new PhaseFailure(
      'image',
      {
        kind: 'unknown',
        message: `docker-push reported ${report.tag}, but ${repositoryUri} does not list it: run \`npx nx run ${request.service}:docker-push\` and check its output`,
      },
      false,
    );
  }
  const timing =
    report.startedAt && report.finishedAt && report.durationMs !== undefined
      ? {
          startedAt: report.startedAt,
          finishedAt: report.finishedAt,
          durationMs: report.durationMs,
        }
      : undefined;
  return {
    value: { repository: repositoryUri, tag: report.tag, digest, pushed: report.pushed },
    skipped: !report.pushed,
    note: report.pushed ? 'pushed' : 'tag already in the registry',
    ...(timing ? { timing } : {}),
  };
}
