// Applying an advisor fix: line edits in memory (as the advisor applies them), the same edits as
// editor range replacements, and the gate: version check before and after the parse check, no
// rewrite, overlapping edits, and a rewrite that would not parse.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise, applyEdits } from '../../../src/core/advisor/advise';
import type { LineEdit, Suggestion } from '../../../src/core/advisor/types';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { checkEditsParse } from '../../../src/core/editor/adviceCompute';
import {
  applyLineEdits,
  applyRangeEdits,
  blockEditOf,
  editorEditsFor,
  planApply,
  rangeEditsOf,
  STALE_REASON,
  type ApplyRequest,
} from '../../../src/core/editor/adviceEdits';

const root = resolve(__dirname, '..', '..', '..');
const ATTENTION = join(root, 'test', 'fixtures', 'advisor', 'attention_causal.py');
let engine: AnalysisEngine;
let text: string;
let sdpa: Suggestion;

beforeAll(async () => {
  engine = await AnalysisEngine.create({});
  text = readFileSync(ATTENTION, 'utf8');
  sdpa = advise(engine, ATTENTION, text).suggestions.find((s) => s.rule === 'sdpa')!;
});

/** Non-overlapping line edits on a text of `rows` rows (replacements, insertions, deletions). */
const editsArb = (rows: number) =>
  fc
    .array(
      fc.record({
        start: fc.integer({ min: 0, max: rows }),
        span: fc.integer({ min: -1, max: 3 }),
        lines: fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '(', ')', ':'), maxLength: 6 }), { maxLength: 3 }),
      }),
      { maxLength: 4 },
    )
    .map((raw) => {
      const out: LineEdit[] = [];
      let next = 0;
      for (const r of [...raw].sort((a, b) => a.start - b.start)) {
        const startLine = Math.max(r.start, next);
        const endLine = r.span < 0 ? startLine - 1 : Math.min(startLine + r.span, rows - 1);
        if (startLine > rows || (endLine >= startLine && startLine >= rows)) continue;
        out.push({ startLine, endLine, lines: r.lines });
        next = Math.max(endLine, startLine) + 1;
      }
      return out;
    });

describe('fix edits', () => {
  it('apply in memory exactly as the advisor applies them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('x', 'y', ' ', '\r'), maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (lines, seed) => {
          const t = lines.join('\n');
          const edits = fc.sample(editsArb(lines.length), { seed, numRuns: 1 })[0];
          expect(applyLineEdits(t, edits)).toBe(applyEdits(t, edits));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('as editor range replacements give the same text (replacements, insertions, the last row)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('x', 'y', ' '), maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (lines, seed) => {
          const t = lines.join('\n');
          // the advisor's edits replace rows by at least one row, or insert rows
          const edits = fc
            .sample(editsArb(lines.length), { seed, numRuns: 1 })[0]
            .filter((e) => e.lines.length > 0 || e.endLine < e.startLine);
          expect(applyRangeEdits(t, rangeEditsOf(lines, edits))).toBe(applyLineEdits(t, edits));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('as editor edits always give the rewritten text, deletions included (one block when needed)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('x', 'y', ' '), maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (lines, seed) => {
          const t = lines.join('\n');
          const edits = fc.sample(editsArb(lines.length), { seed, numRuns: 1 })[0];
          const after = applyLineEdits(t, edits);
          const editor = editorEditsFor(t, after, edits);
          expect(editor).toBeDefined();
          expect(applyRangeEdits(t, editor!)).toBe(after);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keep CRLF line ends out of the replaced ranges', () => {
    const crlf = 'a = 1\r\nb = 2\r\nc = 3';
    const [edit] = rangeEditsOf(crlf.split('\n'), [{ startLine: 1, endLine: 1, lines: ['b = 20'] }]);
    expect(edit).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 5 }, text: 'b = 20' });
    expect(applyRangeEdits(crlf, [edit])).toBe('a = 1\r\nb = 20\r\nc = 3');
  });

  it('fall back to one block of changed rows when the edits cannot be expressed one by one', () => {
    expect(blockEditOf('a\nb\nc\nd', 'a\nX\nY\nd')).toEqual({ startLine: 1, endLine: 2, lines: ['X', 'Y'] });
    expect(blockEditOf('a\nb\nc', 'a\nc')).toEqual({ startLine: 1, endLine: 1, lines: [] });
    expect(blockEditOf('a\nc', 'a\nb\nc')).toEqual({ startLine: 1, endLine: 0, lines: ['b'] });
    // the sdpa rewrite of the fixture, as the editor will apply it
    const after = applyLineEdits(text, sdpa.edits!);
    expect(applyRangeEdits(text, editorEditsFor(text, after, sdpa.edits!)!)).toBe(after);
  });
});

