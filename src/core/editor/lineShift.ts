// Keeps the last report usable while the next analysis runs: lines of the analyzed text are
// moved through the edits made since, so hints stay on their lines instead of flickering off.
// A line inside a multi-line edit has no counterpart and maps to undefined.

/** Lines startLine..endLine (1-based, inclusive) of the text before the edit became newLineCount lines. */
export interface LineEdit {
  startLine: number;
  endLine: number;
  newLineCount: number;
}

/** The edit a change of `text` over a range of lines makes (VS Code's contentChanges entries). */
export function lineEditOf(startLine: number, endLine: number, text: string): LineEdit {
  let newLines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newLines++;
  return { startLine, endLine, newLineCount: newLines };
}

/** Where a line of the older text is after the edits, in order; undefined when it was replaced. */
export function shiftLine(line: number, edits: readonly LineEdit[]): number | undefined {
  let at = line;
  for (const e of edits) {
    const oldCount = e.endLine - e.startLine + 1;
    if (at < e.startLine) continue;
    if (at > e.endLine) at += e.newLineCount - oldCount;
    else if (!(oldCount === 1 && e.newLineCount === 1)) return undefined;
  }
  return at;
}

/** Where a line of the newer text was before the edits; undefined when it is new text. */
export function unshiftLine(line: number, edits: readonly LineEdit[]): number | undefined {
  let at = line;
  for (let i = edits.length - 1; i >= 0; i--) {
    const e = edits[i];
    const oldCount = e.endLine - e.startLine + 1;
    const newEnd = e.startLine + e.newLineCount - 1;
    if (at < e.startLine) continue;
    if (at > newEnd) at -= e.newLineCount - oldCount;
    else if (!(oldCount === 1 && e.newLineCount === 1)) return undefined;
  }
  return at;
}
