// Requests the panel's advice worker answers: the advisor's suggestions for a file's text, and
// whether a text still parses (checked before a fix is applied). Validated on arrival; the
// worker itself (src/extension/panel/adviceWorker.ts) only moves messages.
import * as z from 'zod/mini';
import { advise, applyEdits, type AdviceReport } from '../advisor/advise';
import type { LineEdit } from '../advisor/types';
import type { AnalysisEngine } from '../analysis/engine';

const lineEdit = z.object({ startLine: z.int(), endLine: z.int(), lines: z.array(z.string()) });

export const adviceRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('advise'),
    seq: z.int(),
    file: z.string(),
    text: z.string(),
    workspaceRoots: z.array(z.string()),
    options: z.object({
      batch: z.optional(z.int().check(z.positive())),
      precision: z.optional(z.enum(['fp32', 'bf16-mixed', 'fp16-mixed'])),
      optimizer: z.optional(z.enum(['adamw', 'adam', 'sgd', 'sgd-momentum'])),
      seqLen: z.optional(z.int().check(z.positive())),
    }),
  }),
  /** Does `text` with `edits` applied parse with no more syntax errors than `text`? */
  z.object({ type: z.literal('check'), seq: z.int(), text: z.string(), edits: z.array(lineEdit) }),
]);

export type AdviceRequest = z.infer<typeof adviceRequestSchema>;

export type AdviceResponse =
  | { type: 'advice'; seq: number; report: AdviceReport; ms: number }
  | { type: 'checked'; seq: number; parses: boolean; syntaxErrorsBefore: number; syntaxErrorsAfter: number; text: string }
  | { type: 'failed'; seq: number; message: string };

export function answerAdviceRequest(engine: AnalysisEngine, request: AdviceRequest): AdviceResponse {
  try {
    if (request.type === 'advise') {
      const t0 = performance.now();
      engine.setWorkspaceRoots(request.workspaceRoots);
      const report = advise(engine, request.file, request.text, request.options);
      return { type: 'advice', seq: request.seq, report, ms: performance.now() - t0 };
    }
    const after = applyEdits(request.text, request.edits as LineEdit[]);
    const before = engine.pythonParser.parseModule(request.text).syntaxErrors.length;
    const errors = engine.pythonParser.parseModule(after).syntaxErrors.length;
    return { type: 'checked', seq: request.seq, parses: errors <= before, syntaxErrorsBefore: before, syntaxErrorsAfter: errors, text: after };
  } catch (e) {
    return { type: 'failed', seq: request.seq, message: e instanceof Error ? e.message : String(e) };
  }
}
