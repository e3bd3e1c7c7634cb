// Entry of dist/tfjs-engine.js: the TF.js front end with the TypeScript parser it carries, a
// bundle of its own that the CLI and the analysis worker load on their first TF.js file
// (lazyEntry.ts); benches and scripts require it directly.
export * from './entry';
// errors thrown inside this bundle are instances of its own copy of the class
export { AnalysisError } from '../analysis/engine';
