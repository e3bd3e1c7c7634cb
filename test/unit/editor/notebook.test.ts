import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineHints } from '../../../src/core/editor/hints';
import { concatenateCells, toCellLine, toNotebookLine, type NotebookCellInput } from '../../../src/core/editor/notebook';
import { EXAMPLES, sharedEngine } from './analyze';

const code = (text: string): NotebookCellInput => ({ kind: 'code', languageId: 'python', text });

describe('notebook cells as one module', () => {
  it('concatenates code cells in order and maps every line back to its cell', () => {
    const nb = concatenateCells([
      { kind: 'markup', languageId: 'markdown', text: '# Title' },
      code('import torch\nx = 1'),
      code('y = 2'),
      { kind: 'code', languageId: 'r', text: 'z <- 3' },
    ]);
    expect(nb.text).toBe('import torch\nx = 1\ny = 2\n');
    expect(nb.cellStarts).toEqual([undefined, 1, 3, undefined]);
    expect(toCellLine(nb, 2)).toEqual({ cell: 1, line: 2 });
    expect(toCellLine(nb, 3)).toEqual({ cell: 2, line: 1 });
    expect(toNotebookLine(nb, 2, 1)).toBe(3);
    expect(toNotebookLine(nb, 0, 1)).toBeUndefined();
    expect(toNotebookLine(nb, 1, 3)).toBeUndefined();
  });

  it('turns magics and shell escapes into pass, keeping indentation and line numbers', () => {
    const nb = concatenateCells([
      code('%matplotlib inline\nif True:\n    !pip install torch\nx = 1'),
      code('%%time\nfor i in range(3):\n    pass'),
    ]);
    expect(nb.text.split('\n')).toEqual(['pass', 'if True:', '    pass', 'x = 1', '', '', '', '']);
    expect(nb.lines).toHaveLength(7);
  });

  it('gives the model classes of examples/models/notebook.ipynb hints on their cells', async () => {
    const path = join(EXAMPLES, 'models', 'notebook.ipynb');
    const json = JSON.parse(readFileSync(path, 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
    const cells = json.cells.map((c) => ({
      kind: c.cell_type === 'code' ? ('code' as const) : ('markup' as const),
      languageId: c.cell_type === 'code' ? 'python' : 'markdown',
      text: c.source.join(''),
    }));
    const nb = concatenateCells(cells);
    const report = (await sharedEngine()).analyze(path, nb.text);
    expect(report.models.map((m) => m.name)).toEqual(['FashionResNet']);
    const hints = lineHints(report, 'macs').map((h) => ({ ...toCellLine(nb, h.line)!, text: h.text }));
    // the residual block's convolutions (cell 2, line 4) are built once per block: 3 blocks
    const resnetCell = cells.findIndex((c) => c.text.includes('class ResidualBlock'));
    const blockConv = hints.find((h) => h.cell === resnetCell && h.line === 4)!;
    expect(cells[resnetCell].text.split('\n')[3]).toContain('self.conv1 = nn.Conv2d(channels, channels');
    expect(blockConv.text).toMatch(/^62\.2K params · [\d.]+ GMACs · \d+% · ×3$/);
    const headCell = cells.findIndex((c) => c.text.includes('class FashionResNet'));
    expect(hints.some((h) => h.cell === headCell && cells[headCell].text.split('\n')[h.line - 1].includes('nn.Linear'))).toBe(true);
  });
});
