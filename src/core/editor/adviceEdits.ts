// Applying an advisor fix in the editor, as pure functions: the line edits applied to a text in
// memory (the same semantics as the advisor's applyEdits, without loading its rules), the
// same edits as range replacements for a WorkspaceEdit, and the gate every apply goes through:
// the document is still at the version the advice was computed for, the suggestion has a
// rewrite, and the rewritten text parses.
import type { LineEdit, Suggestion } from '../advisor/types';

/** Applies line edits (0-based rows) to a text; later edits first so earlier rows stay valid. */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => b.startLine - a.startLine)) lines.splice(e.startLine, e.endLine - e.startLine + 1, ...e.lines);
  return lines.join('\n');
}

export interface Position {
  line: number;
  character: number;
}

/** A replacement of [start, end) (0-based lines and characters) with `text`. */
export interface RangeEdit {
  start: Position;
  end: Position;
  text: string;
}

/**
 * The line edits as range replacements on a text whose lines are `lines` (split on '\n'), so
 * that applying them gives `applyLineEdits`'s result. A trailing '\r' (CRLF files) stays with
 * its line; inserted text uses '\n', which the editor converts to the document's line ending.
 */
export function rangeEditsOf(lines: readonly string[], edits: readonly LineEdit[]): RangeEdit[] {
  const lengthOf = (row: number) => (lines[row] ?? '').replace(/\r$/, '').length;
  const last = lines.length - 1;
  // every row deleted: rows inserted after the end then start the text (no line break before them)
  const allDeleted = edits.some((e) => e.startLine === 0 && e.endLine === last && e.lines.length === 0);
  const out: RangeEdit[] = [];
  for (const e of edits) {
    const body = e.lines.map((l) => l.replace(/\r$/, ''));
    if (e.endLine < e.startLine) {
      // an insertion before row startLine (or after the last row)
      if (e.startLine > last)
        out.push({
          start: { line: last, character: lengthOf(last) },
          end: { line: last, character: lengthOf(last) },
          text: allDeleted ? body.join('\n') : body.map((l) => `\n${l}`).join(''),
        });
      else
        out.push({
          start: { line: e.startLine, character: 0 },
          end: { line: e.startLine, character: 0 },
          text: body.map((l) => `${l}\n`).join(''),
        });
    } else if (body.length === 0) {
      // rows removed with their line breaks
      if (e.endLine < last) out.push({ start: { line: e.startLine, character: 0 }, end: { line: e.endLine + 1, character: 0 }, text: '' });
      else if (e.startLine > 0)
        out.push({
          start: { line: e.startLine - 1, character: lengthOf(e.startLine - 1) },
          end: { line: e.endLine, character: lengthOf(e.endLine) },
          text: '',
        });
      else out.push({ start: { line: 0, character: 0 }, end: { line: e.endLine, character: lengthOf(e.endLine) }, text: '' });
    } else {
      out.push({
        start: { line: e.startLine, character: 0 },
        end: { line: e.endLine, character: lengthOf(e.endLine) },
        text: body.join('\n'),
      });
    }
  }
  return out;
}

/** Applies range edits made against `text` (as the editor would), for checking them against `applyLineEdits`. */
export function applyRangeEdits(text: string, edits: readonly RangeEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: Position) => Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  const ordered = edits
    .map((e, i) => ({ from: offset(e.start), to: offset(e.end), text: e.text, i }))
    .sort((a, b) => b.from - a.from || b.i - a.i);
  let out = text;
  for (const e of ordered) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/** One line edit replacing the rows that differ between two texts (common leading and trailing rows kept). */
export function blockEditOf(before: string, after: string): LineEdit {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { startLine: head, endLine: a.length - tail - 1, lines: b.slice(head, b.length - tail) };
}

/** Whether edits overlap (they could not be applied together). */
export function editsOverlap(edits: readonly LineEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.startLine <= prev.endLine) return true;
  }
  return false;
}

