// Shape and cost of an einsum over named axes, as torch 1.13 computes it (aten/src/ATen/native/
// Linear.cpp): dims only one operand has and the output lacks are summed first; operands are then
// contracted left to right; a pair with dims to sum becomes one bmm (MACs = the product of every
// dim of the pair, torchvision's convention), a pair without becomes a plain multiply (no MACs).
import { symAdd, symProduct, type SymNum } from '../../interp/symbolic';
import { EinopsFailure } from './pattern';

export interface EinsumPlan {
  output: SymNum[];
  macs: SymNum;
}

export function planEinsum(operands: string[][], shapes: (readonly SymNum[])[], output: string[]): EinsumPlan {
  const sizes = new Map<string, SymNum>();
  operands.forEach((axes, i) => {
    if (axes.length !== shapes[i].length)
      throw new EinopsFailure(`einsum operand ${i} has ${shapes[i].length} dims, the pattern names ${axes.length}`);
    axes.forEach((a, k) => {
      const d = shapes[i][k];
      const prev = sizes.get(a);
      if (prev === undefined || prev === 1) sizes.set(a, d);
      else if (typeof prev === 'number' && typeof d === 'number' && d !== 1 && d !== prev)
        throw new EinopsFailure(`einsum(): operands do not broadcast: axis ${a} is ${prev} and ${d}`);
    });
  });
  for (const a of output) if (!sizes.has(a)) throw new EinopsFailure(`Unknown axis ${a} on right side of einsum`);
  const wanted = (later: string[][]) => new Set([...output, ...later.flat()]);
  let macs: SymNum = 0;
  let current: string[] | null = null;
  operands.forEach((axes, i) => {
    const keep = wanted([...operands.slice(0, i), ...operands.slice(i + 1)]);
    const own = [...new Set(axes)].filter((a) => keep.has(a));
    if (current === null) {
      current = own;
      return;
    }
    const later = wanted(operands.slice(i + 1));
    const union = [...new Set([...current, ...own])];
    const summed = union.filter((a) => current!.includes(a) && own.includes(a) && !later.has(a));
    if (summed.length) macs = symAdd(macs, symProduct(union.map((a) => sizes.get(a)!)));
    current = union.filter((a) => !summed.includes(a));
  });
  return { output: output.map((a) => sizes.get(a)!), macs };
}
