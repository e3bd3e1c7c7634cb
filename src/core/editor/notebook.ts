// A notebook's code cells analyzed in order as one module: the concatenated text, and the map
// from its lines back to (cell, line). IPython magics and shell escapes become `pass` so the
// module still parses and every line keeps its number.

export interface NotebookCellInput {
  /** 'code' cells in a Python language are analyzed; markdown and other languages are skipped. */
  kind: 'code' | 'markup';
  languageId: string;
  text: string;
}

export interface CellLine {
  /** Index of the cell in the notebook (markdown cells count). */
  cell: number;
  /** 1-based line in the cell. */
  line: number;
}

export interface ConcatenatedNotebook {
  text: string;
  /** For each 1-based line of `text` (index line - 1), where it comes from. */
  lines: CellLine[];
  /** For each notebook cell, the 1-based line of `text` where it starts; undefined for skipped cells. */
  cellStarts: (number | undefined)[];
}

const MAGIC = /^(\s*)(%|!)/;
const CELL_MAGIC = /^\s*%%/;

export function isAnalyzedCell(cell: Pick<NotebookCellInput, 'kind' | 'languageId'>): boolean {
  return cell.kind === 'code' && cell.languageId === 'python';
}

export function concatenateCells(cells: readonly NotebookCellInput[]): ConcatenatedNotebook {
  const out: string[] = [];
  const lines: CellLine[] = [];
  const cellStarts: (number | undefined)[] = [];
  cells.forEach((cell, index) => {
    if (!isAnalyzedCell(cell)) {
      cellStarts.push(undefined);
      return;
    }
    cellStarts.push(out.length + 1);
    const cellLines = cell.text.split(/\r?\n/);
    // a cell magic (%%time, %%bash) makes the whole cell something other than Python
    const wholeCellMagic = CELL_MAGIC.test(cellLines[0] ?? '');
    cellLines.forEach((text, i) => {
      const magic = MAGIC.exec(text);
      out.push(wholeCellMagic ? '' : magic ? `${magic[1]}pass` : text);
      lines.push({ cell: index, line: i + 1 });
    });
  });
  return { text: out.join('\n') + '\n', lines, cellStarts };
}

/** The cell and line a line of the concatenated text comes from. */
export function toCellLine(nb: ConcatenatedNotebook, line: number): CellLine | undefined {
  return nb.lines[line - 1];
}

/** The line of the concatenated text for a cell's line, or undefined when the cell is skipped. */
export function toNotebookLine(nb: ConcatenatedNotebook, cell: number, line: number): number | undefined {
  const start = nb.cellStarts[cell];
  if (start === undefined) return undefined;
  const result = start + line - 1;
  const back = nb.lines[result - 1];
  return back && back.cell === cell ? result : undefined;
}
