// What deploy, release tooling and benchmarks use of the image code; the CLIs (docker-build.ts,
// docker-push.ts) are entry points of their own.
export { BUILD_CONTEXT_FILES, DOCKERFILE } from './build-context';
export { FARGATE_LIKE_RUN_FLAGS } from './docker';
export { computeImageTags, findReleaseVersion, type ImageTag } from './image-tags';
export { readWorkspaceImageSource, type ImageSource } from './image-source';
export { nxBin, parseBuiltImage, runNxTarget } from './nx-run';
