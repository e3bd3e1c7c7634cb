// The run length a pilot's script fixes, for the CLI's forecast as for the training-loop lens:
// the first training loop of the script (or of a notebook's code cells), with the pilot's own
// command line for argparse options.
import { scriptLengthInput } from '../editor/forecastLens';
import { concatenateCells, type NotebookCellInput } from '../editor/notebook';
import { trainingLoops } from '../editor/trainingLoop';
import type { PythonParser } from '../python/parser';

export type ScriptLength = ReturnType<typeof scriptLengthInput>;

/** `text` is the script's source, or a notebook's JSON when `path` ends in .ipynb. */
export function scriptLengthOf(path: string, text: string, parser: PythonParser, args: readonly string[]): ScriptLength {
  const source = path.endsWith('.ipynb') ? notebookSource(text) : text;
  if (source === undefined) return { unknown: 'the notebook could not be read as JSON' };
  const loop = trainingLoops(parser.parseModule(source)).at(0);
  if (!loop) return { unknown: 'no training loop found in the script (a loop that steps an optimizer)' };
  return scriptLengthInput(loop.length, args);
}

function notebookSource(json: string): string | undefined {
  try {
    const nb = JSON.parse(json) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    const cells: NotebookCellInput[] = (nb.cells ?? []).map((c) => ({
      kind: c.cell_type === 'code' ? 'code' : 'markup',
      languageId: 'python',
      text: Array.isArray(c.source) ? c.source.join('') : (c.source ?? ''),
    }));
    return concatenateCells(cells).text;
  } catch {
    return undefined;
  }
}
