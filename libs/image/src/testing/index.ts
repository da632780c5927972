export { docker, requireEngine, UP_WITHIN_MS, waitFor } from './engine';
export { provideRegistry, type TestRegistry } from './registry';
