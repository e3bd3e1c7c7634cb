// The nn layer catalogue: one entry per torch.nn layer, in the same order as torch.nn's
// documentation. Each entry says which parameters the constructor creates and what a
// forward call costs. MACs follow torchvision's published convention: multiply-accumulates
// of convolutions, linear layers and matrix products (attention's two included) and
// nothing else; everything else is counted as elementwise FLOPs, reported apart.
import { numericValue } from '../interp/operators';
import { symAdd, symMul, symProduct, symSum, type SymNum } from '../interp/symbolic';
import { PyList, PyTuple, SymInt, Unknown, type Value } from '../interp/values';
import { Tensor, DEFAULT_FLOAT, normAxis, unknownDim, unknownTensor } from '../torch/tensor';
import * as cost from '../cost';
import { floorDiv } from '../cost';
import { convCall, linearCall } from './calls';
import { checkConvDtypes, checkLinearDtypes } from '../torch/mixedDtypes';
import { inputTensor, type ForwardContext, type LayerCall, type LayerInit, type LayerSpec } from './layerSpec';
import { dimOf, numelOf, tupleOf } from './shapes';
import { LOSS_MODULES, lossModuleResult, lossModuleSignature, lossReduction } from './lossOps';

const t = (shape: readonly SymNum[], like?: Tensor) => new Tensor(shape, like?.dtype.isFloat ? like.dtype : DEFAULT_FLOAT);
const s = (x: SymNum) => (typeof x === 'number' ? String(x) : x.toString());
const tuple = (xs: SymNum[]) => new PyTuple(xs.map(fromDim));
function fromDim(d: SymNum): Value {
  return typeof d === 'number' ? d : new SymInt(d);
}
const bool = (v: Value | undefined) => v === true || (typeof v === 'number' && v !== 0);

/** A forward whose input is unusable: output unknown; MACs unknown only for layers that have any. */
function unknownCall(f: ForwardContext, what: string): LayerCall {
  const x = f.inputs[0];
  const reason =
    x instanceof Unknown ? x.reason : x instanceof Tensor && x.unknownReason ? x.unknownReason : `input of ${what} has no known shape`;
  const costly = /^(Linear|Bilinear|Conv|MultiheadAttention|LSTM|GRU|RNN)/.test(what);
  return { output: unknownTensor(reason), macs: costly ? unknownDim(reason) : 0, elementwise: 0 };
}

// ───────────────────────────── families ─────────────────────────────

/** Linear, and the shape-preserving elementwise layers (activations, dropout, norms). */
function elementwise(
  signature: string,
  flopsPerElement: number,
  opts: {
    params?: (a: Map<string, Value>) => Record<string, SymNum[] | null>;
    attrs?: (a: Map<string, Value>) => Record<string, Value>;
    inplaceArg?: string;
  } = {},
): LayerSpec {
  return {
    signature,
    init: (a) => ({
      params: opts.params?.(a) ?? {},
      attrs: { ...(opts.attrs?.(a) ?? {}), ...(opts.inplaceArg ? { inplace: a.get(opts.inplaceArg) ?? false } : {}) },
    }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'layer');
      return {
        output: t(x.shape!, x),
        ...cost.elementwise(x.shape!, flopsPerElement),
        noAllocation: opts.inplaceArg ? bool(f.attr('inplace')) : false,
      };
    },
  };
}

const { activation: ACTIVATION, softmax: SOFTMAX, none: NONE } = cost.FLOPS_PER_ELEMENT;

const ACTIVATION_FLOPS: Record<string, [string, number]> = {
  ReLU: ['inplace=False', ACTIVATION],
  ReLU6: ['inplace=False', ACTIVATION],
  LeakyReLU: ['negative_slope=0.01, inplace=False', ACTIVATION],
  ELU: ['alpha=1.0, inplace=False', ACTIVATION],
  SELU: ['inplace=False', ACTIVATION],
  CELU: ['alpha=1.0, inplace=False', ACTIVATION],
  GELU: ["approximate='none'", ACTIVATION],
  SiLU: ['inplace=False', ACTIVATION],
  Mish: ['inplace=False', ACTIVATION],
  Sigmoid: ['', ACTIVATION],
  Tanh: ['', ACTIVATION],
  Hardswish: ['inplace=False', ACTIVATION],
  Hardsigmoid: ['inplace=False', ACTIVATION],
  Hardtanh: ['min_val=-1.0, max_val=1.0, inplace=False', ACTIVATION],
  Softplus: ['beta=1.0, threshold=20.0', ACTIVATION],
  Softsign: ['', ACTIVATION],
  Tanhshrink: ['', ACTIVATION],
  Hardshrink: ['lambd=0.5', ACTIVATION],
  Softshrink: ['lambd=0.5', ACTIVATION],
  Threshold: ['threshold, value, inplace=False', ACTIVATION],
  LogSigmoid: ['', ACTIVATION],
  Softmax: ['dim=None', SOFTMAX],
  LogSoftmax: ['dim=None', SOFTMAX],
  Softmin: ['dim=None', SOFTMAX],
  Softmax2d: ['', SOFTMAX],
  Dropout: ['p=0.5, inplace=False', NONE],
  Dropout1d: ['p=0.5, inplace=False', NONE],
  Dropout2d: ['p=0.5, inplace=False', NONE],
  Dropout3d: ['p=0.5, inplace=False', NONE],
  AlphaDropout: ['p=0.5, inplace=False', NONE],
  FeatureAlphaDropout: ['p=0.5, inplace=False', NONE],
};