function request(overrides: Partial<ApplyRequest> = {}): ApplyRequest {
  return {
    suggestion: sdpa,
    adviceVersion: 7,
    documentVersion: 7,
    text,
    currentVersion: () => 7,
    parseCheck: async (t, edits) => checkEditsParse(engine, t, edits),
    ...overrides,
  };
}

describe('the apply gate', () => {
  it('applies a fix to the version it was computed for, when the result parses', async () => {
    const plan = await planApply(request());
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.text).toContain('F.scaled_dot_product_attention(');
    expect(plan.text).toBe(applyEdits(text, sdpa.edits!));
    expect(applyRangeEdits(text, plan.rangeEdits)).toBe(plan.text);
  });

  it('refuses when the document changed since the advice (and asks for new advice)', async () => {
    let checked = false;
    const plan = await planApply(
      request({
        documentVersion: 8,
        currentVersion: () => 8,
        parseCheck: async () => ((checked = true), { parses: true, syntaxErrorsBefore: 0, syntaxErrorsAfter: 0 }),
      }),
    );
    expect(plan).toEqual({ ok: false, reason: STALE_REASON, stale: true });
    expect(checked).toBe(false);
  });

  it('refuses when the document changed while the rewrite was parse-checked', async () => {
    let version = 7;
    const plan = await planApply(
      request({
        currentVersion: () => version,
        parseCheck: async (t, edits) => {
          version = 8; // an edit lands while the worker parses
          return checkEditsParse(engine, t, edits);
        },
      }),
    );
    expect(plan).toMatchObject({ ok: false, stale: true });
  });

  it('refuses an edit that would not parse, with the line of the new syntax error', async () => {
    const broken: Suggestion = {
      ...sdpa,
      edits: [
        {
          startLine: sdpa.line - 1,
          endLine: sdpa.endLine! - 1,
          lines: ['        y = F.scaled_dot_product_attention(q, k, v, is_causal=True'],
        },
      ],
    };
    const plan = await planApply(request({ suggestion: broken }));
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.stale).toBe(false);
    expect(plan.reason).toMatch(
      /^the sdpa rewrite would not parse \(syntax error at line \d+; \d+ syntax errors after, 0 before\); not applied$/,
    );
  });

  it('refuses suggestions without a rewrite, overlapping edits, and edits past the end', async () => {
    expect(await planApply(request({ suggestion: { ...sdpa, fixable: false, edits: undefined } }))).toMatchObject({
      ok: false,
      stale: false,
      reason: expect.stringContaining('no automatic rewrite'),
    });
    const overlap = [
      { startLine: 3, endLine: 5, lines: ['x = 1'] },
      { startLine: 5, endLine: 6, lines: ['y = 2'] },
    ];
    expect(await planApply(request({ suggestion: { ...sdpa, edits: overlap } }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('overlapping'),
    });
    expect(await planApply(request({ suggestion: { ...sdpa, edits: [{ startLine: 500, endLine: 500, lines: [] }] } }))).toMatchObject({
      ok: false,
      stale: true,
    });
    expect(await planApply(request({ suggestion: undefined }))).toMatchObject({ ok: false, stale: true });
  });

  it('refuses when the parse check itself failed', async () => {
    expect(await planApply(request({ parseCheck: async () => ({ failed: 'the worker stopped' }) }))).toMatchObject({
      ok: false,
      stale: false,
      reason: expect.stringContaining('the worker stopped'),
    });
  });
});
