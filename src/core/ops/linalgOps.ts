// torch.linalg and torch.fft basics: shape rules, registered in the catalogue as "linalg.<name>"
// and "fft.<name>" (their modules expose them under the plain name). Matrix products count MACs;
// decompositions and transforms are no multiply-accumulate work in torchvision's convention.
import { numericValue } from '../interp/operators';
import { symAdd, symMul, type SymNum } from '../interp/symbolic';
import { PyList, PyTuple, type Value } from '../interp/values';
import { floorDiv } from '../cost';
import { DTYPES, Tensor, normAxis } from '../torch/tensor';
import { listOf, matmulResult, reasonOf, reduceShape, unknownResult } from './functional';
import type { OpResult, OpSpec } from './opSpec';
import { dimOf, numelOf } from './shapes';

function tensorArg(a: Map<string, Value>, name: string): Tensor | null {
  const x = a.get(name);
  return x instanceof Tensor && x.shape ? x : null;
}

function complexOf(x: Tensor) {
  return x.dtype === DTYPES.float64 || x.dtype === DTYPES.complex128 ? DTYPES.complex128 : DTYPES.complex64;
}
function realOf(x: Tensor) {
  return x.dtype === DTYPES.complex128 || x.dtype === DTYPES.float64 ? DTYPES.float64 : DTYPES.float32;
}

/** vector_norm / norm: a reduction over dim (all dims when None). */
function vectorNorm(dimName = 'dim'): OpSpec {
  return {
    signature: `x, ord=2, ${dimName}=None, keepdim=False, *, dtype=None`,
    run: (a) => {
      const x = tensorArg(a, 'x');
      if (!x) return unknownResult(reasonOf(a.get('x'), 'norm input'));
      const out = reduceShape(x.shape!, a.get(dimName) ?? null, a.get('keepdim') === true);
      return out
        ? { output: new Tensor(out, realOf(x)), elementwise: symMul(2, numelOf(x.shape)) }
        : unknownResult('norm over an unknown dim');
    },
  };
}

/** matrix_norm, det, slogdet...: the last two dims reduced. */
function matrixReduce(keep: 'none' | 'tuple' = 'none'): OpSpec {
  return {
    signature: 'A, *args',
    run: (a) => {
      const x = tensorArg(a, 'A');
      if (!x || x.shape!.length < 2) return unknownResult(reasonOf(a.get('A'), 'matrix input'));
      const out = new Tensor(x.shape!.slice(0, -2), realOf(x));
      return { output: keep === 'tuple' ? new PyTuple([out, new Tensor(out.shape, x.dtype)]) : out, elementwise: numelOf(x.shape) };
    },
  };
}

/** inv, cholesky, matrix_exp, pinv (transposed): a matrix of the input's batch. */
function sameMatrix(transpose = false): OpSpec {
  return {
    signature: 'A, *args',
    run: (a) => {
      const x = tensorArg(a, 'A');
      if (!x || x.shape!.length < 2) return unknownResult(reasonOf(a.get('A'), 'matrix input'));
      const s = [...x.shape!];
      if (transpose) [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1], s[s.length - 2]];
      return { output: new Tensor(s, x.dtype), elementwise: numelOf(x.shape) };
    },
  };
}

/** The shapes of a decomposition's factors from (…, m, n) and k = min(m, n). */
function decomposition(parts: (m: SymNum, n: SymNum, k: SymNum) => SymNum[][], fields?: string[]): OpSpec {
  return {
    signature: 'A, *args',
    run: (a) => {
      const x = tensorArg(a, 'A');
      if (!x || x.shape!.length < 2) return unknownResult(reasonOf(a.get('A'), 'matrix input'));
      const batch = x.shape!.slice(0, -2);
      const [m, n] = x.shape!.slice(-2);
      const k = typeof m === 'number' && typeof n === 'number' ? Math.min(m, n) : m === n ? m : m;
      const ts = parts(m, n, k).map((s) => new Tensor([...batch, ...s], x.dtype));
      const t = new PyTuple(ts);
      if (fields) t.fields = fields;
      return { output: ts.length === 1 ? ts[0] : t, elementwise: numelOf(x.shape) };
    },
  };
}

