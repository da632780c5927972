// The container targets of a project with a Dockerfile: docker-build, docker-push and
// container-test, from plain data. The image CLIs (libs/image) build hello-world unless told
// --project=<name>, so hello-world's commands stay exactly as they were.

import type { TargetConfiguration } from '@nx/devkit';

/** The service every command defaults to; its commands carry no --project. */
export const DEFAULT_SERVICE = 'hello-world';

/** What the plugin marks its container targets with, as @nx/jest marks its own with jest. */
export const CONTAINER_TECHNOLOGIES = ['docker'];

/** What decides the image's tag, so docker-build and docker-push rebuild on the same changes. */
const IMAGE_INPUTS = [
  'production',
  '^production',
  '{workspaceRoot}/package-lock.json',
  '{workspaceRoot}/.dockerignore',
];

export interface ContainerProject {
  /** The Nx project name, e.g. hello-world. */
  name: string;
  /** Its directory, e.g. apps/hello-world. */
  root: string;
  /** The deployment projects that serve it (cdk.json context `service`), sorted; may be empty. */
  deployments: readonly string[];
}

/** `tsx <script>`, with `--project=<name>` for any service but the default. */
function imageCommand(script: string, project: string, extra = ''): string {
  const projectFlag = project === DEFAULT_SERVICE ? '' : ` --project=${project}`;
  return `tsx ${script}${projectFlag}${extra}`;
}

export function containerTargets(project: ContainerProject): Record<string, TargetConfiguration> {
  const { name, deployments } = project;
  const localDeploy =
    deployments.length > 0
      ? deployments.map((deployment) => `${deployment}:deploy:local`).join(' or ')
      : 'deploy:local';
  const registry =
    deployments.length > 0
      ? [{ projects: [...deployments], target: 'deploy-registry', params: 'forward' as const }]
      : [];
  return {
    'docker-build': {
      executor: 'nx:run-commands',
      dependsOn: ['build'],
      cache: false,
      inputs: [...IMAGE_INPUTS],
      options: {
        command: imageCommand('libs/image/src/docker-build.ts', name),
        cwd: '{workspaceRoot}',
      },
      metadata: {
        technologies: [...CONTAINER_TECHNOLOGIES],
        description: `Build the image locally as ${name}-ecr-ecs-fargate:sha-<newest commit of these inputs>-ecr-ecs-fargate. The inputs decide the tag (not cached). --allow-dirty to build uncommitted changes; env BASE_IMAGE overrides the base.`,
      },
    },
    'docker-push': {
      executor: 'nx:run-commands',
      dependsOn: ['build', ...registry],
      cache: false,
      options: {
        command: imageCommand('libs/image/src/docker-push.ts', name),
        cwd: '{workspaceRoot}',
      },
      metadata: {
        technologies: [...CONTAINER_TECHNOLOGIES],
        description:
          deployments.length > 0
            ? 'Build and push the image unless its tag is already in the registry. Registry: env IMAGE_REGISTRY (host[:port][/namespace], no AWS) or the registry stack ECR repository.'
            : `Build and push the image unless its tag is already in the registry. Registry: env IMAGE_REGISTRY (host[:port][/namespace], no AWS); no deployment project names ${name} as its service (cdk.json context "service"), so there is no registry stack to push to.`,
      },
      inputs: [...IMAGE_INPUTS],
      outputs: [`{workspaceRoot}/dist/${project.root}/image-push.json`],
      configurations: {
        local: {
          command: `echo 'docker-push:local: nothing pushed; ${localDeploy} builds the image on the local engine'`,
          forwardAllArgs: false,
        },
      },
    },
    'container-test': {
      executor: 'nx:run-commands',
      cache: false,
      options: {
        command: 'jest --config libs/image/src/jest.container.config.cjs',
        cwd: '{workspaceRoot}',
      },
      metadata: {
        technologies: [...CONTAINER_TECHNOLOGIES],
        description:
          'Real-engine tests of the image (needs DOCKER_HOST and LOCAL_REGISTRY; set BASE_IMAGE where Docker Hub is out of reach).',
      },
    },
  };
}
