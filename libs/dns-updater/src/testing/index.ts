// Fixtures for specs of this library and of code that reads the service's record; not part of the
// runtime API.
export * from './fixtures';
export * from './mock-aws';
