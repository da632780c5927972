export * from './entry';
export { renderDocSection, writeDocSection } from './doc-section';
export { replaceSection } from './replace-section';
