// The training loop of a script: which `.step()` is an optimizer's (followed through
// assignments, functions and imported modules, not guessed from names), and the run length the
// script fixes (constants, argparse defaults or the pilot's command line, generators, counters).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forecastLens, pilotForecast, scriptLengthInput } from '../../../src/core/editor/forecastLens';
import { evaluateCount, type LoopLength } from '../../../src/core/editor/loopLength';
import { concatenateCells, toCellLine } from '../../../src/core/editor/notebook';
import { trainingLoops } from '../../../src/core/editor/trainingLoop';
import { scriptLengthOf } from '../../../src/core/pilot/scriptLength';
import { loadPythonParser, type PythonParser } from '../../../src/core/python/parser';
import { record, summary } from '../panel/runFixtures';

let parser: PythonParser;
beforeAll(async () => {
  parser = await loadPythonParser();
});

const ROOT = resolve(__dirname, '../../..');
const read = (p: string) => readFileSync(resolve(ROOT, p), 'utf8');
const loops = (text: string, imported: string[] = []) =>
  trainingLoops(
    parser.parseModule(text),
    imported.map((t) => parser.parseModule(t)),
  );
const lines = (text: string, imported: string[] = []) => loops(text, imported).map((l) => l.line);
const stepsOf = (length: LoopLength | undefined, args: string[] = []) => {
  const input = scriptLengthInput(length, args);
  return input.scriptLength && 'steps' in input.scriptLength ? input.scriptLength.steps : input;
};

describe('optimizer by data flow', () => {
  it('follows constructions, imports, subclasses, wrappers and tuples, whatever the names', () => {
    expect(lines('import torch\nw = torch.optim.SGD(p, lr=1)\nfor b in data:\n    w.step()\n')).toEqual([3]);
    expect(lines('from torch.optim import AdamW as A\nthing = A(p)\nwhile True:\n    thing.step()\n')).toEqual([3]);
    expect(lines('from torch import optim\nx = optim.Adam(p)\nfor b in d:\n    x.step()\n')).toEqual([3]);
    expect(lines('class Sophia(torch.optim.Optimizer):\n    pass\nq = Sophia(p)\nfor b in d:\n    q.step()\n')).toEqual([4]);
    expect(lines('o = torch.optim.SGD(p)\no2 = hvd.DistributedOptimizer(o)\nfor b in d:\n    o2.step()\n')).toEqual([3]);
    expect(lines('o = torch.optim.SGD(p)\nm, w, dl = accelerator.prepare(m, o, dl)\nfor b in dl:\n    w.step()\n')).toEqual([3]);
    // GradScaler steps the optimizer it is given
    expect(lines('o = torch.optim.SGD(p)\nfor b in d:\n    scaler.step(o)\n    scaler.update()\n')).toEqual([2]);
  });

  it('follows an optimizer through a function that returns it and a parameter that receives it', () => {
    const script = [
      'def make(model):', // 1
      '    opt = torch.optim.AdamW(model.parameters())', // 2
      '    return opt', // 3
      'def train(model, optimizer, loader):', // 4
      '    for x in loader:', // 5
      '        optimizer.step()', // 6
      'o = make(net)', // 7
      'train(net, o, dl)', // 8
      '',
    ].join('\n');
    expect(lines(script)).toEqual([5]);
  });

  it('finds minGPT’s optimizer in the model module it imports (configure_optimizers)', () => {
    const model = read('test/fixtures/realworld/workspace/minGPT/mingpt/model.py');
    // a trainer written the way minGPT's Trainer.run is: the optimizer comes from the model
    const trainer = [
      'class Trainer:', // 1
      '    def run(self):', // 2
      '        model, config = self.model, self.config', // 3
      '        optimizer = model.configure_optimizers(config)', // 4
      '        while True:', // 5
      '            batch = next(data_iter)', // 6
      '            self.loss.backward()', // 7
      '            optimizer.step()', // 8
      '',
    ].join('\n');
    expect(lines(trainer)).toEqual([]); // the script alone does not say what configure_optimizers returns
    expect(lines(trainer, [model])).toEqual([5]);
  });

  it('takes no name for an optimizer: an unbound `optimizer`, a scheduler, a name like opt_level', () => {
    expect(lines('for b in data:\n    optimizer.step()\n')).toEqual([]);
    expect(lines('o = torch.optim.SGD(p)\ns = torch.optim.lr_scheduler.StepLR(o, 1)\nfor e in range(3):\n    s.step()\n')).toEqual([]);
    expect(lines('opt_level = env.make()\nfor e in range(3):\n    opt_level.step()\n')).toEqual([]);
  });

  it('counts a Lightning-style trainer.fit, not a Trainer class of the script', () => {
    expect(lines('trainer = pl.Trainer(max_epochs=3)\ntrainer.fit(model, dm)\n')).toEqual([2]);
    expect(lines('class Trainer:\n    def fit(self):\n        pass\ntrainer = Trainer()\ntrainer.fit()\n')).toEqual([]);
  });

  it('finds the loops of the examples', () => {
    expect(lines(read('examples/training/mlp_regression.py'))).toEqual([56]);
    expect(lines(read('examples/training/tiny_gpt.py'))).toEqual([81]);
    expect(lines(read('examples/models/train_cnn.py'))).toEqual([32]);
  });
});

