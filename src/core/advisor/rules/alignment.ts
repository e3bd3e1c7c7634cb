// Hardware alignment rules (suggestions: they change shapes or layouts):
// - `vocab-padding`: a vocabulary that is not a multiple of 64 (50257 → 50304); the after
//   figures come from re-analyzing the file with the padded size;
// - `alignment`: large matmul dimensions that are not multiples of 8 (fp16/bf16 Tensor Cores);
// - `channels-last`: convolution-heavy models, which run faster in channels_last under AMP.
import type { LayerReport } from '../../report/types';
import { figuresOf } from '../figures';
import type { Finding, LineEdit, Rule, RuleContext } from '../types';

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

function numberIn(l: LayerReport, key: string): number | undefined {
  const v = l.config?.[key];
  return typeof v === 'number' ? v : undefined;
}

/** A literal `n` in the source of the model's file, for a hypothetical rewrite (first occurrence). */
function literalEdit(ctx: RuleContext, n: number, replacement: number): LineEdit | undefined {
  const re = new RegExp(`(?<![\\w.])${n}(?![\\w.])`);
  const row = ctx.lines.findIndex((l) => re.test(l.replace(/#.*/, '')));
  return row < 0 ? undefined : { startLine: row, endLine: row, lines: [ctx.lines[row].replace(re, String(replacement))] };
}

export const vocabPaddingRule: Rule = {
  id: 'vocab-padding',
  title: 'Pad the vocabulary to a multiple of 64',
  find(ctx) {
    const findings: Finding[] = [];
    for (const m of ctx.report.models) {
      const emb = m.layers.find((l) => l.type === 'Embedding' && (numberIn(l, 'num_embeddings') ?? 0) >= 1000);
      const vocab = emb ? numberIn(emb, 'num_embeddings')! : undefined;
      if (!vocab || vocab % 64 === 0) continue;
      const padded = roundUp(vocab, 64);
      const edit = literalEdit(ctx, vocab, padded);
      findings.push({
        rule: 'vocab-padding',
        line: emb!.line ?? m.line ?? 1,
        message: `Vocabulary ${vocab} is not a multiple of 64: the embedding and output-projection matmuls miss the Tensor Core tile sizes. Padding it to ${padded} (nanoGPT's 50257 → 50304) adds ${padded - vocab} unused rows and usually runs faster.`,
        // the after figures come from the engine on the file with the padded size (not offered as a fix: it changes the output width)
        hypotheticalEdits: edit ? [edit] : undefined,
        estimate: edit
          ? undefined
          : {
              model: m.name,
              after: figuresOf(m),
              assumptions: ['the vocabulary size literal was not found in this file: figures unchanged here'],
            },
        assumptions: [
          'fp16/bf16 Tensor Cores work on multiples of 8; vocab-sized matmuls are fastest at multiples of 64',
          'the padded logits must be ignored (or masked) in the loss and when sampling',
        ],
      });
    }
    return findings;
  },
};

export const alignmentRule: Rule = {
  id: 'alignment',
  title: 'Matmul dimensions that are not multiples of 8',
  find(ctx) {
    const findings: Finding[] = [];
    for (const m of ctx.report.models) {
      if (!m.macs) continue;
      // a vocabulary width is vocab-padding's finding (one cause, one finding)
      const vocab = new Set(
        m.layers
          .filter((l) => l.type === 'Embedding' && (numberIn(l, 'num_embeddings') ?? 0) >= 1000)
          .map((l) => numberIn(l, 'num_embeddings')),
      );
      const misaligned = m.layers.filter((l) => {
        const dims =
          l.type === 'Linear'
            ? [numberIn(l, 'in_features'), numberIn(l, 'out_features')]
            : /^Conv/.test(l.type)
              ? [numberIn(l, 'in_channels'), numberIn(l, 'out_channels')]
              : [];
        // small layers (and 3-channel image inputs) do not matter
        return (l.macs ?? 0) / m.macs! >= 0.05 && dims.some((d) => d !== undefined && d >= 64 && d % 8 !== 0 && !vocab.has(d));
      });
      if (!misaligned.length) continue;
      const describe = (l: LayerReport) =>
        l.type === 'Linear'
          ? `${l.path} (Linear ${numberIn(l, 'in_features')}→${numberIn(l, 'out_features')})`
          : `${l.path} (${l.type} ${numberIn(l, 'in_channels')}→${numberIn(l, 'out_channels')})`;
      const share = Math.round((100 * misaligned.reduce((s, l) => s + (l.macs ?? 0), 0)) / m.macs);
      findings.push({
        rule: 'alignment',
        line: misaligned[0].line ?? m.line ?? 1,
        message: `${misaligned.length} layer${misaligned.length > 1 ? 's' : ''} carrying ${share}% of ${m.name}'s MACs have dimensions that are not multiples of 8: ${misaligned.slice(0, 3).map(describe).join(', ')}${misaligned.length > 3 ? ', …' : ''}. fp16/bf16 Tensor Cores need multiples of 8; rounding the widths up (e.g. ${roundUp(numberIn(misaligned[0], 'out_features') ?? numberIn(misaligned[0], 'out_channels') ?? 8, 8)}) keeps them on the fast path.`,
        estimate: {
          model: m.name,
          after: figuresOf(m),
          assumptions: [
            'MACs rise slightly with the padded widths; the gain is Tensor Core throughput, which a pilot run on the GPU measures',
          ],
        },
      });
    }
    return findings;
  },
};

export const channelsLastRule: Rule = {
  id: 'channels-last',
  title: 'Convolution-heavy models → channels_last memory format',
  find(ctx) {
    const findings: Finding[] = [];
    for (const m of ctx.report.models) {
      if (!m.macs) continue;
      const convMacs = m.layers.filter((l) => l.type === 'Conv2d').reduce((s, l) => s + (l.macs ?? 0), 0);
      if (convMacs / m.macs < 0.5) continue;
      findings.push({
        rule: 'channels-last',
        line: m.line ?? 1,
        message: `${Math.round((100 * convMacs) / m.macs)}% of ${m.name}'s MACs are 2-D convolutions: model.to(memory_format=torch.channels_last) and inputs in channels_last let cuDNN's NHWC kernels run on Tensor Cores under mixed precision without layout transposes.`,
        estimate: {
          model: m.name,
          after: figuresOf(m),
          assumptions: [
            'MACs and memory unchanged; the gain is convolution throughput with AMP on Volta or newer, which a pilot run measures',
          ],
        },
      });
    }
    return findings;
  },
};
