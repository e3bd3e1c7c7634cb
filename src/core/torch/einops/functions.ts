// einops' functions as natives: rearrange, repeat, reduce, pack, unpack, einsum, parse_shape.
// Shapes follow einops' recipe over symbolic dims; costs follow what torch runs underneath
// (reshape/permute views or copies, reductions without MACs, einsum as bmm).
import type { Interpreter } from '../../interp/interpreter';
import { asSymNum } from '../../interp/operators';
import { PyRaise } from '../../interp/signals';
import { symProduct, symSub, symAdd, type SymNum } from '../../interp/symbolic';
import { PyClass, PyDict, PyInstance, PyList, PyTuple, SymInt, Unknown, type CallArgs, type Value } from '../../interp/values';
import { nativeClass } from '../../interp/native';
import { recordOp } from '../record';
import { Tensor, unknownTensor } from '../tensor';
import { planEinsum } from './einsum';
import { EinopsFailure, parseExpression, ELLIPSIS } from './pattern';
import { REDUCTIONS, keepsOrder, prepareRecipe, type Operation } from './recipe';

const ERROR_CLASS = 'einops.EinopsError';

/** einops.EinopsError, a RuntimeError, one per interpreter. */
export function einopsErrorClass(it: Interpreter): PyClass {
  let cls = it.ext.get(ERROR_CLASS) as PyClass | undefined;
  if (!cls) {
    cls = nativeClass('EinopsError', [it.classes.exceptions.RuntimeError]);
    it.ext.set(ERROR_CLASS, cls);
  }
  return cls;
}

export function raiseEinops(it: Interpreter, message: string): never {
  const exc = new PyInstance(einopsErrorClass(it));
  exc.payload = message;
  exc.attrs.set('args', new PyTuple([message]));
  throw new PyRaise(exc, it.currentFile, it.currentLine);
}

export function dimValue(d: SymNum): Value {
  return typeof d === 'number' ? d : new SymInt(d);
}

function shapeText(shape: readonly SymNum[]): string {
  const s = shape.map((d) => (typeof d === 'number' ? String(d) : d.toString()));
  return `torch.Size([${s.join(', ')}])`;
}

function lengthsText(lengths: Map<string, SymNum>): string {
  return `{${[...lengths].map(([k, v]) => `'${k}': ${typeof v === 'number' ? v : v.toString()}`).join(', ')}}`;
}

/** A tensor, or a list of same-shaped tensors einops stacks on a new first axis. */
function inputOf(it: Interpreter, v: Value): Tensor | Unknown {
  if (v instanceof Tensor) return v;
  if (v instanceof PyList || v instanceof PyTuple) {
    if (v.items.length === 0) return it.raise('TypeError', "Rearrange/Reduce/Repeat can't be applied to an empty list");
    const first = v.items[0];
    if (!(first instanceof Tensor)) return it.unknown('einops input list of values that are not tensors');
    return first.shape ? new Tensor([v.items.length, ...first.shape], first.dtype) : first;
  }
  return v instanceof Unknown ? v : it.unknown('einops input is not a tensor');
}

function lengthsOf(it: Interpreter, keywords: Map<string, Value>): Map<string, SymNum> | Unknown {
  const out = new Map<string, SymNum>();
  for (const [k, v] of keywords) {
    const d = asSymNum(v);
    if (d === null) return v instanceof Unknown ? v : it.unknown(`einops axis length ${k} is not an int`);
    out.set(k, d);
  }
  return out;
}

function like(x: Tensor, shape: SymNum[]): Tensor {
  const Ctor = x.constructor as new (shape: SymNum[], dtype: Tensor['dtype']) => Tensor;
  return new Ctor(shape, x.dtype);
}

/** rearrange / repeat / reduce of one tensor: its output, with the op recorded. */
export function transform(it: Interpreter, input: Value, pattern: Value, operation: Operation, keywords: Map<string, Value>): Value {
  const x = inputOf(it, input);
  if (x instanceof Unknown) return unknownTensor(x.reason);
  if (typeof pattern !== 'string') return unknownTensor(`einops.${operation} pattern is not a known string`, x.dtype);
  if (!x.shape) return unknownTensor(x.unknownReason ?? 'einops input of unknown shape', x.dtype);
  const lengths = lengthsOf(it, keywords);
  if (lengths instanceof Unknown) return unknownTensor(lengths.reason, x.dtype);
  let recipe;
  try {
    recipe = prepareRecipe(pattern, operation, x.shape, lengths);
  } catch (e) {
    if (!(e instanceof EinopsFailure)) throw e;
    const shown = input instanceof Tensor ? `\n Input tensor shape: ${shapeText(x.shape)}. ` : '\n Input is list. ';
    raiseEinops(
      it,
      ` Error while processing ${operation}-reduction pattern "${pattern}".${shown}Additional info: ${lengthsText(lengths)}.\n ${e.message}`,
    );
  }
  const output = like(x, recipe.output);
  const stacked = !(input instanceof Tensor);
  if (operation === 'rearrange') {
    const view = !stacked && (keepsOrder(recipe) || recipe.output.length === recipe.elementary.length);
    recordOp(it, 'einops.rearrange', { output, view });
  } else if (operation === 'repeat') recordOp(it, 'einops.repeat', { output });
  else recordOp(it, `einops.reduce.${operation}`, { output, elementwise: x.numel() ?? 0 });
  return output;
}

