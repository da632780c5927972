// nx run <app>:docker-build: builds the image locally as <app>-ecr-ecs-fargate:<sha tag>
// (--project=<app>, default hello-world), for the task's platform (--platform, else env
// CPU_ARCHITECTURE, else linux/amd64). A multi-platform build stays in buildx's cache: the
// engine's image store holds one platform per name, so docker-push pushes such an image.
import { clientConfig } from '@hello-world/aws-ops';
import { runImageCli } from './cli';
import { buildImage, buildMultiPlatformImage, isMultiPlatform, localImageRef } from './docker';
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
    const platforms = source.platforms.join(',');
    if (isMultiPlatform(source)) {
      await buildMultiPlatformImage(
        workspaceRoot,
        ref,
        source,
        options.baseImage,
        options.buildCache,
      );
      console.log(
        `built ${ref} for ${platforms} in buildx's cache only (the engine's image store holds one platform per name): docker-push pushes it`,
      );
      return;
    }
    await buildImage(workspaceRoot, ref, source, options.baseImage, options.buildCache);
    console.log(`platform: ${platforms}`);
    console.log(`image: ${ref}`);
  },
  (options) => ({ region: clientConfig(options).region }),
);
