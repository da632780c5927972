// The pure core of the plugin: from what the workspace holds (projects with a Dockerfile,
// deployment projects and the service each names) to the projects' inferred configuration.
// No files are read here; plugin.ts reads them and passes plain data in.

import type { TargetConfiguration } from '@nx/devkit';
import type { CommandTables } from './command-table.js';
import { containerTargets, DEFAULT_SERVICE } from './container-targets.js';
import { deploymentTargets } from './deployment-targets.js';

/** A project whose directory holds a Dockerfile. */
export interface ImageProjectFacts {
  root: string;
  name: string;
}

/** A project whose directory holds a cdk.json. */
export interface DeploymentFacts {
  root: string;
  name: string;
  /** cdk.json context `service`; undefined means hello-world, as the CDK app reads it. */
  service: string | undefined;
  /** cdk.json `output`; undefined means CDK's default, cdk.out. */
  output: string | undefined;
}

export interface WorkspaceFacts {
  images: readonly ImageProjectFacts[];
  deployments: readonly DeploymentFacts[];
  tables: CommandTables;
}

/** What the plugin says about one project root; merged under its hand-written configuration. */
export interface InferredProject {
  projectType: 'application';
  targets: Record<string, TargetConfiguration>;
  implicitDependencies?: string[];
}

/** The service a deployment deploys: its cdk.json context, else hello-world. */
export function serviceOf(deployment: DeploymentFacts): string {
  return deployment.service ?? DEFAULT_SERVICE;
}

/** The projects inferred, by root and by the file that made them: a root with a Dockerfile and a
 * cdk.json appears in both, and Nx merges the two. */
export interface InferredProjects {
  images: Record<string, InferredProject>;
  deployments: Record<string, InferredProject>;
}

export function inferProjects(facts: WorkspaceFacts): InferredProjects {
  const imageNames = new Set(facts.images.map((image) => image.name));
  const result: InferredProjects = { images: {}, deployments: {} };

  for (const image of facts.images) {
    const deployments = facts.deployments
      .filter((deployment) => serviceOf(deployment) === image.name)
      .map((deployment) => deployment.name)
      .sort();
    result.images[image.root] = {
      projectType: 'application',
      targets: containerTargets({ name: image.name, root: image.root, deployments }),
    };
  }
  for (const deployment of facts.deployments) {
    const service = serviceOf(deployment);
    const serviceHasImage = imageNames.has(service);
    result.deployments[deployment.root] = {
      projectType: 'application',
      targets: deploymentTargets(
        {
          name: deployment.name,
          root: deployment.root,
          service,
          serviceHasImage,
          cdkOutput: deployment.output ?? 'cdk.out',
        },
        facts.tables,
      ),
      // Only a project that exists may be named: Nx refuses an unknown implicit dependency.
      ...(serviceHasImage ? { implicitDependencies: [service] } : {}),
    };
  }
  return result;
}
