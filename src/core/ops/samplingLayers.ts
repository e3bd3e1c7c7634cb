// nn.Unfold and nn.Fold: the module forms of F.unfold (im2col) and F.fold (col2im), priced as
// their functional twins (samplingOps.ts), as torch's own modules call them.
import { unknownTensor } from '../torch/tensor';
import type { LayerCall, LayerSpec } from './layerSpec';
import { SAMPLING_OPS } from './samplingOps';

function twin(op: 'im2col' | 'col2im', signature: string, names: string[]): LayerSpec {
  return {
    signature,
    init: (a) => ({ params: {}, attrs: Object.fromEntries(a) }),
    forward: (f): LayerCall => {
      const args = new Map(names.map((n) => [n, f.attr(n)]));
      args.set('input', f.inputs[0] ?? null);
      const r = SAMPLING_OPS[op].run(args, f.it, { positional: [], keywords: new Map() });
      return { output: r.output ?? unknownTensor(`${op} input`), macs: 0, elementwise: r.elementwise ?? 0 };
    },
  };
}

export const SAMPLING_LAYERS: Record<string, LayerSpec> = {
  Unfold: twin('im2col', 'kernel_size, dilation=1, padding=0, stride=1', ['kernel_size', 'dilation', 'padding', 'stride']),
  Fold: twin('col2im', 'output_size, kernel_size, dilation=1, padding=0, stride=1', [
    'output_size',
    'kernel_size',
    'dilation',
    'padding',
    'stride',
  ]),
};
