// What the extension needs only after activation, built as its own bundle (dist/lazy.js,
// scripts/build.mjs): the worker-message and run-record schemas pull in zod (~0.8 MB), which
// would otherwise be loaded and parsed on every activation.
export { parseFromWorker } from '../core/editor/workerProtocol';
export * as runStore from '../core/pilot/runStore';
export * as calibrationIndex from '../core/editor/calibrationIndex';
export * as forecastLens from '../core/editor/forecastLens';
export { readRunContext } from '../core/pilot/runContext';
