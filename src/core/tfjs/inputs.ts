// The input shapes a TF.js model is replayed with: --input when given, else the shapes the
// code declares (tf.input, inputShape / batchInputShape of the first layer), with TF.js's
// null batch dim set to the batch (1 unless --batch says otherwise) as a stated assumption.
import { AnalysisError } from '../analysis/engine';
import { formatShapes, isInputTuple, parseInputShapes } from '../analysis/inputSpec';
import type { InputSpec } from '../report/types';
import { formatShapeList, type Shape } from './config';
import type { ModelValue } from './graph';
import type { ShapeResult } from './replay';

export interface ResolvedInputs {
  results: ShapeResult[];
  spec: InputSpec;
  /** Batch size the figures are for. */
  batch: number;
  /** How the batch was chosen, when it was not given. */
  batchAssumption?: string;
  hasInput: boolean;
}

export interface InputOptions {
  input?: string;
  batch?: number;
  seqLen?: number;
  set?: Record<string, string>;
}

/** The shapes TF.js's graph declares for the model's inputs (batch dim null). */
export function declaredInputs(model: ModelValue): { shapes: Shape[]; detail: string[] } {
  if (model.kind === 'functional') {
    return {
      shapes: model.inputs.map((t) => t.origin?.batchShape ?? t.shape ?? []),
      detail: model.inputs.map((t) => t.origin?.detail ?? 'input'),
    };
  }
  const first = model.inputs[0];
  if (first?.shape) return { shapes: [first.shape], detail: [first.origin?.detail ?? 'first layer'] };
  if (model.declaredInput) return { shapes: [model.declaredInput], detail: ['model.build()'] };
  return { shapes: [], detail: [] };
}

export function resolveInputs(model: ModelValue, o: InputOptions): ResolvedInputs {
  const declared = declaredInputs(model);
  if (o.input) {
    const parsed = parseInputShapes(o.input);
    if ('error' in parsed) throw new AnalysisError(parsed.error);
    if (parsed.args.some(isInputTuple))
      throw new AnalysisError(
        `--input ${o.input.trim()}: a TF.js model takes one shape per input; tuples in parentheses are for PyTorch forward arguments`,
      );
    const shapes = parsed.shapes.map((s) =>
      s.map((d, i) => {
        if (typeof d === 'number') return d;
        const v =
          o.set?.[d] !== undefined && /^\d+$/.test(o.set[d]) ? Number(o.set[d]) : d === 'B' || d === 'N' ? (o.batch ?? 1) : o.seqLen;
        if (v === undefined)
          throw new AnalysisError(`--input dim ${i} is "${d}", which has no value: give a number, or --seq-len / --set ${d}=N`);
        return v;
      }),
    );
    if (model.kind === 'functional' && model.inputs.length && shapes.length !== model.inputs.length)
      throw new AnalysisError(`the model takes ${model.inputs.length} input(s) but --input gives ${shapes.length} shape(s)`);
    shapes.forEach((s, i) => {
      const d = declared.shapes[i];
      if (d && d.length !== s.length)
        throw new AnalysisError(
          `--input ${s.join('x')} has rank ${s.length}, but the model's input ${i + 1} (${declared.detail[i]}) is ${formatShapeList(d)}: rank ${d.length}, batch dim included`,
        );
    });
    const batch = o.batch ?? shapes[0][0] ?? 1;
    return {
      results: shapes.map((shape) => ({ shape })),
      spec: { shapes, text: formatShapes(shapes), source: 'cli', detail: '--input' },
      batch,
      hasInput: true,
    };
  }
  if (!declared.shapes.length) {
    const detail = model.inputProblem?.reason ?? 'the model declares no input shape: give one with --input';
    return { results: [], spec: { shapes: [], text: '?', source: 'none', detail }, batch: o.batch ?? 1, hasInput: false };
  }
  const given = declared.shapes.map((s) => s[0]).find((d): d is number => typeof d === 'number');
  const batch = o.batch ?? given ?? 1;
  const notes: string[] = [];
  const shapes: Shape[] = declared.shapes.map((s) =>
    s.map((d, i) => {
      if (d !== null) return d;
      if (i === 0) return batch;
      if (o.seqLen !== undefined) {
        notes.push(`dim ${i} = ${o.seqLen} (--seq-len)`);
        return o.seqLen;
      }
      return null;
    }),
  );
  const display = shapes.map((s) => s.map((d) => (d === null ? '?' : d)));
  const batchAssumption =
    o.batch === undefined && given === undefined
      ? `batch ${batch}: TF.js leaves the batch dim null; figures are for batch ${batch} (set it with --batch or --input)`
      : undefined;
  return {
    results: shapes.map((shape) => ({ shape })),
    spec: {
      shapes: display,
      text: formatShapes(display),
      source: 'config',
      detail: `${declared.detail.join(', ')}${o.batch !== undefined ? `, batch ${o.batch} (--batch)` : ''}${notes.length ? `, ${[...new Set(notes)].join(', ')}` : ''}`,
    },
    batch,
    batchAssumption,
    hasInput: true,
  };
}
