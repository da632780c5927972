export * from './names';
export * from './runtime';
export * from './outputs';