export function reductionName(v: Value): string | null {
  if (typeof v === 'string') return v;
  if (v === null) return null;
  return '<callable>';
}

export function isKnownReduction(op: string): boolean {
  return REDUCTIONS.includes(op) || op === '<callable>';
}

/** einops.parse_shape(x, 'b _ h w') → {'b': ..., 'h': ..., 'w': ...}. */
export function parseShape(it: Interpreter, x: Value, pattern: Value): Value {
  if (!(x instanceof Tensor) || !x.shape) return it.unknown('parse_shape of a tensor of unknown shape');
  if (typeof pattern !== 'string') return it.unknown('parse_shape pattern is not a known string');
  const shape = x.shape;
  const where = `${pattern} ${shapeText(shape)}`;
  let e;
  try {
    e = parseExpression(pattern, { allowUnderscore: true });
  } catch (err) {
    if (err instanceof EinopsFailure) raiseEinops(it, err.message);
    throw err;
  }
  if (e.composition.some((g) => g !== ELLIPSIS && g.length > 1))
    it.raise('RuntimeError', `Can't parse shape with composite axes: ${where}`);
  let groups = e.composition;
  if (e.hasEllipsis) {
    if (shape.length < groups.length - 1) it.raise('RuntimeError', `Can't parse shape with this number of dimensions: ${where}`);
    const i = groups.indexOf(ELLIPSIS);
    groups = [...groups.slice(0, i), ...Array<typeof ELLIPSIS>(shape.length - groups.length + 1).fill(ELLIPSIS), ...groups.slice(i + 1)];
  } else if (shape.length !== groups.length) it.raise('RuntimeError', `Can't parse shape with different number of dimensions: ${where}`);
  const out = new PyDict();
  groups.forEach((g, i) => {
    if (g === ELLIPSIS) return;
    const d = shape[i];
    if (g.length === 0) {
      if (typeof d === 'number' && d !== 1) it.raise('RuntimeError', `Length of axis is not 1: ${where}`);
      return;
    }
    const a = g[0];
    if (typeof a !== 'string') {
      if (typeof d === 'number' && d !== a.anonymous) it.raise('RuntimeError', `Length of anonymous axis does not match: ${where}`);
      return;
    }
    if (a !== '_') out.set(a, dimValue(d));
  });
  return out;
}

function starPattern(it: Interpreter, pattern: Value, opname: string): [number, number] {
  if (typeof pattern !== 'string') return it.raise('TypeError', `${opname} pattern is not a string`);
  const axes = pattern.trim().split(/\s+/).filter(Boolean);
  if (new Set(axes).size !== axes.length) raiseEinops(it, `Duplicates in axes names in ${opname}(..., "${pattern}")`);
  if (!axes.includes('*')) raiseEinops(it, `No *-axis in ${opname}(..., "${pattern}")`);
  for (const a of axes)
    if (a !== '*' && (!/^[A-Za-z]\w*$/.test(a) || a.endsWith('_')))
      raiseEinops(it, `Invalid axis name ${a} in ${opname}(..., "${pattern}")`);
  const before = axes.indexOf('*');
  return [before, axes.length - before - 1];
}

/** einops.pack(tensors, 'b * c') → (packed, packed_shapes). */
export function pack(it: Interpreter, tensors: Value, pattern: Value): Value {
  const [before, after] = starPattern(it, pattern, 'pack');
  if (!(tensors instanceof PyList || tensors instanceof PyTuple)) return it.unknown('pack of a value that is not a list of tensors');
  const shapes: PyTuple[] = [];
  let total: SymNum = 0;
  let first: Tensor | undefined;
  for (const [i, t] of tensors.items.entries()) {
    if (!(t instanceof Tensor) || !t.shape)
      return new PyTuple([unknownTensor('pack of a tensor of unknown shape'), it.unknown('packed shapes unknown')]);
    first ??= t;
    if (t.shape.length < before + after)
      raiseEinops(
        it,
        `packed tensor #${i} (enumeration starts with 0) has shape ${shapeText(t.shape)}, while pattern ${pattern as string} assumes at least ${before + after} axes`,
      );
    const packed = t.shape.slice(before, t.shape.length - after);
    shapes.push(new PyTuple(packed.map(dimValue)));
    total = symAdd(total, symProduct(packed));
  }
  if (!first) return it.raise('IndexError', 'list index out of range');
  const out = like(first, [...first.shape!.slice(0, before), total, ...first.shape!.slice(first.shape!.length - after)]);
  recordOp(it, 'einops.pack', { output: out });
  return new PyTuple([out, new PyList(shapes)]);
}

