// The slice of numpy that model constructors use (np.linspace(...).tolist(), np.prod,
// np.sqrt, np.cumsum): arrays are the interpreter's tensors, float64 by default.
import type { Interpreter } from '../interp/interpreter';
import { builtin, moduleOf } from '../interp/native';
import { numericValue } from '../interp/operators';
import { PyFloat, PyList, PyModule, PyTuple, Unknown, type CallArgs, type Value } from '../interp/values';
import { OPS } from '../ops/functional';
import { DTYPES, Tensor } from './tensor';
import { callOp } from './tensorSemantics';

const F64 = DTYPES.float64;

function withFloat64(a: CallArgs): CallArgs {
  const keywords = new Map(a.keywords);
  if (!keywords.has('dtype')) keywords.set('dtype', F64);
  return { positional: a.positional, keywords };
}

/** Scalar math on numbers and lists of numbers, elementwise on arrays through the op catalogue. */
function mathFn(it: Interpreter, name: string, fn: (x: number) => number) {
  return builtin(`numpy.${name}`, (a) => {
    const x = a.positional[0] ?? null;
    const n = numericValue(x);
    if (n !== null) return new PyFloat(fn(n));
    const t = asArray(it, x);
    if (t instanceof Unknown) return t;
    return callOp(it, name, OPS[name] ?? OPS.exp, { positional: [t], keywords: new Map() });
  });
}

function asArray(it: Interpreter, v: Value): Tensor | Unknown {
  if (v instanceof Tensor) return v;
  if (v instanceof PyList || v instanceof PyTuple) {
    const t = callOp(it, 'tensor', OPS.tensor, { positional: [v], keywords: new Map() });
    if (t instanceof Tensor && t.dtype.isFloat) return new Tensor(t.shape, F64, t.data);
    return t instanceof Tensor ? t : it.unknown('numpy array of values that are not known');
  }
  return v instanceof Unknown ? v : it.unknown('numpy array of a non-sequence');
}

export function numpyModule(it: Interpreter): PyModule {
  const reduce = (name: string, fn: (xs: number[]) => number) =>
    builtin(`numpy.${name}`, (a) => {
      const t = asArray(it, a.positional[0] ?? null);
      if (t instanceof Unknown) return t;
      if (a.positional[1] !== undefined || a.keywords.has('axis')) return callOp(it, name, OPS[name], a);
      if (!t.data) return it.unknown(`numpy.${name} of values that are not known`);
      const r = fn([...t.data]);
      return t.dtype.isFloat ? new PyFloat(r) : r;
    });
  return moduleOf('numpy', {
    pi: new PyFloat(Math.PI),
    e: new PyFloat(Math.E),
    inf: new PyFloat(Infinity),
    float32: DTYPES.float32,
    float64: DTYPES.float64,
    int64: DTYPES.int64,
    int32: DTYPES.int32,
    linspace: builtin('numpy.linspace', (a) => callOp(it, 'linspace', OPS.linspace, withFloat64(a))),
    arange: builtin('numpy.arange', (a) => callOp(it, 'arange', OPS.arange, a)),
    array: builtin('numpy.array', (a) => asArray(it, a.positional[0] ?? null)),
    asarray: builtin('numpy.asarray', (a) => asArray(it, a.positional[0] ?? null)),
    zeros: builtin('numpy.zeros', (a) => callOp(it, 'zeros', OPS.zeros, withFloat64(a))),
    ones: builtin('numpy.ones', (a) => callOp(it, 'ones', OPS.ones, withFloat64(a))),
    prod: reduce('prod', (xs) => xs.reduce((p, q) => p * q, 1)),
    sum: reduce('sum', (xs) => xs.reduce((p, q) => p + q, 0)),
    mean: reduce('mean', (xs) => xs.reduce((p, q) => p + q, 0) / xs.length),
    max: reduce('amax', (xs) => Math.max(...xs)),
    min: reduce('amin', (xs) => Math.min(...xs)),
    cumsum: builtin('numpy.cumsum', (a) => {
      const t = asArray(it, a.positional[0] ?? null);
      if (t instanceof Unknown || !t.data) return it.unknown('numpy.cumsum of values that are not known');
      let acc = 0;
      return new Tensor(
        t.shape,
        t.dtype,
        t.data.map((x) => (acc += x)),
      );
    }),
    sqrt: mathFn(it, 'sqrt', Math.sqrt),
    log: mathFn(it, 'log', Math.log),
    exp: mathFn(it, 'exp', Math.exp),
    ceil: mathFn(it, 'ceil', Math.ceil),
    floor: mathFn(it, 'floor', Math.floor),
    round: mathFn(it, 'round', Math.round),
    abs: mathFn(it, 'abs', Math.abs),
    log2: mathFn(it, 'log2', Math.log2),
    random: moduleOf('numpy.random', { seed: builtin('seed', () => null) }),
  });
}
