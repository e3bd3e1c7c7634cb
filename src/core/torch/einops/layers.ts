// einops.layers.torch: Rearrange, Reduce and EinMix as nn.Module subclasses, built as einops
// builds them (EinMix: a weight and an optional bias, pre/post Rearrange children when the
// pattern composes axes) so that parameters, children and costs match torch.
import type { Interpreter } from '../../interp/interpreter';
import { asSymNum } from '../../interp/operators';
import { nativeClass } from '../../interp/native';
import { type SymNum } from '../../interp/symbolic';
import { PyClass, PyDict, PyInstance, Unknown, type CallArgs, type Value } from '../../interp/values';
import { recordOp } from '../record';
import { Tensor, unknownDim } from '../tensor';
import { einsum, raiseEinops, reductionName, transform } from './functions';
import { ELLIPSIS, EinopsFailure, parseExpression, setText, splitPattern, type Axis, type Expression } from './pattern';

export interface EinopsLayers {
  Rearrange: PyClass;
  Reduce: PyClass;
  EinMix: PyClass;
}

function keywordsOf(self: PyInstance): Map<string, Value> {
  const d = self.attrs.get('axes_lengths');
  const out = new Map<string, Value>();
  if (d instanceof PyDict) for (const k of d.keys()) if (typeof k === 'string') out.set(k, d.get(k)!);
  return out;
}

function checkPattern(it: Interpreter, pattern: Value): void {
  if (typeof pattern !== 'string') return;
  try {
    for (const side of splitPattern(pattern)) parseExpression(side);
  } catch (e) {
    if (e instanceof EinopsFailure) raiseEinops(it, e.message);
    throw e;
  }
}

function parsed(it: Interpreter, text: string): Expression {
  try {
    return parseExpression(text);
  } catch (e) {
    if (e instanceof EinopsFailure) raiseEinops(it, e.message);
    throw e;
  }
}

const named = (e: Expression) => new Set([...e.identifiers].filter((a): a is string => typeof a === 'string' && a !== ELLIPSIS));
const flatNames = (e: Expression) =>
  e.composition.flatMap((g) => (g === ELLIPSIS ? ['...'] : g.map((a) => (a === ELLIPSIS ? '...' : (a as string)))));

function report(it: Interpreter, axes: Set<Axis>, message: string): void {
  if (axes.size) raiseEinops(it, message.replace('{}', setText(axes)));
}

