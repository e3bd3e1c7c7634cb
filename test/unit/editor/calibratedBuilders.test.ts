// Calibrated figures for models that are not a class with default arguments: a builder
// (torchvision's resnet18 builds ResNet) and a class built the way its file builds it (nanoGPT's
// GPT(GPTConfig())). A pilot records the class it trained and its parameters; the expected energies
// here come from real torch's per-layer MACs (the truth fixtures), not from the engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibratedFigures, calibratedHint } from '../../../src/core/editor/calibratedFigures';
import { loadTruthFile, REPO_ROOT } from '../../fixtures/truth/truthSchema';
import { analyzeSource, sharedEngine } from './analyze';
import { calibration, pilotRun } from './calibrationRuns';

const JOULES_PER_STEP = 2.0;

async function analyzed(file: string) {
  return (await sharedEngine()).analyze(file, readFileSync(file, 'utf8'));
}

function lineOf(file: string, text: string): number {
  const row = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  if (row < 0) throw new Error(`${text} not in ${file}`);
  return row + 1;
}

/** The J/step of a hint such as "≈130 mJ/step". */
function joulesOf(hint: string): number {
  const m = /^≈([\d.]+) (mJ|J)\/step$/.exec(hint);
  if (!m) throw new Error(`not an energy hint: ${hint}`);
  return Number(m[1]) * (m[2] === 'mJ' ? 1e-3 : 1);
}

function truthOf(path: string, entry: string) {
  const truth = loadTruthFile(path);
  const model = truth.models.find((m) => m.entry === entry);
  if (!model) throw new Error(`${entry} not in ${path}`);
  return { model, file: join(REPO_ROOT, truth.sourceRoot, model.source) };
}