function activationSpecs(): Record<string, LayerSpec> {
  const out: Record<string, LayerSpec> = {};
  for (const [name, [sig, flops]] of Object.entries(ACTIVATION_FLOPS)) {
    const hasInplace = sig.includes('inplace');
    out[name] = elementwise(sig, flops, {
      inplaceArg: hasInplace ? 'inplace' : undefined,
      attrs: (a) => Object.fromEntries([...a].filter(([k]) => k !== 'inplace')),
    });
  }
  return out;
}

function convSpec(nd: number, transposed: boolean): LayerSpec {
  const signature = transposed
    ? "in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None"
    : "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None";
  return {
    signature,
    init: (a, it) => {
      const cin = dimOf(a.get('in_channels'), 'in_channels');
      const cout = dimOf(a.get('out_channels'), 'out_channels');
      const groups = dimOf(a.get('groups'), 'groups');
      const invalid = cost.convGroupsError(cin, cout, groups);
      if (invalid) it.raise('ValueError', invalid);
      const k = tupleOf(a.get('kernel_size'), nd, 'kernel_size');
      const padding = a.get('padding');
      if (padding === 'same' && !transposed && tupleOf(a.get('stride'), nd, 'stride').some((x) => typeof x === 'number' && x !== 1))
        it.raise('ValueError', "padding='same' is not supported for strided convolutions");
      const weight = transposed
        ? [cin, floorDiv(cout, groups, 'out_channels / groups'), ...k]
        : [cout, floorDiv(cin, groups, 'in_channels / groups'), ...k];
      return {
        params: { weight, bias: bool(a.get('bias')) ? [cout] : null },
        attrs: {
          in_channels: a.get('in_channels')!,
          out_channels: a.get('out_channels')!,
          kernel_size: tuple(k),
          stride: tuple(tupleOf(a.get('stride'), nd, 'stride')),
          padding: typeof padding === 'string' ? padding : tuple(tupleOf(padding, nd, 'padding')),
          dilation: tuple(tupleOf(a.get('dilation'), nd, 'dilation')),
          groups: a.get('groups')!,
          padding_mode: a.get('padding_mode')!,
          transposed,
          output_padding: tuple(tupleOf(a.get('output_padding') ?? 0, nd, 'output_padding')),
        },
      };
    },
    forward: (f) => {
      const x = inputTensor(f);
      if (!x || x.shape!.length < nd + 1) return unknownCall(f, `Conv${nd}d`);
      // nn.ConvNd.forward is F.convNd(input, self.weight, self.bias, stride, padding, dilation, groups)
      checkConvDtypes(f.it, x, f.attr('weight'));
      const padAttr = f.attr('padding');
      const { shape, ...r } = convCall(
        x,
        nd,
        {
          inChannels: dimOf(f.attr('in_channels'), 'in_channels'),
          outChannels: dimOf(f.attr('out_channels'), 'out_channels'),
          groups: dimOf(f.attr('groups'), 'groups'),
          kernel: tupleOf(f.attr('kernel_size'), nd, 'kernel_size'),
          stride: tupleOf(f.attr('stride'), nd, 'stride'),
          dilation: tupleOf(f.attr('dilation'), nd, 'dilation'),
          padding: !transposed && (padAttr === 'same' || padAttr === 'valid') ? padAttr : tupleOf(padAttr, nd, 'padding'),
          outputPadding: transposed ? tupleOf(f.attr('output_padding'), nd, 'output_padding') : undefined,
          weight: f.paramShape('weight'),
        },
        f.it,
      );
      return { ...r, output: t(shape, x) };
    },
    paramsFormula: (f) => {
      const cin = dimOf(f.attr('in_channels'), 'in_channels');
      const cout = dimOf(f.attr('out_channels'), 'out_channels');
      const g = dimOf(f.attr('groups'), 'groups');
      const k = tupleOf(f.attr('kernel_size'), nd, 'kernel_size');
      const w = transposed ? `${s(cin)}·${s(floorDiv(cout, g, ''))}` : `${s(cout)}·${s(floorDiv(cin, g, ''))}`;
      return `params = ${w}·${k.map(s).join('·')}${f.attr('bias') === null ? '' : ` + ${s(cout)}`}`;
    },
  };
}