/** multi_dot: the chain of matrix products in the cheapest order (torch's matrix-chain order), MACs summed. */
function multiDot(a: Map<string, Value>): OpResult {
  const ts = listOf(a.get('tensors'));
  if (ts.length < 2) return unknownResult('multi_dot needs two matrices or more', true);
  const shapes = ts.map((t) => (t instanceof Tensor && t.shape ? t.shape : null));
  if (shapes.some((sh) => !sh || sh.length > 2 || sh.some((d) => typeof d !== 'number')))
    return unknownResult('multi_dot of tensors whose shapes are not known', true);
  // 1-D ends are a row and a column vector; the result drops them
  const mats = shapes.map((sh, i) => (sh!.length === 2 ? (sh as number[]) : i === 0 ? [1, sh![0] as number] : [sh![0] as number, 1]));
  const p = [mats[0][0], ...mats.map((m) => m[1])];
  const n = mats.length;
  const best: number[][] = Array.from({ length: n }, () => Array<number>(n).fill(0));
  for (let len = 1; len < n; len++)
    for (let i = 0; i + len < n; i++) {
      const j = i + len;
      best[i][j] = Infinity;
      for (let k = i; k < j; k++) best[i][j] = Math.min(best[i][j], best[i][k] + best[k + 1][j] + p[i] * p[k + 1] * p[j + 1]);
    }
  const out = [...(shapes[0]!.length === 2 ? [p[0]] : []), ...(shapes[n - 1]!.length === 2 ? [p[n]] : [])];
  const dtype = (ts[0] as Tensor).dtype;
  return { output: new Tensor(out, dtype), macs: best[0][n - 1], formula: 'MACs of the cheapest multiplication order' };
}

/** fft / ifft / rfft / irfft / hfft along dims; n or s sets the signal length. */
function fft(kind: 'c2c' | 'r2c' | 'c2r', nd: 1 | 2 | 'n'): OpSpec {
  const sizeName = nd === 1 ? 'n' : 's';
  return {
    signature: `input, ${sizeName}=None, dim=None, norm=None`,
    run: (a) => {
      const x = tensorArg(a, 'input');
      if (!x) return unknownResult(reasonOf(a.get('input'), 'fft input'));
      const shape = [...x.shape!];
      const dimV = a.get('dim');
      const sizeV = a.get(sizeName);
      const dims: number[] =
        dimV instanceof PyTuple || dimV instanceof PyList
          ? dimV.items.map((d) => normAxis(numericValue(d) ?? -1, shape.length) ?? shape.length - 1)
          : dimV === null || dimV === undefined
            ? sizeV instanceof PyTuple || sizeV instanceof PyList
              ? sizeV.items.map((_, i, all) => shape.length - all.length + i)
              : nd === 1
                ? [shape.length - 1]
                : nd === 2
                  ? [shape.length - 2, shape.length - 1]
                  : shape.map((_, i) => i)
            : [normAxis(numericValue(dimV) ?? -1, shape.length) ?? shape.length - 1];
      const sizes =
        sizeV instanceof PyTuple || sizeV instanceof PyList ? sizeV.items : sizeV === null || sizeV === undefined ? [] : [sizeV];
      dims.forEach((d, i) => {
        const given = i < sizes.length ? sizes[i] : null;
        const n = given === null ? null : numericValue(given);
        const last = i === dims.length - 1;
        if (kind === 'c2r' && last) shape[d] = n ?? symMul(2, symAdd(shape[d], -1));
        else if (n !== null) shape[d] = n;
        if (kind === 'r2c' && last) shape[d] = symAdd(floorDiv(shape[d], 2, 'rfft of a symbolic length'), 1);
      });
      const dtype = kind === 'c2r' ? realOf(x) : complexOf(x);
      return { output: new Tensor(shape, dtype), elementwise: numelOf(shape) };
    },
  };
}