describe("calibrated figures of builders and of classes built the file's way", () => {
  it('calibrates the builder whose model the pilot trained (resnet18 → ResNet) and no other builder of the class', async () => {
    const { model: truth, file } = truthOf('test/fixtures/truth/torchvision/resnet.json', 'resnet18()');
    const report = await analyzed(file);
    const c = calibration(
      pilotRun(
        {},
        {
          className: 'ResNet',
          qualName: 'ResNet',
          pyModule: 'torchvision.models.resnet',
          file,
          line: lineOf(file, 'class ResNet(nn.Module)'),
          inputs: [{ shape: [1, 3, 224, 224], dtype: 'float32', type: 'Tensor' }],
          params: truth.uniqueParams,
        },
        JOULES_PER_STEP,
      ),
    );
    const figures = calibratedFigures(report, [c]);

    // resnet34, resnet50 … also build ResNet, with other parameters: other models, nothing said
    expect([...figures.models.keys()]).toEqual(['resnet18']);
    expect(figures.models.get('resnet18')!.lens!.text).toBe(
      '≈ 2.00 J/step, estimated (calibrated from pilot of 2026-11-25 on CPU: AMD EPYC)',
    );
    // ResNet's lines show the largest builder's figures (wide_resnet101_2): resnet18's energy is not put beside them
    expect(figures.lines.size).toBe(0);
  });

  it("puts a builder's calibrated energy on the lines of the class it builds", async () => {
    const source = [
      'import torch.nn as nn',
      '',
      'class Net(nn.Module):',
      '    def __init__(self, width):',
      '        super().__init__()',
      '        self.hidden = nn.Linear(64, width)',
      '        self.out = nn.Linear(width, 10)',
      '',
      '    def forward(self, x):',
      '        return self.out(self.hidden(x).relu())',
      '',
      '# wattlens: input=1x64',
      'def small():',
      '    return Net(32)',
      '',
    ].join('\n');
    const report = await analyzeSource(source, {}, 'builder_net.py');
    expect(report.models.map((m) => `${m.name} ${m.entryKind}`)).toEqual(['small builder']);
    const c = calibration(
      pilotRun(
        {},
        {
          className: 'Net',
          qualName: 'Net',
          pyModule: 'builder_net',
          file: report.file,
          inputs: [{ shape: [1, 64], dtype: 'float32', type: 'Tensor' }],
          params: 64 * 32 + 32 + 32 * 10 + 10,
        },
        JOULES_PER_STEP,
      ),
    );
    const figures = calibratedFigures(report, [c]);
    expect(figures.models.get('small')!.lens!.text).toBe('≈ 2.00 J/step, estimated (calibrated from pilot of 2026-11-25 on CPU: AMD EPYC)');
    // by hand: hidden 64·32 = 2048 MACs, out 32·10 = 320 MACs of 2368
    expect(figures.lines.get(6)!.joulesPerStep).toBeCloseTo((JOULES_PER_STEP * 2048) / 2368, 12);
    expect(figures.lines.get(7)!.joulesPerStep).toBeCloseTo((JOULES_PER_STEP * 320) / 2368, 12);
    expect(calibratedHint(6, figures)!.text).toBe('≈1.73 J/step');
  });

  it('gives a builder of other parameters neither a lens nor a "changed since" hover', async () => {
    const { file } = truthOf('test/fixtures/truth/torchvision/resnet.json', 'resnet18()');
    const report = await analyzed(file);
    const c = calibration(
      pilotRun({}, { className: 'ResNet', qualName: 'ResNet', pyModule: 'torchvision.models.resnet', file, params: 1_000 }),
    );
    const figures = calibratedFigures(report, [c]);
    expect(figures.models.size + figures.lines.size + figures.modelLines.size).toBe(0);
  });

  it("calibrates nanoGPT's GPT, which the editor builds as GPT(GPTConfig()) the way the file does", async () => {
    const { model: truth, file } = truthOf('test/fixtures/truth/gpt.json', 'GPT(GPTConfig())');
    // at the truth's input (1x64 token ids), so that the line shares can be checked against real torch
    const report = (await sharedEngine()).analyze(file, readFileSync(file, 'utf8'), { input: truth.inputText });
    const gpt = report.models.find((m) => m.name === 'GPT')!;
    expect(gpt.entryKind).toBe('call');
    const c = calibration(
      pilotRun(
        {},
        {
          className: 'GPT',
          qualName: 'GPT',
          pyModule: 'model',
          file,
          line: lineOf(file, 'class GPT(nn.Module)'),
          inputs: [{ shape: [1, 1024], dtype: 'int64', type: 'Tensor' }],
          params: truth.uniqueParams,
        },
        JOULES_PER_STEP,
      ),
    );
    const figures = calibratedFigures(report, [c]);
    expect(figures.models.get('GPT')!.lens!.text).toContain('J/step');
    // lm_head (the last position only, as nanoGPT's forward without targets does) and c_attn (12 blocks on one line)
    const macsOf = (pattern: RegExp) => truth.layers.filter((l) => pattern.test(l.path)).reduce((sum, l) => sum + l.macs!, 0);
    for (const [pattern, source] of [
      [/^lm_head$/, 'self.lm_head = nn.Linear('],
      [/^transformer\.h\.\d+\.attn\.c_attn$/, 'self.c_attn = nn.Linear('],
    ] as const) {
      const expected = (JOULES_PER_STEP * macsOf(pattern)) / truth.macs!;
      const hint = calibratedHint(lineOf(file, source), figures)!;
      expect(joulesOf(hint.text) / expected).toBeCloseTo(1, 2); // three significant digits shown
    }

    // a pilot of a smaller config: the GPT of this file changed as far as the pilot knows; the hover says so
    const smaller = calibration(pilotRun({}, { className: 'GPT', qualName: 'GPT', pyModule: 'model', file, params: 532_992 }));
    const notApplied = calibratedFigures(report, [smaller]);
    expect(notApplied.models.get('GPT')!.lens).toBeNull();
    expect(notApplied.modelLines.get(gpt.line!)).toContain('GPT has 124M parameters here but 533K in the pilot');
  });
});
