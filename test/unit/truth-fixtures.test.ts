// The ground-truth fixtures (scripts/truth/make_truth.py, real torch) are well-formed and agree
// with themselves. This does not judge the engine; it guards the truth the engine is judged by.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadPublished,
  loadPublishedCheck,
  loadTruthFile,
  REPO_ROOT,
  taskTruthFiles,
  truthFiles,
  type TruthFile,
  type TruthModel,
} from '../fixtures/truth/truthSchema';

const files: [string, TruthFile][] = [...truthFiles(), ...taskTruthFiles()].map((path) => [path, loadTruthFile(path)]);
const models = (path: string): TruthModel[] => files.find(([p]) => p.endsWith(path))?.[1].models ?? [];
const allModels: [string, TruthModel][] = files.flatMap(([path, file]) =>
  file.models.map((model): [string, TruthModel] => [`${path} ${model.entry}`, model]),
);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('truth files', () => {
  it('exist for every section and stay under 2 MB each', () => {
    const names = files.map(([path]) => path);
    expect(names).toEqual(expect.arrayContaining(['test/fixtures/truth/torchaudio.json', 'test/fixtures/truth/gpt.json']));
    expect(names.some((n) => n.includes('/torchvision/resnet.json'))).toBe(true);
    for (const [path] of files) expect(statSync(join(REPO_ROOT, path)).size, path).toBeLessThan(2_000_000);
  });

  it('name each source file by a hash that matches the copy committed under sourceRoot', () => {
    for (const [path, file] of files) {
      for (const model of file.models) {
        const root = join(REPO_ROOT, file.sourceRoot);
        expect(sha256(join(root, model.source)), `${path} ${model.name}`).toBe(model.sourceSha256);
        expect(model.sourceFiles).toContain(model.source);
        for (const extra of model.sourceFiles) expect(existsSync(join(root, extra)), extra).toBe(true);
      }
    }
  });
});

describe.each(allModels)('%s', (_label, model) => {
  it('has positive MACs, FLOPs = 2 x MACs, and MACs by op that add up', () => {
    expect(model.macs).toBeGreaterThan(0);
    expect(model.flops).toBe(2 * model.macs);
    expect(sum(Object.values(model.macsByOp))).toBe(model.macs);
    expect(model.uncountedOps).toEqual({});
  });

  it('charges every MAC and every parameter to exactly one layer row', () => {
    expect(model.layers.length).toBe(model.layerCount);
    expect(sum(model.layers.map((l) => l.macs))).toBe(model.macs);
    expect(sum(model.layers.map((l) => l.params))).toBe(model.params);
    expect(new Set(model.layers.map((l) => l.path)).size).toBe(model.layers.length);
  });

  it('counts a tied tensor once in uniqueParams and once per holder in params, and says so', () => {
    expect(model.trainableParams).toBeLessThanOrEqual(model.uniqueParams);
    expect(model.params).toBeGreaterThanOrEqual(model.uniqueParams);
    if (model.params !== model.uniqueParams) {
      const explained = 'tiedParams' in model || model.notes.some((note) => /tied|is embed\.weight/.test(note));
      expect(explained, 'params differ from uniqueParams without a tied-weight explanation').toBe(true);
    }
  });

  it('has layer rows that agree with their call counts', () => {
    for (const layer of model.layers) {
      if (layer.calls === 0) {
        expect(layer.macs, layer.path).toBe(0);
        expect(layer.outputShape, layer.path).toBeNull();
      }
      if (layer.macs > 0) expect(layer.calls, layer.path).toBeGreaterThan(0);
      if (!layer.leaf) expect(layer.params + layer.macs, `${layer.path} kept without own params or MACs`).toBeGreaterThan(0);
    }
  });

  it('describes its inputs and outputs consistently (batch 1)', () => {
    expect(model.inputText).toBe(model.inputs.map((input) => input.shape.join('x')).join(','));
    expect(model.inputs[0]!.shape[0]).toBe(1);
    for (const input of model.inputs) if (input.kind === 'lengths') expect(input.values?.length).toBe(input.shape[0]);
    expect(model.outputShape).toEqual(model.outputShapes[0] ?? null);
  });
});