function freq(half: boolean): OpSpec {
  return {
    signature: 'n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False',
    run: (a) => {
      const n = numericValue(a.get('n')!);
      if (n === null) return unknownResult('fftfreq of an unknown length');
      return { output: new Tensor([half ? Math.floor(n / 2) + 1 : n], DTYPES.float32) };
    },
  };
}

const shift: OpSpec = {
  signature: 'input, dim=None',
  run: (a) => {
    const x = tensorArg(a, 'input');
    return x ? { output: new Tensor(x.shape, x.dtype) } : unknownResult(reasonOf(a.get('input'), 'fftshift input'));
  },
};

export const LINALG_OPS: Record<string, OpSpec> = {
  vector_norm: vectorNorm(),
  norm: vectorNorm(),
  matrix_norm: matrixReduce(),
  det: matrixReduce(),
  slogdet: matrixReduce('tuple'),
  inv: sameMatrix(),
  cholesky: sameMatrix(),
  matrix_exp: sameMatrix(),
  matrix_power: sameMatrix(),
  pinv: sameMatrix(true),
  solve: {
    signature: 'A, B, *, left=True, out=None',
    run: (a) => {
      const b = tensorArg(a, 'B');
      return b ? { output: new Tensor(b.shape, b.dtype), elementwise: numelOf(b.shape) } : unknownResult('solve of unknown tensors');
    },
  },
  solve_triangular: {
    signature: 'A, B, *, upper=False, left=True, unitriangular=False, out=None',
    run: (a) => {
      const b = tensorArg(a, 'B');
      return b ? { output: new Tensor(b.shape, b.dtype), elementwise: numelOf(b.shape) } : unknownResult('solve of unknown tensors');
    },
  },
  qr: decomposition(
    (m, _n, k) => [
      [m, k],
      [k, _n],
    ],
    ['Q', 'R'],
  ),
  svd: decomposition((m, n, k) => [[m, k], [k], [k, n]], ['U', 'S', 'Vh']),
  svdvals: decomposition((_m, _n, k) => [[k]]),
  eigh: decomposition((m) => [[m], [m, m]], ['eigenvalues', 'eigenvectors']),
  eigvalsh: decomposition((m) => [[m]]),
  matmul: { signature: 'input, other', run: (a) => matmulResult(a.get('input')!, a.get('other')!, 'matmul'), cost: 'MACs = batch·m·k·n' },
  multi_dot: { signature: 'tensors, *, out=None', run: multiDot, cost: 'MACs = sum over the chain of m·k·n' },
  cross: {
    signature: 'input, other, *, dim=-1',
    run: (a) => {
      const x = tensorArg(a, 'input');
      return x ? { output: new Tensor(x.shape, x.dtype), elementwise: numelOf(x.shape) } : unknownResult('cross of unknown tensors');
    },
  },
};

const completeQr = decomposition((m, n) => [
  [m, m],
  [m, n],
]);

/** torch.qr(A, some=True): reduced factors, or complete ones (Q square) when some=False. */
const legacyQr: OpSpec = {
  signature: 'A, some=True',
  run: (a, it, rest) => (a.get('some') === false ? completeQr : LINALG_OPS.qr).run(a, it, rest),
};

/**
 * The older torch.<name> spellings of linalg ops, which are also Tensor methods (W.det(),
 * W.inverse()): WaveGlow's invertible 1x1 convolution draws a weight with torch.qr, tests
 * torch.det and adds torch.logdet to its loss.
 */
export const TORCH_LINALG_OPS: Record<string, OpSpec> = {
  det: matrixReduce(),
  logdet: matrixReduce(),
  slogdet: matrixReduce('tuple'),
  inverse: sameMatrix(),
  qr: legacyQr,
};

/** stft's defaults: hop n_fft // 4, centred frames padded by n_fft // 2 on each side. */
function stftFrames(a: Map<string, Value>): { nFft: SymNum; hop: SymNum; center: boolean } {
  const nFft = dimOf(a.get('n_fft'), 'n_fft');
  const hopV = a.get('hop_length');
  const hop = hopV === undefined || hopV === null ? floorDiv(nFft, 4, 'stft of a symbolic n_fft') : dimOf(hopV, 'hop_length');
  return { nFft, hop, center: a.get('center') !== false };
}

