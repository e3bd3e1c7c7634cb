// Matrix products: linear layers, matmul with batch dims, general contractions.
import { symProduct, type SymNum } from '../interp/symbolic';
import { broadcastShapes } from '../torch/tensor';
import { fmt, fmtProduct } from './dims';
import type { LayerCost } from './types';

/** Linear / Dense: MACs = rows·in·out, rows = ∏ leading dims of the input; the bias adds no MACs. */
export function linear(input: readonly SymNum[], inFeatures: SymNum, outFeatures: SymNum): { output: SymNum[]; cost: LayerCost } {
  const rows = symProduct(input.slice(0, -1));
  return {
    output: [...input.slice(0, -1), outFeatures],
    cost: {
      macs: symProduct([rows, inFeatures, outFeatures]),
      elementwise: 0,
      formula: `MACs = rows·in·out = ${fmtProduct([rows, inFeatures, outFeatures])}`,
    },
  };
}

/** torch's check of a linear layer's input: its last dim must be in_features (null when it holds or is not known yet). */
export function linearInputError(input: readonly SymNum[], inFeatures: SymNum, outFeatures: SymNum): string | null {
  const last = input[input.length - 1];
  if (typeof last !== 'number' || typeof inFeatures !== 'number' || last === inFeatures) return null;
  return `mat1 and mat2 shapes cannot be multiplied (${fmt(symProduct(input.slice(0, -1)))}x${last} and ${inFeatures}x${fmt(outFeatures)})`;
}

/** matmul / mm / bmm: MACs = batch·m·k·n, batch dims broadcast; null when an operand is 0-d. */
export function matmul(a: readonly SymNum[], b: readonly SymNum[]): { shape: SymNum[]; macs: SymNum } | null {
  if (a.length === 0 || b.length === 0) return null;
  const a2 = a.length === 1 ? [1, a[0]] : [...a];
  const b2 = b.length === 1 ? [b[0], 1] : [...b];
  const m = a2[a2.length - 2];
  const k = a2[a2.length - 1];
  const n = b2[b2.length - 1];
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  const shape = [...batch, m, n];
  const macs = symProduct([...batch, m, k, n]);
  if (a.length === 1) shape.splice(shape.length - 2, 1);
  if (b.length === 1) shape.splice(shape.length - 1, 1);
  return { shape, macs };
}

/** A contraction over one axis (TF.js Dot): MACs = numel(output)·contracted. */
export function contraction(output: readonly SymNum[], contracted: SymNum): LayerCost {
  const n = symProduct(output);
  return { macs: symProduct([n, contracted]), elementwise: 0, formula: `MACs = numel(output)·contracted = ${fmtProduct([n, contracted])}` };
}