function normSpec(signature: string, channelArg: string, affineArg: string, opts: { buffers?: boolean; kind: cost.NormKind }): LayerSpec {
  return {
    signature,
    init: (a): LayerInit => {
      const c = dimOf(a.get(channelArg), channelArg);
      const affine = bool(a.get(affineArg));
      const track = opts.buffers && bool(a.get('track_running_stats'));
      const p = cost.normParams([c], { scale: affine, shift: affine });
      return {
        params: { weight: p.scale, bias: p.shift },
        buffers: track ? { running_mean: [c], running_var: [c], num_batches_tracked: [] } : {},
        attrs: Object.fromEntries([...a].filter(([k]) => k !== 'device' && k !== 'dtype')),
      };
    },
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'norm');
      return { output: t(x.shape!, x), ...cost.norm(opts.kind, x.shape!) };
    },
  };
}

function poolSpec(nd: number, kind: 'max' | 'avg' | 'lp'): LayerSpec {
  const signature =
    kind === 'max'
      ? 'kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False'
      : kind === 'avg'
        ? 'kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None'
        : 'norm_type, kernel_size, stride=None, ceil_mode=False';
  return {
    signature,
    init: (a) => ({
      params: {},
      attrs: Object.fromEntries([...a].map(([k, v]) => [k, k === 'stride' && v === null ? a.get('kernel_size')! : v])),
    }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x || x.shape!.length < nd + 1) return unknownCall(f, 'pool');
      const out = poolShape(
        x.shape!,
        nd,
        f.attr('kernel_size'),
        f.attr('stride'),
        f.attr('padding') ?? 0,
        kind === 'max' ? f.attr('dilation') : 1,
        bool(f.attr('ceil_mode')),
      );
      const k = tupleOf(f.attr('kernel_size'), nd, 'kernel_size');
      const y = t(out, x);
      const output = kind === 'max' && bool(f.attr('return_indices')) ? new PyTuple([y, new Tensor(out, DEFAULT_FLOAT)]) : y;
      return { output, ...cost.pool(out, k) };
    },
  };
}

export function poolShape(
  shape: readonly SymNum[],
  nd: number,
  kernel: Value,
  stride: Value,
  padding: Value,
  dilation: Value,
  ceil: boolean,
): SymNum[] {
  const k = tupleOf(kernel, nd, 'kernel_size');
  const st = stride === null || stride === undefined ? k : tupleOf(stride, nd, 'stride');
  const p = tupleOf(padding, nd, 'padding');
  const d = tupleOf(dilation ?? 1, nd, 'dilation');
  const spatial = cost.poolSpatial(shape.slice(-nd), { kernel: k, stride: st, padding: p, dilation: d, ceilMode: ceil });
  return [...shape.slice(0, -nd), ...spatial];
}

function adaptivePoolSpec(nd: number, kind: 'max' | 'avg'): LayerSpec {
  return {
    signature: kind === 'max' ? 'output_size, return_indices=False' : 'output_size',
    init: (a) => ({ params: {}, attrs: Object.fromEntries(a) }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x || x.shape!.length < nd + 1) return unknownCall(f, 'adaptive pool');
      const out = adaptiveShape(x.shape!, nd, f.attr('output_size'));
      const y = t(out, x);
      return { output: kind === 'max' && bool(f.attr('return_indices')) ? new PyTuple([y, y]) : y, ...cost.adaptivePool(x.shape!) };
    },
  };
}

export function adaptiveShape(shape: readonly SymNum[], nd: number, outputSize: Value): SymNum[] {
  const items: readonly Value[] =
    outputSize instanceof PyTuple || outputSize instanceof PyList ? outputSize.items : Array<Value>(nd).fill(outputSize);
  const spatialIn = shape.slice(-nd);
  const spatial = spatialIn.map((h, i) => (items[i] === null || items[i] === undefined ? h : dimOf(items[i], 'output_size')));
  return [...shape.slice(0, -nd), ...spatial];
}

function paddingSpec(nd: number, signature: string): LayerSpec {
  return {
    signature,
    init: (a) => ({ params: {}, attrs: { padding: tuple(tupleOf(a.get('padding'), 2 * nd, 'padding')), value: a.get('value') ?? 0 } }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'pad');
      const p = tupleOf(f.attr('padding'), 2 * nd, 'padding');
      const out = [...x.shape!];
      // torch pads the last dim with (p[0], p[1]), the one before with (p[2], p[3]), ...
      for (let i = 0; i < nd; i++) {
        const axis = out.length - 1 - i;
        out[axis] = symSum([x.shape![axis], p[2 * i], p[2 * i + 1]]);
      }
      return { output: t(out, x), macs: 0, elementwise: 0 };
    },
  };
}

/** nn.Upsample and its fixed-mode subclasses: one interpolated value per output element. */
function upsampleSpec(signature: string): LayerSpec {
  return {
    signature,
    init: (a) => ({ params: {}, attrs: Object.fromEntries(a) }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'Upsample');
      const out = interpolateShape(x.shape!, f.attr('size'), f.attr('scale_factor'));
      return { output: t(out, x), ...cost.elementwise(out, 1) };
    },
  };
}

// ───────────────────────────── recurrent ─────────────────────────────

