// The CDK and operations targets of a deployment project (a directory with cdk.json), from plain
// data: which project it is, which service it deploys, and the CLIs' command tables. Every
// description lives here, once; the ops targets come from the ops CLI's COMMANDS and their :local
// configurations from the local CLI's LOCAL_COMMANDS.

import type { TargetConfiguration } from '@nx/devkit';
import type { CommandTables } from './command-table.js';

/** What the plugin marks its deployment targets with, as @nx/jest marks its own with jest. */
export const DEPLOYMENT_TECHNOLOGIES = ['aws-cdk'];

/** What one operations command does, for `nx show project` and the graph. */
export const OPS_DESCRIPTIONS: Readonly<Record<string, string>> = {
  status:
    'Service counts, deployments, tasks with health, image and IPs, stopped tasks, events, URL',
  url: 'Print only the service URL, for scripts',
  outputs: 'Outputs of the service and registry stacks',
  logs: 'Container logs: --since, --follow, --filter, --task',
  redeploy: 'Force a new deployment, wait for it and print the URL',
  doctor: 'Find why the service is not serving, with evidence and a fix',
  destroy:
    'Delete the service stack (asks first); --delete-images also removes images and the registry stack',
};

/** The environment variables that change the synthesized templates. */
const SYNTH_ENV = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'IMAGE_TAG',
  'ALLOWED_IP',
  'TASK_CPU',
  'TASK_MEMORY_MIB',
  'DESIRED_COUNT',
  'CPU_ARCHITECTURE',
  'FARGATE_SPOT',
  'CONTROL_TOWER',
];

const SYNTH_PACKAGES = [
  'aws-cdk-lib',
  'constructs',
  'cdk-nag',
  '@cdklabs/cdk-validator-cfnguard',
  'aws-cdk',
  'tsx',
];

export interface DeploymentProject {
  /** The Nx project name, e.g. infra. */
  name: string;
  /** Its directory, e.g. apps/infra. */
  root: string;
  /** The service project it deploys (cdk.json context `service`), e.g. hello-world. */
  service: string;
  /** Whether that service is a project with a Dockerfile; if not, deploy has no image to wait for. */
  serviceHasImage: boolean;
  /** cdk.json `output`, relative to root (CDK's default: cdk.out). */
  cdkOutput: string;
}

const posix = {
  /** a/b + ../../c → c, without node:path so the core stays plain data. */
  join(...parts: string[]): string {
    const out: string[] = [];
    for (const segment of parts.join('/').split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else out.push(segment);
    }
    return out.join('/');
  },
};

/** `../../` from the project root back to the workspace root. */
function upToWorkspace(root: string): string {
  return root
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .map(() => '../')
    .join('');
}

export function deploymentTargets(
  deployment: DeploymentProject,
  tables: CommandTables,
): Record<string, TargetConfiguration> {
  const { root, service } = deployment;
  const up = upToWorkspace(root);
  const meta = (description: string) => ({
    technologies: [...DEPLOYMENT_TECHNOLOGIES],
    description,
  });
  /** A command run from the project's directory, where cdk.json is. */
  const inProject = (script: string, args = '') => ({
    cwd: root,
    command: `tsx ${up}${script}${args}`,
  });
  const hasLocal = (command: string) => tables.local.includes(command);
  const localCommand = (command: string, prefix = '') =>
    `tsx ${prefix}libs/fargate/src/local/main.ts ${command}`;

  const targets: Record<string, TargetConfiguration> = {
    synth: {
      executor: 'nx:run-commands',
      cache: true,
      inputs: [
        'production',
        '^production',
        { externalDependencies: [...SYNTH_PACKAGES] },
        ...SYNTH_ENV.map((env) => ({ env })),
      ],
      outputs: [`{workspaceRoot}/${posix.join(root, deployment.cdkOutput)}`],
      options: inProject('libs/fargate/bin/synth.ts'),
      metadata: meta(
        `Synthesize the CloudFormation templates of ${service}'s deployment (cached; the inputs include the settings read from the environment)`,
      ),
    },
    diff: {
      executor: 'nx:run-commands',
      cache: false,
      dependsOn: ['synth'],
      options: inProject('libs/fargate/bin/diff.ts'),
      metadata: meta('Compare the synthesized templates with the deployed stacks'),
    },
    deploy: {
      executor: 'nx:run-commands',
      cache: false,
      metadata: meta(
        deployment.serviceHasImage
          ? 'Registry stack, image (built and pushed unless in the registry), service stack, wait, URL and receipt; --service-only --image-tag=TAG deploys only the service stack (CI); :local runs the task definition on the local Docker engine'
          : `Registry stack, image, service stack, wait, URL and receipt. No project named ${service} has a Dockerfile (cdk.json context "service"), so no image target runs first: add apps/${service}/Dockerfile or name another service`,
      ),
      dependsOn: [
        'synth',
        ...(deployment.serviceHasImage
          ? [{ projects: [service], target: 'docker-push', params: 'forward' as const }]
          : []),
      ],
      options: inProject('libs/fargate/bin/deploy.ts'),
      ...(hasLocal('deploy')
        ? { configurations: { local: { command: localCommand('deploy', up) } } }
        : {}),
    },
    'deploy-registry': {
      executor: 'nx:run-commands',
      cache: false,
      metadata: meta(
        'Deploy only the registry stack (the ECR repository and the task roles), with your own credentials',
      ),
      dependsOn: ['synth'],
      outputs: [`{workspaceRoot}/dist/${root}/registry-deploy.json`],
      options: inProject('libs/fargate/bin/deploy.ts', ' --registry-only'),
      configurations: {
        local: {
          command:
            "echo 'deploy-registry:local: the local engine holds the image; no registry stack'",
          forwardAllArgs: false,
        },
      },
    },
    'deploy-ci': {
      executor: 'nx:run-commands',
      cache: false,
      metadata: meta(
        'As an administrator: deploy the registry stack (repository, task roles) and the GitHub OIDC stack with a publish and a deploy role (--repo=owner/name, default: origin); print the two role variables and the GitHub settings checklist',
      ),
      options: { command: 'tsx libs/fargate/bin/deploy-ci.ts' },
    },
  };

  for (const command of tables.ops) {
    targets[command] = {
      executor: 'nx:run-commands',
      cache: false,
      metadata: meta(
        OPS_DESCRIPTIONS[command] ??
          `The ops CLI's ${command} command (libs/fargate/src/ops/main.ts; -- --help lists its options)`,
      ),
      options: { command: `tsx libs/fargate/src/ops/main.ts ${command}` },
      ...(hasLocal(command)
        ? { configurations: { local: { command: localCommand(command) } } }
        : {}),
    };
  }

  targets['diagram'] = {
    executor: 'nx:run-commands',
    cache: false,
    dependsOn: ['synth'],
    metadata: meta(
      'Draw docs/architecture.{svg,png,drawio} from the synthesized templates (--check: fail if stale)',
    ),
    options: { command: 'tsx libs/fargate/src/diagram/main.ts' },
  };
  targets['cost'] = {
    executor: 'nx:run-commands',
    cache: false,
    dependsOn: ['synth'],
    metadata: meta(
      'Monthly cost estimate of the synthesized templates (--json, --log-gb, --image-mb)',
    ),
    options: { command: 'tsx libs/fargate/src/cost/main.ts' },
  };
  return targets;
}
