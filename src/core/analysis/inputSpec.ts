// Where the input shape of a model comes from: --input, a `# wattlens: input=` comment,
// a call in the file such as model(torch.randn(...)), or a default inferred from the
// first layer (stated as an assumption).
import type { Module as AstModule, Expr, Stmt } from '../python/ast';
import type { InputSource } from '../report/types';
import { allModules, layerSpecOf } from '../torch/nnModule';
import type { PyInstance } from '../interp/values';
import { numericValue } from '../interp/operators';
import { definitionDirective } from './directive';

export type DimSpec = number | string;

export interface ResolvedInput {
  shapes: DimSpec[][];
  /** dtype per input: 'float' or 'long' (token ids, lengths). */
  dtypes: ('float' | 'long')[];
  source: InputSource;
  detail: string;
}

/** "1x3x224x224" or "1x100x80,1" or "Bx3x224x224"; null and a message when malformed. */
export function parseInputShapes(text: string): { shapes: DimSpec[][] } | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'empty --input' };
  const shapes: DimSpec[][] = [];
  for (const part of t.split(',')) {
    // × written as an escape: the CLI bundle stays ASCII (src/node/codeCache.ts)
    const dims = part.trim().split(/[x\u00d7*]/i);
    const shape: DimSpec[] = [];
    for (const d of dims) {
      const s = d.trim();
      if (/^\d+$/.test(s)) shape.push(Number(s));
      else if (/^[A-Za-z_]\w*$/.test(s)) shape.push(s);
      else return { error: `malformed input shape "${part.trim()}": use dims like 1x3x224x224 (numbers or names such as B, T)` };
    }
    if (shape.length === 0) return { error: `malformed input shape "${part}"` };
    shapes.push(shape);
  }
  return { shapes };
}

export function formatShapes(shapes: DimSpec[][]): string {
  return shapes.map((s) => s.join('x')).join(',');
}

/** A `# wattlens: input=...` directive on the lines just above a definition (decorators allowed in between). */
export function directiveInput(ast: AstModule, defLine: number, decoratorLines: number[]): string | undefined {
  return definitionDirective(ast, defLine, decoratorLines)?.input;
}

const TENSOR_MAKERS = new Set(['randn', 'rand', 'zeros', 'ones', 'empty', 'randint', 'full', 'tensor']);

/**
 * Finds a call of the model on literal tensors in the file:
 * `net = Net(); net(torch.randn(1, 3, 32, 32))` or `x = torch.randn(...); y = Net()(x)`.
 * Returns the tensor-maker expressions of the call's arguments.
 */
export function findModelCall(ast: AstModule, entryName: string): { args: Expr[]; line: number } | undefined {
  const found: { args: Expr[]; line: number }[] = [];
  const scanBlock = (body: Stmt[]) => {
    const instances = new Set<string>();
    const tensors = new Map<string, Expr>();
    for (const s of body) {
      if (s.k === 'assign' && s.targets.length === 1 && s.targets[0].k === 'name') {
        const name = s.targets[0].id;
        const v = s.value;
        if (v.k === 'call' && calleeName(v.fn) === entryName) instances.add(name);
        else if (v.k === 'call' && isTensorMaker(v)) tensors.set(name, v);
        // y = model(x)
        if (v.k === 'call') checkCall(v, instances, tensors);
      } else if (s.k === 'expr' && s.e.k === 'call') checkCall(s.e, instances, tensors);
      else if (s.k === 'if' || s.k === 'with' || s.k === 'for' || s.k === 'while' || s.k === 'try') {
        for (const b of subBlocks(s)) scanBlock(b);
      } else if (s.k === 'def') scanBlock(s.body);
      // print(model(x)) and similar
      if (s.k === 'expr' && s.e.k === 'call') for (const a of s.e.args) if (a.value.k === 'call') checkCall(a.value, instances, tensors);
    }
  };
  const checkCall = (c: Extract<Expr, { k: 'call' }>, instances: Set<string>, tensors: Map<string, Expr>) => {
    const callee = c.fn;
    const isModel = (callee.k === 'name' && instances.has(callee.id)) || (callee.k === 'call' && calleeName(callee.fn) === entryName);
    if (!isModel || c.args.length === 0 || c.args.some((a) => a.kind !== 'pos')) return;
    const args: Expr[] = [];
    for (const a of c.args) {
      const v = a.value;
      if (v.k === 'call' && isTensorMaker(v)) args.push(v);
      else if (v.k === 'name' && tensors.has(v.id)) args.push(tensors.get(v.id)!);
      else return;
    }
    found.push({ args, line: c.line });
  };
  scanBlock(ast.body);
  return found[0];
}