function rnnSpec(gates: number, cell: boolean, mode: 'LSTM' | 'GRU' | 'RNN'): LayerSpec {
  const signature = cell
    ? `input_size, hidden_size, bias=True${mode === 'RNN' ? ", nonlinearity='tanh'" : ''}, device=None, dtype=None`
    : `input_size, hidden_size, num_layers=1${mode === 'RNN' ? ", nonlinearity='tanh'" : ''}, bias=True, batch_first=False, dropout=0.0, bidirectional=False${mode === 'LSTM' ? ', proj_size=0' : ''}, device=None, dtype=None`;
  return {
    signature,
    init: (a) => {
      const inp = dimOf(a.get('input_size'), 'input_size');
      const h = dimOf(a.get('hidden_size'), 'hidden_size');
      const bias = bool(a.get('bias'));
      const params: Record<string, SymNum[] | null> = {};
      if (cell) {
        params.weight_ih = [symMul(gates, h), inp];
        params.weight_hh = [symMul(gates, h), h];
        params.bias_ih = bias ? [symMul(gates, h)] : null;
        params.bias_hh = bias ? [symMul(gates, h)] : null;
      } else {
        const layers = numericValue(a.get('num_layers') ?? 1) ?? 1;
        const dirs = bool(a.get('bidirectional')) ? 2 : 1;
        const proj = numericValue(a.get('proj_size') ?? 0) ?? 0;
        const real = proj > 0 ? proj : h;
        for (let l = 0; l < layers; l++)
          for (let d = 0; d < dirs; d++) {
            const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
            const layerIn = l === 0 ? inp : symMul(real, dirs);
            params[`weight_ih${sfx}`] = [symMul(gates, h), layerIn];
            params[`weight_hh${sfx}`] = [symMul(gates, h), real];
            if (bias) {
              params[`bias_ih${sfx}`] = [symMul(gates, h)];
              params[`bias_hh${sfx}`] = [symMul(gates, h)];
            }
            if (proj > 0) params[`weight_hr${sfx}`] = [proj, h];
          }
      }
      return { params, attrs: Object.fromEntries([...a].filter(([k]) => k !== 'device' && k !== 'dtype')) };
    },
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, mode);
      const inp = dimOf(f.attr('input_size'), 'input_size');
      const h = dimOf(f.attr('hidden_size'), 'hidden_size');
      if (cell) {
        const batch = x.shape!.length === 2 ? x.shape![0] : 1;
        const { macs, elementwise } = cost.recurrent({ gates, hidden: h, input: inp, steps: 1, batch });
        const hOut = t(x.shape!.length === 2 ? [batch, h] : [h], x);
        return { output: mode === 'LSTM' ? new PyTuple([hOut, hOut]) : hOut, macs, elementwise };
      }
      const batchFirst = bool(f.attr('batch_first'));
      const layers = numericValue(f.attr('num_layers')) ?? 1;
      const dirs = bool(f.attr('bidirectional')) ? 2 : 1;
      const proj = numericValue(f.attr('proj_size') ?? 0) ?? 0;
      const real = proj > 0 ? proj : h;
      const shape = x.shape!;
      // a PackedSequence carries (time·batch, features) data; its padded sizes bound the work
      const batched = shape.length === 3 || !!x.packed;
      const T = x.packed ? x.packed.time : batched ? shape[batchFirst ? 1 : 0] : shape[0];
      const B = x.packed ? x.packed.batch : batched ? shape[batchFirst ? 0 : 1] : 1;
      let macs: SymNum = 0;
      let elementwise: SymNum = 0;
      for (let l = 0; l < layers; l++) {
        const layer = cost.recurrent({
          gates,
          hidden: h,
          input: l === 0 ? inp : symMul(real, dirs),
          steps: T,
          batch: B,
          directions: dirs,
          proj,
        });
        macs = symAdd(macs, layer.macs);
        elementwise = symAdd(elementwise, layer.elementwise);
      }
      const outFeat = symMul(real, dirs);
      const outShape = x.packed ? [symMul(T, B), outFeat] : batched ? (batchFirst ? [B, T, outFeat] : [T, B, outFeat]) : [T, outFeat];
      const hn = t(batched ? [layers * dirs, B, real] : [layers * dirs, real], x);
      const output = t(outShape, x);
      if (x.packed) output.packed = x.packed;
      const state = mode === 'LSTM' ? new PyTuple([hn, t(batched ? [layers * dirs, B, h] : [layers * dirs, h], x)]) : hn;
      return {
        output: new PyTuple([output, state]),
        macs,
        elementwise,
        formula: `MACs = layers·dirs·T·B·${gates}H·(in + H) = ${layers}·${dirs}·${s(T)}·${s(B)}·${gates}·${s(h)}·(${s(inp)} + ${s(real)})`,
      };
    },
  };
}

// ───────────────────────────── attention ─────────────────────────────