export function createEinopsLayers(it: Interpreter, Module: PyClass): EinopsLayers {
  const self0 = (a: CallArgs) => a.positional[0] as PyInstance;
  const init = (self: PyInstance) => it.call(Module.lookup('__init__')!, { positional: [self], keywords: new Map() });
  const lengthsDict = (kw: Map<string, Value>) => PyDict.of([...kw].map(([k, v]) => [k, v]));

  const Rearrange = nativeClass('Rearrange', [Module], {
    methods: {
      __init__: (a) => {
        const self = self0(a);
        const pattern = a.positional[1] ?? a.keywords.get('pattern') ?? null;
        const kw = new Map(a.keywords);
        kw.delete('pattern');
        init(self);
        checkPattern(it, pattern);
        it.setAttr(self, 'pattern', pattern);
        it.setAttr(self, 'axes_lengths', lengthsDict(kw));
        return null;
      },
      forward: (a) => transform(it, a.positional[1] ?? null, self0(a).attrs.get('pattern') ?? null, 'rearrange', keywordsOf(self0(a))),
    },
  });

  const Reduce = nativeClass('Reduce', [Module], {
    methods: {
      __init__: (a) => {
        const self = self0(a);
        const pattern = a.positional[1] ?? a.keywords.get('pattern') ?? null;
        const reduction = a.positional[2] ?? a.keywords.get('reduction') ?? null;
        const kw = new Map(a.keywords);
        kw.delete('pattern');
        kw.delete('reduction');
        init(self);
        checkPattern(it, pattern);
        it.setAttr(self, 'pattern', pattern);
        it.setAttr(self, 'reduction', reduction);
        it.setAttr(self, 'axes_lengths', lengthsDict(kw));
        return null;
      },
      forward: (a) => {
        const self = self0(a);
        const op = reductionName(self.attrs.get('reduction') ?? null);
        if (op === null) return it.unknown('Reduce with an unknown reduction');
        return transform(it, a.positional[1] ?? null, self.attrs.get('pattern') ?? null, op, keywordsOf(self));
      },
    },
  });

  const EinMix = nativeClass('EinMix', [Module], {
    methods: {
      __init__: (a) => {
        const self = self0(a);
        const arg = (i: number, name: string) => a.positional[i] ?? a.keywords.get(name) ?? null;
        const pattern = arg(1, 'pattern');
        const weightShape = arg(2, 'weight_shape');
        const biasShape = arg(3, 'bias_shape');
        const kw = new Map(a.keywords);
        for (const k of ['pattern', 'weight_shape', 'bias_shape']) kw.delete(k);
        init(self);
        for (const [k, v] of [
          ['pattern', pattern],
          ['weight_shape', weightShape],
          ['bias_shape', biasShape],
        ] as const)
          it.setAttr(self, k, v);
        it.setAttr(self, 'axes_lengths', lengthsDict(kw));
        if (typeof pattern !== 'string' || typeof weightShape !== 'string') {
          it.setAttr(self, 'weight', it.unknown('EinMix pattern or weight shape is not a known string'));
          return null;
        }
        initEinMix(it, self, Rearrange, pattern, weightShape, biasShape, kw);
        return null;
      },
      forward: (a) => {
        const self = self0(a);
        let x = a.positional[1] ?? null;
        const pre = self.attrs.get('pre_rearrange') ?? self.module?.modules.get('pre_rearrange');
        if (pre instanceof PyInstance) x = it.call(pre, { positional: [x], keywords: new Map() });
        const weight = it.getAttr(self, 'weight');
        const pattern = self.attrs.get('einsum_pattern');
        if (typeof pattern !== 'string') return it.unknown('EinMix was not built');
        let out = einsum(it, { positional: [x, weight, pattern], keywords: new Map() });
        const bias = it.getAttr(self, 'bias');
        if (bias instanceof Tensor && out instanceof Tensor) recordOp(it, 'add', { output: out, elementwise: out.numel() ?? 0 });
        const post = self.module?.modules.get('post_rearrange');
        if (post instanceof PyInstance) out = it.call(post, { positional: [out], keywords: new Map() });
        return out;
      },
    },
  });
  return { Rearrange, Reduce, EinMix };
}

function parameter(shape: SymNum[]): Tensor {
  const t = new Tensor(shape);
  t.isParameter = true;
  t.requiresGrad = true;
  return t;
}

