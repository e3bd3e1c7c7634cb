// Losses, functional (F.mse_loss) and modules (nn.MSELoss): a scalar, or with reduction='none' one
// loss per element (per sample for class losses). Signatures are torch 1.13's, so `reduction` binds
// by position too (F.mse_loss(a, b, None, None, 'sum'), nn.MSELoss(None, None, 'sum')), and the
// legacy size_average / reduce pick the reduction as torch's legacy_get_string does.
import { symMul } from '../interp/symbolic';
import { Unknown, type Value } from '../interp/values';
import { DEFAULT_FLOAT, Tensor, broadcastShapes, unknownTensor } from '../torch/tensor';
import type { OpResult, OpSpec } from './opSpec';
import { numelOf } from './shapes';

/** The shape of the unreduced loss: the inputs' broadcast, the target's (class losses), or not modelled. */
type Unreduced = 'elementwise' | 'per-target' | 'other';

const LEGACY = 'size_average=None, reduce=None';

/** F.<name>: its signature (torch 1.13) and its unreduced shape. */
const FUNCTIONAL: Record<string, [string, Unreduced]> = {
  cross_entropy: [
    "input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0",
    'per-target',
  ],
  mse_loss: [`input, target, ${LEGACY}, reduction='mean'`, 'elementwise'],
  l1_loss: [`input, target, ${LEGACY}, reduction='mean'`, 'elementwise'],
  nll_loss: ["input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'", 'per-target'],
  binary_cross_entropy: [`input, target, weight=None, ${LEGACY}, reduction='mean'`, 'elementwise'],
  binary_cross_entropy_with_logits: [`input, target, weight=None, ${LEGACY}, reduction='mean', pos_weight=None`, 'elementwise'],
  smooth_l1_loss: [`input, target, ${LEGACY}, reduction='mean', beta=1.0`, 'elementwise'],
  huber_loss: ["input, target, reduction='mean', delta=1.0", 'elementwise'],
  kl_div: [`input, target, ${LEGACY}, reduction='mean', log_target=False`, 'elementwise'],
  cosine_embedding_loss: [`input1, input2, target, margin=0, ${LEGACY}, reduction='mean'`, 'other'],
};

/** nn.<Name>: its __init__ signature after self (torch 1.13) and its unreduced shape. */
const MODULES: Record<string, [string, Unreduced]> = {
  MSELoss: [`${LEGACY}, reduction='mean'`, 'elementwise'],
  L1Loss: [`${LEGACY}, reduction='mean'`, 'elementwise'],
  CrossEntropyLoss: ["weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0", 'per-target'],
  NLLLoss: ["weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'", 'per-target'],
  BCELoss: [`weight=None, ${LEGACY}, reduction='mean'`, 'elementwise'],
  BCEWithLogitsLoss: [`weight=None, ${LEGACY}, reduction='mean', pos_weight=None`, 'elementwise'],
  SmoothL1Loss: [`${LEGACY}, reduction='mean', beta=1.0`, 'elementwise'],
  HuberLoss: ["reduction='mean', delta=1.0", 'elementwise'],
  KLDivLoss: [`${LEGACY}, reduction='mean', log_target=False`, 'elementwise'],
  CTCLoss: ["blank=0, reduction='mean', zero_infinity=False", 'other'],
  CosineEmbeddingLoss: [`margin=0.0, ${LEGACY}, reduction='mean'`, 'other'],
  MarginRankingLoss: [`margin=0.0, ${LEGACY}, reduction='mean'`, 'other'],
  TripletMarginLoss: [`margin=1.0, p=2.0, eps=1e-06, swap=False, ${LEGACY}, reduction='mean'`, 'other'],
  SoftMarginLoss: [`${LEGACY}, reduction='mean'`, 'elementwise'],
  MultiLabelSoftMarginLoss: [`weight=None, ${LEGACY}, reduction='mean'`, 'other'],
  PoissonNLLLoss: [`log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction='mean'`, 'elementwise'],
  GaussianNLLLoss: ["*, full=False, eps=1e-06, reduction='mean'", 'other'],
};

export const LOSS_MODULES: readonly string[] = Object.keys(MODULES);

/** The __init__ signature of a loss module. */
export function lossModuleSignature(name: string): string {
  return MODULES[name]![0];
}

/**
 * The reduction torch uses: `reduction`, unless size_average or reduce is given (not None), when
 * torch's legacy_get_string maps them (both default True): reduce False → 'none', else
 * size_average → 'mean', else 'sum'. A value that is not known stays as it is (an Unknown).
 */
export function lossReduction(a: Map<string, Value>): Value {
  const sizeAverage = a.get('size_average') ?? null;
  const reduce = a.get('reduce') ?? null;
  if (sizeAverage === null && reduce === null) return a.get('reduction') ?? 'mean';
  for (const v of [sizeAverage, reduce])
    if (v !== null && typeof v !== 'boolean') return v instanceof Unknown ? v : new Unknown('size_average / reduce that is not a bool');
  if (reduce === false) return 'none';
  return sizeAverage === false ? 'sum' : 'mean';
}

/** The loss of `input` against `target` under `reduction`; elementwise work 3 × the input's elements. */
function lossResult(name: string, unreduced: Unreduced, x: Value | undefined, t: Value | undefined, reduction: Value): OpResult {
  const elementwise = x instanceof Tensor && x.shape ? symMul(3, numelOf(x.shape)) : 0;
  if (reduction !== 'none') {
    if (typeof reduction !== 'string')
      return {
        output: unknownTensor(reduction instanceof Unknown ? reduction.reason : `${name} with an unknown reduction`),
        elementwise: 0,
      };
    return { output: new Tensor([], DEFAULT_FLOAT), elementwise };
  }
  if (!(x instanceof Tensor) || !x.shape || !(t instanceof Tensor) || !t.shape || unreduced === 'other')
    return { output: unknownTensor(`${name} with reduction='none'`), elementwise: 0 };
  // class losses: the target's shape (class indices), or the input's without its class dim (probabilities)
  const shape =
    unreduced === 'elementwise'
      ? broadcastShapes(x.shape, t.shape)
      : t.shape.length === x.shape.length
        ? x.shape.filter((_, i) => i !== (x.shape!.length === 1 ? 0 : 1))
        : t.shape;
  return { output: new Tensor(shape, x.dtype), elementwise };
}

/** The functional losses, keyed by their torch.nn.functional name. */
export const LOSS_OPS: Record<string, OpSpec> = Object.fromEntries(
  Object.entries(FUNCTIONAL).map(([name, [signature, unreduced]]) => [
    name,
    {
      signature,
      run: (a: Map<string, Value>) => lossResult(name, unreduced, a.get('input') ?? a.get('input1'), a.get('target'), lossReduction(a)),
    } satisfies OpSpec,
  ]),
);

/** A loss module's forward: `inputs` as called, the reduction its __init__ settled. */
export function lossModuleResult(name: string, inputs: readonly Value[], reduction: Value): OpResult {
  return lossResult(name, MODULES[name]![1], inputs[0], inputs[1], reduction);
}
