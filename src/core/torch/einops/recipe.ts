// The shape arithmetic of einops' rearrange / repeat / reduce (einops.py's
// _prepare_transformation_recipe and _reconstruct_from_shape) over symbolic dims: the same checks
// and messages where einops raises, so a wrong pattern fails here as it fails in Python.
import { symDivExact, symProduct, type SymNum } from '../../interp/symbolic';
import { ELLIPSIS, EinopsFailure, parseExpression, setText, splitPattern, type Axis, type Group } from './pattern';

export const REDUCTIONS = ['min', 'max', 'sum', 'mean', 'prod', 'any', 'all'];

/** 'rearrange', 'repeat', a reduction name, or '<callable>'. */
export type Operation = string;

export interface Recipe {
  output: SymNum[];
  /** Input dims after splitting composed axes, in input order (the elementary axes). */
  elementary: Axis[];
  /** The order of the kept elementary axes in the output. */
  outputOrder: Axis[];
  /** Axes removed by a reduction. */
  reduced: Axis[];
  /** Axes added by repeat. */
  added: Axis[];
  sizes: Map<Axis, SymNum>;
}

function minus(a: Set<Axis>, b: Set<Axis>): Set<Axis> {
  return new Set([...a].filter((x) => !b.has(x)));
}

function expandEllipsis(groups: Group[], ell: Axis[]): Axis[][] {
  const out: Axis[][] = [];
  for (const g of groups) {
    if (g === ELLIPSIS) for (const a of ell) out.push([a]);
    else out.push(g.flatMap((a) => (a === ELLIPSIS ? ell : [a])));
  }
  return out;
}

const isNumber = (x: SymNum): x is number => typeof x === 'number';

export function prepareRecipe(pattern: string, operation: Operation, shape: readonly SymNum[], axesLengths: Map<string, SymNum>): Recipe {
  const [leftText, rightText] = splitPattern(pattern);
  const left = parseExpression(leftText);
  const right = parseExpression(rightText);
  if (!left.hasEllipsis && right.hasEllipsis)
    throw new EinopsFailure(`Ellipsis found in right side, but not left side of a pattern ${pattern}`);
  if (left.hasEllipsis && left.ellipsisParenthesized)
    throw new EinopsFailure(`Ellipsis inside parenthesis in the left side is not allowed: ${pattern}`);
  if (operation === 'rearrange') {
    if (left.hasAnonymous || right.hasAnonymous)
      throw new EinopsFailure('Non-unitary anonymous axes are not supported in rearrange (exception is length 1)');
    const diff = new Set([...minus(left.identifiers, right.identifiers), ...minus(right.identifiers, left.identifiers)]);
    if (diff.size) throw new EinopsFailure(`Identifiers only on one side of expression (should be on both): ${setText(diff)}`);
  } else if (operation === 'repeat') {
    const diff = minus(left.identifiers, right.identifiers);
    if (diff.size) throw new EinopsFailure(`Unexpected identifiers on the left side of repeat: ${setText(diff)}`);
    const named = new Set([...right.identifiers].filter((a) => typeof a === 'string'));
    const withoutSize = minus(minus(named, left.identifiers), new Set(axesLengths.keys()));
    if (withoutSize.size) throw new EinopsFailure(`Specify sizes for new axes in repeat: ${setText(withoutSize)}`);
  } else if (REDUCTIONS.includes(operation) || operation === '<callable>') {
    const diff = minus(right.identifiers, left.identifiers);
    if (diff.size) throw new EinopsFailure(`Unexpected identifiers on the right side of reduce ${operation}: ${setText(diff)}`);
  } else throw new EinopsFailure(`Unknown reduction ${operation}. Expect one of ('${REDUCTIONS.join("', '")}').`);

  let ell: Axis[] = [];
  if (left.hasEllipsis) {
    const others = left.composition.length - 1;
    if (shape.length < others) throw new EinopsFailure(`Wrong shape: expected >=${others} dims. Received ${shape.length}-dim tensor.`);
    ell = Array.from({ length: shape.length - others }, (_, i) => `${ELLIPSIS}${i}`);
  } else if (shape.length !== left.composition.length)
    throw new EinopsFailure(`Wrong shape: expected ${left.composition.length} dims. Received ${shape.length}-dim tensor.`);
  const leftGroups = expandEllipsis(left.composition, ell);
  const rightGroups = expandEllipsis(right.composition, right.hasEllipsis ? ell : []);
  const rightIds = new Set<Axis>([...right.identifiers].filter((a) => a !== ELLIPSIS).concat(right.hasEllipsis ? ell : []));

  const known = new Map<Axis, SymNum | undefined>();
  for (const g of leftGroups) for (const a of g) known.set(a, typeof a === 'string' ? undefined : a.anonymous);
  const added: Axis[] = [];
  for (const a of rightIds)
    if (!known.has(a)) {
      known.set(a, typeof a === 'string' ? undefined : a.anonymous);
      added.push(a);
    }
  for (const [name, length] of axesLengths) {
    if (!/^[A-Za-z]\w*$/.test(name) || name.endsWith('_')) throw new EinopsFailure(`Invalid name for an axis ${name}`);
    if (!known.has(name)) throw new EinopsFailure(`Axis ${name} is not used in transform`);
    known.set(name, length);
  }
  const sizes = new Map<Axis, SymNum>();
  leftGroups.forEach((g, i) => {
    const unknown = g.filter((a) => known.get(a) === undefined);
    if (unknown.length > 1) throw new EinopsFailure(`Could not infer sizes for ${setText(unknown)}`);
    const knownProduct = symProduct(g.filter((a) => known.get(a) !== undefined).map((a) => known.get(a)!));
    const length = shape[i];
    if (unknown.length === 0) {
      if (isNumber(length) && isNumber(knownProduct) && length !== knownProduct)
        throw new EinopsFailure(`Shape mismatch, ${length} != ${knownProduct}`);
    } else {
      if (isNumber(length) && isNumber(knownProduct) && (knownProduct === 0 || length % knownProduct !== 0))
        throw new EinopsFailure(`Shape mismatch, can't divide axis of length ${length} in chunks of ${knownProduct}`);
      sizes.set(unknown[0], symDivExact(length, knownProduct, `einops axis ${String(unknown[0])} of ${pattern}`));
    }
    for (const a of g) if (known.get(a) !== undefined) sizes.set(a, known.get(a)!);
  });
  for (const a of added) sizes.set(a, known.get(a)!);
  const elementary = leftGroups.flat();
  const output = rightGroups.map((g) => symProduct(g.map((a) => sizes.get(a)!)));
  return {
    output,
    elementary,
    outputOrder: rightGroups.flat().filter((a) => !added.includes(a)),
    reduced: elementary.filter((a) => !rightIds.has(a)),
    added,
    sizes,
  };
}

/** Whether rearrange's permutation keeps the elementary axes in order (then torch returns a view). */
export function keepsOrder(r: Recipe): boolean {
  const kept = r.elementary.filter((a) => !r.reduced.includes(a));
  return kept.every((a, i) => r.outputOrder[i] === a);
}
