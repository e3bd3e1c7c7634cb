// The cost kernel: one pure function per cost formula, shared by every front end. Dims are
// SymNum (src/core/interp/symbolic.ts); plain numbers lift into it and come back as numbers.
export * from './types';
export * from './dims';
export * from './linear';
export * from './conv';
export * from './attention';
export * from './norm';
export * from './pool';
export * from './elementwise';
export * from './recurrent';