export type ApplyRefusal = { ok: false; reason: string; /** The document changed: advice should be computed again. */ stale: boolean };

/** The rewritten text and the range replacements that turn the current text into it. */
export type ApplyPlan = { ok: true; text: string; rangeEdits: RangeEdit[] } | ApplyRefusal;

export interface ParseCheckAnswer {
  parses: boolean;
  syntaxErrorsBefore: number;
  syntaxErrorsAfter: number;
  firstNewError?: number;
}

/** What an apply needs to know; `parseCheck` asks the engine's parser (the analysis worker). */
export interface ApplyRequest {
  suggestion: Suggestion | undefined;
  /** The version the advice (and so the suggestion's line numbers) belongs to. */
  adviceVersion: number;
  /** The document's version and text when the apply starts. */
  documentVersion: number;
  text: string;
  parseCheck(text: string, edits: LineEdit[]): Promise<ParseCheckAnswer | { failed: string }>;
  /** The document's version now (read again after the asynchronous parse check). */
  currentVersion(): number;
}

export const STALE_REASON = 'the file changed since this suggestion was computed; not applied (the suggestions are being computed again)';

/**
 * Decides whether a fix may be applied: the document is still at the advice's version before and
 * after the parse check, the suggestion has a rewrite whose edits do not overlap, and the
 * rewritten text parses with no more syntax errors than the current one.
 */
export async function planApply(request: ApplyRequest): Promise<ApplyPlan> {
  const s = request.suggestion;
  if (request.documentVersion !== request.adviceVersion) return { ok: false, reason: STALE_REASON, stale: true };
  if (!s) return { ok: false, reason: 'this suggestion is no longer in the advice for the file', stale: true };
  if (!s.fixable || !s.edits?.length)
    return { ok: false, reason: `${s.rule} has no automatic rewrite: change the code by hand (see the rule's explanation)`, stale: false };
  if (editsOverlap(s.edits)) return { ok: false, reason: `the ${s.rule} rewrite has overlapping edits; not applied`, stale: false };
  const rows = request.text.split('\n').length;
  if (s.edits.some((e) => e.startLine < 0 || e.startLine > rows || e.endLine >= rows))
    return { ok: false, reason: `the ${s.rule} rewrite points past the end of the file; not applied`, stale: true };
  const check = await request.parseCheck(request.text, s.edits);
  if ('failed' in check) return { ok: false, reason: `the parse check failed (${check.failed}); not applied`, stale: false };
  if (!check.parses)
    return {
      ok: false,
      reason: `the ${s.rule} rewrite would not parse${check.firstNewError ? ` (syntax error at line ${check.firstNewError}` : ' ('}${check.firstNewError ? '; ' : ''}${check.syntaxErrorsAfter} syntax errors after, ${check.syntaxErrorsBefore} before); not applied`,
      stale: false,
    };
  if (request.currentVersion() !== request.adviceVersion) return { ok: false, reason: STALE_REASON, stale: true };
  const text = applyLineEdits(request.text, s.edits);
  const rangeEdits = editorEditsFor(request.text, text, s.edits);
  if (!rangeEdits) return { ok: false, reason: `the ${s.rule} rewrite could not be turned into editor edits; not applied`, stale: false };
  return { ok: true, text, rangeEdits };
}

/** Range edits giving `after` from `before` (line endings aside): the rule's own edits, else one block of changed rows. */
export function editorEditsFor(before: string, after: string, edits: readonly LineEdit[]): RangeEdit[] | undefined {
  const lines = before.split('\n');
  const same = (r: RangeEdit[]) => eol(applyRangeEdits(before, r)) === eol(after);
  const direct = rangeEditsOf(lines, edits);
  if (same(direct)) return direct;
  const block = rangeEditsOf(lines, [blockEditOf(before, after)]);
  return same(block) ? block : undefined;
}

const eol = (t: string) => t.replace(/\r\n/g, '\n');