/**
 * torch.stft: (…, T) → (…, n_fft // 2 + 1 or n_fft, frames), complex with return_complex=True; without
 * it (torch < 2 for real input), real with a trailing (re, im) pair of 2. A transform: no MACs in
 * torchvision's convention.
 */
const stft: OpSpec = {
  signature:
    'input, n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode="reflect", normalized=False, onesided=None, return_complex=None',
  run: (a) => {
    const x = tensorArg(a, 'input');
    if (!x || x.shape!.length < 1 || x.shape!.length > 2) return unknownResult(reasonOf(a.get('input'), 'stft input (1-D or 2-D)'));
    const { nFft, hop, center } = stftFrames(a);
    const complexInput = x.dtype.name.startsWith('complex');
    const onesided = a.get('onesided') ?? null;
    const freqs =
      onesided === false || (onesided === null && complexInput) ? nFft : symAdd(floorDiv(nFft, 2, 'stft of a symbolic n_fft'), 1);
    const length = x.shape![x.shape!.length - 1];
    const padded = center ? symAdd(length, symMul(2, floorDiv(nFft, 2, 'stft of a symbolic n_fft'))) : length;
    const frames = symAdd(floorDiv(symAdd(padded, symMul(-1, nFft)), hop, 'stft frames of a symbolic length'), 1);
    const shape = [...x.shape!.slice(0, -1), freqs, frames];
    const asComplex = a.get('return_complex') === true || complexInput;
    return {
      output: asComplex ? new Tensor(shape, complexOf(x)) : new Tensor([...shape, 2], realOf(x)),
      elementwise: numelOf(shape),
    };
  },
};

/** torch.istft: complex (…, freqs, frames) → real (…, length), by default n_fft + hop·(frames − 1), less the centre padding. */
const istft: OpSpec = {
  signature:
    'input, n_fft, hop_length=None, win_length=None, window=None, center=True, normalized=False, onesided=None, length=None, return_complex=False',
  run: (a) => {
    const x = tensorArg(a, 'input');
    if (!x || x.shape!.length < 2 || x.shape!.length > 3) return unknownResult(reasonOf(a.get('input'), 'istft input (2-D or 3-D)'));
    const { nFft, hop, center } = stftFrames(a);
    const frames = x.shape![x.shape!.length - 1];
    const lengthV = a.get('length');
    const full = symAdd(nFft, symMul(hop, symAdd(frames, -1)));
    const length =
      lengthV !== undefined && lengthV !== null
        ? dimOf(lengthV, 'length')
        : center
          ? symAdd(full, symMul(-2, floorDiv(nFft, 2, 'istft of a symbolic n_fft')))
          : full;
    const shape = [...x.shape!.slice(0, -2), length];
    return {
      output: new Tensor(shape, a.get('return_complex') === true ? x.dtype : realOf(x)),
      elementwise: numelOf(x.shape),
    };
  },
};

/** Short-time Fourier transforms: torch.stft / torch.istft and their Tensor methods. */
export const SIGNAL_OPS: Record<string, OpSpec> = { stft, istft };

export const FFT_OPS: Record<string, OpSpec> = {
  fft: fft('c2c', 1),
  ifft: fft('c2c', 1),
  rfft: fft('r2c', 1),
  irfft: fft('c2r', 1),
  hfft: fft('c2r', 1),
  ihfft: fft('r2c', 1),
  fft2: fft('c2c', 2),
  ifft2: fft('c2c', 2),
  rfft2: fft('r2c', 2),
  irfft2: fft('c2r', 2),
  fftn: fft('c2c', 'n'),
  ifftn: fft('c2c', 'n'),
  rfftn: fft('r2c', 'n'),
  irfftn: fft('c2r', 'n'),
  fftfreq: freq(false),
  rfftfreq: freq(true),
  fftshift: shift,
  ifftshift: shift,
};