const multiheadAttention: LayerSpec = {
  forwardSignature:
    'query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True, is_causal=False',
  signature:
    'embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None',
  init: (a) => {
    const e = dimOf(a.get('embed_dim'), 'embed_dim');
    const kdim = a.get('kdim') === null ? e : dimOf(a.get('kdim'), 'kdim');
    const vdim = a.get('vdim') === null ? e : dimOf(a.get('vdim'), 'vdim');
    const same = kdim === e && vdim === e;
    const params: Record<string, SymNum[] | null> = same
      ? { in_proj_weight: [symMul(3, e), e], q_proj_weight: null, k_proj_weight: null, v_proj_weight: null }
      : { in_proj_weight: null, q_proj_weight: [e, e], k_proj_weight: [e, kdim], v_proj_weight: [e, vdim] };
    params.in_proj_bias = bool(a.get('bias')) ? [symMul(3, e)] : null;
    params.bias_k = bool(a.get('add_bias_kv')) ? [1, 1, e] : null;
    params.bias_v = bool(a.get('add_bias_kv')) ? [1, 1, e] : null;
    const heads = dimOf(a.get('num_heads'), 'num_heads');
    return {
      params,
      attrs: {
        embed_dim: a.get('embed_dim')!,
        kdim: fromDim(kdim),
        vdim: fromDim(vdim),
        _qkv_same_embed_dim: same,
        num_heads: a.get('num_heads')!,
        dropout: a.get('dropout')!,
        batch_first: a.get('batch_first')!,
        head_dim: fromDim(floorDiv(e, heads, 'embed_dim / num_heads')),
      },
      children: { out_proj: ['Linear', [a.get('embed_dim')!, a.get('embed_dim')!], { bias: a.get('bias')! }] },
    };
  },
  forward: (f) => {
    const q = inputTensor(f, 0);
    const k = inputTensor(f, 1) ?? q;
    const v = inputTensor(f, 2) ?? k;
    if (!q || !k || !v) return unknownCall(f, 'MultiheadAttention');
    const e = dimOf(f.attr('embed_dim'), 'embed_dim');
    const kdim = dimOf(f.attr('kdim'), 'kdim');
    const vdim = dimOf(f.attr('vdim'), 'vdim');
    const batchFirst = bool(f.attr('batch_first'));
    const batched = q.shape!.length === 3;
    const T = batched ? q.shape![batchFirst ? 1 : 0] : q.shape![0];
    const S = batched ? k.shape![batchFirst ? 1 : 0] : k.shape![0];
    const B = batched ? q.shape![batchFirst ? 0 : 1] : 1;
    const heads = dimOf(f.attr('num_heads'), 'num_heads');
    const needWeights = f.kwargs.has('need_weights') ? bool(f.kwargs.get('need_weights')) : f.inputs.length > 4 ? bool(f.inputs[4]) : true;
    const average = f.kwargs.has('average_attn_weights') ? bool(f.kwargs.get('average_attn_weights')) : true;
    const weights = needWeights ? t(batched ? (average ? [B, T, S] : [B, heads, T, S]) : average ? [T, S] : [heads, T, S], q) : null;
    const r = cost.multiheadAttention({ batch: B, queryLength: T, keyLength: S, embed: e, kdim, vdim, heads });
    return { ...r, output: new PyTuple([t(q.shape!, q), weights]) };
  },
  paramsFormula: (f) => {
    const e = dimOf(f.attr('embed_dim'), 'embed_dim');
    return `params = 3·${s(e)}·${s(e)} + 3·${s(e)} (in_proj) + ${s(e)}·${s(e)} + ${s(e)} (out_proj)`;
  },
};

// ───────────────────────────── the table ─────────────────────────────

