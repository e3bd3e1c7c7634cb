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
  /** Every tensor's shape, a tuple's in place. */
  shapes: DimSpec[][];
  /** dtype per tensor of `shapes`: 'float' or 'long' (token ids, lengths). */
  dtypes: ('float' | 'long')[];
  /** How the dtypes of several given tensors were chosen (an assumption of the report). */
  dtypeNote?: string;
  /** The arguments of forward, when one of them is a tuple of tensors. */
  args?: InputArg[];
  source: InputSource;
  detail: string;
}

/**
 * One positional argument of forward: a tensor's shape, or a tuple of arguments, written in
 * parentheses: `(2x10x200,2x10x200)` is the (h0, c0) state an LSTM takes.
 */
export type InputArg = DimSpec[] | InputTuple;
export interface InputTuple {
  tuple: InputArg[];
}

export function isInputTuple(arg: InputArg): arg is InputTuple {
  return !Array.isArray(arg);
}

/** Every tensor shape of the arguments, in order: a tuple's shapes where the tuple stands. */
export function tensorShapes(args: readonly InputArg[]): DimSpec[][] {
  return args.flatMap((a) => (isInputTuple(a) ? tensorShapes(a.tuple) : [a]));
}

const SHAPES_HINT = 'use dims like 1x3x224x224 (numbers or names such as B, T)';

/**
 * "1x3x224x224", "1x100x80,1", "Bx3x224x224", or with tuples "35x10,(2x10x200,2x10x200)".
 * `shapes` lists every tensor (a tuple's in place); `args` keeps the tuples. A message when malformed.
 */
export function parseInputShapes(text: string): { shapes: DimSpec[][]; args: InputArg[] } | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'empty --input' };
  const balance = unbalancedParenthesis(t);
  if (balance) return { error: balance };
  const args = parseArgs(t);
  if ('error' in args) return args;
  return { shapes: tensorShapes(args), args };
}

function parseArgs(text: string): InputArg[] | { error: string } {
  const args: InputArg[] = [];
  for (const part of splitTopLevel(text)) {
    const p = part.trim();
    if (p.startsWith('(')) {
      if (closingParenthesis(p) !== p.length - 1)
        return { error: `malformed input "${p}": a tuple in parentheses stands alone between commas, as in 35x10,(2x10x200,2x10x200)` };
      const inner = p.slice(1, -1);
      if (!inner.trim())
        return { error: `empty tuple "()" in input "${text}": a tuple holds one or more shapes, as in (2x10x200,2x10x200)` };
      const items = parseArgs(inner);
      if ('error' in items) return items;
      args.push({ tuple: items });
      continue;
    }
    if (/[()]/.test(p))
      return { error: `malformed input shape "${p}": a tuple in parentheses stands alone between commas, as in 35x10,(2x10x200,2x10x200)` };
    // × written as an escape: the CLI bundle stays ASCII (src/node/codeCache.ts)
    const dims = p.split(/[x\u00d7*]/i);
    const shape: DimSpec[] = [];
    for (const d of dims) {
      const s = d.trim();
      if (/^\d+$/.test(s)) shape.push(Number(s));
      else if (/^[A-Za-z_]\w*$/.test(s)) shape.push(s);
      else return { error: `malformed input shape "${p}": ${SHAPES_HINT}` };
    }
    if (shape.length === 0) return { error: `malformed input shape "${part}"` };
    args.push(shape);
  }
  return args;
}

/** Splits on the commas outside parentheses (the text is balanced). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The index of the parenthesis that closes the one at index 0. */
function closingParenthesis(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function unbalancedParenthesis(text: string): string | undefined {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(' && depth++ === 0) open = i;
    else if (text[i] === ')' && --depth < 0)
      return `unbalanced parentheses in input "${text}": the ")" at character ${i + 1} closes no "("`;
  }
  return depth > 0 ? `unbalanced parentheses in input "${text}": the "(" at character ${open + 1} is not closed` : undefined;
}

/** The text parseInputShapes reads back: "1x3x224x224", "35x10,(2x10x200,2x10x200)". */
export function formatShapes(args: readonly InputArg[]): string {
  return args.map((a) => (isInputTuple(a) ? `(${formatShapes(a.tuple)})` : a.join('x'))).join(',');
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
