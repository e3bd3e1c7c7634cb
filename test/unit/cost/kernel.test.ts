// The cost kernel against real torch: every expected value in torchCases.json was computed by
// torchCases.py (beside this file) with /usr/bin/python3 and torch — output shapes by running
// the op, MACs by scripts/truth/torch_macs.py, parameter counts and error messages from torch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as cost from '../../../src/core/cost';
import { Poly, symProduct, type SymNum } from '../../../src/core/interp/symbolic';

interface TorchError {
  type: string;
  message: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const cases: any = JSON.parse(readFileSync(join(__dirname, 'torchCases.json'), 'utf8'));

describe('conv (torch output shapes, torch_macs MACs)', () => {
  for (const c of cases.conv) {
    const transposed = !!c.outputPadding;
    it(`${transposed ? 'ConvTranspose' : 'Conv'}${c.rank}d ${JSON.stringify(c.input)} k=${c.kernel} s=${c.stride} p=${JSON.stringify(c.padding)} d=${c.dilation} g=${c.groups}`, () => {
      const spatialIn = c.input.slice(2);
      const window = { kernel: c.kernel, stride: c.stride, dilation: c.dilation };
      const spatial = transposed
        ? cost.convTransposeSpatial(spatialIn, { ...window, padding: c.padding, outputPadding: c.outputPadding })
        : cost.convSpatial(spatialIn, { ...window, padding: c.padding });
      const output = [c.input[0], c.outC, ...spatial];
      expect(output).toEqual(c.expected.output);
      const r = transposed ? cost.convTranspose(c.input, c.outC, c.groups, c.kernel) : cost.conv(output, c.inC, c.groups, c.kernel);
      expect(r.macs).toBe(c.expected.macs);
      expect(r.elementwise).toBe(0);
      expect(cost.convGroupsError(c.inC, c.outC, c.groups)).toBeNull();
      expect(cost.convInputError(c.input, c.weight, c.groups, transposed)).toBeNull();
    });
  }

  it('works over symbolic dims: a 3×3 conv at stride 1, padding 1 keeps H and W', () => {
    const H = Poly.symbol('H');
    const W = Poly.symbol('W');
    const spatial = cost.convSpatial([H, W], { kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: [1, 1] });
    expect(spatial.map(String)).toEqual(['H', 'W']);
    const r = cost.conv([1, 8, ...spatial], 4, 1, [3, 3]);
    expect(String(r.macs)).toBe(String(symProduct([288, H, W] as SymNum[])));
  });
});

describe('conv channel and group checks (the messages torch raises)', () => {
  for (const c of cases.convErrors) {
    const expected = c.expected as TorchError | null;
    const name =
      c.kind === 'groups'
        ? `in=${c.inC} out=${c.outC} groups=${c.groups}`
        : `input ${JSON.stringify(c.input)} weight ${JSON.stringify(c.weight)} groups=${c.groups}${c.transposed ? ' transposed' : ''}`;
    it(`${name}: ${expected ? expected.type : 'accepted'}`, () => {
      const message =
        c.kind === 'groups'
          ? cost.convGroupsError(c.inC, c.outC, c.groups)
          : cost.convInputError(c.input, c.weight, c.groups, c.transposed);
      expect(message).toBe(expected ? expected.message : null);
    });
  }

  it('says nothing while a channel count is symbolic', () => {
    expect(cost.convGroupsError(Poly.symbol('C'), 9, 3)).toBeNull();
    expect(cost.convInputError([1, Poly.symbol('C'), 8, 8], [8, 3, 3, 3], 1, false)).toBeNull();
  });
});

describe('linear and matmul', () => {
  for (const c of cases.linear)
    it(`Linear(${c.inF}, ${c.outF}) on ${JSON.stringify(c.input)}`, () => {
      const r = cost.linear(c.input, c.inF, c.outF);
      expect(r.output).toEqual(c.expected.output);
      expect(r.cost.macs).toBe(c.expected.macs);
      expect(r.cost.formula).toMatch(/^MACs = rows·in·out = /);
      expect(cost.linearInputError(c.input, c.inF, c.outF)).toBeNull();
    });
  for (const c of cases.linearErrors)
    it(`Linear(${c.inF}, ${c.outF}) on ${JSON.stringify(c.input)} raises torch's message`, () => {
      expect(cost.linearInputError(c.input, c.inF, c.outF)).toBe(c.expected.message);
    });
  for (const c of cases.matmul)
    it(`matmul ${JSON.stringify(c.a)} @ ${JSON.stringify(c.b)}`, () => {
      const r = cost.matmul(c.a, c.b)!;
      expect(r.shape).toEqual(c.expected.output);
      expect(r.macs).toBe(c.expected.macs);
    });
  it('a contraction over one axis is numel(output)·contracted (matmul as a check)', () => {
    const r = cost.matmul([2, 1, 3, 4], [5, 4, 6])!;
    expect(cost.contraction(r.shape, 4).macs).toBe(r.macs);
  });
});

describe('attention', () => {
  for (const c of cases.attention)
    it(`scaled dot product, batch ${JSON.stringify(c.batch)} L=${c.L} S=${c.S} E=${c.E} Ev=${c.Ev}`, () => {
      const r = cost.attention({ batch: c.batch, queryLength: c.L, keyLength: c.S, qkDim: c.E, vDim: c.Ev });
      expect(r.macs).toBe(c.expected.macs);
      const scores = c.batch.reduce((p: number, q: number) => p * q, 1) * c.L * c.S;
      expect(r.attention).toMatchObject({
        queryLength: c.L,
        keyLength: c.S,
        scoreElements: scores,
        scoreMacs: c.expected.macs,
        headDim: c.E,
      });
      expect(r.elementwise).toBe(5 * scores);
    });
  for (const c of cases.multiheadAttention)
    it(`MultiheadAttention(E=${c.E}, heads=${c.heads}, kdim=${c.kdim}, vdim=${c.vdim}) B=${c.B} T=${c.T} S=${c.S}`, () => {
      const r = cost.multiheadAttention({
        batch: c.B,
        queryLength: c.T,
        keyLength: c.S,
        embed: c.E,
        kdim: c.kdim,
        vdim: c.vdim,
        heads: c.heads,
      });
      expect(r.macs).toBe(c.expected.macs);
      expect(r.attention).toMatchObject({ scoreElements: c.B * c.heads * c.T * c.S, headDim: c.E / c.heads });
    });
});

describe('pooling (torch output shapes)', () => {
  for (const c of cases.pool)
    it(`${c.kind}pool${c.rank}d ${JSON.stringify(c.input)} ${JSON.stringify(c.args)}`, () => {
      const n = (v: number | number[]) => (Array.isArray(v) ? v : Array(c.rank).fill(v));
      const k = n(c.args.kernel_size);
      const spatial = cost.poolSpatial(c.input.slice(2), {
        kernel: k,
        stride: n(c.args.stride),
        padding: n(c.args.padding),
        dilation: n(c.args.dilation ?? 1),
        ceilMode: c.args.ceil_mode,
      });
      const output = [...c.input.slice(0, 2), ...spatial];
      expect(output).toEqual(c.expected.output);
      expect(cost.pool(output, k).elementwise).toBe(
        output.reduce((p, q) => p * (q as number), 1) * k.reduce((p: number, q: number) => p * q, 1),
      );
    });
  it("TF.js's 'same' and 'valid' windows match its convOutputLength", () => {
    // tfjs-layers conv_utils.convOutputLength(9, 3, 'same', 2) = 5, ('valid', stride 2) = 4
    expect(cost.poolSpatial([9], { kernel: [3], stride: [2], padding: 'same' })).toEqual([5]);
    expect(cost.poolSpatial([9], { kernel: [3], stride: [2], padding: 'valid' })).toEqual([4]);
  });
  for (const c of cases.adaptivePool)
    it(`adaptive pool reads every input element once (${JSON.stringify(c.input)} → ${JSON.stringify(c.expected.output)})`, () => {
      expect(cost.adaptivePool(c.input).elementwise).toBe(c.input.reduce((p: number, q: number) => p * q, 1));
    });
});

describe('norms', () => {
  for (const c of cases.norm)
    it(`${c.module} over ${JSON.stringify(c.features)} has torch's parameter count`, () => {
      const p = cost.normParams(c.features, { scale: c.scale, shift: c.shift });
      const count = [p.scale, p.shift].reduce<number>((s, shape) => s + (shape ? (symProduct(shape) as number) : 0), 0);
      expect(count).toBe(c.expected.params);
    });
  it('counts elementwise FLOPs per element by kind and no MACs', () => {
    expect(cost.norm('batch', [2, 3, 4])).toEqual({ macs: 0, elementwise: 48 });
    expect(cost.norm('layer', [2, 3, 4]).elementwise).toBe(120);
    expect(cost.norm('rms', [2, 3, 4]).elementwise).toBe(96);
  });
});

describe('recurrent', () => {
  for (const c of cases.recurrent)
    it(`${c.mode}(${c.input}, ${c.hidden}, layers=${c.layers}, dirs=${c.directions}) over T=${c.T}, B=${c.B}`, () => {
      let macs = 0;
      for (let l = 0; l < c.layers; l++)
        macs += cost.recurrent({
          gates: c.gates,
          hidden: c.hidden,
          input: l === 0 ? c.input : c.hidden * c.directions,
          steps: c.T,
          batch: c.B,
          directions: c.directions,
        }).macs as number;
      expect(macs).toBe(c.expected.macs);
    });
});