function subBlocks(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if':
    case 'for':
    case 'while':
      return [s.body, s.orelse];
    case 'with':
      return [s.body];
    case 'try':
      return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finally];
    default:
      return [];
  }
}

function calleeName(e: Expr): string | undefined {
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') return e.name;
  return undefined;
}

function isTensorMaker(c: Extract<Expr, { k: 'call' }>): boolean {
  const f = c.fn;
  return f.k === 'attr' && TENSOR_MAKERS.has(f.name) && f.obj.k === 'name' && f.obj.id === 'torch';
}

const SHAPE_AGNOSTIC =
  /^(Flatten|Identity|Dropout\w*|AlphaDropout|ReLU6?|LeakyReLU|GELU|SiLU|Sigmoid|Tanh|Mish|ELU|SELU|CELU|Hardswish|Hardsigmoid|Softplus)$/;

/** A default input inferred from the first layer the model registers. */
export function defaultInput(model: PyInstance, batch: number, seqLen: number): ResolvedInput | undefined {
  for (const module of allModules(model)) {
    const layer = layerSpecOf(module.cls);
    if (!layer) continue;
    const attr = (n: string) => module.attrs.get(n);
    const int = (n: string) => numericValue(attr(n) ?? null);
    const describe = (shape: DimSpec[], why: string, dtype: 'float' | 'long' = 'float'): ResolvedInput => ({
      shapes: [shape],
      dtypes: [dtype],
      source: 'default',
      detail: `first layer ${layer.type}${why}: ${shape.join('x')} assumed`,
    });
    switch (layer.type) {
      case 'Conv2d': {
        const c = int('in_channels');
        if (c === null) return undefined;
        return describe([batch, c, 224, 224], `(in_channels=${c}), 224×224 images`);
      }
      case 'Conv1d': {
        const c = int('in_channels');
        if (c === null) return undefined;
        return describe([batch, c, 'T'], `(in_channels=${c}), sequence length T`);
      }
      case 'Conv3d': {
        const c = int('in_channels');
        if (c === null) return undefined;
        return describe([batch, c, 16, 112, 112], `(in_channels=${c}), 16 frames of 112×112`);
      }
      case 'Linear': {
        const f = int('in_features');
        if (f === null) return undefined;
        return describe([batch, f], `(in_features=${f})`);
      }
      case 'Embedding':
        return describe([batch, 'T'], ' (token ids), sequence length T', 'long');
      case 'LSTM':
      case 'GRU':
      case 'RNN': {
        const f = int('input_size');
        if (f === null) return undefined;
        return module.attrs.get('batch_first') === true
          ? describe([batch, 'T', f], `(input_size=${f}, batch_first)`)
          : describe(['T', batch, f], `(input_size=${f})`);
      }
      case 'MultiheadAttention': {
        const e = int('embed_dim');
        if (e === null) return undefined;
        return module.attrs.get('batch_first') === true
          ? describe([batch, 'T', e], `(embed_dim=${e}, batch_first)`)
          : describe(['T', batch, e], `(embed_dim=${e})`);
      }
      default:
        // layers that keep any shape (Flatten, Dropout, activations) do not decide the input: look further
        if (SHAPE_AGNOSTIC.test(layer.type)) continue;
        return undefined;
    }
  }
  void seqLen;
  return undefined;
}