/** einops.unpack(tensor, packed_shapes, 'b * c') → list of tensors. */
export function unpack(it: Interpreter, tensor: Value, packedShapes: Value, pattern: Value): Value {
  const [before, after] = starPattern(it, pattern, 'unpack');
  if (!(tensor instanceof Tensor) || !tensor.shape) return it.unknown('unpack of a tensor of unknown shape');
  if (!(packedShapes instanceof PyList || packedShapes instanceof PyTuple)) return it.unknown('unpack: packed shapes unknown');
  const shape = tensor.shape;
  if (shape.length !== before + 1 + after)
    raiseEinops(it, `unpack(..., ${pattern as string}) received input of wrong dim with shape ${shapeText(shape)}`);
  const parts: (SymNum[] | null)[] = [];
  for (const ps of packedShapes.items) {
    if (!(ps instanceof PyList || ps instanceof PyTuple)) return it.unknown('unpack: a packed shape is not a tuple');
    const dims = ps.items.map((d) => asSymNum(d));
    if (dims.some((d) => d === null)) return it.unknown('unpack: a packed shape is not known');
    parts.push(dims as SymNum[]);
  }
  const unknownAt = parts.findIndex((p) => p!.includes(-1));
  if (parts.filter((p) => p!.includes(-1)).length > 1)
    raiseEinops(it, `unpack(..., ${pattern as string}) received more than one -1 in packed shapes and can't infer dimensions`);
  if (unknownAt >= 0) {
    const others = symProduct(parts.filter((_, i) => i !== unknownAt).map((p) => symProduct(p!)));
    const known = symProduct(parts[unknownAt]!.filter((d) => d !== -1));
    const rest = symSub(shape[before], others);
    const d = typeof rest === 'number' && typeof known === 'number' ? rest / known : null;
    parts[unknownAt] = parts[unknownAt]!.map((x) => (x === -1 ? (d ?? rest) : x));
  }
  const sum = parts.reduce<SymNum>((s, p) => symAdd(s, symProduct(p!)), 0);
  if (typeof sum === 'number' && typeof shape[before] === 'number' && sum !== shape[before])
    raiseEinops(
      it,
      `Error during unpack(..., "${pattern as string}"): could not split axis of size ${shape[before]} into requested packed shapes`,
    );
  return new PyList(parts.map((p) => like(tensor, [...shape.slice(0, before), ...p!, ...shape.slice(before + 1)])));
}

/** einops.einsum(*tensors, 'b h i d, b h j d -> b h i j'). */
export function einsum(it: Interpreter, a: CallArgs): Value {
  const pattern = a.positional[a.positional.length - 1];
  const tensors = a.positional.slice(0, -1);
  if (typeof pattern !== 'string')
    return it.raise('ValueError', 'The last argument passed to `einops.einsum` must be a string, representing the einsum pattern.');
  if (tensors.length === 0)
    return it.raise('ValueError', '`einops.einsum` takes at minimum two arguments: the tensors (at least one), followed by the pattern.');
  if (!pattern.includes('->')) return it.raise('ValueError', "Einsum pattern must contain '->'.");
  const [lhs, rhs] = pattern.split('->');
  const sides = lhs.split(',').map((s) => s.trim().split(/\s+/).filter(Boolean));
  const right = rhs.trim().split(/\s+/).filter(Boolean);
  if (sides.length !== tensors.length)
    return it.raise('ValueError', `einsum(): ${sides.length} operands in the pattern, ${tensors.length} given`);
  const shapes: SymNum[][] = [];
  for (const t of tensors) {
    if (!(t instanceof Tensor) || !t.shape)
      return unknownTensor(t instanceof Tensor ? (t.unknownReason ?? 'einsum operand of unknown shape') : 'einsum operand is not a tensor');
    shapes.push([...t.shape]);
  }
  for (const s of [...sides, right])
    if (s.some((x) => x.includes('(') || x.includes(')')))
      return it.raise('NotImplementedError', 'Shape rearrangement is not yet supported in einsum.');
  // an ellipsis stands for the leading dims each operand has beyond its named ones, aligned on the right
  const ellRank = Math.max(0, ...sides.map((s, i) => (s.includes('...') ? shapes[i].length - (s.length - 1) : 0)));
  const ell = (n: number) => Array.from({ length: n }, (_, k) => `${ELLIPSIS}${ellRank - n + k}`);
  const expand = (s: string[], n: number) => s.flatMap((x) => (x === '...' ? ell(n) : [x]));
  const operands = sides.map((s, i) => expand(s, s.includes('...') ? shapes[i].length - (s.length - 1) : 0));
  const output = expand(right, right.includes('...') ? ellRank : 0);
  try {
    const plan = planEinsum(operands, shapes, output);
    const t0 = tensors[0] as Tensor;
    const out = like(t0, plan.output);
    recordOp(it, 'einops.einsum', { output: out, macs: plan.macs, formula: `MACs = einsum ${pattern} as torch contracts it` });
    return out;
  } catch (e) {
    if (e instanceof EinopsFailure) raiseEinops(it, e.message);
    throw e;
  }
}