/** einops' _EinmixMixin.initialize_einmix: checks, children, weight and bias shapes, the einsum pattern. */
function initEinMix(
  it: Interpreter,
  self: PyInstance,
  Rearrange: PyClass,
  pattern: string,
  weightShape: string,
  biasShape: Value,
  axesLengths: Map<string, Value>,
): void {
  const sides = pattern.split('->');
  if (sides.length !== 2) raiseEinops(it, `EinMix pattern needs one '->': ${pattern}`);
  const [leftText, rightText] = sides;
  const left = parsed(it, leftText);
  const right = parsed(it, rightText);
  const weight = parsed(it, weightShape);
  report(
    it,
    new Set([...named(right)].filter((x) => !named(left).has(x) && !named(weight).has(x))),
    'Unrecognized identifiers on the right side of EinMix {}',
  );
  if (weight.hasEllipsis) raiseEinops(it, 'Ellipsis is not supported in weight, as its shape should be fully specified');
  if (left.hasEllipsis || right.hasEllipsis) {
    if (!(left.hasEllipsis && right.hasEllipsis)) raiseEinops(it, `Ellipsis in EinMix should be on both sides, ${pattern}`);
    if (left.ellipsisParenthesized) raiseEinops(it, `Ellipsis on left side can't be in parenthesis, got ${pattern}`);
  }
  if ([left, right, weight].some((e) => e.hasAnonymous)) raiseEinops(it, 'Anonymous axes (numbers) are not allowed in EinMix');
  if (weightShape.includes('(') || weightShape.includes(')')) raiseEinops(it, `Parenthesis is not allowed in weight shape: ${weightShape}`);
  const composed = (e: Expression) => e.composition.some((g) => g !== ELLIPSIS && g.length !== 1);
  const call = (cls: PyClass, args: Value[], kw: Map<string, Value>) => it.call(cls, { positional: args, keywords: kw });
  const leftFlat = flatNames(left);
  const rightFlat = flatNames(right);
  if (composed(left)) {
    const lengths = new Map([...axesLengths].filter(([k]) => leftFlat.includes(k)));
    it.setAttr(self, 'pre_rearrange', call(Rearrange, [`${leftText}-> ${leftFlat.join(' ')}`], lengths));
  } else it.setAttr(self, 'pre_rearrange', null);
  if (composed(right) || right.ellipsisParenthesized)
    it.setAttr(self, 'post_rearrange', call(Rearrange, [`${rightFlat.join(' ')} ->${rightText}`], new Map()));
  else it.setAttr(self, 'post_rearrange', null);

  const lengths = new Map<string, SymNum | Unknown>();
  for (const [k, v] of axesLengths)
    lengths.set(k, asSymNum(v) ?? (v instanceof Unknown ? v : it.unknown(`EinMix axis ${k} is not an int`)));
  for (const axis of named(weight)) if (!lengths.has(axis)) raiseEinops(it, `Dimension ${axis} of weight should be specified`);
  report(it, new Set([...lengths.keys()].filter((k) => !named(left).has(k) && !named(weight).has(k))), 'Axes {} are not used in pattern');
  report(it, new Set([...named(weight)].filter((k) => !named(left).has(k) && !named(right).has(k))), 'Weight axes {} are redundant');
  const dim = (axis: string): SymNum => {
    const v = lengths.get(axis)!;
    return v instanceof Unknown ? unknownDim(v.reason) : v;
  };
  const unknownAxis = [...named(weight)].find((x) => lengths.get(x) instanceof Unknown);
  if (unknownAxis) {
    it.setAttr(self, 'weight', lengths.get(unknownAxis) as Unknown);
    return;
  }
  const weightAxes = weight.composition.map((g) => (g as Axis[])[0] as string);
  it.setAttr(self, 'weight', parameter(weightAxes.map(dim)));
  if (biasShape !== null) {
    if (typeof biasShape !== 'string') raiseEinops(it, 'bias shape should be string specifying which axes bias depends on');
    const bias = parsed(it, biasShape);
    report(it, new Set([...named(bias)].filter((k) => !named(right).has(k))), 'Bias axes {} not present in output');
    report(it, new Set([...named(bias)].filter((k) => !lengths.has(k))), 'Sizes not provided for bias axes {}');
    const shape: SymNum[] = [];
    let nonTrivial = false;
    for (const g of right.composition) {
      for (const axis of g === ELLIPSIS ? [ELLIPSIS] : g) {
        if (axis === ELLIPSIS) {
          if (nonTrivial) raiseEinops(it, 'all bias dimensions should go after ellipsis in the output');
        } else if (typeof axis === 'string' && named(bias).has(axis)) {
          shape.push(dim(axis));
          nonTrivial = true;
        } else shape.push(1);
      }
    }
    it.setAttr(self, 'bias', parameter(shape));
  } else it.setAttr(self, 'bias', null);
  it.setAttr(self, 'einsum_pattern', `${leftFlat.join(' ')}, ${weightAxes.join(' ')} -> ${rightFlat.join(' ')}`);
}