describe('torchvision truth against torchvision published figures', () => {
  const published = loadPublished();
  const check = loadPublishedCheck();
  const builders = files.filter(([path]) => path.includes('/torchvision/')).flatMap(([, file]) => file.models);

  it('covers every classification builder that has published weights, and only those', () => {
    const publishedBuilders = new Set(published.entries.map((e) => e.builder));
    expect(new Set(builders.map((m) => m.name))).toEqual(publishedBuilders);
    expect(publishedBuilders.size).toBeGreaterThanOrEqual(80);
  });

  it('cites a known source for every published figure it carries', () => {
    for (const entry of published.entries) {
      if (entry.gmacs === null) expect(entry.missing, entry.weights).toBeTruthy();
      else {
        expect(Object.keys(published.sources), entry.weights).toContain(entry.source);
        expect(entry.decimals).not.toBeNull();
      }
    }
  });

  it('agrees with every published figure, except the listed exceptions', () => {
    expect(check.rows.map((r) => r.weights)).toEqual(published.entries.map((e) => e.weights));
    for (const row of check.rows) {
      if (row.publishedGmacs !== null) expect(row.macsAgree, row.weights).toBe(true);
      if (!row.paramsAgree) expect(published.knownExceptions[row.weights], row.weights).toBeDefined();
    }
  });

  it('gives the same MACs in the check as in the per-builder truth at the same input', () => {
    for (const row of check.rows) {
      const model = builders.find((m) => m.name === row.builder)!;
      if (Object.keys(row.builderKwargs).length === 0 && model.inputText === row.input) {
        expect(row.macs, row.weights).toBe(model.macs);
      }
    }
  });

  it('matches the headline figures everyone quotes', () => {
    const byName = (name: string) => builders.find((m) => m.name === name)!;
    expect(byName('resnet50').macs).toBe(4_089_184_256);
    expect(byName('resnet50').uniqueParams).toBe(25_557_032);
    expect(Math.round(byName('vit_b_16').macs / 1e6)).toBe(17_564);
  });
});

describe("torchvision's task families (segmentation, detection, video, optical flow, quantization)", () => {
  const family = (name: string) => models(`torchvision-tasks/${name}.json`);

  // builders of list_models(module=torchvision.models.<family>) in torchvision 0.14
  const BUILDERS: Record<string, number> = { segmentation: 6, detection: 12, video: 6, optical_flow: 2, quantization: 12 };
  const present = Object.keys(BUILDERS).filter((f) => family(f).length > 0);

  it('cover every builder of list_models for each family measured (a family file is never partial)', () => {
    expect(present.length).toBeGreaterThan(0);
    for (const f of present) {
      expect(family(f).length, f).toBe(BUILDERS[f]);
      for (const m of family(f)) expect(m['family'], m.name).toBe(f);
    }
  });

  it('build with weights_backbone=None where the builder has it (no download, plain BatchNorm)', () => {
    for (const m of [...family('segmentation'), ...family('detection')]) expect(m.entry, m.name).toContain('weights_backbone=None');
  });

  it.skipIf(!present.includes('detection'))('state the detection convention: counts at the caps, asserted, and said in the record', () => {
    for (const m of family('detection')) {
      const assumptions = m['assumptions'] as string[];
      expect(m['detections'], m.name).toBe(m.outputShape![0]);
      if (m['proposals'] !== null) {
        expect(assumptions.join(' '), m.name).toContain(`MACs at ${m['proposals'] as number} proposals`);
        const boxHead = m.layers.find((l) => l.path === 'roi_heads.box_head.fc7' || l.path === 'roi_heads.box_head.5')!;
        expect(boxHead.outputShape![0], m.name).toBe(m['proposals']);
      } else expect(assumptions.join(' '), m.name).toMatch(/MACs do not depend on it/);
    }
    const faster = family('detection').find((m) => m.name === 'fasterrcnn_resnet50_fpn')!;
    expect([faster['proposals'], faster['detections']]).toEqual([1000, 100]);
  });

  it('say that quantize=False builders are float models', () => {
    for (const m of family('quantization')) expect((m['assumptions'] as string[]).join(' '), m.name).toContain('quantize=False');
  });
});

describe('hand-written and single-file GPT fixtures', () => {
  it('records GPT-2 small with tied weights as 124,439,808 unique parameters', () => {
    const gpt2 = models('gpt.json').find((m) => m.entry === 'GPT(GPTConfig(vocab_size=50257))')!;
    expect(gpt2.uniqueParams).toBe(124_439_808);
    expect(gpt2.params - gpt2.uniqueParams).toBe(50_257 * 768); // the tied embedding, counted twice per layer
    expect(gpt2['nanogptReportedParams']).toBe(124_439_808 - 1024 * 768); // nanoGPT subtracts position embeddings
    expect(gpt2.outputShape).toEqual([1, 1, 50_257]); // lm_head on the last position only
    expect(String(gpt2['attentionPath'])).toMatch(/scaled_dot_product_attention|manual/);
  });

  it("takes the CIFAR input from the file's wattlens comment", () => {
    const cnn = models('own.json').find((m) => m.name === 'CifarCNN')!;
    const text = readFileSync(join(REPO_ROOT, cnn.source), 'utf8');
    expect(text).toContain(`# wattlens: input=${cnn.inputText}`);
  });

  it('points at the real class lines, and at the syntax error inside the broken class', () => {
    for (const model of [...models('own.json'), ...models('gpt.json')]) {
      const lines = readFileSync(join(REPO_ROOT, model.source), 'utf8').split('\n');
      expect(lines[(model['line'] as number) - 1], model.entry).toMatch(new RegExp(`^class ${model['class'] as string}\\b`));
    }
    const fine = models('own.json').find((m) => m.name === 'StillFine')!;
    const error = fine['fileSyntaxError'] as { line: number };
    const lines = readFileSync(join(REPO_ROOT, fine.source), 'utf8').split('\n');
    const broken = lines.findIndex((line) => line.startsWith('class Broken')) + 1;
    expect(error.line).toBeGreaterThan(broken);
    expect(error.line).toBeLessThan(fine['line'] as number);
  });
});