export const LAYERS: Record<string, LayerSpec> = {
  Identity: {
    signature: '',
    init: () => ({ params: {}, attrs: {} }),
    forward: (f) => ({ output: f.inputs[0] ?? null, macs: 0, elementwise: 0, noAllocation: true }),
  },
  Linear: {
    signature: 'in_features, out_features, bias=True, device=None, dtype=None',
    init: (a) => {
      const i = dimOf(a.get('in_features'), 'in_features');
      const o = dimOf(a.get('out_features'), 'out_features');
      return {
        params: { weight: [o, i], bias: bool(a.get('bias')) ? [o] : null },
        attrs: { in_features: a.get('in_features')!, out_features: a.get('out_features')! },
      };
    },
    forward: (f) => {
      const x = inputTensor(f);
      if (!x || x.shape!.length === 0) return unknownCall(f, 'Linear');
      // nn.Linear.forward is F.linear(input, self.weight, self.bias); a wrong in_features raises as in torch
      checkLinearDtypes(f.it, x, f.attr('weight'));
      const { shape, ...r } = linearCall(
        x,
        dimOf(f.attr('in_features'), 'in_features'),
        dimOf(f.attr('out_features'), 'out_features'),
        f.it,
      );
      return { ...r, output: t(shape, x) };
    },
    paramsFormula: (f) => {
      const i = dimOf(f.attr('in_features'), 'in_features');
      const o = dimOf(f.attr('out_features'), 'out_features');
      return `params = ${s(o)}·${s(i)}${f.attr('bias') === null ? '' : ` + ${s(o)}`}`;
    },
  },
  Bilinear: {
    signature: 'in1_features, in2_features, out_features, bias=True, device=None, dtype=None',
    init: (a) => {
      const [i1, i2, o] = ['in1_features', 'in2_features', 'out_features'].map((k) => dimOf(a.get(k), k));
      return { params: { weight: [o, i1, i2], bias: bool(a.get('bias')) ? [o] : null }, attrs: Object.fromEntries(a) };
    },
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'Bilinear');
      const [i1, i2, o] = ['in1_features', 'in2_features', 'out_features'].map((k) => dimOf(f.attr(k), k));
      const rows = symProduct(x.shape!.slice(0, -1));
      return { output: t([...x.shape!.slice(0, -1), o], x), macs: symProduct([rows, i1, i2, o]), elementwise: 0 };
    },
  },
  Conv1d: convSpec(1, false),
  Conv2d: convSpec(2, false),
  Conv3d: convSpec(3, false),
  ConvTranspose1d: convSpec(1, true),
  ConvTranspose2d: convSpec(2, true),
  ConvTranspose3d: convSpec(3, true),
  BatchNorm1d: normSpec(
    'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None',
    'num_features',
    'affine',
    { buffers: true, kind: 'batch' },
  ),
  BatchNorm2d: normSpec(
    'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None',
    'num_features',
    'affine',
    { buffers: true, kind: 'batch' },
  ),
  BatchNorm3d: normSpec(
    'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None',
    'num_features',
    'affine',
    { buffers: true, kind: 'batch' },
  ),
  SyncBatchNorm: normSpec(
    'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, process_group=None, device=None, dtype=None',
    'num_features',
    'affine',
    { buffers: true, kind: 'batch' },
  ),
  InstanceNorm1d: normSpec(
    'num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None',
    'num_features',
    'affine',
    { buffers: true, kind: 'instance' },
  ),
  InstanceNorm2d: normSpec(
    'num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None',
    'num_features',
    'affine',
    { buffers: true, kind: 'instance' },
  ),
  InstanceNorm3d: normSpec(
    'num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None',
    'num_features',
    'affine',
    { buffers: true, kind: 'instance' },
  ),
  GroupNorm: normSpec('num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None', 'num_channels', 'affine', {
    kind: 'group',
  }),
  LayerNorm: {
    signature: 'normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None',
    init: (a) => {
      const ns = a.get('normalized_shape');
      const shape =
        ns instanceof PyTuple || ns instanceof PyList
          ? ns.items.map((x, i) => dimOf(x, `normalized_shape[${i}]`))
          : [dimOf(ns, 'normalized_shape')];
      const affine = bool(a.get('elementwise_affine'));
      const p = cost.normParams(shape, { scale: affine, shift: affine && bool(a.get('bias')) });
      return {
        params: { weight: p.scale, bias: p.shift },
        attrs: { normalized_shape: tuple(shape), eps: a.get('eps')!, elementwise_affine: a.get('elementwise_affine')! },
      };
    },
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'LayerNorm');
      const normalized = f.attr('normalized_shape');
      if (normalized instanceof PyTuple) {
        const error = cost.layerNormInputError(
          x.shape!,
          normalized.items.map((d, i) => dimOf(d, `normalized_shape[${i}]`)),
        );
        if (error) f.it.raise('RuntimeError', error);
      }
      return { output: t(x.shape!, x), ...cost.norm('layer', x.shape!) };
    },
  },
  RMSNorm: {
    signature: 'normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None',
    init: (a) => {
      const ns = a.get('normalized_shape');
      const shape =
        ns instanceof PyTuple || ns instanceof PyList
          ? ns.items.map((x, i) => dimOf(x, `normalized_shape[${i}]`))
          : [dimOf(ns, 'normalized_shape')];
      return {
        params: { weight: cost.normParams(shape, { scale: bool(a.get('elementwise_affine')), shift: false }).scale },
        attrs: { normalized_shape: tuple(shape), eps: a.get('eps')! },
      };
    },
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'RMSNorm');
      return { output: t(x.shape!, x), ...cost.norm('rms', x.shape!) };
    },
  },
  LocalResponseNorm: elementwise('size, alpha=0.0001, beta=0.75, k=1.0', cost.NORM_FLOPS.localResponse, {
    attrs: (a) => Object.fromEntries(a),
  }),
  Embedding: {
    signature:
      'num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None',
    init: (a) => {
      const n = dimOf(a.get('num_embeddings'), 'num_embeddings');
      const d = dimOf(a.get('embedding_dim'), 'embedding_dim');
      return {
        params: { weight: [n, d] },
        attrs: { num_embeddings: a.get('num_embeddings')!, embedding_dim: a.get('embedding_dim')!, padding_idx: a.get('padding_idx')! },
      };
    },
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'Embedding');
      const r = cost.embedding(x.shape!, dimOf(f.attr('embedding_dim'), 'embedding_dim'));
      return { ...r.cost, output: new Tensor(r.output, DEFAULT_FLOAT) };
    },
    paramsFormula: (f) =>
      `params = ${s(dimOf(f.attr('num_embeddings'), 'num_embeddings'))}·${s(dimOf(f.attr('embedding_dim'), 'embedding_dim'))}`,
  },
  EmbeddingBag: {
    signature:
      "num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None, include_last_offset=False, padding_idx=None, device=None, dtype=None",
    init: (a) => ({
      params: { weight: [dimOf(a.get('num_embeddings'), 'num_embeddings'), dimOf(a.get('embedding_dim'), 'embedding_dim')] },
      attrs: { num_embeddings: a.get('num_embeddings')!, embedding_dim: a.get('embedding_dim')! },
    }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'EmbeddingBag');
      const d = dimOf(f.attr('embedding_dim'), 'embedding_dim');
      return { output: new Tensor([x.shape![0], d], DEFAULT_FLOAT), macs: 0, elementwise: numelOf(x.shape) };
    },
  },
  PReLU: elementwise('num_parameters=1, init=0.25, device=None, dtype=None', 1, {
    params: (a) => ({ weight: [dimOf(a.get('num_parameters'), 'num_parameters')] }),
    attrs: (a) => ({ num_parameters: a.get('num_parameters')! }),
  }),
  ...activationSpecs(),
  GLU: {
    signature: 'dim=-1',
    init: (a) => ({ params: {}, attrs: { dim: a.get('dim')! } }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'GLU');
      const axis = normAxis(numericValue(f.attr('dim')) ?? -1, x.shape!.length);
      if (axis === null) return unknownCall(f, 'GLU');
      const out = [...x.shape!];
      out[axis] = floorDiv(out[axis], 2, 'GLU halves an odd dimension');
      return { output: t(out, x), macs: 0, elementwise: symMul(2, numelOf(out)) };
    },
  },
  MaxPool1d: poolSpec(1, 'max'),
  MaxPool2d: poolSpec(2, 'max'),
  MaxPool3d: poolSpec(3, 'max'),
  AvgPool1d: poolSpec(1, 'avg'),
  AvgPool2d: poolSpec(2, 'avg'),
  AvgPool3d: poolSpec(3, 'avg'),
  LPPool1d: poolSpec(1, 'lp'),
  LPPool2d: poolSpec(2, 'lp'),
  AdaptiveAvgPool1d: adaptivePoolSpec(1, 'avg'),
  AdaptiveAvgPool2d: adaptivePoolSpec(2, 'avg'),
  AdaptiveAvgPool3d: adaptivePoolSpec(3, 'avg'),
  AdaptiveMaxPool1d: adaptivePoolSpec(1, 'max'),
  AdaptiveMaxPool2d: adaptivePoolSpec(2, 'max'),
  AdaptiveMaxPool3d: adaptivePoolSpec(3, 'max'),
  ZeroPad1d: paddingSpec(1, 'padding'),
  ZeroPad2d: paddingSpec(2, 'padding'),
  ZeroPad3d: paddingSpec(3, 'padding'),
  ConstantPad1d: paddingSpec(1, 'padding, value'),
  ConstantPad2d: paddingSpec(2, 'padding, value'),
  ConstantPad3d: paddingSpec(3, 'padding, value'),
  ReflectionPad1d: paddingSpec(1, 'padding'),
  ReflectionPad2d: paddingSpec(2, 'padding'),
  ReflectionPad3d: paddingSpec(3, 'padding'),
  ReplicationPad1d: paddingSpec(1, 'padding'),
  ReplicationPad2d: paddingSpec(2, 'padding'),
  ReplicationPad3d: paddingSpec(3, 'padding'),
  CircularPad2d: paddingSpec(2, 'padding'),
  Flatten: {
    signature: 'start_dim=1, end_dim=-1',
    init: (a) => ({ params: {}, attrs: { start_dim: a.get('start_dim')!, end_dim: a.get('end_dim')! } }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'Flatten');
      const out = flattenShape(x.shape!, numericValue(f.attr('start_dim')) ?? 1, numericValue(f.attr('end_dim')) ?? -1);
      return { output: t(out, x), macs: 0, elementwise: 0, noAllocation: true };
    },
  },
  Unflatten: {
    signature: 'dim, unflattened_size',
    init: (a) => ({ params: {}, attrs: Object.fromEntries(a) }),
    forward: (f) => {
      const x = inputTensor(f);
      const sizes = f.attr('unflattened_size');
      if (!x || !(sizes instanceof PyTuple || sizes instanceof PyList)) return unknownCall(f, 'Unflatten');
      const axis = normAxis(numericValue(f.attr('dim')) ?? 0, x.shape!.length);
      if (axis === null) return unknownCall(f, 'Unflatten');
      const out = [
        ...x.shape!.slice(0, axis),
        ...sizes.items.map((d, i) => dimOf(d, `unflattened_size[${i}]`)),
        ...x.shape!.slice(axis + 1),
      ];
      return { output: t(out, x), macs: 0, elementwise: 0, noAllocation: true };
    },
  },
  Upsample: upsampleSpec("size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None"),
  UpsamplingNearest2d: upsampleSpec('size=None, scale_factor=None'),
  PixelShuffle: {
    signature: 'upscale_factor',
    init: (a) => ({ params: {}, attrs: Object.fromEntries(a) }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x || x.shape!.length < 3) return unknownCall(f, 'PixelShuffle');
      const r = dimOf(f.attr('upscale_factor'), 'upscale_factor');
      const [c, h, w] = x.shape!.slice(-3);
      const out = [...x.shape!.slice(0, -3), floorDiv(c, symMul(r, r), 'channels / r²'), symMul(h, r), symMul(w, r)];
      return { output: t(out, x), macs: 0, elementwise: 0 };
    },
  },
  // the inverse rearrangement: channels × r², height and width / r
  PixelUnshuffle: {
    signature: 'downscale_factor',
    init: (a) => ({ params: {}, attrs: Object.fromEntries(a) }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x || x.shape!.length < 3) return unknownCall(f, 'PixelUnshuffle');
      const out = pixelUnshuffleShape(x.shape!, dimOf(f.attr('downscale_factor'), 'downscale_factor'));
      return { output: t(out, x), macs: 0, elementwise: 0 };
    },
  },
  ChannelShuffle: elementwise('groups', 0, { attrs: (a) => Object.fromEntries(a) }),
  MultiheadAttention: multiheadAttention,
  LSTM: rnnSpec(4, false, 'LSTM'),
  GRU: rnnSpec(3, false, 'GRU'),
  RNN: rnnSpec(1, false, 'RNN'),
  LSTMCell: rnnSpec(4, true, 'LSTM'),
  GRUCell: rnnSpec(3, true, 'GRU'),
  RNNCell: rnnSpec(1, true, 'RNN'),
  CosineSimilarity: {
    signature: 'dim=1, eps=1e-08',
    init: (a) => ({ params: {}, attrs: Object.fromEntries(a) }),
    forward: (f) => {
      const x = inputTensor(f);
      if (!x) return unknownCall(f, 'CosineSimilarity');
      const axis = normAxis(numericValue(f.attr('dim')) ?? 1, x.shape!.length) ?? 0;
      return {
        output: t(
          x.shape!.filter((_, i) => i !== axis),
          x,
        ),
        macs: 0,
        elementwise: symMul(3, numelOf(x.shape)),
      };
    },
  },
};

