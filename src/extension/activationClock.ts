// Imported first by extension.ts, so its time is taken when the bundle starts evaluating:
// "WattLens activated in N ms" then covers loading the bundle and activate() together.
export const BUNDLE_STARTED_AT = performance.now();
