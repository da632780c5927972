// nx run <app>:docker-build: builds the image locally as <app>-ecr-ecs-fargate:<sha tag>
// (--project=<app>, default hello-world).
import { clientConfig } from '@hello-world/aws-ops';
import { runImageCli } from './cli';
import { buildImage, localImageRef } from './docker';
import { readWorkspaceImageSource } from './image-source';
import { workspaceRoot } from './workspace';

runImageCli(
  'docker-build',
  async (options) => {
    const source = readWorkspaceImageSource(workspaceRoot, options);
    if (options.printTag) {
      console.log(source.tags[0]?.name ?? '');
      return;
    }
    const ref = localImageRef(source.tags[0]?.name ?? '', source.app);
    await buildImage(workspaceRoot, ref, source, options.baseImage, options.buildCache);
    console.log(`image: ${ref}`);
  },
  (options) => ({ region: clientConfig(options).region }),
);
