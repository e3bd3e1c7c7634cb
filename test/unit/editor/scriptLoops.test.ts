// The worker's training-loop search: a file with no `.step()` / `.fit()` call has none, decided per
// top-level statement and kept across edits for the statements a document keeps.
import { beforeAll, describe, expect, it } from 'vitest';
import { ScriptLoopFinder } from '../../../src/core/editor/scriptLoops';
import { loadPythonParser, PythonDocument, type PythonParser } from '../../../src/core/python/parser';

let parser: PythonParser;
beforeAll(async () => {
  parser = await loadPythonParser();
});

const SCRIPT = 'import torch\nopt = torch.optim.SGD(p, lr=1)\n\ndef train(data):\n    for b in data:\n        pass\n\nx = 1\n';

describe('ScriptLoopFinder', () => {
  it('finds the loop an edit adds inside a statement it had already seen without one', () => {
    const finder = new ScriptLoopFinder();
    const doc = new PythonDocument(parser, SCRIPT);
    expect(finder.find(doc.ast, SCRIPT)).toEqual([]);
    const edited = SCRIPT.replace('        pass', '        opt.step()');
    doc.update(edited);
    expect(finder.find(doc.ast, edited).map((l) => l.line)).toEqual([5]);
    // the statements the edit kept are the same objects: the answer for them was reused
    const trainer = 'import lightning as L\ntrainer = L.Trainer(max_steps=3)\ntrainer.fit(model)\n';
    doc.update(edited + trainer);
    expect(finder.find(doc.ast, edited + trainer).map((l) => l.line)).toEqual([5, 11]);
    doc.update(SCRIPT);
    expect(finder.find(doc.ast, SCRIPT)).toEqual([]);
    doc.dispose();
  });
});
