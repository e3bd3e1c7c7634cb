// Convolutions of any rank: output sizes, torch's channel and group checks, and MACs
// (torchvision's convention: every kernel tap of every output element, bias free).
import { symProduct, type SymNum } from '../interp/symbolic';
import { convOutput, convTransposeOutput, floorDiv, fmt, fmtProduct, samePaddingOutput } from './dims';
import type { LayerCost } from './types';

export interface ConvWindow {
  kernel: readonly SymNum[];
  stride: readonly SymNum[];
  dilation: readonly SymNum[];
  /** Per spatial dim, or 'same' / 'valid' (valid = no padding). */
  padding: readonly SymNum[] | 'same' | 'valid';
}

/** Conv output sizes: ⌊(in + 2p − d·(k − 1) − 1)/s⌋ + 1 per spatial dim; 'same': ⌈in/s⌉. */
export function convSpatial(spatialIn: readonly SymNum[], w: ConvWindow): SymNum[] {
  const pad = w.padding;
  if (pad === 'same') return spatialIn.map((h, i) => samePaddingOutput(h, w.stride[i]));
  return spatialIn.map((h, i) => convOutput(h, w.kernel[i], w.stride[i], pad === 'valid' ? 0 : pad[i], w.dilation[i]));
}

/** Transposed conv output sizes: (in − 1)·s − 2p + d·(k − 1) + output_padding + 1 per spatial dim. */
export function convTransposeSpatial(
  spatialIn: readonly SymNum[],
  w: ConvWindow & { padding: readonly SymNum[]; outputPadding: readonly SymNum[] },
): SymNum[] {
  return spatialIn.map((h, i) => convTransposeOutput(h, w.kernel[i], w.stride[i], w.padding[i], w.outputPadding[i], w.dilation[i]));
}

/** Conv: MACs = numel(output)·(in/groups)·∏k. */
export function conv(output: readonly SymNum[], inChannels: SymNum, groups: SymNum, kernel: readonly SymNum[]): LayerCost {
  const n = symProduct(output);
  const perGroup = floorDiv(inChannels, groups, 'in_channels / groups');
  return {
    macs: symProduct([n, perGroup, ...kernel]),
    elementwise: 0,
    formula: `MACs = numel(output)·(in/groups)·k = ${fmtProduct([n, perGroup, ...kernel])}`,
  };
}

/** ConvTranspose: MACs = numel(input)·(out/groups)·∏k (each input element meets a k-window of each output channel of its group). */
export function convTranspose(input: readonly SymNum[], outChannels: SymNum, groups: SymNum, kernel: readonly SymNum[]): LayerCost {
  const n = symProduct(input);
  const perGroup = floorDiv(outChannels, groups, 'out_channels / groups');
  return {
    macs: symProduct([n, perGroup, ...kernel]),
    elementwise: 0,
    formula: `MACs = numel(input)·(out/groups)·k = ${fmtProduct([n, perGroup, ...kernel])}`,
  };
}

/** torch's constructor checks (nn.ConvNd raises ValueError): groups positive, dividing both channel counts. */
export function convGroupsError(inChannels: SymNum, outChannels: SymNum, groups: SymNum): string | null {
  if (typeof groups !== 'number') return null;
  if (groups <= 0) return 'groups must be a positive integer';
  if (typeof inChannels === 'number' && inChannels % groups !== 0) return 'in_channels must be divisible by groups';
  if (typeof outChannels === 'number' && outChannels % groups !== 0) return 'out_channels must be divisible by groups';
  return null;
}

/** A weight size as torch prints it; built only for an error message (the check runs at every conv call). */
const sizeText = (w: number[]) => `[${w.join(', ')}]`;

/**
 * torch's check when the conv runs (RuntimeError): the input has weight.shape[1]·groups channels
 * (transposed: weight.shape[0]), and a plain conv's weight.shape[0] divides by groups.
 */
export function convInputError(input: readonly SymNum[], weight: readonly SymNum[], groups: SymNum, transposed: boolean): string | null {
  const nd = weight.length - 2;
  const given = input[input.length - nd - 1];
  if (typeof groups !== 'number' || weight.some((d) => typeof d !== 'number')) return null;
  const w = weight as number[];
  // torch prints this weight size in double brackets
  if (!transposed && w[0] % groups !== 0)
    return `Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${sizeText(w)}] instead`;
  const expected = transposed ? w[0] : w[1] * groups;
  if (typeof given !== 'number' || given === expected) return null;
  const inputShape = `[${input.map(fmt).join(', ')}]`;
  return transposed
    ? `Given transposed=1, weight of size ${sizeText(w)}, expected input${inputShape} to have ${expected} channels, but got ${given} channels instead`
    : `Given groups=${groups}, weight of size ${sizeText(w)}, expected input${inputShape} to have ${expected} channels, but got ${given} channels instead`;
}
