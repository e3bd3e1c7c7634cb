// The dtype torch requires of a forward argument, where forward hands the argument unchanged to
// one of the model's layers: an Embedding takes integer indices; a recurrent layer's state, a
// Linear's or a convolution's input must be floating point like their weights.
import type { Expr, Stmt } from '../python/ast';
import { walkStatements } from '../python/walk';
import { layerSpecOf } from '../torch/nnModule';
import { PyFunction, PyInstance } from '../interp/values';
import { isInputTuple, tensorShapes, type InputArg } from './inputSpec';

export type InputDtype = 'float' | 'long';

/** Positional argument positions of a layer's forward that take integer indices. */
const LONG_POSITIONS: Partial<Record<string, number[]>> = { Embedding: [0], EmbeddingBag: [0, 1] };

/** Positional argument positions that must be floating point (the layer's weights are). */
const FLOAT_POSITIONS: Partial<Record<string, number[]>> = {
  RNN: [0, 1],
  LSTM: [0],
  GRU: [0, 1],
  MultiheadAttention: [0, 1, 2],
  Bilinear: [0, 1],
};
const FLOAT_FIRST =
  /^(Linear|Conv[123]d|ConvTranspose[123]d|(Sync)?BatchNorm[123]?d?|InstanceNorm[123]d|GroupNorm|LayerNorm|RMSNorm|PReLU)$/;

export interface DtypeFromUse {
  dtype: InputDtype;
  /** "passed to GRU rnn". */
  why: string;
}

/**
 * What torch requires of forward's parameter `index` (0 = the first after self), from the calls
 * `self.layer(..., param, ...)` in forward's body; undefined when no such call decides it or two disagree.
 */
export function dtypeFromUse(model: PyInstance, index: number): DtypeFromUse | undefined {
  const forward = model.cls.lookup('forward');
  if (!(forward instanceof PyFunction) || !forward.def) return undefined;
  const param = forward.params.at(index + 1);
  if (!param) return undefined;
  if (param.kind !== 'pos' && param.kind !== 'posonly') return undefined;
  const names = aliases(forward.def.body as Stmt[], param.name);
  const found: DtypeFromUse[] = [];
  walkStatements(forward.def.body as Stmt[], (e: Expr) => {
    if (e.k !== 'call' || e.fn.k !== 'attr' || e.fn.obj.k !== 'name' || e.fn.obj.id !== forward.params[0]?.name) return;
    const layer = childLayer(model, e.fn.name);
    if (!layer) return;
    const positional = e.args.filter((a) => a.kind === 'pos');
    if (e.args.some((a) => a.kind === 'star')) return;
    positional.forEach((a, position) => {
      if (a.value.k !== 'name' || !names.has(a.value.id)) return;
      const dtype = requiredDtype(layer.type, position);
      if (dtype) found.push({ dtype, why: `passed to ${layer.type} ${layer.name}` });
    });
  });
  if (!found.length || found.some((f) => f.dtype !== found[0]!.dtype)) return undefined;
  return found[0];
}

/** Methods whose result has their tensor's dtype. */
const SAME_DTYPE = new Set([
  'clone',
  'contiguous',
  'detach',
  'view',
  'reshape',
  'transpose',
  'permute',
  'squeeze',
  'unsqueeze',
  'expand',
  'flatten',
]);

/** `param` and the names bound to it unchanged in dtype (`state = hidden.clone()`, `h = hidden`). */
function aliases(body: Stmt[], param: string): Set<string> {
  const assigns: Extract<Stmt, { k: 'assign' }>[] = [];
  const collect = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(collect);
    else if (x && typeof x === 'object') {
      if ((x as Stmt).k === 'assign') assigns.push(x as Extract<Stmt, { k: 'assign' }>);
      Object.values(x).forEach(collect);
    }
  };
  collect(body);
  const names = new Set([param]);
  const sameDtype = (e: Expr): boolean =>
    e.k === 'name' ? names.has(e.id) : e.k === 'call' && e.fn.k === 'attr' && SAME_DTYPE.has(e.fn.name) && sameDtype(e.fn.obj);
  for (let grew = true; grew;) {
    grew = false;
    for (const a of assigns)
      for (const t of a.targets)
        if (t.k === 'name' && !names.has(t.id) && sameDtype(a.value)) {
          names.add(t.id);
          grew = true;
        }
  }
  // a name also bound to something else (`x = self.embed(x)`) may hold either where it is used
  for (const a of assigns) if (!sameDtype(a.value)) for (const t of a.targets) for (const n of boundNames(t)) names.delete(n);
  return names;
}

function boundNames(target: Expr): string[] {
  if (target.k === 'name') return [target.id];
  if (target.k === 'tuple' || target.k === 'list') return target.items.flatMap(boundNames);
  if (target.k === 'star') return boundNames(target.e);
  return [];
}

function requiredDtype(type: string, position: number): InputDtype | undefined {
  if (LONG_POSITIONS[type]?.includes(position)) return 'long';
  if (FLOAT_POSITIONS[type]?.includes(position)) return 'float';
  if (position === 0 && FLOAT_FIRST.test(type)) return 'float';
  return undefined;
}

function childLayer(model: PyInstance, name: string): { name: string; type: string } | undefined {
  for (const [key, child] of model.module?.modules.entries.values() ?? []) {
    if (String(key) !== name || !(child instanceof PyInstance)) continue;
    const type = layerSpecOf(child.cls)?.type;
    return type ? { name, type } : undefined;
  }
  return undefined;
}

/**
 * dtypes of the tensors given for forward's arguments (--input, a comment): what the layer an
 * argument goes to requires; else a guess, said in `note`: a tuple (a recurrent state) and a
 * later rank ≥ 2 argument are taken like the first (`first`), a later rank ≤ 1 one as lengths (int64).
 */
export function givenDtypes(
  model: PyInstance,
  args: readonly InputArg[],
  first: () => InputDtype,
): { dtypes: InputDtype[]; note?: string } {
  const names = forwardParamNames(model);
  const parts: string[] = [];
  const dtypes = args.flatMap((a, i): InputDtype[] => {
    const name = names[i] ?? `argument ${i + 1}`;
    if (isInputTuple(a)) {
      parts.push(`${name} float32 (a tuple: a recurrent state, assumed)`);
      return tensorShapes(a.tuple).map(() => 'float');
    }
    const use = dtypeFromUse(model, i);
    if (use) {
      parts.push(`${name} ${TORCH_NAME[use.dtype]} (${use.why})`);
      return [use.dtype];
    }
    const dtype = i > 0 && a.length <= 1 ? 'long' : first();
    const guess = i === 0 ? 'from the first layer, assumed' : a.length <= 1 ? 'rank ≤ 1: lengths, assumed' : 'as the first input, assumed';
    parts.push(`${name} ${TORCH_NAME[dtype]} (${guess})`);
    return [dtype];
  });
  return { dtypes, ...(args.length > 1 ? { note: `input dtypes: ${parts.join(', ')}` } : {}) };
}

const TORCH_NAME: Record<InputDtype, string> = { float: 'float32', long: 'int64' };

function forwardParamNames(model: PyInstance): string[] {
  const forward = model.cls.lookup('forward');
  return forward instanceof PyFunction ? forward.params.slice(1).map((p) => p.name) : [];
}