describe('run length the script fixes', () => {
  it('reads range(CONSTANT), arithmetic, and a generator of the script', () => {
    const [cnn] = loops(read('examples/models/train_cnn.py'));
    expect(cnn!.length).toMatchObject({ kind: 'steps', count: 20 });
    expect(cnn!.length.kind === 'steps' && cnn!.length.basis).toMatch(/synthetic_batches\(\): range\(STEPS = 20 \(line 13\)\)/);
    const [a] = loops('o = torch.optim.SGD(p)\nN = 10\nfor i in range(2, N * 3, 4):\n    o.step()\n');
    expect(stepsOf(a!.length)).toBe(7); // ceil((30 − 2) / 4)
  });

  it('reads epochs × a DataLoader, with argparse defaults overridden by the pilot’s command line', () => {
    const [mlp] = loops(read('examples/training/mlp_regression.py'));
    expect(mlp!.length).toMatchObject({ kind: 'epochs', perEpoch: 'loader' });
    expect(scriptLengthInput(mlp!.length, []).scriptLength).toMatchObject({ epochs: 4 });
    expect(scriptLengthInput(mlp!.length, ['--epochs', '8']).scriptLength).toMatchObject({ epochs: 8 });
    expect(scriptLengthInput(mlp!.length, ['--epochs=2']).scriptLength!.basis).toMatch(/--epochs 2 \(command line\)/);
  });

  it('counts a while-True loop that breaks on its counter (nanoGPT) and a while loop bounded by it', () => {
    const nano = [
      'p.add_argument("--max_iters", default=5000, type=int)',
      'args = p.parse_args()',
      'optimizer = torch.optim.AdamW(params)',
      'iter_num = 0',
      'while True:',
      '    loss.backward()',
      '    scaler.step(optimizer)',
      '    iter_num += 1',
      '    if iter_num > args.max_iters:',
      '        break',
      '',
    ].join('\n');
    // iterations with iter_num = 1 … 5001 step; the check after the 5001st breaks
    expect(stepsOf(loops(nano)[0]!.length)).toBe(5001);
    expect(stepsOf(loops(nano)[0]!.length, ['--max_iters', '100'])).toBe(101);
    const bounded = 'o = torch.optim.SGD(p)\nit = 0\nmax_iters = 300\nwhile it < max_iters:\n    o.step()\n    it += 1\n';
    expect(stepsOf(loops(bounded)[0]!.length)).toBe(300);
  });

  it('finds nanoGPT’s real loop, and leaves max_iters unknown: its configurator exec() can rebind any global', () => {
    const train = read('test/fixtures/models/third_party/nanogpt_train.py');
    const model = read('test/fixtures/models/third_party/nanogpt_model.py');
    const [loop] = loops(train, [model]);
    expect(loop).toMatchObject({ line: 259 }); // `while True:`
    expect(loop!.length).toEqual({
      kind: 'unknown',
      reason: 'the while loop (line 259): iter_num has no constant start (any global may be rebound by exec(…) at line 81)',
    });
    // the same loop without the exec: 600,000 iterations from iter_num = 0 and one more step
    const fixed = train.replace("exec(open('configurator.py').read())", 'pass');
    expect(stepsOf(loops(fixed, [model])[0]!.length)).toBe(600001);
    const updated = 'o = torch.optim.SGD(p)\nN = 10\nglobals().update(cfg)\nfor i in range(N):\n    o.step()\n';
    expect(loops(updated)[0]!.length).toEqual({
      kind: 'unknown',
      reason: 'N: any global may be rebound by globals().update(…) at line 3 (line 4)',
    });
  });

  it('leaves the length unknown, with the reason, where the script does not fix it', () => {
    const reason = (text: string) => {
      const l = loops(text)[0]!.length;
      return l.kind === 'unknown' ? l.reason : `known: ${JSON.stringify(l)}`;
    };
    expect(reason('o = torch.optim.SGD(p)\nfor b in loader:\n    o.step()\n')).toMatch(
      /len\(loader\) — its size is known only when the script runs/,
    );
    expect(reason('o = torch.optim.SGD(p)\nfor e in range(cfg.epochs):\n    for b in dl:\n        o.step()\n')).toMatch(
      /cfg\.epochs is set at run time/,
    );
    expect(reason('o = torch.optim.SGD(p)\nfor i, b in enumerate(dl):\n    if (i + 1) % 4 == 0:\n        o.step()\n')).toMatch(
      /optimizer step \(line 4\) runs under a condition/,
    );
    expect(reason('o = torch.optim.SGD(p)\nwhile True:\n    o.step()\n')).toMatch(/no counter it breaks on/);
    expect(reason('trainer = pl.Trainer(gpus=1)\ntrainer.fit(m)\n')).toMatch(/neither max_steps nor max_epochs/);
  });

  it('reads a Trainer’s max_steps or max_epochs', () => {
    expect(loops('trainer = L.Trainer(max_steps=1000)\ntrainer.fit(m)\n')[0]!.length).toMatchObject({ kind: 'steps', count: 1000 });
    expect(loops('E = 3\ntrainer = L.Trainer(max_epochs=E)\ntrainer.fit(m)\n')[0]!.length).toMatchObject({ kind: 'epochs', epochs: 3 });
  });

  it('evaluates counts with the command line, and says when an option has no default', () => {
    expect(evaluateCount({ op: '*', l: 3, r: { option: '--epochs', default: null } })).toMatchObject({ ok: false });
    expect(evaluateCount({ op: '*', l: 3, r: { option: '--epochs', default: null } }, ['--epochs', '5'])).toMatchObject({
      ok: true,
      value: 15,
    });
  });
});