// Loss modules: no parameters, elementwise work only; the reduction settled at construction (lossOps.ts).
for (const loss of LOSS_MODULES)
  LAYERS[loss] = {
    signature: lossModuleSignature(loss),
    init: (a) => ({ params: {}, attrs: { reduction: lossReduction(a) } }),
    forward: (f) => {
      const r = lossModuleResult(loss, f.inputs, f.attr('reduction'));
      return { output: r.output, macs: 0, elementwise: r.elementwise ?? 0 };
    },
  };

export const LAYER_ALIASES: Record<string, string> = {
  NonDynamicallyQuantizableLinear: 'Linear',
  LazyLinear: 'Linear',
  UpsamplingBilinear2d: 'UpsamplingNearest2d',
};

/** Output shape of pixel_unshuffle: (…, C, H, W) → (…, C·r², H / r, W / r). */
export function pixelUnshuffleShape(shape: readonly SymNum[], r: SymNum): SymNum[] {
  const [c, h, w] = shape.slice(-3);
  return [...shape.slice(0, -3), symMul(c, symMul(r, r)), floorDiv(h, r, 'height / r'), floorDiv(w, r, 'width / r')];
}

export function flattenShape(shape: readonly SymNum[], start: number, end: number): SymNum[] {
  if (shape.length === 0) return [1];
  const a = normAxis(start, shape.length) ?? 0;
  const b = normAxis(end, shape.length) ?? shape.length - 1;
  if (b < a) return [...shape];
  return [...shape.slice(0, a), symProduct(shape.slice(a, b + 1)), ...shape.slice(b + 1)];
}

/** Output shape of F.interpolate / nn.Upsample from size or scale_factor. */
export function interpolateShape(shape: readonly SymNum[], size: Value, scale: Value): SymNum[] {
  const nd = Math.max(1, shape.length - 2);
  const lead = shape.slice(0, shape.length - nd);
  if (size !== null && size !== undefined) return [...lead, ...tupleOf(size, nd, 'size')];
  if (scale !== null && scale !== undefined) {
    const factors: readonly Value[] = scale instanceof PyTuple || scale instanceof PyList ? scale.items : Array<Value>(nd).fill(scale);
    return [
      ...lead,
      ...shape.slice(-nd).map((d, i) => {
        const k = numericValue(factors[i] ?? null);
        if (k === null) return unknownDim('scale_factor unknown');
        if (typeof d === 'number') return Math.floor(d * k);
        return Number.isInteger(k) ? symMul(d, k) : unknownDim('fractional scale of a symbolic size');
      }),
    ];
  }
  return shape.map(() => unknownDim('interpolate without size or scale_factor'));
}
