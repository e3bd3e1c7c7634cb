import { describe, expect, it } from 'vitest';
import { lineEditOf, shiftLine, unshiftLine } from '../../../src/core/editor/lineShift';

describe('moving report lines through edits', () => {
  it('keeps lines above an edit, moves lines below it, and loses lines it replaced', () => {
    const insertTwo = lineEditOf(5, 5, 'a\nb\nc'); // line 5 became 3 lines
    expect(shiftLine(4, [insertTwo])).toBe(4);
    expect(shiftLine(5, [insertTwo])).toBeUndefined();
    expect(shiftLine(9, [insertTwo])).toBe(11);
    expect(unshiftLine(11, [insertTwo])).toBe(9);
    expect(unshiftLine(6, [insertTwo])).toBeUndefined();
  });

  it('keeps a line edited within itself (typing)', () => {
    const typing = lineEditOf(8, 8, '48');
    expect(shiftLine(8, [typing])).toBe(8);
    expect(unshiftLine(8, [typing])).toBe(8);
  });

  it('applies several edits in order, and undoes them in reverse', () => {
    const edits = [lineEditOf(10, 12, ''), lineEditOf(2, 2, 'x\n')]; // delete 3 lines into 1, then split line 2
    for (const line of [1, 5, 20]) expect(unshiftLine(shiftLine(line, edits)!, edits)).toBe(line);
    expect(shiftLine(20, edits)).toBe(19);
  });
});
