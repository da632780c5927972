// nx run hello-world:docker-build: builds the image locally as hello-world-ecr-ecs-fargate:<sha tag>.
import { clientConfig } from '@hello-world/aws-ops';
import { readOptionsOrExit, runCli } from './cli';
import { buildImage, localImageRef } from './docker';
import { readWorkspaceImageSource } from './image-source';
import { workspaceRoot } from './workspace';

const options = readOptionsOrExit('hello-world:docker-build');

runCli(
  'hello-world:docker-build',
  async () => {
    const source = readWorkspaceImageSource(workspaceRoot, options);
    if (options.printTag) {
      console.log(source.tags[0]?.name ?? '');
      return;
    }
    const ref = localImageRef(source.tags[0]?.name ?? '');
    await buildImage(workspaceRoot, ref, source, options.baseImage, options.buildCache);
    console.log(`image: ${ref}`);
  },
  () => ({ region: clientConfig(options).region }),
);