describe('forecast lens with the script’s run length', () => {
  const run = record('run-1', summary({ device: 'CPU: Test CPU' }));

  it('forecasts the full run from the pilot’s step time × the steps the script fixes', () => {
    const [cnn] = loops(read('examples/models/train_cnn.py'));
    const input = scriptLengthInput(cnn!.length, run.args);
    const f = pilotForecast(run, { ...input, carbon: { gramsPerKWh: 400 } })!;
    expect(f.totalSteps).toBe(20);
    expect(f.totalStepsSource).toBe('the script');
    const lens = forecastLens(run, f, false);
    // 20 × 50 ms = 1.0 s; 20 × 2 J = 40 J = 0.0111 Wh
    expect(lens.text).toMatch(/^full run ≈ 1\.00 s · /);
    expect(lens.tooltip).toMatch(/full run: 20 steps \(the script\)/);
    expect(lens.tooltip).toMatch(/assumes run length read from the script: synthetic_batches\(\): range\(STEPS = 20/);
  });

  it('multiplies the script’s epochs by the DataLoader length the pilot measured', () => {
    const withLoader = record('run-2', summary({ dataLoader: { length: 512, batchSize: 64, iterations: 1 } }));
    const [mlp] = loops(read('examples/training/mlp_regression.py'));
    const f = pilotForecast(withLoader, { ...scriptLengthInput(mlp!.length, ['--epochs', '8']) })!;
    expect(f.totalSteps).toBe(8 * 512);
    expect(f.totalStepsSource).toBe("the script's epochs × DataLoader length");
  });

  it('keeps the length unknown with its reason when the pilot saw no loader length, or the script fixes none', () => {
    const [mlp] = loops(read('examples/training/mlp_regression.py'));
    const f = pilotForecast(run, { ...scriptLengthInput(mlp!.length, []) })!;
    expect(f.totalSteps).toBeNull();
    expect(f.unknowns.join('\n')).toMatch(/the script runs 4 epochs × len\(DataLoader\), but the pilot saw no DataLoader with a length/);
    const [plain] = loops('o = torch.optim.SGD(p)\nfor b in loader:\n    o.step()\n');
    const input = scriptLengthInput(plain!.length, []);
    const lens = forecastLens(run, pilotForecast(run, {})!, false, input.unknown);
    expect(lens.text).toMatch(/^full run: length unknown/);
    expect(lens.tooltip).toMatch(/run length unknown: len\(loader\) — its size is known only when the script runs/);
  });
});

describe('notebook cell that holds the loop', () => {
  it('finds the loop in its cell, with the length a constant of an earlier cell fixes', () => {
    // the fixture the harness runs as a pilot of the notebook (test/unit/pilot/harnessSteps.test.ts)
    const nb = JSON.parse(read('test/fixtures/pilot/train_notebook.ipynb')) as { cells: { cell_type: string; source: string[] }[] };
    const concatenated = concatenateCells(
      nb.cells.map((c) => ({ kind: c.cell_type === 'code' ? 'code' : 'markup', languageId: 'python', text: c.source.join('') })),
    );
    const [loop] = loops(concatenated.text);
    // cell 3 (0-based, after a markdown cell and a %%bash cell), its 4th line
    expect(toCellLine(concatenated, loop!.line)).toEqual({ cell: 3, line: 4 });
    expect(loop!.length).toMatchObject({ kind: 'steps', count: 12 });
  });
});

describe('the run length of a pilot’s script (the CLI’s forecast)', () => {
  it('reads a script, a notebook’s code cells, and says when there is no loop', () => {
    expect(scriptLengthOf('train_cnn.py', read('examples/models/train_cnn.py'), parser, []).scriptLength).toMatchObject({ steps: 20 });
    const nb = read('test/fixtures/pilot/train_notebook.ipynb');
    expect(scriptLengthOf('train.ipynb', nb, parser, []).scriptLength).toMatchObject({ steps: 12 });
    expect(scriptLengthOf('train.ipynb', '{not json', parser, [])).toEqual({ unknown: 'the notebook could not be read as JSON' });
    expect(scriptLengthOf('x.py', 'print(1)\n', parser, []).unknown).toMatch(/no training loop found/);
  });
});
