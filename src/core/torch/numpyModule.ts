// numpy as a value library: the module lives in numpy/ (arrays in ndarray.ts, their Python
// behaviour in behaviour.ts, the functions in module.ts).
export { numpyModule } from './numpy/module';
