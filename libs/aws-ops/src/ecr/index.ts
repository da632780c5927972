export * from './ecr-images';
export * from './ecr-login';
export * from './registry-repository';
export * from './repository-uri';
export * from './deployed-marker';
export * from './tag-mutability';
export * from './image-scan';
export * from './image-platform';
