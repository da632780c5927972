export * from './names';
export * from './runtime';
