export * from './entry';
export { replaceSection } from './replace-section';
