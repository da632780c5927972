// Fixtures for specs of this library and of the apps over it; not part of the runtime API.
export * from './fixtures';
export * from './fake-clock';
export * from './mock-aws';
export * from './release-fixtures';
export * from './image-scan-fixtures';
export * from './environment-fixtures';
export * from './alarm-fixtures';
export * from './secrets-fixtures';
export * from './ingress-fixtures';
