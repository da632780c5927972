export * from './names';
export * from './runtime';
export * from './outputs';
export * from './patterns';
export * from './platform';
export * from './environments';
export * from './ingress';
